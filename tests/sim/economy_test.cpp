// The core economy (docs/model.md sections 4 to 7), one mechanism per test on
// tiny worlds built in code. Each test fails if its mechanism is removed.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "fixtures/events.hpp"
#include "fixtures/tiny_world.hpp"
#include "config/config_yaml.hpp"
#include "record/run.hpp"
#include "sim/phases/phases.hpp"
#include "sim/step.hpp"
#include "sim/world.hpp"

using namespace airace;

namespace {

World tiny_world(int years = 4) { return build_world(testing::tiny_config(years), 7); }

using testing::count_events;

double series_at(const RunRecord& record, const char* name, double year) {
    const Series* s = record.aggregate(name);
    REQUIRE(s);
    for (std::size_t t = 0; t < record.time.size(); ++t)
        if (record.time[t] >= year) return s->values[t];
    return s->values.back();
}

}  // namespace

TEST_CASE("a lab with the means plans its next run at ambition times its last", "[economy]") {
    World world = tiny_world();
    world.labs.cash_usd[0] = 1e13;
    world.labs.last_run_start_step[0] = -100;
    phase_environment(environment_io(world));
    phase_decide(decide_io(world));
    CHECK(world.labs.run_start_step[0] == 0);
    CHECK(world.labs.run_target_flop[0] ==
          Approx(world.labs.model_flop[0] * world.labs.ambition[0]));
    CHECK(count_events(world, EventType::run_started) >= 1);
}

TEST_CASE("a lab that cannot pay postpones its next generation", "[economy]") {
    World world = tiny_world();
    world.labs.cash_usd[0] = 0;
    world.labs.valuation_usd[0] = 0;
    world.labs.last_run_start_step[0] = -100;
    phase_environment(environment_io(world));
    phase_decide(decide_io(world));
    CHECK(world.labs.run_start_step[0] == -1);
    CHECK(world.labs.postponed[0] == 1);
    CHECK(count_events(world, EventType::run_postponed) >= 1);
}

TEST_CASE("compute cost follows the hardware and energy trends", "[economy]") {
    const ScenarioConfig config = testing::tiny_config(8);
    Environment y2023;
    Environment y2024;
    update_environment(y2023, config, 12);  // 2023.0
    update_environment(y2024, config, 16);  // 2024.0
    CHECK(y2023.costs.hardware_usd_per_flop == Approx(config.compute.hardware_usd_per_flop_2023));
    CHECK(y2023.costs.hardware_usd_per_flop / y2024.costs.hardware_usd_per_flop ==
          Approx(config.compute.hardware_improvement_per_year));
    CHECK(y2023.costs.energy_usd_per_flop / y2024.costs.energy_usd_per_flop ==
          Approx(config.compute.energy_efficiency_improvement_per_year));
}

TEST_CASE("compute providers build toward demand, no faster than chip supply", "[economy]") {
    World world = tiny_world();
    const double before = world.compute_providers.capacity_flop[0];
    world.compute_providers.demand_flop[0] = 100 * before;
    phase_environment(environment_io(world));
    phase_decide(decide_io(world));
    const double growth = world.compute_providers.capacity_flop[0] / before;
    CHECK(growth > 1.0);
    CHECK(growth <= std::pow(world.config.compute.max_capacity_growth_per_year, 0.25) + 1e-12);
    CHECK(world.compute_providers.capex_usd[0] > 0);
}

TEST_CASE("a funding round adds cash and equity edges and dilutes earlier holders", "[economy]") {
    World world = tiny_world();
    phase_environment(environment_io(world));
    phase_decide(decide_io(world));
    for (auto& intent : world.messages.plans.intents) intent = LabIntent{};
    world.messages.plans.intents[0].funding_request_usd = 1e8;
    world.messages.plans.intents[0].pre_money_usd = 4e8;
    double stake_before = 0;
    world.network.for_each_in(AgentKind::lab, 0, EdgeType::equity,
                              [&](AgentKind, std::uint32_t, double, double s) { stake_before += s; });
    const double cash_before = world.labs.cash_usd[0];
    phase_capital_market(capital_market_io(world));
    CHECK(world.labs.cash_usd[0] == Approx(cash_before + 1e8));
    CHECK(world.labs.valuation_usd[0] == Approx(5e8));
    double stakes = 0;
    int holders = 0;
    world.network.for_each_in(AgentKind::lab, 0, EdgeType::equity,
                              [&](AgentKind, std::uint32_t, double, double s) {
                                  stakes += s;
                                  ++holders;
                              });
    CHECK(holders >= 2);
    CHECK(stakes == Approx(stake_before * 0.8 + 0.2));
    CHECK(count_events(world, EventType::funding_round) == 1);
}

