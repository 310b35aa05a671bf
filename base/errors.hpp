#pragma once
// Typed exceptions for the three ways a run can fail, mapped to exit codes by
// the command line (docs/cli.md, "Exit codes"): bad input (2), runtime failure (1).
// Internal invariants use AIRACE_ASSERT, on in tests and CI builds.

#include <stdexcept>
#include <string>

namespace airace {

// Invalid scenario or sweep file, bad --set value, bad command-line value.
// The message already names file, line, column and key path.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A run file that cannot be read: missing, foreign, truncated, newer schema.
class RunFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// I/O failure while writing results, or an internal error during a run.
class RuntimeFailure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

[[noreturn]] void assertion_failed(const char* expr, const char* file, int line);

}  // namespace airace

#if defined(AIRACE_ENABLE_ASSERTS)
#define AIRACE_ASSERT(expr) \
    ((expr) ? static_cast<void>(0) : ::airace::assertion_failed(#expr, __FILE__, __LINE__))
#else
#define AIRACE_ASSERT(expr) static_cast<void>(0)
#endif
