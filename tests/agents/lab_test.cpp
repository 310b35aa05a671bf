// agents/lab.cpp: a lab's decisions read their scenario keys. Each test sets
// one key away from its default on a one-lab table and checks the decision
// moves the way the key says.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "agents/lab.hpp"
#include "fixtures/one_lab.hpp"

using namespace airace;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

using testing::one_lab;

LabContext context_for(const ScenarioConfig& config) {
    LabContext context;
    context.config = &config;
    context.step = 8;
    context.year = config.time.start_year + 2.0;
    context.expected_price.fill(1e-14);
    context.unit_cost.fill(1e-14);
    context.value_usd_per_token = 1.0;
    context.revenue_pool_usd = 1e8;
    context.seed = 1;
    context.training_cap.fill(inf);
    context.threshold.fill(inf);
    context.site_run_flop = inf;
    return context;
}

LabIntent decide(const LabTable& labs, const ScenarioConfig& config,
                 void (*adjust)(LabContext&) = nullptr) {
    LabContext context = context_for(config);
    if (adjust) adjust(context);
    std::vector<LabIntent> intents(labs.size());
    decide_labs(labs, context, 0, labs.size(), intents);
    return intents[0];
}

}  // namespace

TEST_CASE("labs.max_round_dilution sets the raise a lab counts on and its asking price",
          "[agents][lab]") {
    ScenarioConfig config = default_scenario_config();
    LabTable labs = one_lab();
    labs.cash_usd[0] = 1e8;  // the run is bounded by the money, not by ambition (5e22 FLOP)
    const LabIntent modest = decide(labs, config);
    config.labs.max_round_dilution = 0.5;
    const LabIntent bold = decide(labs, config);
    REQUIRE(modest.start_run);
    REQUIRE(bold.start_run);
    // Selling more of the company lets the lab plan a bigger run ...
    CHECK(bold.run_target_flop > 2 * modest.run_target_flop);
    // ... and ask at a lower pre-money: ask * (1 - d) / d, here the ask itself.
    labs.valuation_usd[0] = 0;
    const LabIntent ask = decide(labs, config);
    REQUIRE(ask.funding_request_usd > 0);
    CHECK(ask.pre_money_usd == Approx(ask.funding_request_usd));
    config.labs.max_round_dilution = 0.2;
    const LabIntent ask_default = decide(labs, config);
    CHECK(ask_default.pre_money_usd == Approx(4 * ask_default.funding_request_usd));
}

TEST_CASE("labs.serving_bid_cost_multiple sets the serving bids' limit price", "[agents][lab]") {
    ScenarioConfig config = default_scenario_config();
    const LabTable labs = one_lab();
    CHECK(decide(labs, config).inference_bid_price == Approx(20 * 1e-14));
    config.labs.serving_bid_cost_multiple = 3;
    const LabIntent intent = decide(labs, config);
    CHECK(intent.inference_bid_price == Approx(3 * 1e-14));
    CHECK(intent.inference_bid_flop > 0);
}

TEST_CASE("labs.relocation_min_gain: a capped lab moves abroad only for a big enough gain",
          "[agents][lab]") {
    ScenarioConfig config = default_scenario_config();
    LabTable labs = one_lab();
    labs.cash_usd[0] = 1e13;
    // Home caps runs at 2e22 FLOP; abroad the lab could train 5e22 (its ambition).
    const auto capped = [](LabContext& c) { c.training_cap[static_cast<int>(Region::us)] = 2e22; };
    const LabIntent moves = decide(labs, config, capped);
    CHECK(moves.relocated);
    CHECK(moves.run_region != Region::us);
    CHECK(moves.run_target_flop == Approx(5e22));
    // Moving costs a set-up sum and time.
    CHECK(moves.relocation_usd == config.labs.relocation_fixed_usd);
    CHECK(moves.start_delay == config.quarters_to_steps(config.labs.relocation_delay_quarters));
    config.labs.relocation_min_gain = 3;  // 5e22 / 2e22 = 2.5: not worth the move
    const LabIntent stays = decide(labs, config, capped);
    CHECK_FALSE(stays.relocated);
    CHECK(stays.run_region == Region::us);
    CHECK(stays.run_target_flop == Approx(2e22));
}

namespace {

// Running cost per step of the lab one_lab() in context_for(): opex plus the
// serving compute it bids for.
double running_cost(const LabIntent& intent) { return 1e6 + intent.inference_bid_flop * 1e-14; }

}  // namespace

