// airace command line (CLI11). Subcommands are thin drivers over the library,
// registered by tools/cmd_*.cpp; main parses and maps typed exceptions to exit
// codes (ARCHITECTURE.md): 0 success, 1 runtime failure, 2 bad input,
// 3 replay mismatch.

#include <exception>
#include <string>

#include <fmt/format.h>

#include "commands.hpp"
#include "sim/errors.hpp"

using namespace airace;

int main(int argc, char** argv) {
    CLI::App app{"airace: an agent-based simulator of the AI industry's race for scale"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("airace ") + AIRACE_VERSION_STRING);
    cli::Commands commands;
    cli::add_run_commands(app, commands);
    cli::add_inspect_commands(app, commands);
    cli::add_sweep_commands(app, commands);
    cli::add_report_commands(app, commands);
    cli::add_replay_commands(app, commands);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error);
        return code == 0 ? cli::exit_ok : cli::exit_bad_input;
    }

    try {
        for (const cli::Command& command : commands)
            if (command.app->parsed()) return command.action();
    } catch (const ConfigError& error) {
        fmt::print(stderr, "airace: error: {}\n", error.what());
        return cli::exit_bad_input;
    } catch (const RunFileError& error) {
        fmt::print(stderr, "airace: error: {}\n", error.what());
        return cli::exit_bad_input;
    } catch (const RuntimeFailure& error) {
        fmt::print(stderr, "airace: error: {}\n", error.what());
        return cli::exit_runtime;
    } catch (const std::exception& error) {
        fmt::print(stderr, "airace: internal error: {}\n", error.what());
        return cli::exit_runtime;
    }
    return cli::exit_ok;
}
