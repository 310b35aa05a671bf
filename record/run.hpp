#pragma once
// run(): one simulation from a validated config to a RunRecord. Drivers
// (the command line, sweeps, replay, fork, resume) build options and call
// this; they never reach into the step.

#include <cstdint>
#include <functional>
#include <optional>

#include "config/config.hpp"
#include "base/profile.hpp"
#include "record/record.hpp"
#include "record/record_sink.hpp"
#include "record/run_prefix.hpp"

namespace airace {

inline constexpr int default_checkpoint_every = 4;  // steps (a year of quarters)

struct RunOptions {
    std::optional<std::uint64_t> seed;  // default: config.scenario.seed
    int threads = 0;                    // 0: all cores
    // Called after each step with (steps done, total steps).
    std::function<void(int, int)> progress;

    // Keep the world state every this many steps in the record (0: never).
    int checkpoint_every = default_checkpoint_every;
    // Called after each checkpoint with the record so far (status "partial"),
    // so a caller can keep a crash-safe file of it.
    std::function<void(const RunRecord&)> on_checkpoint;
    // Asked first when set: false skips on_checkpoint this time (so a caller
    // that rewrites its partial file at most once a second pays nothing in
    // between).
    std::function<bool()> want_checkpoint;

    // Times phases, recording and checkpoints when set (--profile); results
    // are the same with or without it.
    Profiler* profiler = nullptr;

    // Continue `resume_from` (a partial or complete run of the same world)
    // from its checkpoint at step `resume_step`; or `continue_from`, the same
    // run read as it is needed (run_prefix.hpp: a streamed run then never
    // holds the run it continues whole).
    const RunRecord* resume_from = nullptr;
    RunPrefix* continue_from = nullptr;
    int resume_step = -1;

    // From step `switch_step` on, simulate with `switch_config` (a fork).
    std::optional<ScenarioConfig> switch_config;
    int switch_step = -1;

    // Stop after this many steps (-1: run to the end); the record is partial.
    int stop_after = -1;

    // What the record keeps (--record-agents, --network-snapshots); the
    // simulation and its hashes are the same whatever is kept.
    RecordOptions record;

    // Streams the record to this sink as the run goes (record_sink.hpp):
    // the returned record then holds metadata, /time, /aggregates and
    // /hashes only, and the sink has the rest.
    RecordSink* sink = nullptr;

    // The caller exits soon after (`airace run`): the world is not freed
    // when run() returns but left to the process's exit, which gives its
    // memory back at once. Freed piece by piece, a large world's millions of
    // edge nodes and lists took 0.13-0.31 s of one thread (the stress
    // world's tenth, docs/performance.md).
    bool leave_world_to_exit = false;
};

RunRecord run(ScenarioConfig config, const RunOptions& options = {});

// How many worlds runs have left to the process's exit so far.
std::size_t worlds_left_to_exit();

// ISO 8601 UTC time of now, or of SOURCE_DATE_EPOCH when set (so run files can
// be byte-identical across runs).
std::string creation_time_utc();

}  // namespace airace
