// Fuzz target: bytes -> command-line arguments (one per line) -> airace's
// whole command line (tools/cli_app.hpp) parses them, and a parse error is
// reported as `airace: error: ...` with exit code 2. Nothing is run: the
// target covers CLI11's parsing and airace's checks of every number, path
// and choice on the command line (cli_support.hpp), which must end in a
// CLI::ParseError or a ConfigError, never a crash.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli_app.hpp"
#include "cli_support.hpp"
#include "base/errors.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input = airace::fuzz::text(data, size);
    std::vector<std::string> args;  // CLI11 takes them last first
    std::size_t start = 0;
    while (start <= input.size() && args.size() < 64) {
        const std::size_t end = std::min(input.find('\n', start), input.size());
        args.push_back(input.substr(start, end - start));
        start = end + 1;
    }
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    CLI::App app{"airace"};
    airace::cli::Commands commands;
    airace::cli::GlobalOptions global;
    airace::cli::build_app(app, commands, global);
    static const bool quiet = std::freopen("/dev/null", "w", stdout) != nullptr;  // --help texts
    (void)quiet;
    try {
        app.parse(reversed);
    } catch (const CLI::ParseError& error) {
        if (airace::cli::report_parse_error(app, error) == 1) __builtin_trap();  // 0 or 2 only
    } catch (const airace::ConfigError&) {
    }
    return 0;
}
