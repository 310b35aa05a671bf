// sim/phases/train_and_release.cpp: algorithmic efficiency and releases
// read their keys.

#include <catch2/catch.hpp>

#include "fixtures/tiny_world.hpp"
#include "sim/phases/phases.hpp"
#include "sim/world.hpp"

using namespace airace;

namespace {

// A start-up's algorithmic efficiency after the first step, as a share of
// the field's (it starts at algorithms.initial_gap, behind the field).
double startup_efficiency(const AlgorithmsConfig& algorithms) {
    ScenarioConfig config = testing::tiny_config();
    config.algorithms = algorithms;
    World world = build_world(config, 7);
    const std::size_t startup = static_cast<std::size_t>(config.labs.frontier_count);
    REQUIRE(world.labs.efficiency[startup] < world.env.field_efficiency);
    phase_environment(environment_io(world));
    phase_train_and_release(train_and_release_io(world));
    return world.labs.efficiency[startup] / world.env.field_efficiency;
}

}  // namespace

TEST_CASE("algorithms.rd_base_share: the share of the field's pace at the reference spend",
          "[sim][algorithms]") {
    AlgorithmsConfig none;
    none.rd_boost_per_log10_usd = 0;
    none.rd_base_share = 0;
    AlgorithmsConfig full = none;
    full.rd_base_share = 1;
    CHECK(startup_efficiency(full) > startup_efficiency(none) * 1.2);
}

TEST_CASE("algorithms.rd_reference_usd_per_year: spending above it speeds efficiency",
          "[sim][algorithms]") {
    AlgorithmsConfig cheap;  // every lab spends far above $1/yr: the factor is at its ceiling
    cheap.rd_reference_usd_per_year = 1;
    AlgorithmsConfig dear;   // every lab spends far below $10T/yr: the factor is 0
    dear.rd_reference_usd_per_year = 1e13;
    const double base = startup_efficiency(AlgorithmsConfig{});
    CHECK(startup_efficiency(cheap) > base);
    CHECK(startup_efficiency(dear) < base);
}

TEST_CASE("algorithms.rd_max_share caps the R&D factor", "[sim][algorithms]") {
    AlgorithmsConfig capped;
    capped.rd_reference_usd_per_year = 1;  // the factor at its ceiling
    capped.rd_max_share = 0;
    AlgorithmsConfig field_pace = capped;
    field_pace.rd_max_share = 1;
    // With the factor 0 only diffusion moves the lab.
    CHECK(startup_efficiency(field_pace) > startup_efficiency(capped) * 1.2);
}

namespace {

struct Released {
    double synthetic_share;
    double collapse_penalty;
};

// Lab 0 releases a run of 1e28 FLOP with only 1e12 human tokens, filling the
// gap with synthetic data (accumulate mode).
Released release_short_of_data(const SyntheticConfig& synthetic) {
    ScenarioConfig config = testing::tiny_config();
    config.synthetic = synthetic;
    config.synthetic.mode = "accumulate";
    config.synthetic.start_year = 2000;
    World world = build_world(config, 7);
    phase_environment(environment_io(world));
    LabTable& labs = world.labs;
    labs.usable_tokens[0] = 1e12;
    labs.run_start_step[0] = 0;
    labs.run_target_flop[0] = 1e28;
    labs.run_done_flop[0] = 1e28;
    phase_train_and_release(train_and_release_io(world));
    REQUIRE(labs.model_flop[0] == 1e28);
    return {labs.model_synthetic_share[0], labs.collapse_penalty[0]};
}

}  // namespace

TEST_CASE("synthetic.max_generation_share: generation takes at most that share of a run",
          "[sim][synthetic]") {
    SyntheticConfig none;
    none.max_generation_share = 0;
    CHECK(release_short_of_data(none).synthetic_share == 0);
    CHECK(release_short_of_data(SyntheticConfig{}).synthetic_share > 0);
}

TEST_CASE("synthetic.accumulate_penalty_share: accumulating costs that share of a generation's "
          "penalty", "[sim][synthetic]") {
    SyntheticConfig free;
    free.accumulate_penalty_share = 0;
    SyntheticConfig dear;
    dear.accumulate_penalty_share = 1;
    const Released base = release_short_of_data(SyntheticConfig{});
    REQUIRE(base.synthetic_share > 0);
    CHECK(base.collapse_penalty ==
          Approx(0.25 * SyntheticConfig{}.collapse_penalty * base.synthetic_share));
    const Released at_free = release_short_of_data(free);
    CHECK(at_free.synthetic_share > 0);
    CHECK(at_free.collapse_penalty == 0);
    // At the full penalty of a generation synthetic data no longer pays.
    CHECK(release_short_of_data(dear).synthetic_share < base.synthetic_share);
}
