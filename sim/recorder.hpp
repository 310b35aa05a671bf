#pragma once
// Recorder: turns the World after each step into rows of the RunRecord
// (phase 10), and hashes the world so replays can be checked step by step.
// The choice of recorded columns lives here, apart from the model code.

#include <cstdint>

#include "sim/parallel.hpp"
#include "sim/record.hpp"
#include "sim/world.hpp"

namespace airace {

class Recorder {
public:
    Recorder(const World& world, int steps, const RecordOptions& options = {});
    const RecordOptions& options() const { return options_; }
    void record(const World& world);   // after step(): row world.step - 1
    void record_network(const World& world);  // a snapshot of /network/edges
    RunRecord finish();                // moves the record out
    // Continues `prefix` (a run of the same world): keeps its rows, events,
    // graph snapshots and checkpoints before `step`.
    void adopt_prefix(const RunRecord& prefix, int step);
    void add_checkpoint(Checkpoint checkpoint);
    const RunRecord& partial() const {
        sync();
        return record_;
    }
    RunRecord& record_in_progress() {
        sync();
        return record_;
    }

private:
    // Waits for the hash of the last recorded step.
    void sync() const;

    RunRecord record_;
    int steps_ = 0;
    RecordOptions options_;
    // World hashes are computed beside the next step: the bytes of two
    // steps (one being hashed, one being gathered) and the task.
    std::vector<unsigned char> hash_bytes_[2];
    mutable BackgroundTask hasher_;
};

// FNV-1a 64 over the world's state (tables, graph weights, markets, step).
std::uint64_t world_hash(const World& world);
// The bytes world_hash covers, in order, and FNV-1a 64 over bytes:
// world_hash(w) == fnv1a_64 of world_hash_bytes(w).
void world_hash_bytes(const World& world, std::vector<unsigned char>& out);
std::uint64_t fnv1a_64(const unsigned char* data, std::size_t size);

}  // namespace airace
