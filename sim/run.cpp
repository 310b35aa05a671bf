#include "sim/run.hpp"

#include <cstdlib>
#include <ctime>

#include <fmt/format.h>

#include "sim/parallel.hpp"
#include "sim/recorder.hpp"
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

RunRecord run(ScenarioConfig config, const RunOptions& options) {
    if (options.seed) config.scenario.seed = *options.seed;
    const std::uint64_t seed = config.scenario.seed;
    const ThreadLimit limit(options.threads);
    const int steps = config.steps();
    World world = build_world(config, seed);
    Recorder recorder(world, steps);
    for (int s = 0; s < steps; ++s) {
        step(world);
        recorder.record(world);
        // Yearly snapshots of the relationship graph, and the final state.
        if (world.step % config.time.steps_per_year == 0 || world.step == steps)
            recorder.record_network(world);
        if (options.progress) options.progress(world.step, steps);
    }
    RunRecord record = recorder.finish();
    record.config_yaml = resolved_yaml(config);
    RunMetadata& meta = record.meta;
    meta.airace_version = AIRACE_VERSION;
    meta.git_sha = AIRACE_GIT_SHA;
    meta.created_utc = creation_time_utc();
    meta.seed = seed;
    meta.config_sha256 = sha256_hex(record.config_yaml);
    meta.status = "complete";
    meta.scenario_name = config.scenario.name;
    meta.start_year = config.time.start_year;
    meta.steps = steps;
    meta.steps_per_year = config.time.steps_per_year;
    meta.tbb_version = tbb_version_string();
    meta.yaml_cpp_version = AIRACE_YAML_CPP_VERSION;
    return record;
}

}  // namespace airace
