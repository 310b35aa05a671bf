// Continuing a run (resume, fork): the Recorder adopts the rows, events,
// snapshots and checkpoints of the run it continues, up to the checkpoint
// it continues from; a streamed record hands them to its sink in the order
// the run made them.

#include <algorithm>

#include <fmt/format.h>

#include "base/errors.hpp"
#include "record/recorder.hpp"
#include "sim/kinds.hpp"

namespace airace {

namespace {

// The prefix's column that `m` continues. A fork may add agents of some
// kinds (influencers): their slots are new columns, idle (zero) before the
// fork, and `added_slots` says so.
const Matrix& prefix_column(const KindRecord& kind, const KindRecord& from, const Matrix& m,
                            bool& added_slots) {
    const auto it = std::find_if(from.columns.begin(), from.columns.end(),
                                 [&](const Matrix& c) { return c.name == m.name; });
    const KindInfo* info = find_kind(kind.kind);
    added_slots = info && info->fork_may_add && it != from.columns.end() && it->cols < m.cols;
    if (it == from.columns.end() || (it->cols != m.cols && !added_slots))
        throw RunFileError(fmt::format("the run to continue has a different /{}/{}", kind.kind, m.name));
    return *it;
}

const KindRecord& prefix_kind(const RunRecord& prefix, const std::string& name) {
    const KindRecord* from = prefix.kind(name);
    if (!from) throw RunFileError(fmt::format("the run to continue lacks /{}", name));
    return *from;
}

const MarketRecord& prefix_market(const RunRecord& prefix, const std::string& name) {
    const auto it = std::find_if(prefix.markets.begin(), prefix.markets.end(),
                                 [&](const MarketRecord& m) { return m.market == name; });
    if (it == prefix.markets.end()) throw RunFileError(fmt::format("the run to continue lacks /markets/{}", name));
    return *it;
}

// Row `row` of `from` into row `to_row` of `to` (zero beyond `from`'s columns).
void copy_row(Matrix& to, std::size_t to_row, const Matrix& from, std::size_t row) {
    if (from.values.size() < (row + 1) * from.cols)
        throw RunFileError("the run to continue has fewer steps than its checkpoint");
    for (std::size_t col = 0; col < to.cols; ++col)
        to.values[to_row * to.cols + col] = col < from.cols ? from.values[row * from.cols + col] : 0.0;
}

}  // namespace

// Streamed: the prefix's rows, events, snapshots and checkpoints go to the
// sink in the order the run made them (row, its events, the step's
// snapshot, the step's checkpoint), so that the file is the same bytes.
void Recorder::stream_prefix(const RunRecord& prefix, std::size_t rows) {
    std::size_t next_event = 0, next_edge = 0;
    std::vector<EventRow> events;
    std::vector<EdgeRow> edges;
    for (std::size_t row = 0; row < rows; ++row) {
        for (KindRecord& kind : record_.kinds) {
            const KindRecord& from = prefix_kind(prefix, kind.kind);
            for (Matrix& m : kind.columns) {
                bool added_slots = false;
                copy_row(m, 0, prefix_column(kind, from, m, added_slots), row);
            }
        }
        for (MarketRecord& market : record_.markets) {
            const MarketRecord& from = prefix_market(prefix, market.market);
            for (std::size_t c = 0; c < market.columns.size() && c < from.columns.size(); ++c)
                copy_row(market.columns[c], 0, from.columns[c], row);
        }
        sink_->row(row, record_);
        const auto step = static_cast<std::int32_t>(row);
        events.clear();
        for (; next_event < prefix.events.size() && prefix.events[next_event].step <= step; ++next_event)
            events.push_back(prefix.events[next_event]);
        sink_->events(events);
        edges.clear();
        for (; next_edge < prefix.edges.size() && prefix.edges[next_edge].step <= step; ++next_edge)
            edges.push_back(prefix.edges[next_edge]);
        if (!edges.empty()) sink_->edges(edges);
        for (const Checkpoint& c : prefix.checkpoints)
            if (c.step == step + 1) sink_->checkpoint(c);
    }
}

void Recorder::adopt_prefix(const RunRecord& prefix, int step) {
    const auto rows = static_cast<std::size_t>(step);
    adopt_rows(prefix, rows);
    if (sink_) {
        stream_prefix(prefix, rows);
        return;
    }
    for (KindRecord& kind : record_.kinds) {
        const KindRecord& from = prefix_kind(prefix, kind.kind);
        for (Matrix& m : kind.columns) {
            bool added_slots = false;
            const Matrix& column = prefix_column(kind, from, m, added_slots);
            for (std::size_t row = 0; row < rows; ++row) copy_row(m, row, column, row);
        }
    }
    for (MarketRecord& market : record_.markets) {
        const MarketRecord& from = prefix_market(prefix, market.market);
        for (std::size_t c = 0; c < market.columns.size() && c < from.columns.size(); ++c)
            for (std::size_t row = 0; row < rows; ++row) copy_row(market.columns[c], row, from.columns[c], row);
    }
    for (const EventRow& e : prefix.events)
        if (e.step < step) record_.events.push_back(e);
    for (const EdgeRow& e : prefix.edges)
        if (e.step < step) record_.edges.push_back(e);
    for (const Checkpoint& c : prefix.checkpoints)
        if (c.step <= step) record_.checkpoints.push_back(c);
}

// The rows before `rows` of /time, /aggregates and /hashes.
void Recorder::adopt_rows(const RunRecord& prefix, std::size_t rows) {
    const auto copy_rows = [rows](auto& to, const auto& from) {
        if (from.size() < rows || to.size() < rows)
            throw RunFileError("the run to continue has fewer steps than its checkpoint");
        std::copy(from.begin(), from.begin() + static_cast<std::ptrdiff_t>(rows), to.begin());
    };
    copy_rows(record_.time, prefix.time);
    for (Series& s : record_.aggregates) {
        const Series* from = prefix.aggregate(s.name);
        if (!from) throw RunFileError(fmt::format("the run to continue lacks /aggregates/{}", s.name));
        copy_rows(s.values, from->values);
    }
    if (prefix.hashes.size() < rows) throw RunFileError("the run to continue lacks hashes");
    copy_rows(record_.hashes, prefix.hashes);
}

}  // namespace airace
