// sim/phases/data_market.cpp: licences and exclusive deals read their keys.

#include <catch2/catch.hpp>

#include <algorithm>

#include "fixtures/events.hpp"
#include "fixtures/tiny_world.hpp"
#include "sim/phases/phases.hpp"
#include "sim/world.hpp"

using namespace airace;

namespace {

using testing::count_events;

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
    phase_data_market(data_market_io(world));
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

namespace {

// Whether lab 0, with a run that needs far more data than is open, makes an
// exclusive deal when every provider has `licensees` licensees and the lab
// has `cash_multiple` times the deal's cost in cash.
bool makes_exclusive_deal(const DataConfig& data, std::int32_t licensees, double cash_multiple) {
    ScenarioConfig config = testing::tiny_config();
    config.data = data;
    config.data.providers = 3;
    config.data.exclusive_min_cash_usd = 0;
    World world = build_world(config, 7);
    DataProviderTable& providers = world.data_providers;
    std::size_t largest = 0;
    for (std::size_t p = 0; p < providers.size(); ++p) {
        providers.licensees[p] = licensees;
        if (providers.stock_tokens[p] > providers.stock_tokens[largest]) largest = p;
    }
    const double cost =
        data.exclusive_premium * providers.stock_tokens[largest] * providers.licence_price[largest];
    world.labs.cash_usd[0] = cash_multiple * cost;
    world.labs.run_target_flop[0] = 1e30;
    phase_data_market(data_market_io(world));
    return count_events(world, EventType::exclusive_deal) == 1;
}

}  // namespace

TEST_CASE("data.exclusive_premium_per_licensee: a widely licensed provider refuses exclusivity",
          "[sim][data]") {
    DataConfig data;  // premium 3
    data.exclusive_premium_per_licensee = 0.5;
    CHECK(makes_exclusive_deal(data, 2, 10));   // 3 >= 1 + 0.5 * 2
    data.exclusive_premium_per_licensee = 1.5;
    CHECK(!makes_exclusive_deal(data, 2, 10));  // 3 < 1 + 1.5 * 2
    data.exclusive_premium_per_licensee = 100;
    CHECK(makes_exclusive_deal(data, 0, 10));   // nobody to lose
}

TEST_CASE("data.exclusive_max_cash_share: a lab bets at most that share of its cash",
          "[sim][data]") {
    DataConfig data;
    data.exclusive_max_cash_share = 0.25;
    CHECK(makes_exclusive_deal(data, 0, 5));
    CHECK(!makes_exclusive_deal(data, 0, 2));
    data.exclusive_max_cash_share = 1;
    CHECK(makes_exclusive_deal(data, 0, 2));
    data.exclusive_max_cash_share = 0;
    CHECK(!makes_exclusive_deal(data, 0, 1e6));
}
