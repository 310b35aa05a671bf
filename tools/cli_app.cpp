// airace's command line as one CLI11 app (cli_app.hpp).

#include "cli_app.hpp"

#include "cli_support.hpp"

namespace airace::cli {

void build_app(CLI::App& app, Commands& commands, GlobalOptions& global) {
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("airace ") + AIRACE_VERSION_STRING);
    // Global, so accepted before or after the subcommand (fallthrough is
    // inherited by the subcommands added below).
    app.fallthrough();
    app.add_option("--file-locking", global.file_locking,
                   "HDF5 file locking: off (default; works on NFS/Lustre/GPFS), on (refuse files "
                   "another program holds open), best-effort (lock where the file system can)")
        ->check(CLI::IsMember({"off", "on", "best-effort"}));
    app.add_option("--compression", global.compression,
                   "run files: deflate (default; shuffle + deflate, small files) or none (unfiltered "
                   "chunks: faster to write, several times larger)")
        ->check(CLI::IsMember({"deflate", "none"}));
    add_init_commands(app, commands);
    add_help_commands(app, commands);
    add_scenario_commands(app, commands);
    add_run_commands(app, commands);
    add_inspect_commands(app, commands);
    add_sweep_commands(app, commands);
    add_report_commands(app, commands);
    add_replay_commands(app, commands);
    add_compare_commands(app, commands);

    examples(&app, {"airace init my_scenario && airace validate my_scenario.yaml",
                    "airace run my_scenario.yaml -o my.h5", "airace inspect my.h5 --json",
                    "airace keys | grep compute.", "airace COMMAND --help"});
}

}  // namespace airace::cli
