// sim/phases/account.cpp: bankruptcies and investors' market signals read
// their keys.

#include <catch2/catch.hpp>

#include <algorithm>

#include "fixtures/events.hpp"
#include "fixtures/tiny_world.hpp"
#include "sim/phases/phases.hpp"
#include "sim/world.hpp"

using namespace airace;

namespace {

using testing::count_events;

}  // namespace

TEST_CASE("labs.acquisition_cash_multiple: a buyer needs that many times the shortfall",
          "[sim][account]") {
    // Lab 3 is about $1B short; lab 1, the richest, has about $50B.
    const auto status_with = [](double multiple) {
        ScenarioConfig config = testing::tiny_config();
        config.labs.acquisition_cash_multiple = multiple;
        World world = build_world(config, 7);
        phase_environment(environment_io(world));
        world.labs.cash_usd[3] = -1e9;
        world.labs.cash_usd[1] = 5e10;
        phase_account(account_io(world));
        CHECK(count_events(world, EventType::bankruptcy) == 1);
        return world.labs.status[3];
    };
    CHECK(status_with(1.5) == LabStatus::acquired);
    CHECK(status_with(100) == LabStatus::bankrupt);
}

namespace {

constexpr double default_limit = InvestorsConfig{}.revenue_growth_limit;
constexpr double default_floor = InvestorsConfig{}.market_revenue_floor_usd;

// Investors' mean sentiment after the first step's accounts, with AI revenue
// `growth` times what it was a year ago.
double mean_sentiment(double growth, double limit = default_limit, double floor = default_floor) {
    ScenarioConfig config = testing::tiny_config();
    config.investors.revenue_growth_limit = limit;
    config.investors.market_revenue_floor_usd = floor;
    World world = build_world(config, 7);
    phase_environment(environment_io(world));
    world.totals.ai_revenue_usd = 1e9;
    world.revenue_history[world.year.slot(world.step)] = 1e9 / growth;
    phase_account(account_io(world));
    double sum = 0;
    for (std::size_t k = 0; k < world.investors.size(); ++k) sum += world.investors.sentiment[k];
    return sum / static_cast<double>(world.investors.size());
}

}  // namespace

TEST_CASE("investors.revenue_growth_limit bounds the revenue growth sentiment sees",
          "[sim][account]") {
    // Revenue up 1000x in a year: log growth 6.9, seen as 1 at the default.
    const double seen = mean_sentiment(1000);
    CHECK(mean_sentiment(1000, 10) > seen);
    CHECK(mean_sentiment(1000, 0) < seen);
    CHECK(mean_sentiment(1000, 0) == mean_sentiment(1, 0));
}

TEST_CASE("investors.market_revenue_floor_usd: valuations are weighed against at least it",
          "[sim][account]") {
    // At the start labs have no revenue over the last year: valuations are
    // weighed against the floor alone.
    const double base = mean_sentiment(1);
    CHECK(mean_sentiment(1, default_limit, 1e15) > base);
    CHECK(mean_sentiment(1, default_limit, 1) < base);
}

TEST_CASE("valuations stay at the last post-money between rounds", "[sim][account]") {
    // Lab 0 earned $1B a step over the last year, 30x which is far above its
    // valuation: it is not marked up to it.
    ScenarioConfig config = testing::tiny_config();
    World world = build_world(config, 7);
    phase_environment(environment_io(world));
    const double before = world.labs.valuation_usd[0];
    for (std::size_t k = 0; k < world.labs.year.width; ++k)
        world.labs.revenue_history[world.labs.year.first(0) + k] = 1e9;
    world.labs.revenue_usd[0] = 1e9;
    REQUIRE(4e9 * config.investors.target_revenue_multiple > before);
    phase_account(account_io(world));
    CHECK(world.labs.valuation_usd[0] == before);
}

TEST_CASE("investors.market_return_sensitivity: capital raised far above revenue sinks sentiment",
          "[sim][account]") {
    const auto sentiment_with = [](double raised, double sensitivity) {
        ScenarioConfig config = testing::tiny_config();
        config.investors.market_return_sensitivity = sensitivity;
        World world = build_world(config, 7);
        phase_environment(environment_io(world));
        world.labs.raised_total_usd[0] = raised;
        phase_account(account_io(world));
        double sum = 0;
        for (std::size_t k = 0; k < world.investors.size(); ++k) sum += world.investors.sentiment[k];
        return sum / static_cast<double>(world.investors.size());
    };
    // $1T raised against the revenue floor's $3B at 30x: the market's return
    // is at its lower limit.
    const double base = sentiment_with(1e12, 0);
    CHECK(sentiment_with(1e12, 0.3) == Approx(base - 0.25 * 0.3).margin(1e-12));
    CHECK(sentiment_with(1e8, 0.3) == Approx(base + 0.25 * 0.3).margin(1e-12));
}
