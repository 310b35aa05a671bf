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
    // and including `step` that no earlier call gave, in the run's order.
    virtual void events_through(std::int32_t step, std::vector<EventRow>& out) = 0;
    virtual void edges_through(std::int32_t step, std::vector<EdgeRow>& out) = 0;
    // Called once the run has taken what it continues from: a file prefix
    // closes its file (a resumed run's .partial may then be replaced and its
    // space freed); summary() stays valid.
    virtual void release() {}
};

// A RunRecord in memory as a RunPrefix; `record` must outlive it.
std::unique_ptr<RunPrefix> record_prefix(const RunRecord& record);

}  // namespace airace
