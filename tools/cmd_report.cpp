// `airace report`: plots of run files (several overlaid as scenarios) and
// sweep files in one self-contained HTML page, interactive (plotly.js
// embedded) or, with --static, the PNG figures of matplotlib. The plotting
// is Python (report.py through the package airace, both in tools/python of
// the source tree, or where `cmake --install` put them: PREFIX/share/airace/
// python and PREFIX/lib/python3/dist-packages); this command finds them
// and Debian's Python, checks that it has the packages the page
// needs (without importing them: that would cost as much as the report),
// verifies each run file's checksum here (fast) so that the script need not,
// and runs the script. Exit codes are the script's: 0, 1 runtime failure,
// 2 bad input (a missing, foreign or damaged file, a missing package).

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "commands.hpp"
#include "output/reader.hpp"
#include "output/sweep_file.hpp"
#include "base/errors.hpp"

#ifndef AIRACE_SOURCE_DIR
#define AIRACE_SOURCE_DIR ""
#endif
// Where `cmake --install` puts the report scripts and the package airace,
// relative to the folder of the installed binary (CMakeLists.txt).
#ifndef AIRACE_REPORT_DIR_FROM_BIN
#define AIRACE_REPORT_DIR_FROM_BIN "../share/airace/python"
#endif
#ifndef AIRACE_PACKAGE_DIR_FROM_BIN
#define AIRACE_PACKAGE_DIR_FROM_BIN "../lib/python3/dist-packages"
#endif

extern char** environ;

namespace fs = std::filesystem;

