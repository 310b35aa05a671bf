#pragma once
// RecordSink: where a streamed run's record goes while the run goes
// (output/stream_writer.hpp appends it to the run file). With a sink the
// Recorder keeps only the current step's row of each per-agent and market
// column, hands over each step's events, each graph snapshot and each
// checkpoint as they are made, and keeps none of them: a run's memory is
// the world's state plus a constant, whatever the number of steps. What
// stays in the RunRecord is small: metadata, /time, /aggregates and
// /hashes (a few hundred bytes a step), and the kinds' statics.

#include <cstddef>
#include <span>
#include <vector>

#include "record/record.hpp"

namespace airace {

class RecordSink {
public:
    virtual ~RecordSink() = default;
    // Before the first row: the layout of the run file. Every Matrix of
    // `layout`'s kinds and markets has one row; `steps` is the number of
    // rows each column will have.
    virtual void begin(const RunRecord& layout, std::size_t steps) = 0;
    // Row `row` (a step) of every kind and market column: the one row of
    // each Matrix of `current`.
    virtual void row(std::size_t row, const RunRecord& current) = 0;
    // Rows of /events and of /network/edges, appended in order.
    virtual void events(const std::vector<EventRow>& rows) = 0;
    virtual void edges(std::span<const EdgeRow> rows) = 0;
    // A checkpoint, as it is taken (in step order).
    virtual void checkpoint(const Checkpoint& checkpoint) = 0;
    // The same, from a caller that no longer needs it: a sink that keeps
    // checkpoints for later (AsyncSink) takes it instead of copying it.
    virtual void take_checkpoint(Checkpoint&& checkpoint) { this->checkpoint(checkpoint); }
};

// A sink that keeps nothing: the run keeps /time, /aggregates and /hashes
// (aggregates-only sweep runs, replays that compare world hashes).
class DiscardSink final : public RecordSink {
public:
    void begin(const RunRecord&, std::size_t) override {}
    void row(std::size_t, const RunRecord&) override {}
    void events(const std::vector<EventRow>&) override {}
    void edges(std::span<const EdgeRow>) override {}
    void checkpoint(const Checkpoint&) override {}
};

}  // namespace airace