TEST_CASE("investors' money follows releases: momentum draws commitments", "[economy]") {
    InvestorTable investors;
    investors.resize(1);
    investors.budget_usd[0] = 1e9;
    investors.wow_sensitivity[0] = 0.8;
    const InvestorsConfig config;
    const RequestView requests[] = {{0, Region::us, 1e8, 1e9, 1.5, 0.0, 1e8},
                                    {1, Region::us, 1e8, 1e9, 0.0, 0.0, 1e8}};
    std::vector<double> commitments(2);
    decide_commitments(investors, config, requests, 0, 1, commitments);
    CHECK(commitments[0] > 2 * commitments[1]);
    CHECK(commitments[0] + commitments[1] == Approx(1e9));
}

TEST_CASE("sentiment follows the wow of releases against expectations", "[economy]") {
    InvestorTable investors;
    investors.resize(2);
    for (std::size_t i = 0; i < 2; ++i) {
        investors.wow_sensitivity[i] = 0.8;
        investors.expected_wow[i] = 0.6;
    }
    const InvestorsConfig config;
    const std::vector<double> co = {0.0, 0.0};
    const std::vector<double> momentum = {0.0, 0.0};
    MarketSignals good;
    good.observed_wow = 1.5;
    update_sentiment(investors, config, 0.25, good, co, momentum, 0, 1);
    MarketSignals bad;
    bad.observed_wow = 0.0;
    update_sentiment(investors, config, 0.25, bad, co, momentum, 1, 2);
    CHECK(investors.sentiment[0] > 0);
    CHECK(investors.sentiment[1] < 0);
    // Expectations adapt toward what was seen.
    CHECK(investors.expected_wow[0] > 0.6);
    CHECK(investors.expected_wow[1] < 0.6);
}

TEST_CASE("herding pulls sentiment toward co-investors", "[economy]") {
    InvestorTable investors;
    investors.resize(2);
    investors.expected_wow[0] = investors.expected_wow[1] = 0.5;
    const InvestorsConfig config;
    MarketSignals flat;
    flat.observed_wow = 0.5;
    const std::vector<double> momentum = {0.0, 0.0};
    const std::vector<double> optimistic = {2.0, 0.0};
    update_sentiment(investors, config, 0.25, flat, optimistic, momentum, 0, 2);
    CHECK(investors.sentiment[0] > 0);
    CHECK(investors.sentiment[1] == 0);
}

TEST_CASE("a bankrupt lab is acquired by the richest lab that can cover it", "[economy]") {
    World world = tiny_world();
    phase_environment(environment_io(world));
    world.labs.cash_usd[3] = -1e7;
    world.labs.cash_usd[1] = 5e12;
    world.labs.efficiency[3] = world.labs.efficiency[1] * 1.5;
    const double efficiency = world.labs.efficiency[3];
    phase_account(account_io(world));
    CHECK(world.labs.status[3] == LabStatus::acquired);
    CHECK(world.labs.efficiency[1] == efficiency);
    CHECK(count_events(world, EventType::bankruptcy) == 1);
    CHECK(count_events(world, EventType::acquisition) == 1);
}

TEST_CASE("a lab nobody can rescue is closed", "[economy]") {
    World world = tiny_world();
    phase_environment(environment_io(world));
    world.labs.cash_usd[3] = -1e16;
    phase_account(account_io(world));
    CHECK(world.labs.status[3] == LabStatus::bankrupt);
    CHECK(count_events(world, EventType::acquisition) == 0);
}

TEST_CASE("adoption diffuses faster with a better best model", "[economy]") {
    World weak = tiny_world();
    World strong = tiny_world();
    for (World* w : {&weak, &strong}) phase_environment(environment_io(*w));
    for (std::size_t i = 0; i < strong.labs.size(); ++i) strong.labs.model_kappa[i] = 34;
    for (std::size_t i = 0; i < weak.labs.size(); ++i) weak.labs.model_kappa[i] = 26;
    weak.env.adoption = strong.env.adoption = 0.05;
    phase_product_market(product_market_io(weak));
    phase_product_market(product_market_io(strong));
    CHECK(strong.env.adoption > weak.env.adoption);
    CHECK(strong.totals.ai_revenue_usd > weak.totals.ai_revenue_usd);
}

TEST_CASE("revenue goes mostly to the best model", "[economy]") {
    World world = tiny_world();
    phase_environment(environment_io(world));
    world.labs.model_kappa[0] = 30;
    for (std::size_t i = 1; i < world.labs.size(); ++i) world.labs.model_kappa[i] = 28;
    phase_product_market(product_market_io(world));
    for (std::size_t i = 1; i < world.labs.size(); ++i)
        CHECK(world.labs.revenue_usd[0] > 10 * world.labs.revenue_usd[i]);
}

