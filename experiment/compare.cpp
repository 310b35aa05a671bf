// Comparing two runs or two ensembles (see compare.hpp).

#include "experiment/compare.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <numeric>

#include <fmt/format.h>

#include "base/errors.hpp"
#include "experiment/statistics.hpp"
#include "output/inspect.hpp"
#include "output/reader.hpp"

namespace fs = std::filesystem;

namespace airace {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::string run_label(const RunRecord& record) {
    if (!record.fork.is_fork) return record.meta.scenario_name;
    const double year = record.meta.start_year +
                        static_cast<double>(record.fork.fork_step) / record.meta.steps_per_year;
    return fmt::format("{} (fork of {} at {:.2f})", record.meta.scenario_name,
                       fs::path(record.fork.parent_file).filename().string(), year);
}

// Event counts by type name of one run, added to `counts`.
void count_events(const RunOverview& run, std::map<std::string, double>& counts) {
    const std::vector<std::string>& names = run.summary.event_types;
    for (const auto& [type, n] : run.events_by_type) {
        const auto index = static_cast<std::size_t>(type);
        counts[type >= 0 && index < names.size() ? names[index] : fmt::format("type {}", type)] +=
            static_cast<double>(n);
    }
}

std::vector<std::pair<std::string, double>> per_run(const std::map<std::string, double>& counts,
                                                    std::size_t runs) {
    std::vector<std::pair<std::string, double>> out;
    for (const auto& [type, n] : counts) out.emplace_back(type, runs > 0 ? n / static_cast<double>(runs) : 0.0);
    return out;
}

CompareSide read_run_side(const std::string& path) {
    const RunRecord record = read_run_file(path);
    CompareSide side;
    side.path = path;
    side.kind = "run";
    side.label = run_label(record);
    side.seeds = {record.meta.seed};
    side.time = record.time;
    side.metrics = record.aggregates;
    std::map<std::string, double> counts;
    count_events(overview_of(record), counts);
    side.events = per_run(counts, 1);
    side.first_run_events = record.events;
    return side;
}

CompareSide read_ensemble_side(const std::string& path) {
    const SweepRecord sweep = read_sweep_file(path);
    if (sweep.design != "ensemble")
        throw RunFileError(fmt::format("{} is a sweep of design '{}', not an ensemble: compare takes run files "
                                       "and ensembles (airace run SCENARIO --seeds N)", path, sweep.design));
    CompareSide side;
    side.path = path;
    side.kind = "ensemble";
    side.label = sweep.base;
    side.time = sweep.time;
    const std::size_t steps = sweep.time.size();
    std::vector<std::size_t> complete;
    for (std::size_t i = 0; i < sweep.run_ids.size(); ++i)
        if (sweep.status[i] == "complete") complete.push_back(i);
    if (complete.empty()) throw RunFileError(fmt::format("{}: the ensemble has no complete run", path));
    for (const std::size_t i : complete) side.seeds.push_back(sweep.seed[i]);
    for (const Series& s : sweep.aggregates) {
        Series kept{s.name, s.units, {}};
        kept.values.reserve(complete.size() * steps);
        for (const std::size_t i : complete)
            kept.values.insert(kept.values.end(), s.values.begin() + static_cast<std::ptrdiff_t>(i * steps),
                               s.values.begin() + static_cast<std::ptrdiff_t>((i + 1) * steps));
        side.metrics.push_back(std::move(kept));
    }
    // Events live in the run files, next to the ensemble file; an
    // aggregates-only run has none, and then the ensemble's events are unknown.
    for (const std::size_t i : complete) side.events_known = side.events_known && !sweep.files[i].empty();
    if (!side.events_known) return side;
    std::map<std::string, double> counts;
    const fs::path folder = fs::absolute(path).parent_path();
    // Each run's events counted a block at a time, never held (read_run_overview).
    for (const std::size_t i : complete) count_events(read_run_overview((folder / sweep.files[i]).string()), counts);
    side.events = per_run(counts, complete.size());
    return side;
}

const Series* find(const std::vector<Series>& metrics, const std::string& name) {
    for (const Series& s : metrics)
        if (s.name == name) return &s;
    return nullptr;
}

// Over runs `rows` of a [runs * steps] series at step t.
SampleStats moments(const Series& s, const std::vector<std::size_t>& rows, std::size_t steps, std::size_t t,
                    std::vector<double>& values) {
    values.clear();
    for (const std::size_t r : rows) values.push_back(s.values[r * steps + t]);
    return sample_stats(values);
}

// Rows of each side ordered by seed, when both ran the same seeds (each once).
bool same_seeds(const CompareSide& a, const CompareSide& b, std::vector<std::size_t>& rows_a,
                std::vector<std::size_t>& rows_b) {
    if (a.seeds.size() < 2 || a.seeds.size() != b.seeds.size()) return false;
    const auto by_seed = [](const CompareSide& side) {
        std::vector<std::size_t> rows(side.seeds.size());
        std::iota(rows.begin(), rows.end(), 0);
        std::sort(rows.begin(), rows.end(), [&](std::size_t x, std::size_t y) { return side.seeds[x] < side.seeds[y]; });
        return rows;
    };
    rows_a = by_seed(a);
    rows_b = by_seed(b);
    for (std::size_t i = 0; i < rows_a.size(); ++i) {
        if (a.seeds[rows_a[i]] != b.seeds[rows_b[i]]) return false;
        if (i > 0 && a.seeds[rows_a[i]] == a.seeds[rows_a[i - 1]]) return false;
    }
    return true;
}

// The difference and its standard error at step t.
void difference_at(const Series& sa, const Series& sb, const std::vector<std::size_t>& rows_a,
                   const std::vector<std::size_t>& rows_b, bool paired, std::size_t steps, std::size_t t,
                   MetricComparison& m) {
    std::vector<double> values;
    const SampleStats ma = moments(sa, rows_a, steps, t, values), mb = moments(sb, rows_b, steps, t, values);
    m.a[t] = ma.mean;
    m.b[t] = mb.mean;
    m.diff[t] = mb.mean - ma.mean;
    if (paired) {
        values.clear();
        for (std::size_t i = 0; i < rows_a.size(); ++i)
            values.push_back(sb.values[rows_b[i] * steps + t] - sa.values[rows_a[i] * steps + t]);
        const SampleStats d = sample_stats(values);
        m.diff[t] = d.mean;
        m.se[t] = d.se;
        return;
    }
    // A single run counts as exact: it adds no error of its own.
    const double va = std::isnan(ma.variance) ? 0.0 : ma.variance / static_cast<double>(rows_a.size());
    const double vb = std::isnan(mb.variance) ? 0.0 : mb.variance / static_cast<double>(rows_b.size());
    m.se[t] = std::sqrt(va + vb);
}

// The first step from which |diff| > k se holds for `persist` steps (or to
// the end); with se 0, from which the values differ at all.
double divergence(const MetricComparison& m, const std::vector<double>& time, const CompareOptions& options) {
    const std::size_t steps = time.size();
    const auto beyond = [&](std::size_t t) {
        if (!std::isfinite(m.diff[t]) || std::isnan(m.se[t])) return false;
        return m.se[t] > 0 ? std::abs(m.diff[t]) > options.k * m.se[t] : m.diff[t] != 0;
    };
    const auto persist = static_cast<std::size_t>(std::max(1, options.persist_steps));
    for (std::size_t t = 0; t < steps; ++t) {
        std::size_t run = 0;
        while (t + run < steps && run < persist && beyond(t + run)) ++run;
        if (run == persist || (run > 0 && t + run == steps)) return time[t];
    }
    return nan;
}

void compare_events(const CompareSide& a, const CompareSide& b, Comparison& c) {
    c.events_known = a.events_known && b.events_known;
    if (!c.events_known) return;
    std::map<std::string, EventComparison> all;
    for (const auto& [type, n] : a.events) all[type].a = n;
    for (const auto& [type, n] : b.events) all[type].b = n;
    for (auto& [type, e] : all) {
        e.type = type;
        c.events.push_back(e);
    }
    if (a.kind != "run" || b.kind != "run") return;
    const auto same = [](const EventRow& x, const EventRow& y) {
        return x.step == y.step && x.type == y.type && x.agent_kind == y.agent_kind && x.agent == y.agent &&
               x.other_kind == y.other_kind && x.other == y.other && x.amount == y.amount && x.value == y.value;
    };
    const std::size_t n = std::min(a.first_run_events.size(), b.first_run_events.size());
    std::size_t i = 0;
    while (i < n && same(a.first_run_events[i], b.first_run_events[i])) ++i;
    if (i == n && a.first_run_events.size() == b.first_run_events.size()) return;
    c.events_differ = true;
    c.has_first_event_a = i < a.first_run_events.size();
    c.has_first_event_b = i < b.first_run_events.size();
    if (c.has_first_event_a) c.first_event_a = a.first_run_events[i];
    if (c.has_first_event_b) c.first_event_b = b.first_run_events[i];
}

}  // namespace

