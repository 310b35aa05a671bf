// Merging a sweep directory (see sweep_merge.hpp).

#include "experiment/sweep_merge.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include <fmt/format.h>

#include "config/config_yaml.hpp"
#include "base/errors.hpp"
#include "record/run.hpp"
#include "experiment/sensitivity.hpp"
#include "experiment/statistics.hpp"
#include "experiment/sweep.hpp"
#include "experiment/sweep_parts.hpp"

#ifndef AIRACE_VERSION
#define AIRACE_VERSION "0.0.0"
#endif

namespace fs = std::filesystem;

namespace airace {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// The step whose values stand for `year`: the last step ending within it
// (time is the decimal year at the end of each step, so 2036.0 ends 2035).
std::size_t metric_step(const std::vector<double>& time, int year, const std::string& source) {
    for (std::size_t t = time.size(); t-- > 0;)
        if (time[t] > year && time[t] <= year + 1 + 1e-9) return t;
    throw ConfigError(fmt::format("{}: sweep.metric_year: {} is outside the runs' years ({:.2f} to {:.2f})",
                                  source, year, time.empty() ? nan : time.front(),
                                  time.empty() ? nan : time.back()));
}

// Per design point: the mean over its replicates of each run's value at
// `step`, NaN unless every replicate is complete and finite.
std::vector<double> point_outputs(const SweepRecord& r, const Series& metric, std::size_t points,
                                  std::size_t step) {
    const std::size_t steps = r.time.size();
    std::vector<double> sum(points, 0.0);
    for (std::size_t i = 0; i < r.run_ids.size(); ++i) {
        const double value = r.status[i] == "complete" ? metric.values[i * steps + step] : nan;
        sum[static_cast<std::size_t>(r.point[i])] += value;  // NaN stays NaN
    }
    for (double& s : sum) s /= static_cast<double>(r.replicates);
    return sum;
}

void add_sensitivity(SweepRecord& r, const SweepConfig& sweep, const Design& design,
                     const MergeOptions& options, std::size_t step) {
    if (sweep.design != DesignKind::sobol && sweep.design != DesignKind::morris) return;
    const BootstrapOptions bootstrap{options.resamples, options.confidence, sweep.design_seed};
    const std::size_t k = sweep.parameters.size();
    for (const Series& metric : r.aggregates) {
        const std::vector<double> y = point_outputs(r, metric, design.points(), step);
        SweepIndexTable table;
        table.metric = metric.name;
        table.confidence = options.confidence;
        table.resamples = options.resamples;
        if (sweep.design == DesignKind::sobol) {
            const SobolIndices s = sobol_indices(y, sweep.samples, k, bootstrap);
            table.method = "sobol";
            table.indices = {{"S1", s.s1}, {"S1_conf", s.s1_conf}, {"ST", s.st}, {"ST_conf", s.st_conf}};
            table.samples_used = s.samples_used;
        } else {
            const MorrisIndices m = morris_indices(y, design.unit, sweep.samples, k, bootstrap);
            table.method = "morris";
            table.indices = {{"mu_star", m.mu_star}, {"mu_star_conf", m.mu_star_conf}, {"mu", m.mu},
                             {"sigma", m.sigma}};
            table.samples_used = m.trajectories_used;
        }
        r.sensitivity.push_back(std::move(table));
    }
}

// The run's status (complete, failed or missing), error message and run file
// (relative to `out_dir`), read from its run file into `series` or from its
// error file.
void add_run_status(SweepRecord& r, const std::string& dir, const RunPlan& plan,
                    const std::vector<std::string>& metrics, const fs::path& out_dir, const SweepParts& parts,
                    RunSeries& series) {
    const std::string run_file = sweep_run_file(dir, plan.id);
    const std::string error_file = sweep_error_file(dir, plan.id);
    std::string status = "missing", error, file;
    if (fs::exists(run_file)) {
        try {
            series = read_run_series(run_file, metrics);
            const std::string mismatch = identity_mismatch(series.meta, plan);
            if (!mismatch.empty()) {
                status = "failed";  // a foreign run or one copied over another id: not this run
                error = fmt::format("{}: not this run of the sweep: {}", run_file, mismatch);
            } else if (series.meta.status == "complete") {
                status = "complete";
                file = fs::proximate(fs::absolute(run_file), out_dir).string();
            } else {
                error = fmt::format("run file status is '{}'", series.meta.status);
            }
        } catch (const RunFileError& failure) {
            error = failure.what();
        }
    } else if (fs::exists(error_file)) {
        status = "failed";
        error = read_text(error_file);
        while (!error.empty() && error.back() == '\n') error.pop_back();
    }
    if (status != "complete" && parts.holds_current(dir, plan)) {  // an aggregates-only run: no run file
        series = parts.series(plan.index, metrics);
        status = "complete";
        error.clear();
        file.clear();
    } else if (status == "failed" && parts.holds(plan.index)) {
        error += " (a later attempt than the result in DIR/parts)";
    } else if (status == "missing" && parts.foreign.count(plan.index) > 0) {
        status = "failed";
        error = parts.foreign.at(plan.index);
    }
    r.status.push_back(status);
    r.errors.push_back(error);
    r.files.push_back(file);
}

// The aggregates to keep: the sweep's list or, for an ensemble that lists
// none, every aggregate of its first complete run (run file or part).
std::vector<std::string> merged_metrics(const SweepConfig& sweep, const std::string& dir,
                                        const std::vector<RunPlan>& plans, const SweepParts& parts) {
    if (!sweep.metrics.empty()) return sweep.metrics;
    for (const RunPlan& plan : plans)
        if (run_is_complete(dir, plan)) return run_aggregate_names(sweep_run_file(dir, plan.id));
    return parts.metric_names();
}

// The q-quantile of sorted values, interpolated linearly between ranks (the
// definition numpy uses by default).
double quantile(const std::vector<double>& sorted, double q) {
    const double rank = q * static_cast<double>(sorted.size() - 1);
    const auto low = static_cast<std::size_t>(std::floor(rank));
    const std::size_t high = std::min(low + 1, sorted.size() - 1);
    return sorted[low] + (rank - static_cast<double>(low)) * (sorted[high] - sorted[low]);
}

// Per step, mean, standard error and quantiles of each aggregate over the
// runs complete and finite there (sums in run order: the same bytes for
// any launcher).
void add_ensemble(SweepRecord& r) {
    const std::size_t steps = r.time.size();
    std::vector<double> values;
    for (const Series& s : r.aggregates) {
        EnsembleSeries e{s.name, s.units, {}, {}, {}, {}, {}, {}};
        for (std::vector<double>* column : {&e.mean, &e.se, &e.q05, &e.median, &e.q95}) column->assign(steps, nan);
        e.runs.assign(steps, 0);
        for (std::size_t t = 0; t < steps; ++t) {
            values.clear();
            for (std::size_t i = 0; i < r.run_ids.size(); ++i) {
                const double v = s.values[i * steps + t];
                if (r.status[i] == "complete" && std::isfinite(v)) values.push_back(v);
            }
            e.runs[t] = static_cast<std::int32_t>(values.size());
            if (values.empty()) continue;
            const SampleStats stats = sample_stats(values);
            e.mean[t] = stats.mean;
            e.se[t] = stats.se;
            std::sort(values.begin(), values.end());
            e.q05[t] = quantile(values, 0.05);
            e.median[t] = quantile(values, 0.5);
            e.q95[t] = quantile(values, 0.95);
        }
        r.ensemble.push_back(std::move(e));
    }
}

}  // namespace

