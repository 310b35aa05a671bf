#pragma once
// The command line is a set of subcommands, each registered by one file
// (tools/cmd_*.cpp) so that commands stay small and independent. A command's
// action returns the exit code; exceptions are mapped to exit codes by main
// (ConfigError/RunFileError 2, RuntimeFailure and others 1).

#include <functional>
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

void add_run_commands(CLI::App& app, Commands& commands);      // run
void add_scenario_commands(CLI::App& app, Commands& commands); // validate, keys
void add_inspect_commands(CLI::App& app, Commands& commands);  // inspect
void add_sweep_commands(CLI::App& app, Commands& commands);    // sweep, sweep merge, sweep slurm
void add_report_commands(CLI::App& app, Commands& commands);   // report
void add_replay_commands(CLI::App& app, Commands& commands);   // replay, fork
void add_init_commands(CLI::App& app, Commands& commands);     // init
// Hidden: completion bash, man; generated, when run, from `app` with every
// command registered.
void add_help_commands(CLI::App& app, Commands& commands);

}  // namespace airace::cli