CompareSide read_compare_side(const std::string& path) {
    const std::string format = file_format(path);
    if (format == "airace-run") return read_run_side(path);
    if (format == sweep_file_format) return read_ensemble_side(path);
    if (!fs::exists(path)) throw RunFileError(fmt::format("{}: no such file", path));
    throw RunFileError(fmt::format("{} is not an airace run file or ensemble file", path));
}

Comparison compare_sides(const CompareSide& a, const CompareSide& b, const CompareOptions& options) {
    if (a.time != b.time)
        throw RunFileError(fmt::format("{} and {} cover different steps ({} and {} steps from {:.2f} and {:.2f}); "
                                       "compare needs the same time axis",
                                       a.path, b.path, a.time.size(), b.time.size(),
                                       a.time.empty() ? nan : a.time.front(), b.time.empty() ? nan : b.time.front()));
    Comparison c;
    c.time = a.time;
    std::vector<std::size_t> rows_a, rows_b;
    const bool paired = same_seeds(a, b, rows_a, rows_b);
    if (!paired) {
        rows_a.resize(a.seeds.size());
        rows_b.resize(b.seeds.size());
        std::iota(rows_a.begin(), rows_a.end(), 0);
        std::iota(rows_b.begin(), rows_b.end(), 0);
    }
    c.pairing = paired                                      ? "paired by seed"
                : a.seeds.size() == 1 && b.seeds.size() == 1 ? "single runs"
                                                             : "independent";
    c.pairs = paired ? rows_a.size() : 0;
    const std::size_t steps = c.time.size();
    for (const Series& sa : a.metrics) {
        const Series* sb = find(b.metrics, sa.name);
        if (sb == nullptr) continue;
        MetricComparison m;
        m.name = sa.name;
        m.units = sa.units;
        for (std::vector<double>* v : {&m.a, &m.b, &m.diff, &m.se}) v->assign(steps, nan);
        for (std::size_t t = 0; t < steps; ++t) difference_at(sa, *sb, rows_a, rows_b, paired, steps, t, m);
        m.diverges = divergence(m, c.time, options);
        c.metrics.push_back(std::move(m));
    }
    compare_events(a, b, c);
    return c;
}

}  // namespace airace