TEST_CASE("bought training compute turns into a release with higher capability", "[economy]") {
    World world = tiny_world();
    world.config.scaling.generation_noise_sd = 0;  // the expected gain, without a draw around it
    phase_environment(environment_io(world));
    const double kappa = world.labs.model_kappa[0];
    world.labs.run_start_step[0] = 0;
    world.labs.run_target_flop[0] = world.labs.model_flop[0] * 10;
    world.labs.run_done_flop[0] = world.labs.model_flop[0] * 10;
    phase_train_and_release(train_and_release_io(world));
    CHECK(world.labs.run_start_step[0] == -1);
    CHECK(world.labs.model_kappa[0] > kappa + 0.9);
    CHECK(count_events(world, EventType::release) == 1);
}

namespace {

// A tiny world run for `years` at labs.entry_rate_per_year `rate`; counts the
// lab_entry events and the events of any lab still dormant at the end.
struct EntryRun {
    World world;
    std::size_t entry_events = 0;
    std::size_t dormant_events = 0;
};

EntryRun run_with_entry(double rate, int years = 4, int slots = -1, std::uint64_t seed = 7) {
    ScenarioConfig config = testing::tiny_config(years);
    config.labs.entry_rate_per_year = rate;
    if (slots >= 0) config.labs.entrant_slots = slots;
    EntryRun out{build_world(config, seed)};
    World& world = out.world;
    std::vector<EventRow> events;
    for (int s = 0; s < config.steps(); ++s) {
        step(world);
        events.insert(events.end(), world.events.begin(), world.events.end());
    }
    for (const EventRow& e : events) {
        if (e.type == static_cast<std::int32_t>(EventType::lab_entry)) ++out.entry_events;
        const bool lab = e.agent_kind == static_cast<std::int32_t>(AgentKind::lab);
        const bool other_lab = e.other_kind == static_cast<std::int32_t>(AgentKind::lab);
        if ((lab && world.labs.dormant(e.agent)) ||
            (other_lab && e.other >= 0 && world.labs.dormant(static_cast<std::size_t>(e.other))))
            ++out.dormant_events;
    }
    return out;
}

}  // namespace

TEST_CASE("labs.entry_rate_per_year at 0: no lab enters, and a dormant slot is in no market",
          "[economy][entry]") {
    const EntryRun closed = run_with_entry(0.0);
    const World& world = closed.world;
    const auto incumbents = static_cast<std::size_t>(world.config.labs.count);
    CHECK(world.labs.size() == incumbents + static_cast<std::size_t>(world.config.labs.entrant_slots));
    CHECK(world.cumulative_entries == 0);
    CHECK(closed.entry_events == 0);
    CHECK(closed.dormant_events == 0);
    for (std::size_t i = incumbents; i < world.labs.size(); ++i) {
        CHECK(world.labs.dormant(i));
        CHECK(world.labs.type[i] == LabType::entrant);
        CHECK(world.labs.cash_usd[i] == 0);
        CHECK(world.labs.revenue_usd[i] == 0);
        CHECK(world.labs.revenue_share[i] == 0);
        CHECK(world.labs.opex_usd[i] == 0);
        CHECK(world.labs.raised_total_usd[i] == 0);
        CHECK(world.labs.training_flop_bought[i] == 0);
        CHECK(world.labs.inference_flop_bought[i] == 0);
        CHECK(world.labs.usable_tokens[i] == 0);
    }
    std::size_t dormant_edges = 0;
    world.network.for_each_sorted([&](const EdgeView& e) {
        if ((e.src_kind == AgentKind::lab && world.labs.dormant(e.src)) ||
            (e.dst_kind == AgentKind::lab && world.labs.dormant(e.dst)))
            ++dormant_edges;
    });
    CHECK(dormant_edges == 0);
}