namespace merge_rows {

// What the merged file says about the sweep as a whole: names, the design's
// settings, the parameters, and the base scenario's text and name.
SweepRecord sweep_header(const SweepConfig& sweep, const std::string& base_yaml, const std::string& source) {
    SweepRecord r;
    r.name = sweep.name;
    r.description = sweep.description;
    r.design = design_name(sweep.design);
    r.sweep_text = sweep.text;
    r.base_yaml = base_yaml;
    if (!r.base_yaml.empty()) r.base = load_scenario_text(r.base_yaml, source).scenario.name;
    r.airace_version = AIRACE_VERSION;
    r.created_utc = creation_time_utc();
    r.design_seed = sweep.design_seed;
    r.samples = sweep.samples;
    r.levels = sweep.levels;
    r.replicates = sweep.seeds.size();
    for (const SweepParameter& p : sweep.parameters) {
        r.keys.push_back(p.key);
        r.scales.push_back(p.has_range ? scale_name(p.scale) : "list");
    }
    return r;
}

// The run's row of the design table.
void add_design_row(SweepRecord& r, const RunPlan& plan, const Design& design) {
    r.run_ids.push_back(plan.id);
    r.point.push_back(static_cast<std::int64_t>(plan.point));
    r.group.push_back(static_cast<std::int64_t>(design.group[plan.point]));
    r.step.push_back(static_cast<std::int32_t>(design.step[plan.point]));
    r.replicate.push_back(static_cast<std::int32_t>(plan.replicate));
    r.seed.push_back(plan.seed);
    r.values.insert(r.values.end(), design.values[plan.point].begin(), design.values[plan.point].end());
    r.unit.insert(r.unit.end(), design.unit[plan.point].begin(), design.unit[plan.point].end());
    std::string assignments;
    for (const std::string& a : plan.overrides) assignments += (assignments.empty() ? "" : "\n") + a;
    r.overrides.push_back(assignments);
}

// One time axis for all: the first complete run's, which every other
// complete run must share.
// A complete run on another time axis (a foreign run file put in runs/)
// counts as failed, with the reason, and the merge goes on.
void stack_time(SweepRecord& r, const std::vector<RunSeries>& series) {
    std::size_t first = 0;
    for (std::size_t i = 0; i < series.size(); ++i) {
        if (r.status[i] != "complete") continue;
        if (r.time.empty()) {
            r.time = series[i].time;
            first = i;
        }
        if (series[i].time == r.time) continue;
        r.status[i] = "failed";
        r.files[i].clear();
        r.errors[i] = fmt::format("its time axis ({} steps from {:.2f}) differs from run {}'s ({} steps from {:.2f}): "
                                  "not a run of this sweep",
                                  series[i].time.size(), series[i].time.empty() ? 0.0 : series[i].time.front(),
                                  r.run_ids[first], r.time.size(), r.time.front());
    }
}

// Each metric as [runs, steps], NaN rows for runs that are not complete.
void stack_metrics(SweepRecord& r, const std::vector<RunSeries>& series,
                   const std::vector<std::string>& metrics) {
    const std::size_t steps = r.time.size();
    for (std::size_t m = 0; m < metrics.size(); ++m) {
        Series stacked{metrics[m], "", std::vector<double>(series.size() * steps, nan)};
        for (std::size_t i = 0; i < series.size(); ++i) {
            if (r.status[i] != "complete") continue;
            stacked.units = series[i].metrics[m].units;
            std::copy(series[i].metrics[m].values.begin(), series[i].metrics[m].values.end(),
                      stacked.values.begin() + static_cast<std::ptrdiff_t>(i * steps));
        }
        r.aggregates.push_back(std::move(stacked));
    }
}

}  // namespace merge_rows

