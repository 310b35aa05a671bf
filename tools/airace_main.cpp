// airace command line (CLI11). Subcommands are thin drivers over the library,
// registered by tools/cmd_*.cpp into one app (cli_app.cpp); main parses and maps typed exceptions to exit
// codes (docs/cli.md "Exit codes"): 0 success, 1 runtime failure, 2 bad input,
// 3 replay mismatch.

#include <csignal>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <exception>
#include <new>
#include <string>

#include <fmt/format.h>

#include "cli_app.hpp"
#include "cli_support.hpp"
#include "output/file_locking.hpp"
#include "output/compression.hpp"
#include "base/errors.hpp"

using namespace airace;

namespace {

// The C library's heap grows 128 KiB at a time by default: a world of
// hundreds of MB grows it thousands of times, each a system call and new
// pages mapped piecemeal. 64 MiB at a time costs no memory (pages count
// only once touched) and made the stress world's tenth about 10% faster on
// one thread and 3% on two (docs/performance.md).
void grow_heap_in_large_steps() {
#if defined(__GLIBC__)
    mallopt(M_TOP_PAD, 64 << 20);
#endif
}

}  // namespace

int main(int argc, char** argv) {
    grow_heap_in_large_steps();
    // A file size limit (ulimit -f) would kill the process with SIGXFSZ in
    // the middle of a write, leaving its temporary file and no error; ignored,
    // the write fails with EFBIG and is reported like a full disk.
    std::signal(SIGXFSZ, SIG_IGN);
    CLI::App app{"airace: an agent-based simulator of the AI industry's race for scale"};
    cli::Commands commands;
    cli::GlobalOptions global;
    cli::build_app(app, commands, global);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return cli::report_parse_error(app, error);
    }

    if (!global.file_locking.empty()) set_file_locking(*parse_file_locking(global.file_locking));
    if (global.compression == "none") storage::set_compression(storage::Compression::none);

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
