#pragma once
// Resource estimate of a run: its peak memory and the size of its run file,
// from the scenario and the options alone (nothing is built), so that a run
// that would not fit is refused before it starts (`airace run`, `sweep`,
// `validate` prints it). A model, not a measurement: the terms below are
// the world's state, the relationship graph (whose size the model guesses
// from the investors' deals), the streamed record's buffers, and what a
// graph snapshot or a checkpoint holds while it is written. Its constants
// were fitted to measured runs (docs/performance.md, "Memory"); the tests
// check it stays within a factor of the measured peak (tests/record).

#include <cstdint>
#include <string>

#include "config/config.hpp"
#include "record/record.hpp"

namespace airace {

struct ResourceOptions {
    int checkpoint_every = 0;  // 0: no checkpoints
    RecordOptions record;
    // The record streamed to the run file (`airace run`); false: kept whole
    // in memory until the run ends (sweeps, ensembles, forks).
    bool streamed = true;
};

struct ResourceEstimate {
    std::uint64_t agents = 0;
    std::uint64_t edges = 0;            // expected edges of the graph at the end
    std::uint64_t state_bytes = 0;      // agents' state and working buffers
    std::uint64_t graph_bytes = 0;      // the relationship graph
    std::uint64_t transient_bytes = 0;  // the largest snapshot or checkpoint being written
    std::uint64_t record_bytes = 0;     // the record in memory: one chunk band per column when streamed
    std::uint64_t peak_memory_bytes = 0;
    std::uint64_t file_bytes = 0;       // the run file (compressed)
};

ResourceEstimate estimate_resources(const ScenarioConfig& config, const ResourceOptions& options);

// "1.5 GiB", "320 MiB", "12 KiB".
std::string format_bytes(std::uint64_t bytes);

// The options that make a run smaller, for messages ("reduce it with ...").
std::string resource_advice(const ResourceOptions& options);

}  // namespace airace
