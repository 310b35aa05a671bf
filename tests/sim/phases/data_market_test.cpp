// sim/phases/data_market.cpp: licences and exclusive deals read their keys.

#include <catch2/catch.hpp>

#include "fixtures/tiny_world.hpp"
#include "sim/phases/phases.hpp"
#include "sim/world.hpp"

using namespace airace;

namespace {

// Lab 0, with $10B and a run that needs far more data than is open, spends
// this much on licences (no exclusive deals) when it may spend `cash_share`
// of its cash. All the closed tokens would cost about $12B.
double licence_spend(double cash_share) {
    ScenarioConfig config = testing::tiny_config();
    config.data.providers = 30;
    config.data.exclusive_min_cash_usd = 1e16;
    config.data.licence_budget_share = 1;
    config.data.licence_max_cash_share = cash_share;
    World world = build_world(config, 7);
    for (std::size_t p = 0; p < world.data_providers.size(); ++p) world.data_providers.openness[p] = 0.2;
    world.env.open_tokens = open_tokens(world.data_providers);
    world.labs.cash_usd[0] = 1e10;
    world.labs.run_target_flop[0] = 1e30;
    phase_data_market(world);
    return world.labs.licence_spend_usd[0];
}

}  // namespace

TEST_CASE("data.licence_max_cash_share caps licence spending at a share of cash",
          "[sim][data]") {
    const double half = licence_spend(0.5);
    CHECK(licence_spend(0) == 0);
    CHECK(half > 0);
    CHECK(half <= 0.5e10);
    CHECK(licence_spend(1) > half);
}
