// `airace inspect SWEEP.h5`: what a merged sweep holds, for people (text)
// and scripts (JSON). Works on a SweepRecord, so it needs no HDF5.

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "output/sweep_file.hpp"
#include "record/summary.hpp"

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

// The lowest and highest value of parameter d over the runs.
std::pair<double, double> parameter_range(const SweepRecord& r, std::size_t d) {
    const std::size_t k = r.keys.size();
    double low = INFINITY, high = -INFINITY;
    for (std::size_t i = 0; i < r.run_ids.size(); ++i) {
        low = std::min(low, r.values[i * k + d]);
        high = std::max(high, r.values[i * k + d]);
    }
    return {low, high};
}

// Each parameter's scale and the range of its values over the runs.
std::string parameters(const SweepRecord& r) {
    std::string out = "\nparameters\n";
    for (std::size_t d = 0; d < r.keys.size(); ++d) {
        const auto [low, high] = parameter_range(r, d);
        out += fmt::format("  {:<44} {:<5} {:.6g} .. {:.6g}\n", r.keys[d], r.scales[d], low, high);
    }
    return out;
}

// min, mean and max of a metric at one step over the complete runs, and how
// many of them are NaN there (n counts the others).
struct MetricStats {
    double low = INFINITY, high = -INFINITY, sum = 0;
    std::size_t n = 0, nans = 0;
};

MetricStats metric_stats(const SweepRecord& r, const Series& s, std::size_t step) {
    MetricStats m;
    for (std::size_t i = 0; i < r.run_ids.size() && !r.time.empty(); ++i) {
        if (r.status[i] != "complete") continue;
        const double v = s.values[i * r.time.size() + step];
        if (std::isnan(v)) {
            ++m.nans;
            continue;
        }
        m.low = std::min(m.low, v), m.high = std::max(m.high, v), m.sum += v, ++m.n;
    }
    return m;
}

// One line of the metrics table.
std::string metric_line(const SweepRecord& r, const Series& s, std::size_t step) {
    const MetricStats m = metric_stats(r, s, step);
    if (m.n == 0) return fmt::format("  {:<30}{:>14}{:>14}{:>14}{:>8}\n", s.name, "-", "-", "-", m.nans);
    return fmt::format("  {:<30}{:>14.5g}{:>14.5g}{:>14.5g}{:>8}\n", s.name, m.low,
                       m.sum / static_cast<double>(m.n), m.high, m.nans);
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

namespace {

// A number, or null where JSON has none (NaN, infinities).
std::string json_number(double value) { return std::isfinite(value) ? fmt::format("{}", value) : "null"; }

std::string json_parameters(const SweepRecord& r) {
    std::vector<std::string> items;
    for (std::size_t d = 0; d < r.keys.size(); ++d) {
        const auto [low, high] = parameter_range(r, d);
        items.push_back(fmt::format("{{\"key\":{},\"scale\":{},\"min\":{},\"max\":{}}}", json_string(r.keys[d]),
                                    json_string(r.scales[d]), json_number(low), json_number(high)));
    }
    return fmt::format("[{}]", fmt::join(items, ","));
}

std::string json_metrics(const SweepRecord& r) {
    const std::size_t step = year_step(r);
    std::vector<std::string> items;
    for (const Series& s : r.aggregates) {
        const MetricStats m = metric_stats(r, s, step);
        const double mean = m.n == 0 ? NAN : m.sum / static_cast<double>(m.n);
        items.push_back(fmt::format("{{\"name\":{},\"min\":{},\"mean\":{},\"max\":{},\"runs\":{},\"nan\":{}}}",
                                    json_string(s.name), json_number(m.n ? m.low : NAN), json_number(mean),
                                    json_number(m.n ? m.high : NAN), m.n, m.nans));
    }
    return fmt::format("[{}]", fmt::join(items, ","));
}

std::string json_sensitivity(const SweepRecord& r) {
    std::vector<std::string> tables;
    for (const SweepIndexTable& table : r.sensitivity) {
        std::vector<std::string> indices;
        for (const auto& [name, values] : table.indices) {
            std::vector<std::string> by_key;
            for (std::size_t d = 0; d < r.keys.size() && d < values.size(); ++d)
                by_key.push_back(fmt::format("{}:{}", json_string(r.keys[d]), json_number(values[d])));
            indices.push_back(fmt::format("{}:{{{}}}", json_string(name), fmt::join(by_key, ",")));
        }
        tables.push_back(fmt::format("{{\"metric\":{},\"method\":{},\"samples_used\":{},\"confidence\":{},"
                                     "\"resamples\":{},\"indices\":{{{}}}}}",
                                     json_string(table.metric), json_string(table.method), table.samples_used,
                                     json_number(table.confidence), table.resamples, fmt::join(indices, ",")));
    }
    return fmt::format("[{}]", fmt::join(tables, ","));
}

std::string json_failed(const SweepRecord& r) {
    std::vector<std::string> items;
    for (std::size_t i = 0; i < r.run_ids.size(); ++i)
        if (r.status[i] == "failed")
            items.push_back(fmt::format("{{\"id\":{},\"error\":{}}}", json_string(r.run_ids[i]),
                                        json_string(r.errors[i])));
    return fmt::format("[{}]", fmt::join(items, ","));
}

}  // namespace

std::string inspect_sweep_json(const SweepRecord& r) {
    std::string out = fmt::format(
        "{{\"format\":\"airace-sweep\",\"sweep\":{},\"description\":{},\"base\":{},\"design\":{},"
        "\"design_seed\":{},\"samples\":{},\"levels\":{},\"replicates\":{},\"metric_year\":{},",
        json_string(r.name), json_string(r.description), json_string(r.base), json_string(r.design),
        r.design_seed, r.samples, r.levels, r.replicates, r.metric_year);
    out += fmt::format("\"runs\":{{\"total\":{},\"complete\":{},\"failed\":{},\"missing\":{}}},",
                       r.run_ids.size(), r.count("complete"), r.count("failed"), r.count("missing"));
    out += fmt::format("\"time\":{{\"start\":{},\"end\":{},\"steps\":{}}},",
                       json_number(r.time.empty() ? NAN : r.time.front()),
                       json_number(r.time.empty() ? NAN : r.time.back()), r.time.size());
    out += fmt::format("\"airace_version\":{},\"created_utc\":{},", json_string(r.airace_version),
                       json_string(r.created_utc));
    out += fmt::format("\"parameters\":{},\"metrics\":{},\"sensitivity\":{},\"failed\":{}}}",
                       json_parameters(r), json_metrics(r), json_sensitivity(r), json_failed(r));
    return out;
}

}  // namespace airace
