// sim/phases/regulate.cpp: incidents and the repeal of laws read their keys.

#include <catch2/catch.hpp>

#include "fixtures/events.hpp"
#include "fixtures/tiny_world.hpp"
#include "sim/phases/phases.hpp"
#include "sim/step.hpp"
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

namespace {

// The EU's compute threshold, a law from the first step, after two years
// with EU stringency held at 0.1 (below its switch-on level of 0.35).
bool eu_law_in_force(double repeal_below, std::size_t& repeals) {
    ScenarioConfig config = testing::tiny_config();
    config.regulators.eu.base_stringency = 0.1;
    config.regulators.eu.concern_weight = 0;
    config.regulators.eu.lobbying_weight = 0;
    config.regulators.eu.legislative_delay_quarters = 2;
    config.regulators.eu.law_repeal_stringency = repeal_below;
    PolicyEventConfig law;
    law.year = config.time.start_year;
    law.regulator = "eu";
    law.instrument = "compute_threshold_flop";
    law.value = 1e25;
    config.policy_events = {law};
    World world = build_world(config, 7);
    repeals = 0;
    for (int s = 0; s < 8; ++s) {
        step(world);
        repeals += testing::count_events(world, EventType::instrument_off);
    }
    return world.regulators.is_active(static_cast<std::size_t>(Region::eu),
                                      Instrument::compute_threshold);
}

}  // namespace

TEST_CASE("regulators.*.law_repeal_stringency: a lax regulator repeals a law in force",
          "[sim][regulation]") {
    std::size_t repeals = 0;
    CHECK_FALSE(eu_law_in_force(0.2, repeals));
    CHECK(repeals == 1);
    CHECK(eu_law_in_force(0.05, repeals));
    CHECK(repeals == 0);
}
