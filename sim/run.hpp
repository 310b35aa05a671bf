#pragma once
// run(): one simulation from a validated config to a RunRecord. Drivers
// (the command line, sweeps, replay, fork) build options and call this; they
// never reach into the step.

#include <cstdint>
#include <functional>
#include <optional>

#include "sim/config.hpp"
#include "sim/record.hpp"

namespace airace {

struct RunOptions {
    std::optional<std::uint64_t> seed;  // default: config.scenario.seed
    int threads = 0;                    // 0: all cores
    // Called after each step with (steps done, total steps).
    std::function<void(int, int)> progress;
};

RunRecord run(ScenarioConfig config, const RunOptions& options = {});

// ISO 8601 UTC time of now, or of SOURCE_DATE_EPOCH when set (so run files can
// be byte-identical across runs).
std::string creation_time_utc();

}  // namespace airace
