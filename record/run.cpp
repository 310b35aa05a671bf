#include "record/run.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "base/errors.hpp"
#include "sim/finite_check.hpp"
#include "base/parallel.hpp"
#include "base/profile.hpp"
#include "base/sha256.hpp"
#include "record/recorder.hpp"
#include "sim/phases/phases.hpp"
#include "sim/state.hpp"
#include "sim/step.hpp"
#include "sim/world.hpp"
#include "airace_git_sha.hpp"  // generated at build time: AIRACE_GIT_SHA

#ifndef AIRACE_VERSION
#define AIRACE_VERSION "0.0.0"
#endif
#ifndef AIRACE_YAML_CPP_VERSION
#define AIRACE_YAML_CPP_VERSION "unknown"
#endif

namespace airace {

std::string creation_time_utc() {
    std::time_t now = std::time(nullptr);
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
        char* end = nullptr;
        const long long value = std::strtoll(epoch, &end, 10);
        if (end != epoch && *end == '\0' && value >= 0) now = static_cast<std::time_t>(value);
    }
    std::tm utc{};
    gmtime_r(&now, &utc);
    return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z", utc.tm_year + 1900,
                       utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

namespace {

void fill_metadata(RunRecord& record, const ScenarioConfig& config, int steps, bool complete) {
    record.config_yaml = resolved_yaml(config);
    RunMetadata& meta = record.meta;
    meta.airace_version = AIRACE_VERSION;
    meta.git_sha = AIRACE_GIT_SHA;
    meta.created_utc = creation_time_utc();
    meta.seed = config.scenario.seed;
    meta.config_sha256 = sha256_hex(record.config_yaml);
    meta.status = complete ? "complete" : "partial";
    meta.scenario_name = config.scenario.name;
    meta.start_year = config.time.start_year;
    meta.steps = steps;
    meta.steps_per_year = config.time.steps_per_year;
    meta.tbb_version = tbb_version_string();
    meta.yaml_cpp_version = AIRACE_YAML_CPP_VERSION;
}

// Yearly snapshots of the relationship graph, and the final state (or only
// the final state, or none).
bool snapshot_due(RecordOptions::Snapshots snapshots, int step, int steps_per_year, int steps) {
    return snapshots == RecordOptions::Snapshots::yearly
               ? step % steps_per_year == 0 || step == steps
               : snapshots == RecordOptions::Snapshots::final && step == steps;
}

// Keeps the world's state in the record and, when the caller wants one now,
// hands out the record so far as a partial run (--checkpoint-every).
void add_checkpoint(const World& world, Recorder& recorder, const RunOptions& options, int steps) {
    ProfileScope scope(options.profiler, "11 checkpoint");
    recorder.add_checkpoint(save_world(world));
    scope.stop();
    if (options.on_checkpoint && (!options.want_checkpoint || options.want_checkpoint())) {
        const ProfileScope partial_scope(options.profiler, "12 partial file");
        // The record in progress, marked partial (run's end marks it
        // again), is handed out without a copy.
        RunRecord& partial = recorder.record_in_progress();
        fill_metadata(partial, world.config, steps, false);
        options.on_checkpoint(partial);
    }
}

}  // namespace

// The worlds of runs whose callers exit next (RunOptions::
// leave_world_to_exit), in a list that is never freed, reached from a
// global of external linkage: neither optimised away nor lost to leak
// checkers (they stay reachable) until the process ends.
std::vector<World*>* worlds_left_to_exit_list = nullptr;

namespace {

void leave_to_exit(std::unique_ptr<World> world) {
    if (worlds_left_to_exit_list == nullptr) worlds_left_to_exit_list = new std::vector<World*>;
    worlds_left_to_exit_list->push_back(world.release());
}

}  // namespace

std::size_t worlds_left_to_exit() {
    return worlds_left_to_exit_list == nullptr ? 0 : worlds_left_to_exit_list->size();
}

RunRecord run(ScenarioConfig config, const RunOptions& options) {
    if (options.seed) config.scenario.seed = *options.seed;
    const std::uint64_t seed = config.scenario.seed;
    std::optional<ScenarioConfig> later = options.switch_config;
    if (later) later->scenario.seed = seed;
    const ThreadLimit limit(options.threads);
    const int steps = config.steps();
    ProfileScope build_scope(options.profiler, "0 build world, open the run file");
    // A fork may add influencers: the world has slots for both configs'.
    auto owned = std::make_unique<World>(build_world(
        later && later->influencers.size() > config.influencers.size() ? *later : config, seed));
    World& world = *owned;
    world.config = config;
    world.profiler = options.profiler;
    Recorder recorder(world, steps, options.record, options.sink);
    build_scope.stop();
    int first = 0;
    if (options.resume_from || options.continue_from) {
        std::unique_ptr<RunPrefix> in_memory;
        RunPrefix* prefix = options.continue_from;
        if (!prefix) {
            in_memory = record_prefix(*options.resume_from);
            prefix = in_memory.get();
        }
        restore_world(world, prefix->checkpoint(options.resume_step));
        recorder.adopt_prefix(*prefix, options.resume_step);
        prefix->release();
        first = options.resume_step;
    }
    const int last = options.stop_after >= 0 ? std::min(steps, first + options.stop_after) : steps;
    for (int s = first; s < last; ++s) {
        if (later && s == options.switch_step) switch_config(world, *later);
        step(world);
        ProfileScope finite_scope(options.profiler, "10 record / finite check");
        check_finite(world);  // inf/NaN: stop at the step that made it
        finite_scope.stop();
        recorder.record(world);
        if (snapshot_due(options.record.network, world.step, config.time.steps_per_year, steps)) {
            const ProfileScope scope(options.profiler, "10 record / network snapshot");
            recorder.record_network(world);
        }
        if (options.checkpoint_every > 0 && world.step % options.checkpoint_every == 0 &&
            world.step < steps)
            add_checkpoint(world, recorder, options, steps);
        if (options.progress) options.progress(world.step, steps);
    }
    RunRecord record = recorder.finish();
    fill_metadata(record, world.config, steps, last == steps);
    if (later && options.switch_step >= 0) {
        record.fork.is_fork = true;
        record.fork.fork_step = options.switch_step;
        record.fork.parent_config_yaml = resolved_yaml(config);
    }
    if (options.leave_world_to_exit) leave_to_exit(std::move(owned));
    return record;
}

}  // namespace airace