TEST_CASE("labs.planning_reserve_quarters: running cost kept back when a run is sized",
          "[agents][lab]") {
    ScenarioConfig config = default_scenario_config();
    LabTable labs = one_lab();
    labs.cash_usd[0] = 1e8;  // money-bound (the ambition is 5e22 FLOP)
    const double raise = 4e8 * 0.2 / 0.8;
    const LabIntent kept = decide(labs, config);
    const double r = running_cost(kept);
    REQUIRE(kept.start_run);
    CHECK(kept.run_target_flop == Approx(0.7 * (1e8 - 4 * r + raise) / 1e-14));
    config.labs.planning_reserve_quarters = 0;
    CHECK(decide(labs, config).run_target_flop == Approx(0.7 * (1e8 + raise) / 1e-14));
    // Quarters, not steps: at 12 steps a year four quarters are 12 steps of running cost.
    config.labs.planning_reserve_quarters = 4;
    config.time.steps_per_year = 12;
    CHECK(decide(labs, config).run_target_flop == Approx(0.7 * (1e8 - 12 * r + raise) / 1e-14));
}

TEST_CASE("labs.training_reserve_quarters: running cost never spent on training", "[agents][lab]") {
    ScenarioConfig config = default_scenario_config();
    LabTable labs = one_lab();
    // A run under way that the lab's cash cannot finish this step.
    labs.run_start_step[0] = 6;
    labs.last_run_start_step[0] = 6;
    labs.run_target_flop[0] = 1e24;
    labs.cash_usd[0] = 1e8;
    const double limit = 1e-14 * (1 + config.labs.bid_premium);
    const LabIntent kept = decide(labs, config);
    const double r = running_cost(kept);
    CHECK(kept.training_bid_flop == Approx((1e8 - 2 * r) / limit));
    config.labs.training_reserve_quarters = 6;
    CHECK(decide(labs, config).training_bid_flop == Approx((1e8 - 6 * r) / limit));
    config.labs.training_reserve_quarters = 2;
    config.time.steps_per_year = 12;
    CHECK(decide(labs, config).training_bid_flop == Approx((1e8 - 6 * r) / limit));
}

TEST_CASE("labs.min_round_gap_quarters: no new request too soon after a round", "[agents][lab]") {
    ScenarioConfig config = default_scenario_config();
    LabTable labs = one_lab();
    labs.cash_usd[0] = 1e6;  // short of money: asks whenever it may
    labs.last_round_step[0] = 8 - 2;  // two steps ago
    CHECK(decide(labs, config).funding_request_usd > 0);
    config.labs.min_round_gap_quarters = 3;
    CHECK(decide(labs, config).funding_request_usd == 0);
    // At 12 steps a year the default two quarters are six steps.
    config.labs.min_round_gap_quarters = 2;
    config.time.steps_per_year = 12;
    CHECK(decide(labs, config).funding_request_usd == 0);
    labs.last_round_step[0] = 8 - 6;
    CHECK(decide(labs, config).funding_request_usd > 0);
}

TEST_CASE("a run is cut to what the largest site's power allows", "[agents][lab]") {
    const ScenarioConfig config = default_scenario_config();
    LabTable labs = one_lab();
    labs.cash_usd[0] = 1e13;
    const LabIntent free = decide(labs, config);
    CHECK(free.run_target_flop == Approx(5e22));  // its ambition
    CHECK_FALSE(free.site_limited);
    const LabIntent held = decide(labs, config, [](LabContext& c) { c.site_run_flop = 2e22; });
    CHECK(held.start_run);
    CHECK(held.site_limited);
    CHECK(held.run_target_flop == Approx(2e22));
}

TEST_CASE("labs.relocation_fixed_usd: a lab that cannot pay to set up abroad stays capped at home",
          "[agents][lab]") {
    ScenarioConfig config = default_scenario_config();
    LabTable labs = one_lab();
    labs.cash_usd[0] = 1e13;
    const auto capped = [](LabContext& c) { c.training_cap[static_cast<int>(Region::us)] = 2e22; };
    config.labs.relocation_fixed_usd = 1e14;  // more than it has
    const LabIntent stays = decide(labs, config, capped);
    CHECK_FALSE(stays.relocated);
    CHECK(stays.run_target_flop == Approx(2e22));
    CHECK(stays.relocation_usd == 0);
}

TEST_CASE("regulators.*.training_cap_effective: an effective-compute cap allows fewer FLOP to a more "
          "efficient lab", "[agents][lab]") {
    const ScenarioConfig config = default_scenario_config();
    LabTable labs = one_lab();
    labs.cash_usd[0] = 1e13;
    labs.efficiency[0] = 10;  // its run would be worth 10x its FLOP
    // Every region caps runs at 2e23: physical FLOP, or effective (FLOP x efficiency).
    const auto physical = [](LabContext& c) { c.training_cap.fill(2e23); };
    const auto effective = [](LabContext& c) {
        c.training_cap.fill(2e23);
        c.cap_effective.fill(true);
    };
    CHECK(decide(labs, config, physical).run_target_flop == Approx(5e22));  // under the cap
    const LabIntent held = decide(labs, config, effective);
    CHECK(held.run_target_flop == Approx(2e22));  // 2e23 effective at efficiency 10
    CHECK_FALSE(held.relocated);
}

