// `airace inspect SWEEP.h5`: what a merged sweep holds, for people. Works on
// a SweepRecord, so it needs no HDF5.

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "output/sweep_file.hpp"

namespace airace {
namespace {

// Index of the step that stands for metric_year (the last one within it).
std::size_t year_step(const SweepRecord& r) {
    for (std::size_t t = r.time.size(); t-- > 0;)
        if (r.time[t] > r.metric_year && r.time[t] <= r.metric_year + 1 + 1e-9) return t;
    return r.time.empty() ? 0 : r.time.size() - 1;
}

// Name, design, run counts, time span and versions.
std::string overview(const SweepRecord& r) {
    std::string out;
    out += fmt::format("sweep           {}\n", r.name);
    if (!r.description.empty()) out += fmt::format("description     {}\n", r.description);
    out += fmt::format("base scenario   {}\n", r.base);
    out += fmt::format("design          {} (design_seed {}", r.design, r.design_seed);
    if (r.samples > 0) out += fmt::format(", samples {}", r.samples);
    if (r.levels > 0) out += fmt::format(", levels {}", r.levels);
    out += fmt::format("), {} replicate(s)\n", r.replicates);
    out += fmt::format("runs            {}: {} complete, {} failed, {} missing\n", r.run_ids.size(),
                       r.count("complete"), r.count("failed"), r.count("missing"));
    if (!r.time.empty())
        out += fmt::format("time            {:.2f} to {:.2f} ({} steps)\n", r.time.front(), r.time.back(), r.time.size());
    out += fmt::format("airace version  {}, merged {}\n", r.airace_version, r.created_utc);
    return out;
}

// Each parameter's scale and the range of its values over the runs.
std::string parameters(const SweepRecord& r) {
    const std::size_t runs = r.run_ids.size();
    const std::size_t k = r.keys.size();
    std::string out = "\nparameters\n";
    for (std::size_t d = 0; d < k; ++d) {
        double low = INFINITY, high = -INFINITY;
        for (std::size_t i = 0; i < runs; ++i) {
            low = std::min(low, r.values[i * k + d]);
            high = std::max(high, r.values[i * k + d]);
        }
        out += fmt::format("  {:<44} {:<5} {:.6g} .. {:.6g}\n", r.keys[d], r.scales[d], low, high);
    }
    return out;
}

// One line of the metrics table: min, mean and max of `s` at `step` over
// the complete runs, and how many of them are NaN there.
std::string metric_line(const SweepRecord& r, const Series& s, std::size_t step) {
    double low = INFINITY, high = -INFINITY, sum = 0;
    std::size_t n = 0, nans = 0;
    for (std::size_t i = 0; i < r.run_ids.size() && !r.time.empty(); ++i) {
        if (r.status[i] != "complete") continue;
        const double v = s.values[i * r.time.size() + step];
        if (std::isnan(v)) {
            ++nans;
            continue;
        }
        low = std::min(low, v), high = std::max(high, v), sum += v, ++n;
    }
    if (n == 0) return fmt::format("  {:<30}{:>14}{:>14}{:>14}{:>8}\n", s.name, "-", "-", "-", nans);
    return fmt::format("  {:<30}{:>14.5g}{:>14.5g}{:>14.5g}{:>8}\n", s.name, low,
                       sum / static_cast<double>(n), high, nans);
}

std::string metrics(const SweepRecord& r) {
    const std::size_t step = year_step(r);
    std::string out = fmt::format("\nmetrics at the end of {} over complete runs\n", r.metric_year);
    out += fmt::format("  {:<30}{:>14}{:>14}{:>14}{:>8}\n", "metric", "min", "mean", "max", "NaN");
    for (const Series& s : r.aggregates) out += metric_line(r, s, step);
    return out;
}

// An ensemble's statistics at the metric year's last step.
std::string ensemble_metrics(const SweepRecord& r) {
    const std::size_t step = year_step(r);
    std::string out = fmt::format("\nmetrics at the end of {} over complete runs (ensemble)\n", r.metric_year);
    out += fmt::format("  {:<30}{:>14}{:>12}{:>14}{:>14}{:>6}\n", "metric", "mean", "std. error", "5%", "95%", "runs");
    for (const EnsembleSeries& e : r.ensemble)
        out += fmt::format("  {:<30}{:>14.5g}{:>12.3g}{:>14.5g}{:>14.5g}{:>6}\n", e.name, e.mean[step], e.se[step],
                           e.q05[step], e.q95[step], e.runs[step]);
    return out;
}

std::string sensitivity(const SweepRecord& r, const SweepIndexTable& table) {
    std::string out = fmt::format("\nsensitivity of {} ({}, {} {} used, {:.0f}% intervals)\n", table.metric,
                                  table.method, table.samples_used,
                                  table.method == "sobol" ? "base samples" : "trajectories",
                                  100 * table.confidence);
    out += fmt::format("  {:<44}", "parameter");
    for (const auto& [name, values] : table.indices) out += fmt::format("{:>13}", name);
    out += "\n";
    for (std::size_t d = 0; d < r.keys.size(); ++d) {
        out += fmt::format("  {:<44}", r.keys[d]);
        for (const auto& [name, values] : table.indices) out += fmt::format("{:>13.4g}", values[d]);
        out += "\n";
    }
    return out;
}

}  // namespace

std::string inspect_sweep_text(const SweepRecord& r) {
    std::string out = overview(r);
    if (!r.keys.empty()) out += parameters(r);
    out += r.ensemble.empty() || r.time.empty() ? metrics(r) : ensemble_metrics(r);
    for (const SweepIndexTable& table : r.sensitivity) out += sensitivity(r, table);
    const auto failed = std::find(r.status.begin(), r.status.end(), "failed");
    if (failed != r.status.end()) {
        const auto i = static_cast<std::size_t>(failed - r.status.begin());
        out += fmt::format("\nfirst failed run {}: {}\n", r.run_ids[i], r.errors[i]);
    }
    return out;
}

}  // namespace airace
