// Continuing a run (resume, fork): the Recorder adopts the rows, events,
// snapshots and checkpoints of the run it continues, up to the checkpoint
// it continues from; a streamed record hands them to its sink in the order
// the run made them.

#include <algorithm>

#include <fmt/format.h>

#include "base/errors.hpp"
#include "record/recorder.hpp"
#include "record/run_prefix.hpp"
#include "sim/kinds.hpp"

namespace airace {

namespace {

// The width of the prefix's column that `m` (of kind `kind`) continues. A
// fork may add agents of some kinds (influencers): their slots are new
// columns, idle (zero) before the fork.
std::size_t prefix_width(RunPrefix& prefix, const std::string& kind, const Matrix& m) {
    if (!prefix.has_kind(kind)) throw RunFileError(fmt::format("the run to continue lacks /{}", kind));
    const long long width = prefix.width(kind, m.name);
    const KindInfo* info = find_kind(kind);
    const bool added_slots = info && info->fork_may_add && width >= 0 && static_cast<std::size_t>(width) < m.cols;
    if (width < 0 || (static_cast<std::size_t>(width) != m.cols && !added_slots))
        throw RunFileError(fmt::format("the run to continue has a different /{}/{}", kind, m.name));
    return static_cast<std::size_t>(width);
}

// The prefix's row `row` (`width` values) into row `to_row` of `to`, zero
// beyond them.
void copy_row(Matrix& to, std::size_t to_row, const double* from, std::size_t width) {
    for (std::size_t col = 0; col < to.cols; ++col)
        to.values[to_row * to.cols + col] = col < width ? from[col] : 0.0;
}

}  // namespace

// Row `row` of the prefix into row `to_row` of every kind and market column.
void Recorder::copy_prefix_row(RunPrefix& prefix, std::size_t row, std::size_t to_row) {
    for (KindRecord& kind : record_.kinds)
        for (Matrix& m : kind.columns) {
            const std::size_t width = prefix_width(prefix, kind.kind, m);
            copy_row(m, to_row, prefix.row(kind.kind, m.name, row), width);
        }
    for (MarketRecord& market : record_.markets) {
        const std::vector<std::string> names = prefix.market_columns(market.market);
        if (names.empty()) throw RunFileError(fmt::format("the run to continue lacks /markets/{}", market.market));
        const std::string group = "markets/" + market.market;
        for (std::size_t c = 0; c < market.columns.size() && c < names.size(); ++c) {
            const long long width = prefix.width(group, names[c]);
            if (width < 0) throw RunFileError(fmt::format("the run to continue lacks /{}/{}", group, names[c]));
            copy_row(market.columns[c], to_row, prefix.row(group, names[c], row), static_cast<std::size_t>(width));
        }
    }
}

void Recorder::adopt_prefix(RunPrefix& prefix, int step) {
    const auto rows = static_cast<std::size_t>(step);
    adopt_rows(prefix.summary(), rows);
    std::vector<EventRow> events;
    std::vector<EdgeRow> edges;
    if (!sink_) {
        for (std::size_t row = 0; row < rows; ++row) copy_prefix_row(prefix, row, row);
        prefix.events_through(step - 1, record_.events);
        prefix.edges_through(step - 1, record_.edges);
        for (const Checkpoint& c : prefix.summary().checkpoints)
            if (c.step <= step) record_.checkpoints.push_back(prefix.checkpoint(c.step));
        return;
    }
    // Streamed: the prefix's rows, events, snapshots and checkpoints go to
    // the sink in the order the run made them (row, its events, the step's
    // snapshot, the step's checkpoint), so that the file is the same bytes.
    for (std::size_t row = 0; row < rows; ++row) {
        copy_prefix_row(prefix, row, 0);
        sink_->row(row, record_);
        const auto at = static_cast<std::int32_t>(row);
        events.clear();
        prefix.events_through(at, events);
        sink_->events(events);
        edges.clear();
        prefix.edges_through(at, edges);
        if (!edges.empty()) sink_->edges(edges);
        for (const Checkpoint& c : prefix.summary().checkpoints)
            if (c.step == at + 1) sink_->checkpoint(prefix.checkpoint(c.step));
    }
}

void Recorder::adopt_prefix(const RunRecord& prefix, int step) {
    const std::unique_ptr<RunPrefix> from = record_prefix(prefix);
    adopt_prefix(*from, step);
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
