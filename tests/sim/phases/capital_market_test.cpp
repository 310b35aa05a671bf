// sim/phases/capital_market.cpp: an under-subscribed round closes with what
// was committed at a lower price (investors.down_round_elasticity), and
// fails only below investors.min_round_fill.

#include <catch2/catch.hpp>

#include <cmath>

#include "fixtures/tiny_world.hpp"
#include "sim/phases/phases.hpp"
#include "sim/world.hpp"

using namespace airace;

namespace {

constexpr double ask_usd = 1e9;
constexpr double pre_money_usd = 4e9;

// Lab 2 asks for $1B at $4B pre-money (its valuation) and investors'
// budgets add up to `fill` of the ask; every investor commits all of its
// budget to the only request.
World round_at(double fill, double elasticity, double min_fill) {
    ScenarioConfig config = testing::tiny_config();
    config.investors.down_round_elasticity = elasticity;
    config.investors.min_round_fill = min_fill;
    World world = build_world(config, 7);
    phase_environment(environment_io(world));
    world.messages.plans.intents.assign(world.labs.size(), LabIntent{});
    world.messages.plans.intents[2].funding_request_usd = ask_usd;
    world.messages.plans.intents[2].pre_money_usd = pre_money_usd;
    world.labs.valuation_usd[2] = pre_money_usd;
    const double n = static_cast<double>(world.investors.size());
    for (std::size_t k = 0; k < world.investors.size(); ++k) {
        world.investors.budget_usd[k] = fill * ask_usd / n;
        world.investors.invested_usd[k] = 0;
    }
    phase_capital_market(capital_market_io(world));
    return world;
}

}  // namespace

TEST_CASE("investors.down_round_elasticity: a partial round closes at a lower price",
          "[sim][capital_market]") {
    const World world = round_at(0.4, 0.5, 0.05);
    CHECK(world.totals.rounds_closed == 1);
    CHECK(world.totals.rounds_failed == 0);
    CHECK(world.totals.down_rounds == 1);
    CHECK(world.totals.investment_usd == Approx(0.4 * ask_usd));
    CHECK(world.labs.valuation_usd[2] == Approx(pre_money_usd * std::sqrt(0.4) + 0.4 * ask_usd));
    // Investors paid all they had: no dry powder is carried.
    for (std::size_t k = 0; k < world.investors.size(); ++k)
        CHECK(world.investors.dry_powder_usd[k] == Approx(0).margin(1e-3));
    // At elasticity 0 the round keeps its price: no down-round.
    const World flat = round_at(0.4, 0.0, 0.05);
    CHECK(flat.totals.down_rounds == 0);
    CHECK(flat.labs.valuation_usd[2] == Approx(pre_money_usd + 0.4 * ask_usd));
}

TEST_CASE("investors.min_round_fill: a round fails only below it", "[sim][capital_market]") {
    CHECK(round_at(0.1, 0.5, 0.05).totals.rounds_closed == 1);
    const World failed = round_at(0.1, 0.5, 0.25);
    CHECK(failed.totals.rounds_failed == 1);
    CHECK(failed.totals.investment_usd == 0);
    // What they did not invest is carried as dry powder.
    CHECK(failed.investors.dry_powder_usd[0] == failed.investors.budget_usd[0]);
    CHECK(round_at(0.01, 0.5, 0.05).totals.rounds_failed == 1);
}
