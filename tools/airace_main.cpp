// airace command line (CLI11). Subcommands are thin drivers over the library,
// registered by tools/cmd_*.cpp; main parses and maps typed exceptions to exit
// codes (docs/cli.md "Exit codes"): 0 success, 1 runtime failure, 2 bad input,
// 3 replay mismatch.

#include <csignal>
#include <exception>
#include <new>
#include <string>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "commands.hpp"
#include "output/file_locking.hpp"
#include "output/compression.hpp"
#include "base/errors.hpp"

using namespace airace;

int main(int argc, char** argv) {
    // A file size limit (ulimit -f) would kill the process with SIGXFSZ in
    // the middle of a write, leaving its temporary file and no error; ignored,
    // the write fails with EFBIG and is reported like a full disk.
    std::signal(SIGXFSZ, SIG_IGN);
    CLI::App app{"airace: an agent-based simulator of the AI industry's race for scale"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("airace ") + AIRACE_VERSION_STRING);
    // Global, so accepted before or after the subcommand (fallthrough is
    // inherited by the subcommands added below).
    app.fallthrough();
    std::string locking;
    app.add_option("--file-locking", locking,
                   "HDF5 file locking: off (default; works on NFS/Lustre/GPFS), on (refuse files "
                   "another program holds open), best-effort (lock where the file system can)")
        ->check(CLI::IsMember({"off", "on", "best-effort"}));
    std::string compression;
    app.add_option("--compression", compression,
                   "run files: deflate (default; shuffle + deflate, small files) or none (unfiltered "
                   "chunks: faster to write, several times larger)")
        ->check(CLI::IsMember({"deflate", "none"}));
    cli::Commands commands;
    cli::add_init_commands(app, commands);
    cli::add_help_commands(app, commands);
    cli::add_scenario_commands(app, commands);
    cli::add_run_commands(app, commands);
    cli::add_inspect_commands(app, commands);
    cli::add_sweep_commands(app, commands);
    cli::add_report_commands(app, commands);
    cli::add_replay_commands(app, commands);
    cli::add_compare_commands(app, commands);

    cli::examples(&app, {"airace init my_scenario && airace validate my_scenario.yaml",
                         "airace run my_scenario.yaml -o my.h5", "airace inspect my.h5 --json",
                         "airace keys | grep compute.", "airace COMMAND --help"});

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return cli::report_parse_error(app, error);
    }

    if (!locking.empty()) set_file_locking(*parse_file_locking(locking));
    if (compression == "none") storage::set_compression(storage::Compression::none);

    try {
        for (const cli::Command& command : commands)
            if (command.app->parsed()) return command.action();
    } catch (const ConfigError& error) {
        cli::print_error(error.what());  // a scenario's problems, one per line
        return cli::exit_bad_input;
    } catch (const RunFileError& error) {
        cli::print_error(error.what());
        return cli::exit_bad_input;
    } catch (const RuntimeFailure& error) {
        cli::print_error(error.what());
        return cli::exit_runtime;
    } catch (const std::bad_alloc&) {
        // Temporary files are gone by now (their writers removed them while
        // the error unwound); nothing was published.
        fmt::print(stderr,
                   "airace: error: out of memory: the run needs more memory than this machine could "
                   "give it; nothing was written under the output's name. `airace validate` prints a "
                   "run's estimated memory; --record-agents, --network-snapshots final|none, "
                   "--checkpoint-every 0 or fewer agents reduce it\n");
        return cli::exit_runtime;
    } catch (const std::exception& error) {
        fmt::print(stderr, "airace: error: internal error: {}\n", error.what());
        return cli::exit_runtime;
    }
    return cli::exit_ok;
}