// Entry (docs/model.md section 4, "Entry").

TEST_CASE("labs.entry_rate_per_year and labs.entry_sentiment_elasticity: the field's founding attempts "
          "rise with investors' sentiment and are shared among the dormant slots", "[agents][lab][entry]") {
    ScenarioConfig config = default_scenario_config();
    const LabsConfig& lc = config.labs;
    const double dt = 0.25;
    CHECK(entry_probability(lc, 0.0, dt, 1) == Approx(1 - std::exp(-lc.entry_rate_per_year * dt)));
    CHECK(entry_probability(lc, 1.0, dt, 1) > entry_probability(lc, 0.0, dt, 1));
    CHECK(entry_probability(lc, -1.0, dt, 1) < entry_probability(lc, 0.0, dt, 1));
    CHECK(entry_probability(lc, -1.0, dt, 1) ==
          Approx(1 - std::exp(-lc.entry_rate_per_year * std::exp(-lc.entry_sentiment_elasticity) * dt)));
    // The expected attempts of all dormant slots together hardly depend on
    // how many there are: 12 or 100 slots, about rate * dt attempts a step.
    for (std::size_t slots : {std::size_t{12}, std::size_t{100}}) {
        INFO(slots);
        CHECK(static_cast<double>(slots) * entry_probability(lc, 0.0, dt, slots) ==
              Approx(lc.entry_rate_per_year * dt).epsilon(0.2));
    }
    CHECK(entry_probability(lc, 5.0, dt, 0) == 0);  // no slot left
    config.labs.entry_sentiment_elasticity = 0;  // sentiment no longer matters
    CHECK(entry_probability(lc, 2.0, dt, 4) == entry_probability(lc, -2.0, dt, 4));
    config.labs.entry_rate_per_year = 0;  // no lab ever enters
    CHECK(entry_probability(lc, 3.0, dt, 4) == 0);
}

namespace {

// How many of `steps` steps a dormant slot attempts a founding round at
// chance `p`, and the rounds it asks for.
std::vector<LabIntent> founding_attempts(const ScenarioConfig& config, double p, int steps) {
    LabTable labs = one_lab();
    labs.status[0] = LabStatus::dormant;
    labs.cash_usd[0] = 0;
    labs.valuation_usd[0] = 0;
    labs.model_flop[0] = 0;
    std::vector<LabIntent> asks;
    for (int step = 0; step < steps; ++step) {
        LabContext context = context_for(config);
        context.step = step;
        context.entry_probability = p;
        std::vector<LabIntent> intents(1);
        decide_labs(labs, context, 0, 1, intents);
        CHECK_FALSE(intents[0].start_run);  // a dormant slot plans nothing else
        CHECK(intents[0].inference_bid_flop == 0);
        if (intents[0].funding_request_usd > 0) asks.push_back(intents[0]);
    }
    return asks;
}

}  // namespace

TEST_CASE("a dormant slot attempts founding rounds at its chance, asking labs.entrant_round_usd",
          "[agents][lab][entry]") {
    ScenarioConfig config = default_scenario_config();
    const int steps = 4000;
    const auto bullish = founding_attempts(config, entry_probability(config.labs, 1.0, 0.25, 1), steps);
    const auto bearish = founding_attempts(config, entry_probability(config.labs, -1.0, 0.25, 1), steps);
    CHECK(bullish.size() > 2 * bearish.size());
    const double p = entry_probability(config.labs, 1.0, 0.25, 1);
    CHECK(static_cast<double>(bullish.size()) == Approx(p * steps).epsilon(0.15));
    CHECK(founding_attempts(config, 0.0, steps).empty());
    // The round asked scatters around labs.entrant_round_usd (a mean-one
    // log-normal factor), selling the share labs.max_round_dilution.
    double log_sum = 0;
    for (const LabIntent& ask : bullish) {
        log_sum += std::log(ask.funding_request_usd / config.labs.entrant_round_usd);
        CHECK(ask.pre_money_usd == Approx(4 * ask.funding_request_usd));
    }
    const double sigma = config.labs.entrant_round_spread;
    CHECK(log_sum / static_cast<double>(bullish.size()) == Approx(-0.5 * sigma * sigma).margin(0.2));
    config.labs.entrant_round_spread = 0;
    for (const LabIntent& ask : founding_attempts(config, 1.0, 20))
        CHECK(ask.funding_request_usd == Approx(config.labs.entrant_round_usd));
}

