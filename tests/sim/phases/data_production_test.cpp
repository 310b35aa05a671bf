// sim/phases/data_market.cpp: new human text bought to order reads its keys.

#include <catch2/catch.hpp>

#include "fixtures/tiny_world.hpp"
#include "sim/phases/phases.hpp"
#include "sim/world.hpp"

using namespace airace;

namespace {

// A world where nothing is closed (so there is nothing to licence) and lab 0
// has `cash` and a run that needs far more data than the stock holds; no
// exclusive deals.
World production_world(const DataConfig& data, double cash) {
    ScenarioConfig config = testing::tiny_config();
    config.data = data;
    config.data.providers = 6;
    config.data.exclusive_min_cash_usd = 1e30;
    config.data.licence_budget_share = 1;
    config.data.licence_max_cash_share = 1;
    World world = build_world(config, 7);
    for (std::size_t p = 0; p < world.data_providers.size(); ++p) world.data_providers.openness[p] = 1;
    world.env.open_tokens = open_tokens(world.data_providers);
    world.labs.cash_usd[0] = cash;
    world.labs.run_target_flop[0] = 1e30;
    return world;
}

}  // namespace

TEST_CASE("data.production_tokens_per_year: a lab short of data buys new text up to the capacity",
          "[sim][data]") {
    DataConfig data;
    data.production_tokens_per_year = 4e10;
    World world = production_world(data, 1e15);
    const double open_usable = world.labs.usable_tokens[0];
    phase_data_market(data_market_io(world));
    const double quarter = world.config.dt_years();
    CHECK(world.labs.produced_tokens[0] == Approx(4e10 * quarter));
    CHECK(world.labs.cash_usd[0] == Approx(1e15 - 4e10 * quarter * data.produced_cost_usd_per_token));
    CHECK(world.totals.data_production_usd == Approx(4e10 * quarter * data.produced_cost_usd_per_token));
    // Its own text counts among the tokens it may use.
    CHECK(world.labs.usable_tokens[0] == Approx(world.env.open_tokens + 1e10));
    CHECK(world.labs.usable_tokens[0] > open_usable);
    data.production_tokens_per_year = 0;
    World none = production_world(data, 1e15);
    phase_data_market(data_market_io(none));
    CHECK(none.labs.produced_tokens[0] == 0);
}

namespace {

// New text lab 0 buys in one quarter of production_world when lab 1 (not
// buying) produced `before` tokens earlier.
double produced_now(const DataConfig& data, double cash, double before) {
    World world = production_world(data, cash);
    world.labs.produced_tokens[1] = before;
    phase_data_market(data_market_io(world));
    return world.labs.produced_tokens[0];
}

}  // namespace

TEST_CASE("data.production_growth_per_year: supply grows with the text produced to date",
          "[sim][data]") {
    DataConfig data;
    data.production_tokens_per_year = 4e10;
    data.production_growth_per_year = 0.5;
    const double quarter = 0.25;
    CHECK(produced_now(data, 1e15, 1e12) == Approx((4e10 + 0.5 * 1e12) * quarter));
    data.production_growth_per_year = 0;
    CHECK(produced_now(data, 1e15, 1e12) == Approx(4e10 * quarter));
}

TEST_CASE("data.produced_cost_usd_per_token: new text costs that much a token, within the budget",
          "[sim][data]") {
    DataConfig data;
    data.production_tokens_per_year = 1e15;
    data.produced_cost_usd_per_token = 0.02;
    // The whole cash (licence_max_cash_share 1) buys cash / cost tokens.
    CHECK(produced_now(data, 1e9, 0) == Approx(1e9 / 0.02));
    data.produced_cost_usd_per_token = 0.04;
    CHECK(produced_now(data, 1e9, 0) == Approx(1e9 / 0.04));
}
