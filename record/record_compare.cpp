#include "record/record_compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <string_view>

#include <fmt/format.h>

#include "sim/kinds.hpp"

namespace airace {

bool same_value(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b));
}

bool fork_may_add(std::string_view plural) {
    const KindInfo* info = find_kind(plural);
    return info && info->fork_may_add;
}

namespace {

constexpr auto same = same_value;

// The same state, but for the agents one run added at its end, which hold zeros.
template <class T, class Same>
bool same_but_added(const std::vector<T>& a, const std::vector<T>& b, Same same_value) {
    const auto& longer = a.size() >= b.size() ? a : b;
    const auto& shorter = a.size() >= b.size() ? b : a;
    return std::equal(shorter.begin(), shorter.end(), longer.begin(), same_value) &&
           std::all_of(longer.begin() + static_cast<std::ptrdiff_t>(shorter.size()), longer.end(),
                       [](T v) { return v == T{0}; });
}

std::optional<RecordDifference> compare_rows(const std::string& dataset, const std::vector<double>& a,
                                             const std::vector<double>& b, std::size_t width, int from,
                                             int to) {
    for (int t = from; t < to; ++t)
        for (std::size_t c = 0; c < width; ++c) {
            const std::size_t i = static_cast<std::size_t>(t) * width + c;
            if (i >= a.size() || i >= b.size())
                return RecordDifference{dataset, t, "one run has fewer steps"};
            if (!same(a[i], b[i]))
                return RecordDifference{dataset, t,
                                        fmt::format("column {}: {} vs {}", c, a[i], b[i])};
        }
    return std::nullopt;
}

template <class Row, class Equal>
std::optional<RecordDifference> compare_tables(const std::string& dataset, const std::vector<Row>& a,
                                               const std::vector<Row>& b, int from, int to,
                                               Equal equal) {
    std::vector<const Row*> x, y;
    for (const Row& r : a)
        if (r.step >= from && r.step < to) x.push_back(&r);
    for (const Row& r : b)
        if (r.step >= from && r.step < to) y.push_back(&r);
    for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i)
        if (x[i]->step != y[i]->step || !equal(*x[i], *y[i]))
            return RecordDifference{dataset, std::min(x[i]->step, y[i]->step),
                                    fmt::format("row {} differs", i)};
    if (x.size() != y.size()) {
        const int step = x.size() > y.size() ? x[y.size()]->step : y[x.size()]->step;
        return RecordDifference{dataset, step, fmt::format("{} rows vs {}", x.size(), y.size())};
    }
    return std::nullopt;
}

std::optional<RecordDifference> compare_hashes(const RunRecord& a, const RunRecord& b, int from, int to) {
    for (int t = from; t < to; ++t) {
        const auto i = static_cast<std::size_t>(t);
        if (i >= a.hashes.size() || i >= b.hashes.size())
            return RecordDifference{"/hashes", t, "one run has fewer steps"};
        if (a.hashes[i] != b.hashes[i])
            return RecordDifference{"/hashes", t,
                                    fmt::format("world hash {:016x} vs {:016x}", a.hashes[i], b.hashes[i])};
    }
    return std::nullopt;
}

std::optional<RecordDifference> compare_aggregates(const RunRecord& a, const RunRecord& b, int from, int to) {
    for (const Series& s : a.aggregates) {
        const Series* other = b.aggregate(s.name);
        if (!other) return RecordDifference{"/aggregates/" + s.name, -1, "missing"};
        if (auto d = compare_rows("/aggregates/" + s.name, s.values, other->values, 1, from, to)) return d;
    }
    return std::nullopt;
}

// A column of a kind a fork may add agents to, in a run that has more of
// them: compare the agents' slots both runs have.
std::optional<RecordDifference> compare_common_slots(const std::string& name, const Matrix& m,
                                                     const Matrix& other, int from, int to) {
    const std::size_t common = std::min(other.cols, m.cols);
    for (int t = from; t < to; ++t)
        for (std::size_t c = 0; c < common; ++c) {
            const std::size_t row = static_cast<std::size_t>(t);
            if (!same(m.values[row * m.cols + c], other.values[row * other.cols + c]))
                return RecordDifference{name, t, fmt::format("column {}", c)};
        }
    return std::nullopt;
}

