#pragma once
// Conventions every command shares (docs/cli.md): a number on the command
// line is checked like the scenario key it stands for (whole text, finite, in
// range; no wrap-around of negative or huge values), every error is printed
// as `airace: error: ...` with exit code 2 for bad input (CLI11's own usage
// errors included), and every command's --help ends with examples.

#include <initializer_list>
#include <string>

#include <CLI/CLI.hpp>

namespace airace::cli {

// The most worker threads (--threads) or runs at once (--jobs) an option takes.
inline constexpr int max_threads = 4096;
// The largest count or index an option takes (as scenario.seed): below 2^53,
// so every whole number up to it reads exactly.
inline constexpr double max_count = 9.0e15;

// A decimal number in [min, max] (an integer when `integer`), e.g. for
// --threads. Give it to Option::transform (not check, which cannot change
// the text): an integer's text is rewritten to plain decimal digits, so
// "1e3", "+5" and "010" read as the scenario reader would read them (CLI11
// alone would read "010" as octal and "-1" as 2^64 - 1).
CLI::Validator number_in(double min, double max, bool integer);

// The type and range of a registered scenario key, for an option that stands
// for it (--seed is scenario.seed).
CLI::Validator like_key(const std::string& key);

// An output path that exists must be a regular file that --force may
// replace: a directory, FIFO, socket or device is refused (ConfigError,
// exit 2) before any work, not replaced or failed on at the rename.
void check_output_target(const std::string& path);

// Ends `command`'s --help with "Examples:" and one command line per entry.
void examples(CLI::App* command, std::initializer_list<const char*> lines);

// Prints a parse error of `app` in the airace form on stderr (help and
// --version on stdout, as CLI11 does) and returns the exit code: 0 for help
// and --version, 2 for every usage error.
int report_parse_error(CLI::App& app, const CLI::ParseError& error);

// Prints `message` on stderr, each of its lines as `airace: error: LINE`.
void print_error(const std::string& message);

}  // namespace airace::cli
