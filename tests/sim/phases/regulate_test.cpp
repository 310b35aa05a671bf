// sim/phases/regulate.cpp: incidents read their keys.

#include <catch2/catch.hpp>

#include "fixtures/tiny_world.hpp"
#include "sim/phases/phases.hpp"
#include "sim/world.hpp"

using namespace airace;

namespace {

// Incidents in the first step when every lab spends 10% of opex on safety,
// full safety removes all hazard and the hazard is otherwise near certain.
double incidents_at(double full_safety_share) {
    ScenarioConfig config = testing::tiny_config();
    config.incidents.base_rate_per_year = 100;
    config.incidents.capability_elasticity = 0;
    config.incidents.safety_effect = 1;
    config.incidents.full_safety_share_of_opex = full_safety_share;
    World world = build_world(config, 7);
    phase_environment(environment_io(world));
    for (std::size_t i = 0; i < world.labs.size(); ++i) world.labs.safety_share[i] = 0.1;
    settle_incidents(train_and_release_io(world));
    return world.totals.incidents;
}

}  // namespace

TEST_CASE("incidents.full_safety_share_of_opex: the safety spending that removes the hazard",
          "[sim][incidents]") {
    CHECK(incidents_at(0.1) == 0);
    CHECK(incidents_at(0.01) == 0);
    // At 100% of opex, 10% removes only a tenth of the hazard.
    CHECK(incidents_at(1) > 0);
}
