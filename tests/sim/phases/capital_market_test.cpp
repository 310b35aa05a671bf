// sim/phases/capital_market.cpp: an under-subscribed round closes with what
// was committed at a lower price (investors.down_round_elasticity), and
// fails only below investors.min_round_fill; a founding round that closes
// makes a new lab enter; a step's new holdings, each investor's payments
// and each round's lead follow the rounds in lab order.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "fixtures/events.hpp"
#include "fixtures/tiny_world.hpp"
#include "sim/phases/phases.hpp"
#include "sim/world.hpp"

using namespace airace;

namespace {

constexpr double ask_usd = 1e9;
constexpr double pre_money_usd = 4e9;

// Lab `lab` of a world of `config` asks for `ask` at `pre_money` and
// investors' budgets add up to `fill` of the ask; every investor commits all
// of its budget to the only request. `prepare` may change the world first.
template <class Prepare>
World one_request(const ScenarioConfig& config, std::size_t lab, double ask, double pre_money,
                  double fill, Prepare&& prepare) {
    World world = build_world(config, 7);
    phase_environment(environment_io(world));
    prepare(world);
    world.messages.plans.intents.assign(world.labs.size(), LabIntent{});
    world.messages.plans.intents[lab].funding_request_usd = ask;
    world.messages.plans.intents[lab].pre_money_usd = pre_money;
    const double n = static_cast<double>(world.investors.size());
    for (std::size_t k = 0; k < world.investors.size(); ++k) {
        world.investors.budget_usd[k] = fill * ask / n;
        world.investors.invested_usd[k] = 0;
    }
    phase_capital_market(capital_market_io(world));
    return world;
}

// Lab 2 asks for $1B at $4B pre-money (its valuation).
World round_at(double fill, double elasticity, double min_fill) {
    ScenarioConfig config = testing::tiny_config();
    config.investors.down_round_elasticity = elasticity;
    config.investors.min_round_fill = min_fill;
    return one_request(config, 2, ask_usd, pre_money_usd, fill,
                       [](World& world) { world.labs.valuation_usd[2] = pre_money_usd; });
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

namespace {

// The first dormant slot of a tiny world asks for a $500M founding round at
// $2B pre-money, the field's efficiency being 3.
World founding_round(double fill, double min_fill, double efficiency_share) {
    ScenarioConfig config = testing::tiny_config();
    config.investors.min_round_fill = min_fill;
    config.labs.entrant_efficiency_share = efficiency_share;
    const auto slot = static_cast<std::size_t>(config.labs.count);
    return one_request(config, slot, 5e8, 2e9, fill, [&](World& world) {
        world.labs.efficiency[1] = 3;  // the field's know-how
        REQUIRE(world.labs.dormant(slot));
    });
}

}  // namespace

TEST_CASE("a founding round that closes makes a dormant slot enter with "
          "labs.entrant_efficiency_share of the field's efficiency", "[sim][capital_market][entry]") {
    const World world = founding_round(1.0, 0.05, 0.5);
    const std::size_t slot = 6;
    CHECK(world.labs.active(slot));
    CHECK(world.totals.entries == 1);
    CHECK(testing::count_events(world, EventType::lab_entry) == 1);
    CHECK(world.labs.cash_usd[slot] == Approx(5e8));  // investors' money
    CHECK(world.labs.valuation_usd[slot] == Approx(2.5e9));
    CHECK(world.labs.efficiency[slot] == Approx(0.5 * 3));
    CHECK_FALSE(world.labs.has_model(slot));
    CHECK(world.labs.revenue_usd[slot] == 0);
    std::size_t holders = 0;
    world.network.visit_in_index(AgentKind::lab, index32(slot), EdgeType::equity,
                                 [&](std::uint32_t, double, double) { ++holders; });
    CHECK(holders == world.investors.size());
    CHECK(founding_round(1.0, 0.05, 0.25).labs.efficiency[slot] == Approx(0.25 * 3));
    // A founding round that finds no market leaves the slot dormant.
    const World failed = founding_round(0.01, 0.05, 0.5);
    CHECK(failed.labs.dormant(slot));
    CHECK(failed.labs.cash_usd[slot] == 0);
    CHECK(failed.totals.entries == 0);
    CHECK(testing::count_events(failed, EventType::lab_entry) == 0);
}

namespace {

// The step's new holdings, what each investor paid and each closed round's
// lead, worked out one round after another in lab order from the book (the
// order the capital market must reproduce, whatever pass does the work).
struct SerialHoldings {
    std::vector<std::uint32_t> holders, labs;
    std::vector<double> paid, stakes;
    std::vector<double> invested;           // per investor
    std::vector<double> invested_total;     // per investor
    std::vector<std::vector<double>> payments;  // per investor, what it paid, in lab order
    std::vector<std::int64_t> leads;        // per closed round, in lab order
};

SerialHoldings serial_holdings(const World& world, const std::vector<double>& invested_before,
                               const std::vector<double>& invested_total_before) {
    const CapitalMarketBook& book = world.messages.capital;
    SerialHoldings out;
    out.invested = invested_before;
    out.invested_total = invested_total_before;
    out.payments.assign(invested_before.size(), {});
    for (std::size_t j = 0; j < book.requests.size(); ++j) {
        const RoundOutcome& round = book.rounds[j];
        if (!round.closed) continue;
        const std::size_t first = book.deal_offsets[j];
        std::uint32_t lead = 0;
        double lead_amount = book.deal_offsets[j + 1] > first && book.deal_investor[first] == 0
                                 ? book.round_amounts[first]
                                 : 0.0;
        for (std::size_t c = first; c < book.deal_offsets[j + 1]; ++c) {
            const double amount = book.round_amounts[c];
            if (amount <= 0) continue;
            const std::uint32_t i = book.deal_investor[c];
            if (amount > lead_amount) {
                lead = i;
                lead_amount = amount;
            }
            out.holders.push_back(i);
            out.labs.push_back(book.requests[j].lab);
            out.paid.push_back(amount);
            out.stakes.push_back(amount / round.post_money_usd);
            out.invested[i] += amount;
            out.invested_total[i] += amount;
            out.payments[i].push_back(amount);
        }
        out.leads.push_back(lead);
    }
    return out;
}

}  // namespace

TEST_CASE("a step's new holdings, payments and leads follow the rounds in lab order",
          "[sim][capital_market]") {
    ScenarioConfig config = testing::tiny_config();
    config.investors.count = 3000;  // several pieces of investors in parallel
    config.investors.deals_per_step = 3;  // investors in several rounds at once
    config.investors.min_round_fill = 0.05;
    World world = build_world(config, 11);
    phase_environment(environment_io(world));
    const std::size_t labs = static_cast<std::size_t>(config.labs.count);
    world.messages.plans.intents.assign(world.labs.size(), LabIntent{});
    for (std::size_t lab = 0; lab < labs; ++lab) {
        // Asks of different sizes: some rounds fill, some close partially,
        // the largest may fail.
        world.messages.plans.intents[lab].funding_request_usd = 1e8 * static_cast<double>(1 + 7 * lab);
        world.messages.plans.intents[lab].pre_money_usd = 1e9;
    }
    for (std::size_t k = 0; k < world.investors.size(); ++k) {
        world.investors.budget_usd[k] = 3e7 + 1e6 * static_cast<double>((k * 37) % 11) / 3.0;
        // (a start at which the order of two additions shows in the sum)
        world.investors.invested_usd[k] = 1e9 / static_cast<double>(3 + k);
    }
    const std::vector<double> invested_before = world.investors.invested_usd;
    const std::vector<double> invested_total_before = world.investors.invested_total_usd;
    phase_capital_market(capital_market_io(world));
    const CapitalMarketBook& book = world.messages.capital;
    const SerialHoldings expected = serial_holdings(world, invested_before, invested_total_before);
    REQUIRE(world.totals.rounds_closed >= 2);
    // Some investor paid into two rounds or more.
    std::vector<int> rounds_paid(world.investors.size(), 0);
    for (const std::uint32_t i : expected.holders) rounds_paid[i] += 1;
    REQUIRE(*std::max_element(rounds_paid.begin(), rounds_paid.end()) >= 2);
    CHECK(book.round_holders == expected.holders);
    CHECK(book.round_labs == expected.labs);
    CHECK(book.round_paid == expected.paid);
    CHECK(book.round_stakes == expected.stakes);
    // Each investor's sums, to the bit, in lab order; for some investor
    // the other order gives another sum (so the check can tell).
    std::size_t order_shows = 0;
    for (std::size_t k = 0; k < world.investors.size(); ++k) {
        CHECK(world.investors.invested_usd[k] == expected.invested[k]);
        CHECK(world.investors.invested_total_usd[k] == expected.invested_total[k]);
        double other = invested_before[k];
        for (auto it = expected.payments[k].rbegin(); it != expected.payments[k].rend(); ++it) other += *it;
        if (other != expected.invested[k]) ++order_shows;
    }
    CHECK(order_shows > 0);
    // Each funding round's event names its lead.
    std::vector<std::int64_t> leads;
    for (const EventRow& e : world.events)
        if (e.type == static_cast<std::int32_t>(EventType::funding_round)) leads.push_back(e.other);
    CHECK(leads == expected.leads);
}