TEST_CASE("a dormant slot or an entrant without a model is not in the frontier and earns nothing",
          "[economy][entry]") {
    World world = tiny_world();
    phase_environment(environment_io(world));
    const auto slot = static_cast<std::size_t>(world.config.labs.count);
    double frontier = 0;
    update_frontier(world.labs, frontier);
    const double before = frontier;
    // A dormant slot with a planted model far beyond everyone's.
    world.labs.model_flop[slot] = 1e30;
    world.labs.model_kappa[slot] = 99;
    update_frontier(world.labs, frontier);
    CHECK(frontier == before);
    phase_product_market(product_market_io(world));
    CHECK(world.labs.revenue_usd[slot] == 0);
    CHECK(world.labs.revenue_share[slot] == 0);
    // An entrant that has no model yet: not the frontier, even if every
    // other lab is gone (the last frontier stands).
    world.labs.model_flop[slot] = 0;
    world.labs.model_kappa[slot] = 0;
    enter_lab(world.labs, world.config, slot, field_efficiency(world.labs), 1e9, world.step);
    for (std::size_t i = 0; i < slot; ++i) world.labs.status[i] = LabStatus::bankrupt;
    update_frontier(world.labs, frontier);
    CHECK(frontier == before);
    phase_product_market(product_market_io(world));
    CHECK(world.labs.revenue_usd[slot] == 0);
}

TEST_CASE("labs enter at labs.entry_rate_per_year: each entry a lab_entry, each entrant active",
          "[economy][entry]") {
    const EntryRun open = run_with_entry(2.0);
    const World& world = open.world;
    CHECK(world.cumulative_entries > 0);
    CHECK(static_cast<double>(open.entry_events) == world.cumulative_entries);
    std::size_t entered = 0;
    for (std::size_t i = static_cast<std::size_t>(world.config.labs.count); i < world.labs.size(); ++i)
        if (!world.labs.dormant(i)) ++entered;
    CHECK(static_cast<double>(entered) == world.cumulative_entries);
    CHECK(open.dormant_events == 0);
}

TEST_CASE("the field's entries do not grow with the slots the tables hold", "[economy][entry]") {
    // 20 seeds each: 10 slots or 60, the same founding rate for the field.
    // (Were the rate per slot, 60 slots would bring about six times the
    // entries.)
    double few = 0, many = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        few += run_with_entry(1.0, 4, 10, seed).world.cumulative_entries;
        many += run_with_entry(1.0, 4, 60, seed).world.cumulative_entries;
    }
    INFO("entries in 4 years over 20 seeds: " << few << " with 10 slots, " << many << " with 60");
    CHECK(few > 20);
    CHECK(many < 1.5 * few);
    CHECK(many > 0.67 * few);
}

TEST_CASE("the baseline tells the story's first dynamics", "[economy][baseline]") {
    const ScenarioConfig config =
        load_scenario(std::string(AIRACE_SOURCE_DIR) + "/configs/baseline.yaml");
    const RunRecord record = run(config);
    // Frontier training compute grows several-fold a year through the 2020s.
    const double flop_2020 = series_at(record, "largest_run_flop", 2020.9);
    const double flop_2028 = series_at(record, "largest_run_flop", 2028.9);
    CHECK(std::pow(flop_2028 / flop_2020, 1.0 / 8.0) > 3.0);
    // Spending on training grows.
    double spend_2021 = 0;
    double spend_2027 = 0;
    const Series* spend = record.aggregate("compute_spend");
    for (std::size_t t = 0; t < record.time.size(); ++t) {
        if (record.time[t] > 2021 && record.time[t] <= 2022) spend_2021 += spend->values[t];
        if (record.time[t] > 2027 && record.time[t] <= 2028) spend_2027 += spend->values[t];
    }
    CHECK(spend_2027 > 10 * spend_2021);
    // Investors' money follows releases: most of the money raised goes to the
    // labs whose released models are in the top quarter at the time.
    const KindRecord* labs = record.kind("labs");
    REQUIRE(labs);
    const Matrix* capability = nullptr;
    const Matrix* status = nullptr;
    for (const Matrix& m : labs->columns) {
        if (m.name == "capability") capability = &m;
        if (m.name == "status") status = &m;
    }
    REQUIRE(capability);
    REQUIRE(status);
    double to_leaders = 0;
    double total = 0;
    std::size_t leader_rounds = 0;
    const auto funding_round = static_cast<std::int32_t>(EventType::funding_round);
    for (const EventRow& e : record.events) {
        if (e.type != funding_round || e.time < 2021) continue;
        const auto row = static_cast<std::size_t>(e.step);
        const double kappa = capability->at(row, static_cast<std::size_t>(e.agent));
        std::size_t active = 0;
        std::size_t better = 0;
        for (std::size_t i = 0; i < capability->cols; ++i) {
            if (status->at(row, i) != 0) continue;
            ++active;
            if (capability->at(row, i) > kappa) ++better;
        }
        total += e.amount;
        if (4 * better < active) {
            to_leaders += e.amount;
            ++leader_rounds;
        }
    }
    REQUIRE(total > 0);
    CHECK(leader_rounds > 0);
    CHECK(to_leaders / total > 0.5);
}