std::optional<RecordDifference> compare_kind(const KindRecord& kind, const KindRecord& other, int from,
                                             int to) {
    for (const Matrix& m : kind.columns) {
        const auto it = std::find_if(other.columns.begin(), other.columns.end(),
                                     [&](const Matrix& c) { return c.name == m.name; });
        const std::string name = "/" + kind.kind + "/" + m.name;
        if (it != other.columns.end() && fork_may_add(kind.kind) && it->cols != m.cols) {
            // A fork adds agents' slots: compare the ones both have.
            if (auto d = compare_common_slots(name, m, *it, from, to)) return d;
            continue;
        }
        if (it == other.columns.end() || it->cols != m.cols)
            return RecordDifference{name, -1, "missing or of another width"};
        if (auto d = compare_rows(name, m.values, it->values, m.cols, from, to)) return d;
    }
    return std::nullopt;
}

std::optional<RecordDifference> compare_markets(const RunRecord& a, const RunRecord& b, int from, int to) {
    for (const MarketRecord& market : a.markets) {
        const auto it = std::find_if(b.markets.begin(), b.markets.end(),
                                     [&](const MarketRecord& m) { return m.market == market.market; });
        if (it == b.markets.end()) return RecordDifference{"/markets/" + market.market, -1, "missing"};
        for (const Matrix& m : market.columns) {
            const auto col = std::find_if(it->columns.begin(), it->columns.end(),
                                          [&](const Matrix& c) { return c.name == m.name; });
            const std::string name = "/markets/" + market.market + "/" + m.name;
            if (col == it->columns.end()) return RecordDifference{name, -1, "missing"};
            if (col->cols != m.cols) return RecordDifference{name, -1, "of another width"};
            if (auto d = compare_rows(name, m.values, col->values, m.cols, from, to)) return d;
        }
    }
    return std::nullopt;
}

std::optional<RecordDifference> compare_checkpoints(const RunRecord& a, const RunRecord& b, int from,
                                                    int to) {
    for (const Checkpoint& c : a.checkpoints) {
        if (c.step <= from || c.step > to) continue;
        const auto it = std::find_if(b.checkpoints.begin(), b.checkpoints.end(),
                                     [&](const Checkpoint& o) { return o.step == c.step; });
        const std::string name = fmt::format("/checkpoints/step_{}", c.step);
        if (it == b.checkpoints.end()) return RecordDifference{name, c.step, "missing"};
        for (const StateColumn& column : c.columns)
            if (!same_state(column, it->find(column.name)))
                return RecordDifference{name + "/" + column.name, c.step, "state differs"};
    }
    return std::nullopt;
}

}  // namespace

bool same_event(const EventRow& x, const EventRow& y) {
    return x.type == y.type && x.agent_kind == y.agent_kind && x.agent == y.agent &&
           x.other_kind == y.other_kind && x.other == y.other && same(x.amount, y.amount) &&
           same(x.value, y.value) && same(x.time, y.time);
}

bool same_edge(const EdgeRow& x, const EdgeRow& y) {
    return x.src_kind == y.src_kind && x.src == y.src && x.dst_kind == y.dst_kind && x.dst == y.dst &&
           x.type == y.type && same(x.weight, y.weight);
}

bool same_state(const StateColumn& column, const StateColumn* other) {
    if (other && fork_may_add(column.name.substr(0, column.name.find('/'))))
        return other->integer == column.integer &&
               same_but_added(column.whole, other->whole, std::equal_to<>()) &&
               same_but_added(column.real, other->real, same);
    return other && other->whole == column.whole && other->real.size() == column.real.size() &&
           std::equal(column.real.begin(), column.real.end(), other->real.begin(), same);
}

std::optional<RecordDifference> compare_summaries(const RunRecord& a, const RunRecord& b, int from,
                                                  int to) {
    if (auto d = compare_hashes(a, b, from, to)) return d;
    if (auto d = compare_rows("/time", a.time, b.time, 1, from, to)) return d;
    return compare_aggregates(a, b, from, to);
}

std::optional<RecordDifference> compare_records(const RunRecord& a, const RunRecord& b, int from,
                                                int to) {
    if (auto d = compare_summaries(a, b, from, to)) return d;
    for (const KindRecord& kind : a.kinds) {
        const KindRecord* other = b.kind(kind.kind);
        if (!other) return RecordDifference{"/" + kind.kind, -1, "missing"};
        if (auto d = compare_kind(kind, *other, from, to)) return d;
    }
    if (auto d = compare_markets(a, b, from, to)) return d;
    if (auto d = compare_tables("/events", a.events, b.events, from, to, same_event)) return d;
    if (auto d = compare_tables("/network/edges", a.edges, b.edges, from, to, same_edge)) return d;
    return compare_checkpoints(a, b, from, to);
}

}  // namespace airace
