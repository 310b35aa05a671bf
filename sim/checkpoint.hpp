#pragma once
// The world state as named columns (sim/state.hpp saves and restores it; the
// run file keeps it in /checkpoints/step_<k>/).

#include <cstdint>
#include <string>
#include <vector>

namespace airace {

// One column of world state at a checkpoint: real columns as float64,
// integer and enum columns as int64 (exact).
struct StateColumn {
    std::string name;  // "labs/cash_usd", "world/frontier_kappa", "network/src", ...
    bool integer = false;
    std::vector<double> real;
    std::vector<std::int64_t> whole;
};

// The full world state after `step` steps (/checkpoints/step_<step>/); with
// the run's config and seed it is enough to continue the run.
struct Checkpoint {
    std::int32_t step = 0;
    std::vector<StateColumn> columns;
    const StateColumn* find(const std::string& name) const {
        for (const auto& c : columns)
            if (c.name == name) return &c;
        return nullptr;
    }
};

}  // namespace airace
