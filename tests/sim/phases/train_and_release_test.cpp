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
    phase_environment(world);
    phase_train_and_release(world);
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