SweepRecord merge_sweep(const std::string& dir, const std::string& output, const MergeOptions& options) {
    const fs::path manifest = fs::path(dir) / "sweep.yaml";
    if (!fs::is_regular_file(manifest))
        throw ConfigError(fmt::format("{} is not a sweep directory: it has no sweep.yaml (run `airace sweep "
                                      "SWEEP.yaml -o {}` first)", dir, dir));
    const SweepConfig sweep = load_sweep(manifest.string());
    const Design design = build_design(sweep);
    const std::vector<RunPlan> plans = plan_runs(sweep, design);
    const fs::path base_file = fs::path(dir) / "base.yaml";
    SweepRecord r = merge_rows::sweep_header(sweep, read_text(base_file), base_file.string());
    const fs::path out_dir = fs::absolute(fs::path(output)).parent_path();
    const SweepParts parts = read_sweep_parts(dir, plans);
    const std::vector<std::string> metrics = merged_metrics(sweep, dir, plans, parts);
    std::vector<RunSeries> series(plans.size());
    for (const RunPlan& plan : plans) {
        merge_rows::add_design_row(r, plan, design);
        add_run_status(r, dir, plan, metrics, out_dir, parts, series[plan.index]);
    }
    merge_rows::stack_time(r, series);
    merge_rows::stack_metrics(r, series, metrics);
    if (sweep.design == DesignKind::ensemble) add_ensemble(r);
    if (!r.time.empty()) {
        const int year = sweep.metric_year ? *sweep.metric_year
                                           : static_cast<int>(std::ceil(r.time.back() - 1e-9)) - 1;
        r.metric_year = year;
        add_sensitivity(r, sweep, design, options, metric_step(r.time, year, sweep.source));
    }
    return r;
}

}  // namespace airace