TEST_CASE("labs.entrant_efficiency_share and labs.entrant_opex_round_share: what an entrant starts "
          "with", "[agents][lab][entry]") {
    ScenarioConfig config = default_scenario_config();
    LabTable labs = one_lab();
    labs.resize(2);
    labs.efficiency[0] = 8;  // the field's know-how
    labs.status[1] = LabStatus::dormant;
    labs.opex_growth[1] = 1.35;
    labs.generation_interval[1] = 6;
    CHECK(best_efficiency(labs) == 8);
    CHECK(field_efficiency(labs) == 8);
    const std::int32_t step = 8;  // two years in
    enter_lab(labs, config, 1, field_efficiency(labs), 1e9, step);
    CHECK(labs.active(1));
    CHECK(labs.efficiency[1] == Approx(0.5 * 8));
    CHECK_FALSE(labs.has_model(1));
    // Opex per quarter (a step at 4 a year) at entry is the share of the
    // round, and grows from then on.
    CHECK(lab_opex(labs, 1, 2.0, 0.25) == Approx(0.05 * 1e9));
    CHECK(lab_opex(labs, 1, 3.0, 0.25) == Approx(0.05 * 1e9 * 1.35));
    config.labs.entrant_efficiency_share = 0.25;
    config.labs.entrant_opex_round_share = 0.1;
    labs.status[1] = LabStatus::dormant;
    enter_lab(labs, config, 1, 8, 1e9, step);
    CHECK(labs.efficiency[1] == Approx(2));
    CHECK(lab_opex(labs, 1, 2.0, 0.25) == Approx(0.1 * 1e9));
    // With no active lab left, founders take the best know-how any lab reached.
    labs.status[0] = LabStatus::bankrupt;
    labs.status[1] = LabStatus::dormant;
    CHECK(best_efficiency(labs) == 0);
    CHECK(field_efficiency(labs) == 8);
}

TEST_CASE("an entrant's first run sets out to match the largest model deployed", "[agents][lab][entry]") {
    const ScenarioConfig config = default_scenario_config();
    LabTable labs = one_lab();
    labs.model_flop[0] = 0;  // entered, no model yet
    labs.model_efficiency[0] = 0.5;
    labs.efficiency[0] = 0.5;
    labs.cash_usd[0] = 1e13;
    const LabIntent first = decide(labs, config, [](LabContext& c) { c.largest_model_flop = 3e22; });
    REQUIRE(first.start_run);
    CHECK(first.run_target_flop == Approx(3e22));
    CHECK(first.run_wanted_flop == Approx(3e22));
    // Money-bound, it trains what its budget allows.
    labs.cash_usd[0] = 1e8;
    labs.valuation_usd[0] = 0;
    const LabIntent poor = decide(labs, config, [](LabContext& c) { c.largest_model_flop = 3e24; });
    REQUIRE(poor.start_run);
    CHECK(poor.run_target_flop < 3e24);
    // Nothing deployed anywhere: nothing to match, no run.
    CHECK_FALSE(decide(labs, config).start_run);
}

TEST_CASE("training FLOP per hardware FLOP: a lab plans w times the run and bids for 1/w",
          "[agents][lab]") {
    const ScenarioConfig config = default_scenario_config();
    LabTable labs = one_lab();
    labs.cash_usd[0] = 1e8;  // money-bound: the ambition is 5e22 FLOP
    const LabIntent plain = decide(labs, config);
    const LabIntent doubled =
        decide(labs, config, [](LabContext& c) { c.training_flop_per_hardware_flop = 2; });
    REQUIRE(plain.start_run);
    REQUIRE(doubled.start_run);
    // The same money buys twice the training FLOP ...
    CHECK(doubled.run_target_flop == Approx(2 * plain.run_target_flop));
    // ... and a site's power trains w times the FLOP: the site limit is the
    // context's, already in training FLOP, so a run under way bids for half
    // the hardware FLOP it still needs.
    labs.cash_usd[0] = 1e13;
    labs.run_start_step[0] = 8;
    labs.last_run_start_step[0] = 8;
    labs.run_target_flop[0] = 1e22;
    const LabIntent bid = decide(labs, config);
    const LabIntent half =
        decide(labs, config, [](LabContext& c) { c.training_flop_per_hardware_flop = 2; });
    REQUIRE(bid.training_bid_flop > 0);
    CHECK(half.training_bid_flop == Approx(0.5 * bid.training_bid_flop));
}
