// sim/phases/account.cpp: bankruptcies and investors' market signals read
// their keys.

#include <catch2/catch.hpp>

#include <algorithm>

#include "fixtures/tiny_world.hpp"
#include "sim/phases/phases.hpp"
#include "sim/world.hpp"

using namespace airace;

namespace {

std::size_t count_events(const World& world, EventType type) {
    return static_cast<std::size_t>(std::count_if(
        world.events.begin(), world.events.end(),
        [&](const EventRow& e) { return e.type == static_cast<std::int32_t>(type); }));
}

}  // namespace

TEST_CASE("labs.acquisition_cash_multiple: a buyer needs that many times the shortfall",
          "[sim][account]") {
    // Lab 3 is about $1B short; lab 1, the richest, has about $50B.
    const auto status_with = [](double multiple) {
        ScenarioConfig config = testing::tiny_config();
        config.labs.acquisition_cash_multiple = multiple;
        World world = build_world(config, 7);
        phase_environment(world);
        world.labs.cash_usd[3] = -1e9;
        world.labs.cash_usd[1] = 5e10;
        phase_account(world);
        CHECK(count_events(world, EventType::bankruptcy) == 1);
        return world.labs.status[3];
    };
    CHECK(status_with(1.5) == LabStatus::acquired);
    CHECK(status_with(100) == LabStatus::bankrupt);
}
