// sim/phases/data_market.cpp: licences and exclusive deals read their keys.

#include <catch2/catch.hpp>

#include <algorithm>

#include "fixtures/events.hpp"
#include "fixtures/tiny_world.hpp"
#include "sim/phases/phases.hpp"
#include "sim/scaling.hpp"
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
        // Labs 1..licensees hold a licence in its term.
        for (std::int32_t lab = 1; lab <= licensees; ++lab)
            world.network.add(AgentKind::data_provider, index32(p), AgentKind::lab,
                              static_cast<std::uint32_t>(lab), EdgeType::licence,
                              providers.closed_tokens(p), world.env.year + 10);
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

namespace {

// A world whose providers are mostly closed and whose labs 0..buyers-1 each
// need far more data than is open, with ample cash and no exclusive deals.
World licence_world(const DataConfig& data, std::size_t buyers) {
    ScenarioConfig config = testing::tiny_config();
    config.data = data;
    config.data.providers = 6;
    config.data.exclusive_min_cash_usd = 1e30;
    config.data.licence_budget_share = 1;
    World world = build_world(config, 7);
    for (std::size_t p = 0; p < world.data_providers.size(); ++p) world.data_providers.openness[p] = 0.2;
    world.env.open_tokens = open_tokens(world.data_providers);
    for (std::size_t lab = 0; lab < buyers; ++lab) {
        world.labs.cash_usd[lab] = 1e15;
        world.labs.run_target_flop[lab] = 1e30;
    }
    return world;
}

double licence_ends(const World& world, std::size_t lab) {
    double latest = 0;
    world.network.visit_in_index(AgentKind::lab, index32(lab), EdgeType::licence,
                                 [&](std::uint32_t, double, double until) {
                                     latest = std::max(latest, until);
                                 });
    return latest;
}

}  // namespace

TEST_CASE("data.licence_years: licences expire, and the lab loses the tokens unless it renews",
          "[sim][data]") {
    DataConfig data;
    data.licence_years = 2;
    World world = licence_world(data, 1);
    const double start = world.env.year;
    phase_data_market(data_market_io(world));
    const double licensed = world.labs.licensed_tokens[0];
    REQUIRE(licensed > 0);
    CHECK(licence_ends(world, 0) == Approx(start + 2));
    // Within the term the tokens stay, with no need to buy again.
    world.labs.run_target_flop[0] = 0;
    world.env.year = start + 1.75;
    phase_data_market(data_market_io(world));
    CHECK(world.labs.licensed_tokens[0] == Approx(licensed));
    // Past the term they are gone, and no provider counts the lab.
    world.env.year = start + 2;
    phase_data_market(data_market_io(world));
    CHECK(world.labs.licensed_tokens[0] == 0);
    for (std::size_t p = 0; p < world.data_providers.size(); ++p)
        CHECK(world.data_providers.licensees[p] == 0);
    // A lab that needs them again renews, for another term.
    const std::size_t licences = count_events(world, EventType::licence);
    world.labs.run_target_flop[0] = 1e30;
    phase_data_market(data_market_io(world));
    CHECK(count_events(world, EventType::licence) > licences);
    CHECK(world.labs.licensed_tokens[0] == Approx(licensed));
    CHECK(licence_ends(world, 0) == Approx(start + 4));
}

TEST_CASE("data.licence_years: a licence costs its price per token-year for its term", "[sim][data]") {
    DataConfig one;
    one.licence_years = 1;
    DataConfig three = one;
    three.licence_years = 3;
    World a = licence_world(one, 1);
    World b = licence_world(three, 1);
    phase_data_market(data_market_io(a));
    phase_data_market(data_market_io(b));
    REQUIRE(a.labs.licensed_tokens[0] == Approx(b.labs.licensed_tokens[0]));
    CHECK(b.labs.licence_spend_usd[0] == Approx(3 * a.labs.licence_spend_usd[0]));
}

TEST_CASE("data.max_licensees: licences are rival, a provider licenses that many labs at most",
          "[sim][data]") {
    DataConfig data;
    data.max_licensees = 1;
    World one = licence_world(data, 3);
    phase_data_market(data_market_io(one));
    std::int32_t most = 0;
    for (std::size_t p = 0; p < one.data_providers.size(); ++p)
        most = std::max(most, one.data_providers.licensees[p]);
    CHECK(most == 1);
    // The first lab takes what it needs; the others get less.
    CHECK(one.labs.licensed_tokens[1] < one.labs.licensed_tokens[0]);
    data.max_licensees = 3;
    World three = licence_world(data, 3);
    phase_data_market(data_market_io(three));
    most = 0;
    for (std::size_t p = 0; p < three.data_providers.size(); ++p)
        most = std::max(most, three.data_providers.licensees[p]);
    CHECK(most == 3);
}

TEST_CASE("data.quality_decay: a lab deep in the stock needs more human tokens, so buys more",
          "[sim][data]") {
    DataConfig flat;
    flat.quality_decay = 0;
    DataConfig steep;
    steep.quality_decay = 3;
    // A run that needs a fifth of the stock's worth of data (not the whole
    // stock, which any lab that can pays for).
    const auto licensed = [](const DataConfig& data) {
        World world = licence_world(data, 1);
        const ScalingLaw law = ScalingLaw::from(world.config.scaling);
        double flop = 1e20;
        while (law.optimal_tokens(flop) < 0.3 * world.env.human_stock_tokens) flop *= 1.1;
        world.labs.run_target_flop[0] = flop;
        phase_data_market(data_market_io(world));
        return world.labs.licensed_tokens[0];
    };
    CHECK(licensed(steep) > licensed(flat));
}
