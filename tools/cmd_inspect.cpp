// `airace inspect`: what is in a run file, for people and for scripts.

#include <memory>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli_support.hpp"
#include "commands.hpp"
#include "output/inspect.hpp"
#include "output/reader.hpp"
#include "output/sweep_file.hpp"
#include "base/errors.hpp"

namespace airace::cli {
namespace {

// Every dataset of a run file with shape and units, as Markdown (the
// "Columns" section of docs/output-schema.md).
std::string columns_markdown(const RunRecord& record) {
    std::string out = "| dataset | shape | units |\n|---|---|---|\n";
    for (const Series& s : record.aggregates)
        out += fmt::format("| `/aggregates/{}` | [T] | {} |\n", s.name, s.units);
    for (const KindRecord& kind : record.kinds)
        for (const Matrix& m : kind.columns)
            out += fmt::format("| `/{}/{}` | [T, {}] | {} |\n", kind.kind, m.name, kind.kind, m.units);
    for (const MarketRecord& market : record.markets)
        for (const Matrix& m : market.columns)
            out += fmt::format("| `/markets/{}/{}` | [T, {}] ({}) | {} |\n", market.market, m.name,
                               market.labels.size(), fmt::join(market.labels, ", "), m.units);
    out += fmt::format("\nEvent types (`/events` attribute `types`, by code): {}.\n\n",
                       fmt::join(record.event_types, ", "));
    out += fmt::format("Edge types (`/network/edges` attribute `types`, by code): {}.\n",
                       fmt::join(record.edge_types, ", "));
    return out;
}

struct InspectArgs {
    std::string file;
    bool json = false;
    bool columns = false;
};

int command_inspect(const InspectArgs& args) {
    // A merged sweep (format "airace-sweep") has its own summary.
    if (file_format(args.file) == sweep_file_format) {
        if (args.columns)
            throw ConfigError(fmt::format("{} is a sweep file: --columns is for run files (read a sweep "
                                          "file's datasets with h5py, see docs/sweeps.md)", args.file));
        const SweepRecord sweep = read_sweep_file(args.file);
        fmt::print("{}", args.json ? inspect_sweep_json(sweep) + "\n" : inspect_sweep_text(sweep));
        return exit_ok;
    }
    if (args.columns) {
        fmt::print("{}", columns_markdown(read_run_layout(args.file)));
        return exit_ok;
    }
    // The summary, the agents per kind and the events counted a block at a
    // time: a run file of any size is inspected in constant memory.
    const RunOverview overview = read_run_overview(args.file);
    fmt::print("{}", args.json ? inspect_json(overview) + "\n" : inspect_text(overview));
    return exit_ok;
}

}  // namespace

void add_inspect_commands(CLI::App& app, Commands& commands) {
    auto args = std::make_shared<InspectArgs>();
    auto* cmd = app.add_subcommand("inspect", "summarise a run file or a merged sweep file");
    cmd->add_option("run_file", args->file, "run file (HDF5)")->required();
    cmd->add_flag("--json", args->json, "machine-readable output (one JSON object; run or sweep file)");
    cmd->add_flag("--columns", args->columns, "list every dataset with shape and units (Markdown)");
    examples(cmd, {"airace inspect output/runs/baseline.h5", "airace inspect run.h5 --json",
                   "airace inspect sweep/sweep.h5 --json", "airace inspect run.h5 --columns"});
    commands.push_back({cmd, [args] { return command_inspect(*args); }});
}

}  // namespace airace::cli