namespace airace::cli {
namespace {

// Debian's python3-h5py, python3-pandas, python3-plotly and
// python3-matplotlib install for /usr/bin/python3 only; a pyenv python3
// first on PATH does not see them.
constexpr const char* default_python = "/usr/bin/python3";
constexpr const char* install_hint =
    "sudo apt-get install python3-h5py python3-pandas python3-plotly python3-matplotlib";
// Exits 0 when every module named on the command line can be found.
constexpr const char* find_modules =
    "import importlib.util, sys; sys.exit(0 if all(importlib.util.find_spec(m) for m in sys.argv[1:]) else 1)";

struct ReportArgs {
    std::vector<std::string> files;
    std::string output;
    double graph_year = 0;
    bool graph_year_given = false;
    std::string title;
    std::string png_dir;
    bool static_page = false;
    bool force = false;
};

std::string env_or(const char* name, const std::string& fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

// Runs argv (no shell) with stdout/stderr inherited, or with both sent to
// /dev/null when `quiet`; returns the exit status, or -1 if it could not start.
int spawn_and_wait(const std::vector<std::string>& argv, bool quiet) {
    std::vector<char*> raw;
    raw.reserve(argv.size() + 1);
    for (const std::string& arg : argv) raw.push_back(const_cast<char*>(arg.c_str()));
    raw.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (quiet) {
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    }
    pid_t pid = 0;
    const int started = posix_spawn(&pid, raw[0], &actions, nullptr, raw.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (started != 0) {
        errno = started;
        return -1;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

struct PythonDirs {
    fs::path scripts;  // the folder of report.py
    fs::path package;  // the folder holding the package airace
};

// AIRACE_PYTHON_DIR (both in one folder), else an installed copy next to
// this binary (PREFIX/bin/airace), else the source tree it was built from.
PythonDirs find_python_dirs() {
    const std::string override_dir = env_or("AIRACE_PYTHON_DIR", "");
    if (!override_dir.empty()) return {override_dir, override_dir};
    std::error_code error;
    const fs::path bin = fs::read_symlink("/proc/self/exe", error).parent_path();
    if (!error && !bin.empty()) {
        const fs::path installed = (bin / AIRACE_REPORT_DIR_FROM_BIN).lexically_normal();
        if (fs::is_regular_file(installed / "report.py", error))
            return {installed, (bin / AIRACE_PACKAGE_DIR_FROM_BIN).lexically_normal()};
    }
    const fs::path source = fs::path(AIRACE_SOURCE_DIR) / "tools" / "python";
    return {source, source};
}

int command_report(const ReportArgs& args) {
    for (const std::string& file : args.files) {
        std::error_code error;
        if (!fs::is_regular_file(file, error)) {
            fmt::print(stderr, "airace: error: {}: cannot open run or sweep file: {}\n", file,
                       fs::exists(file, error) ? "not a regular file" : "no such file");
            return exit_bad_input;
        }
    }
    if (fs::exists(args.output) && !args.force) {
        fmt::print(stderr, "airace: error: {}: file exists; use --force to overwrite\n", args.output);
        return exit_bad_input;
    }

    for (const std::string& file : args.files) {
        const std::string format = file_format(file);  // the script names other files' problems
        try {
            if (format == "airace-run") read_run_metadata(file);  // its checksum, format and schema
            if (format == sweep_file_format) read_sweep_file(file);  // checksum, every shape and size
        } catch (const RunFileError& error) {
            fmt::print(stderr, "airace: error: {}\n", error.what());
            return exit_bad_input;
        }
    }

    const std::string python = env_or("AIRACE_PYTHON", default_python);
    if (::access(python.c_str(), X_OK) != 0) {
        fmt::print(stderr,
                   "airace: error: {}: Python 3 not found; airace report needs Debian's python3 "
                   "with h5py, pandas, plotly and matplotlib: {}\n",
                   python, install_hint);
        return exit_bad_input;
    }
    std::vector<std::string> check = {python, "-c", find_modules, "h5py", "pandas", "numpy", "plotly"};
    if (args.static_page || !args.png_dir.empty()) check.push_back("matplotlib");
    if (spawn_and_wait(check, true) != 0) {
        fmt::print(stderr,
                   "airace: error: {} cannot import h5py, pandas, plotly and matplotlib, which "
                   "airace report needs; install them with: {}\n",
                   python, install_hint);
        return exit_bad_input;
    }

    const PythonDirs dirs = find_python_dirs();
    const fs::path script = dirs.scripts / "report.py";
    if (!fs::is_regular_file(script)) {
        fmt::print(stderr,
                   "airace: error: {}: report script not found; reinstall airace (cmake --install "
                   "puts it in PREFIX/{}) or set AIRACE_PYTHON_DIR to the folder of report.py and "
                   "the package airace (tools/python in the source tree)\n",
                   script.string(), fs::path(AIRACE_REPORT_DIR_FROM_BIN).lexically_relative("..").string());
        return exit_runtime;
    }
    // The script imports the package airace: put its folder first on the path.
    const std::string python_path = env_or("PYTHONPATH", "");
    const std::string package = dirs.package.string();
    ::setenv("PYTHONPATH", (python_path.empty() ? package : package + ":" + python_path).c_str(), 1);

    std::vector<std::string> argv = {python, script.string()};
    argv.insert(argv.end(), args.files.begin(), args.files.end());
    argv.insert(argv.end(), {"-o", args.output});
    if (args.graph_year_given) argv.insert(argv.end(), {"--graph-year", fmt::format("{}", args.graph_year)});
    if (!args.title.empty()) argv.insert(argv.end(), {"--title", args.title});
    if (!args.png_dir.empty()) argv.insert(argv.end(), {"--png-dir", args.png_dir});
    if (args.static_page) argv.emplace_back("--static");
    argv.emplace_back("--checksums-verified");
    const int code = spawn_and_wait(argv, false);
    if (code < 0) {
        fmt::print(stderr, "airace: error: cannot start {}: {}\n", python, std::strerror(errno));
        return exit_runtime;
    }
    if (code == exit_ok || code == exit_bad_input) return code;
    return exit_runtime;
}

}  // namespace

void add_report_commands(CLI::App& app, Commands& commands) {
    auto args = std::make_shared<ReportArgs>();
    auto* cmd = app.add_subcommand(
        "report", "plot run files (several overlaid as scenarios) or sweep files into one HTML page");
    cmd->footer(
        "Examples:\n"
        "  airace report base.h5 -o base.html                  one run, interactive page\n"
        "  airace report base.h5 strict.h5 fork.h5 -o cmp.html  scenarios overlaid, differences\n"
        "  airace report sweep.h5 -o sweep.html                bands and sensitivity of a sweep\n"
        "  airace report base.h5 -o paper.html --static --png-dir png   PNG figures for papers");
    cmd->add_option("files", args->files, "run files (RUN.h5) or sweep files (SWEEP.h5)")->required();
    cmd->add_option("-o,--output", args->output, "HTML file to write")->required();
    auto* graph_year = cmd->add_option("--graph-year", args->graph_year,
                                       "year of the relationship-graph snapshot (default: the last)")
                           ->transform(number_in(1900, 2200, false));
    cmd->add_option("--title", args->title, "page title (default: the scenario names)");
    cmd->add_flag("--static", args->static_page,
                  "static page of PNG figures (matplotlib) instead of interactive plots");
    cmd->add_option("--png-dir", args->png_dir,
                    "also write every figure as a PNG file (the static figures) in this folder");
    cmd->add_flag("--force", args->force, "overwrite an existing report");
    examples(cmd, {"airace report output/runs/baseline.h5 -o baseline.html",
                   "airace report baseline.h5 cheap.h5 -o compare.html --graph-year 2030",
                   "airace report sweep/sweep.h5 -o sweep.html --png-dir figures"});
    commands.push_back({cmd, [args, graph_year] {
                            args->graph_year_given = graph_year->count() > 0;
                            return command_report(*args);
                        }});
}

}  // namespace airace::cli
