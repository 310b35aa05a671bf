#pragma once
// RunPrefix: what a continued run (`airace run --resume`, `fork`) takes from
// the run it continues, up to the checkpoint it continues from: the small
// per-step datasets, the world's state at that checkpoint, and the rows,
// events, graph snapshots and checkpoints before it, asked for one step at
// a time. A streamed run hands them to its sink in the order the run made
// them (Recorder::adopt_prefix), so a continued run never holds the run it
// continues whole: open_run_prefix (output/reader.hpp) reads them from the file as
// they are asked for; record_prefix() serves a RunRecord in memory.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "record/record.hpp"

namespace airace {

class RunPrefix {
public:
    virtual ~RunPrefix() = default;
    // Metadata, /config, /time, /aggregates, /hashes, the fork's record and
    // each checkpoint's step (not its state).
    virtual const RunRecord& summary() const = 0;
    // The world's state at the checkpoint of `step` (RunFileError without one).
    virtual Checkpoint checkpoint(std::int32_t step) = 0;
    // Whether the run has the agent kind (a root group such as "labs").
    virtual bool has_kind(const std::string& kind) = 0;
    // The names of market `market`'s columns, in the file's order; empty
    // when the run has no such market.
    virtual std::vector<std::string> market_columns(const std::string& market) = 0;
    // The width (agents, or a market's labels) of column `name` of `group`
    // (a kind, or "markets/<market>"); -1 when the run has no such column.
    virtual long long width(const std::string& group, const std::string& name) = 0;
    // Row `row` of that column: width() values, valid until the next call
    // (RunFileError when the column has fewer rows).
    virtual const double* row(const std::string& group, const std::string& name, std::size_t row) = 0;
    // Appends to `out` the events (graph snapshot rows) of the steps up to
    // and including `step` that no earlier call gave, in the run's order: at
    // most `max_rows` of them (the next call gives the rest).
    virtual void events_through(std::int32_t step, std::vector<EventRow>& out, std::size_t max_rows) = 0;
    virtual void edges_through(std::int32_t step, std::vector<EdgeRow>& out, std::size_t max_rows) = 0;
    static constexpr std::size_t all_rows = static_cast<std::size_t>(-1);
    void events_through(std::int32_t step, std::vector<EventRow>& out) { events_through(step, out, all_rows); }
    void edges_through(std::int32_t step, std::vector<EdgeRow>& out) { edges_through(step, out, all_rows); }
    // The summary with the layout of the rest: each kind's and market's
    // columns (names, units and widths; their values are not read), the
    // event and edge type names, the snapshots recorded and the kinds'
    // agents_total (recorded_options), all from the run being read.
    virtual const RunRecord& layout() = 0;
    // Called once the run has taken what it continues from: a file prefix
    // closes its file (a resumed run's .partial may then be replaced and its
    // space freed); summary() stays valid.
    virtual void release() {}
};

// A RunRecord in memory as a RunPrefix; `record` must outlive it.
std::unique_ptr<RunPrefix> record_prefix(const RunRecord& record);

}  // namespace airace
