#pragma once
// Recorder: turns the World after each step into rows of the RunRecord
// (phase 10), and hashes the world so replays can be checked step by step.
// The choice of recorded columns lives here (aggregates, markets) and in the
// kinds' descriptors (sim/kinds.cpp), apart from the model code.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "record/record.hpp"
#include "record/record_sink.hpp"
#include "record/run_prefix.hpp"
#include "sim/world.hpp"

namespace airace {

class Recorder {
public:
    // With a sink, rows, events, snapshots and checkpoints go to it as they
    // are made and the record keeps only the current row (record_sink.hpp).
    Recorder(const World& world, int steps, const RecordOptions& options = {},
             RecordSink* sink = nullptr);
    const RecordOptions& options() const { return options_; }
    void record(const World& world);   // after step(): row world.step - 1
    void record_network(const World& world);  // a snapshot of /network/edges
    RunRecord finish();                // moves the record out
    // Continues `prefix` (a run of the same world): keeps its rows, events,
    // graph snapshots and checkpoints before `step` (streamed: hands them to
    // the sink one step at a time, as the run made them).
    void adopt_prefix(RunPrefix& prefix, int step);
    void adopt_prefix(const RunRecord& prefix, int step);
    void add_checkpoint(Checkpoint checkpoint);
    const RunRecord& partial() const { return record_; }
    RunRecord& record_in_progress() { return record_; }

private:
    void adopt_rows(const RunRecord& prefix, std::size_t rows);
    void copy_prefix_row(RunPrefix& prefix, std::size_t row, std::size_t to_row);

    RunRecord record_;
    RecordSink* sink_ = nullptr;
    int steps_ = 0;
    RecordOptions options_;
    // A streamed snapshot's batch of rows: uninitialised memory, so that the
    // threads filling it touch its pages first (in parallel), kept from one
    // snapshot to the next.
    std::unique_ptr<std::byte[]> batch_;
    std::size_t batch_rows_ = 0;
};

// XXH3 64 over the world's state: the step, the table columns the kinds'
// descriptors name, the markets, and the relationship graph's edge count and
// order-free edge digest.
std::uint64_t world_hash(const World& world);

}  // namespace airace
