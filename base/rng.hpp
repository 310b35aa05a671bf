#pragma once
// Counter-based random numbers (Philox4x32, Random123). A draw is a pure
// function of (run seed, step, agent kind, agent index, purpose, draw number),
// so no generator state is carried between steps or shared between threads,
// and a run's whole RNG state is (seed, step).

#include <cstdint>

#include "base/ids.hpp"

namespace airace {

enum class RngPurpose : std::uint32_t {
    init_traits = 1,
    init_region = 2,
    init_size = 3,
    incident = 4,
    detection = 5,
    compliance = 6,
    sweep_design = 7,     // sweep designs (LHS, Morris), keyed by the sweep's design_seed
    sweep_bootstrap = 8,  // bootstrap resampling of sensitivity indices
    generation = 9,       // a released generation's realised kappa around its expected
    entry = 10,           // a dormant lab slot's founding attempt and the round it asks for
};

struct RngKey {
    std::uint64_t seed = 0;
    std::int64_t step = 0;  // -1 for draws made while building the world
    AgentKind kind = AgentKind::world;
    std::uint32_t index = 0;
    RngPurpose purpose = RngPurpose::init_traits;
};

// Uniform in (0, 1): never exactly 0 or 1. `draw` selects among independent
// values for the same key.
double uniform01(const RngKey& key, std::uint32_t draw = 0);

// Standard normal (Box-Muller over two uniforms of the same key).
double standard_normal(const RngKey& key, std::uint32_t draw = 0);

}  // namespace airace
