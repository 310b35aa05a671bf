// `airace run SCENARIO --seeds N`: the scenario run once per seed, in
// parallel, merged into one ensemble file (docs/sweeps.md "Ensembles"). It
// is a sweep with the design "ensemble" (one point: the scenario itself)
// written into a sweep directory next to the output, so the same runs can be
// resumed, extended under MPI or as a Slurm job array (`airace sweep` on
// DIR/sweep.yaml), and merged again.

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/errors.hpp"
#include "base/parallel.hpp"
#include "cli_support.hpp"
#include "commands.hpp"
#include "resource_guard.hpp"
#include "config/config.hpp"
#include "config/config_yaml.hpp"
#include "config/sweep_config.hpp"
#include "experiment/statistics.hpp"
#include "experiment/sweep.hpp"
#include "experiment/sweep_merge.hpp"
#include "output/sweep_file.hpp"
#include "progress.hpp"
#include "record/summary.hpp"

namespace fs = std::filesystem;

namespace airace::cli {
namespace {

// The largest ensemble `run --seeds` takes in one go (a sweep file takes more).
constexpr std::uint64_t max_ensemble_seeds = 100'000;

// -o, or output/ensembles/NAME-seedS-nN.h5 (its folder created).
std::string ensemble_output(const EnsembleArgs& args, const ScenarioConfig& config, std::uint64_t first) {
    if (!args.output.empty()) return args.output;
    std::string output =
        fmt::format("output/ensembles/{}-seed{}-n{}.h5", config.scenario.name, first, args.seeds);
    fs::create_directories(fs::path(output).parent_path());
    return output;
}

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw RuntimeFailure(fmt::format("cannot write {}", path.string()));
}

using Estimate = SampleStats;

// Mean and standard error over the complete runs of `pick(run)` (finite values only).
template <typename Pick>
Estimate estimate(const SweepRecord& r, Pick pick) {
    std::vector<double> values;
    for (std::size_t i = 0; i < r.run_ids.size(); ++i)
        if (r.status[i] == "complete") {
            const double v = pick(i);
            if (std::isfinite(v)) values.push_back(v);
        }
    return sample_stats(values);
}

const Series* find_series(const SweepRecord& r, const std::string& name) {
    for (const Series& s : r.aggregates)
        if (s.name == name) return &s;
    return nullptr;
}

// A level at the end of `year` (its last step) or a flow summed over its
// steps, per run.
Estimate yearly(const SweepRecord& r, const std::string& name, int year, bool flow) {
    const Series* s = find_series(r, name);
    if (s == nullptr) return {};
    const std::size_t steps = r.time.size();
    return estimate(r, [&](std::size_t run) {
        double sum = 0, last = NAN;
        for (std::size_t t = 0; t < steps; ++t) {
            if (!(r.time[t] > year + 1e-9 && r.time[t] <= year + 1 + 1e-9)) continue;
            const double v = s->values[run * steps + t];
            sum += v;
            last = v;
        }
        return flow ? sum : last;
    });
}

struct Column {
    const char* metric;
    const char* heading;
    bool flow;
    double scale;  // the value is divided by this for display
    int decimals;
};
constexpr Column summary_columns[] = {
    {"frontier_capability", "capability", false, 1, 2},
    {"ai_revenue", "AI revenue $B/yr", true, 1e9, 0},
    {"total_investment", "investment $B/yr", true, 1e9, 0},
    {"energy_twh", "energy TWh/yr", true, 1, 0},
    {"adoption", "adoption", false, 1, 3},
};

// The years the summary shows: the first, every fifth, the last.
std::vector<int> summary_years(const SweepRecord& r) {
    std::vector<int> years;
    if (r.time.empty()) return years;
    const int first = static_cast<int>(std::floor(r.time.front() - 1e-9));
    const int last = static_cast<int>(std::ceil(r.time.back() - 1e-9)) - 1;
    for (int y = first; y <= last; ++y)
        if (y == first || y == last || y % 5 == 0) years.push_back(y);
    return years;
}

// "mean ± se", with two significant digits of the standard error (at most
// four decimals; `decimals` when the error is 0 or unknown).
std::string pm(const Estimate& e, double scale, int decimals) {
    if (std::isnan(e.mean)) return "-";
    const double se = e.se / scale;
    if (std::isnan(se)) return fmt::format("{:.{}f}", e.mean / scale, decimals);
    if (se > 0) decimals = std::clamp(1 - static_cast<int>(std::floor(std::log10(se))), 0, 4);
    return fmt::format("{:.{}f} ± {:.{}f}", e.mean / scale, decimals, se, decimals);
}

std::string summary_text(const SweepRecord& r) {
    std::string out = fmt::format("{:<6}", "year");
    for (const Column& c : summary_columns) out += fmt::format("{:>22}", c.heading);
    out += "\n";
    for (const int year : summary_years(r)) {
        out += fmt::format("{:<6}", year);
        for (const Column& c : summary_columns)
            out += fmt::format("{:>22}", pm(yearly(r, c.metric, year, c.flow), c.scale, c.decimals));
        out += "\n";
    }
    return out;
}

std::string number_json(double x) { return std::isfinite(x) ? fmt::format("{}", x) : "null"; }

std::string summary_json_text(const SweepRecord& r) {
    std::string rows;
    for (const int year : summary_years(r)) {
        std::string row = fmt::format("{{\"year\":{}", year);
        for (const Column& c : summary_columns) {
            const Estimate e = yearly(r, c.metric, year, c.flow);
            row += fmt::format(",\"{}\":{{\"mean\":{},\"se\":{}}}", c.metric, number_json(e.mean),
                               number_json(e.se));
        }
        rows += (rows.empty() ? "" : ",") + row + "}";
    }
    return "[" + rows + "]";
}

void print_ensemble(const EnsembleArgs& args, const SweepRecord& r, const std::string& output,
                    const std::string& dir, std::uint64_t first) {
    if (args.json) {
        fmt::print("{{\"ensemble_file\":{},\"runs_dir\":{},\"scenario\":{},\"first_seed\":{},\"seeds\":{},"
                   "\"complete\":{},\"failed\":{},\"summary\":{}}}\n",
                   json_string(output), json_string(dir), json_string(r.base), first, args.seeds,
                   r.count("complete"), r.count("failed"), summary_json_text(r));
        return;
    }
    if (args.quiet) return;
    fmt::print("airace {} — ensemble of scenario '{}', seeds {} to {}: {} complete, {} failed\n"
               "mean ± standard error over the complete runs (flows summed over each year)\n\n",
               r.airace_version, r.base, first, first + args.seeds - 1, r.count("complete"), r.count("failed"));
    fmt::print("{}", summary_text(r));
    if (args.aggregates_only)
        fmt::print("\nensemble file: {}\naggregates:    {}/parts/ (no run files: --aggregates-only)\n", output, dir);
    else
        fmt::print("\nensemble file: {}\nrun files:     {}/runs/\n", output, dir);
}

}  // namespace

