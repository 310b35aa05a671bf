#pragma once
// airace's whole command line as one CLI11 app: the global options and
// every command (tools/cmd_*.cpp), without running anything. main
// (airace_main.cpp) parses with it and runs the command parsed; the
// command-line fuzz target (tests/fuzz/fuzz_cli.cpp) parses with it only.

#include <string>

#include <CLI/CLI.hpp>

#include "commands.hpp"

namespace airace::cli {

struct GlobalOptions {
    std::string file_locking;  // --file-locking: "", off, on, best-effort
    std::string compression;   // --compression: "", deflate, none
};

// Adds the global options (into `global`) and every command (into
// `commands`) to `app`.
void build_app(CLI::App& app, Commands& commands, GlobalOptions& global);

}  // namespace airace::cli
