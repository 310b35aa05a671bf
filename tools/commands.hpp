#pragma once
// The command line is a set of subcommands, each registered by one file
// (tools/cmd_*.cpp) so that commands stay small and independent. A command's
// action returns the exit code; exceptions are mapped to exit codes by main
// (ConfigError/RunFileError 2, RuntimeFailure and others 1).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace airace::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_runtime = 1;
inline constexpr int exit_bad_input = 2;
inline constexpr int exit_mismatch = 3;

struct Command {
    CLI::App* app = nullptr;
    std::function<int()> action;
};
using Commands = std::vector<Command>;

// `airace run SCENARIO --seeds N` (tools/cmd_ensemble.cpp).
struct EnsembleArgs {
    std::string scenario;
    std::string output;    // the ensemble file; default output/ensembles/NAME-seedS-nN.h5
    std::string runs_dir;  // the run files' sweep directory; default OUTPUT with .runs
    std::vector<std::string> overrides;
    std::uint64_t seed = 0;  // the first seed (default scenario.seed)
    bool seed_given = false;
    std::uint64_t seeds = 0;
    int threads = 0;         // runs at once (default: all cores)
    bool force = false;
    bool resume = false;
    bool quiet = false;
    bool json = false;
    int checkpoint_every = 0;
    std::uint64_t max_memory = 0;  // --max-memory (0: the machine's available memory)
    bool aggregates_only = false;  // --aggregates-only: no run file per run (docs/sweeps.md)
};
int command_ensemble(const EnsembleArgs& args);
// The runs' folder of an ensemble file: `given`, or OUTPUT with ".runs".
std::string ensemble_runs_dir(const std::string& output, const std::string& given);
// The sweep file of an ensemble (design "ensemble", base scenario.yaml).
std::string ensemble_sweep_text(const std::string& scenario_name, const std::string& description,
                                const std::vector<std::uint64_t>& seeds);
// Writes DIR/scenario.yaml (the resolved scenario), DIR/sweep.yaml and the
// sweep manifest; a DIR holding another scenario's runs is refused unless
// `force`.
void prepare_ensemble_dir(const std::string& dir, const std::string& resolved, const std::string& sweep_text,
                          bool force);

void add_run_commands(CLI::App& app, Commands& commands);      // run
void add_scenario_commands(CLI::App& app, Commands& commands); // validate, keys
void add_inspect_commands(CLI::App& app, Commands& commands);  // inspect
void add_sweep_commands(CLI::App& app, Commands& commands);    // sweep, sweep merge, sweep slurm
void add_report_commands(CLI::App& app, Commands& commands);   // report
void add_replay_commands(CLI::App& app, Commands& commands);   // replay, fork
void add_compare_commands(CLI::App& app, Commands& commands);  // compare
void add_init_commands(CLI::App& app, Commands& commands);     // init
// Hidden: completion bash, man; generated, when run, from `app` with every
// command registered.
void add_help_commands(CLI::App& app, Commands& commands);

}  // namespace airace::cli