std::string ensemble_runs_dir(const std::string& output, const std::string& given) {
    if (!given.empty()) return given;
    fs::path dir = output;
    dir.replace_extension(".runs");
    return dir.string();
}

std::string ensemble_sweep_text(const std::string& scenario_name, const std::string& description,
                                const std::vector<std::uint64_t>& seeds) {
    std::string list;
    for (const std::uint64_t seed : seeds) list += fmt::format("{}{}", list.empty() ? "" : ", ", seed);
    // A sweep name is an identifier; scenario names may hold other characters.
    std::string name = scenario_name;
    for (char& c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) c = '_';
    std::string quoted = description;
    for (char& c : quoted)
        if (c == '"' || c == '\\' || c == '\n') c = ' ';
    return fmt::format(
        "# Written by airace: the scenario in scenario.yaml run once per seed.\n"
        "# Rerun, extend (MPI, Slurm) or resume it with `airace sweep` on this file.\n"
        "sweep:\n"
        "  name: {}\n"
        "  description: \"{}\"\n"
        "  base: scenario.yaml\n"
        "  design: ensemble\n"
        "  seeds: [{}]\n",
        name.empty() ? "ensemble" : name, quoted, list);
}

void prepare_ensemble_dir(const std::string& dir, const std::string& resolved, const std::string& sweep_text,
                          bool force) {
    const fs::path path = fs::path(dir) / "scenario.yaml";
    if (force) {
        // Start over: what an ensemble's folder holds, and nothing else.
        std::error_code ignored;
        fs::remove_all(fs::path(dir) / "runs", ignored);
        for (const char* file : {"scenario.yaml", "sweep.yaml", "base.yaml", "design.tsv"})
            fs::remove(fs::path(dir) / file, ignored);
    }
    if (fs::exists(path) && !force) {
        std::ifstream in(path, std::ios::binary);
        const std::string existing((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (existing != resolved)
            throw ConfigError(fmt::format("{} holds the runs of another scenario or --set values; use another "
                                          "-o or --runs-dir, or --force to start over", dir));
    }
    fs::create_directories(fs::path(dir) / "runs");
    write_text(path, resolved);
    // The sweep file is what `airace sweep` and `sweep merge` read back.
    const SweepConfig sweep = load_sweep_text(sweep_text, (fs::path(dir) / "sweep.yaml").string());
    prepare_sweep(sweep, dir, true);
}

int command_ensemble(const EnsembleArgs& args) {
    if (args.seeds < 2 || args.seeds > max_ensemble_seeds)
        throw ConfigError(fmt::format("--seeds: expected 2 to {} runs (one run has no standard error; "
                                      "use a sweep file for more), got {}", max_ensemble_seeds, args.seeds));
    ScenarioConfig config = load_scenario(args.scenario, args.overrides);
    const std::uint64_t first = args.seed_given ? args.seed : config.scenario.seed;
    if (first > std::numeric_limits<std::uint64_t>::max() - args.seeds)
        throw ConfigError(fmt::format("--seed: {} + {} seeds overflows the seed range", first, args.seeds));
    const std::string output = ensemble_output(args, config, first);
    check_output_target(output);
    if (fs::exists(output) && !args.force && !args.resume)
        throw ConfigError(fmt::format("{}: file exists; use --force to overwrite or --resume to complete it", output));
    const std::string dir = ensemble_runs_dir(output, args.runs_dir);
    std::vector<std::uint64_t> seeds;
    for (std::uint64_t i = 0; i < args.seeds; ++i) seeds.push_back(first + i);
    const std::string text = ensemble_sweep_text(
        config.scenario.name, fmt::format("ensemble of scenario '{}' over {} seeds from {}", config.scenario.name,
                                          args.seeds, first),
        seeds);
    prepare_ensemble_dir(dir, resolved_yaml(config), text, args.force);
    const SweepConfig sweep = load_sweep_text(text, (fs::path(dir) / "sweep.yaml").string());

    SweepOptions options;
    options.jobs = args.threads > 0 ? args.threads : default_thread_count();
    {
        ResourceOptions resources;  // each run's record is kept whole until its file is written
        resources.checkpoint_every = args.checkpoint_every;
        resources.streamed = false;
        check_resources(estimate_resources(config, resources), resources, args.max_memory, dir + "/runs/x.h5",
                        static_cast<std::uint64_t>(options.jobs), fmt::format("the ensemble of {}", args.scenario));
    }
    options.resume = args.resume;
    options.force = args.force;
    options.checkpoint_every = args.checkpoint_every;
    options.aggregates_only = args.aggregates_only;
    SweepProgressPrinter printer(fmt::format("{} ensemble", config.scenario.name),
                                 args.quiet || args.json);
    const SweepJob job = prepare_sweep(sweep, dir, true);
    const SweepCounts counts = run_sweep(job, options, [&printer](const SweepCounts& c) { printer(c); });
    printer.finish();

    const SweepRecord record = merge_sweep(dir, output, MergeOptions{});
    write_sweep_file(record, output, true);
    print_ensemble(args, record, output, dir, first);
    if (counts.failed == 0) return exit_ok;
    fmt::print(stderr, "airace: error: {} of {} run(s) failed (messages in {}/runs/<id>.error); the ensemble "
               "file holds the others; fix and rerun with --resume to redo only those\n",
               counts.failed, args.seeds, dir);
    return exit_runtime;
}

}  // namespace airace::cli
