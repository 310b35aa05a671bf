// agents/lab.cpp: serving follows demand (docs/model.md section 4, Serving).
// A lab bids for the compute its share of the tokens demanded needs at
// 2 N_served FLOP per token times its model's reasoning tokens per task,
// distils when the full model is too dear, and buys no more than its cash
// pays for. Each test fails if its mechanism is removed.

#include <catch2/catch.hpp>

#include <limits>
#include <vector>

#include "agents/lab.hpp"

using namespace airace;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// One active US lab with a deployed model of 1e10 parameters and half the
// market: 0.5 * 1e10 tokens at 2e10 FLOP each need 1e20 FLOP, which cost
// 1e6 USD at 1e-14 USD/FLOP against 5e7 USD of revenue.
LabTable serving_lab() {
    LabTable labs;
    labs.resize(1);
    labs.name[0] = "lab";
    labs.region[0] = Region::us;
    labs.ambition[0] = 10;
    labs.generation_interval[0] = 6;
    labs.budget_share[0] = 0.7;
    labs.opex_base_usd[0] = 1e6;
    labs.opex_growth[0] = 1.0;
    labs.cash_usd[0] = 1e9;
    labs.valuation_usd[0] = 4e8;
    labs.efficiency[0] = 1;
    labs.model_flop[0] = 5e21;
    labs.model_efficiency[0] = 1;
    labs.model_params[0] = 1e10;
    labs.model_kappa[0] = 27;
    labs.reasoning_intensity[0] = 1;
    labs.revenue_share[0] = 0.5;
    labs.compliance_propensity[0] = 1;
    labs.last_run_start_step[0] = 0;
    return labs;
}

LabIntent decide(const LabTable& labs, const ScenarioConfig& config) {
    LabContext context;
    context.config = &config;
    context.step = 1;
    context.year = config.time.start_year;
    context.expected_price.fill(1e-14);
    context.unit_cost.fill(1e-14);
    context.tokens_demand = 1e10;
    context.revenue_pool_usd = 1e8;
    context.seed = 1;
    context.training_cap.fill(inf);
    context.threshold.fill(inf);
    context.site_run_flop = inf;
    std::vector<LabIntent> intents(labs.size());
    decide_labs(labs, context, 0, labs.size(), intents);
    return intents[0];
}

}  // namespace

TEST_CASE("serving compute follows the lab's share of the tokens demanded", "[agents][lab]") {
    const ScenarioConfig config = default_scenario_config();
    LabTable labs = serving_lab();
    const LabIntent intent = decide(labs, config);
    CHECK(intent.served_param_share == 1.0);
    CHECK(intent.inference_flop_needed == Approx(0.5 * 1e10 * 2 * 1e10));
    CHECK(intent.inference_bid_flop == Approx(intent.inference_flop_needed));
    // Twice the parameters, twice the FLOP per token.
    labs.model_params[0] = 2e10;
    CHECK(decide(labs, config).inference_bid_flop == Approx(2 * intent.inference_bid_flop));
}

TEST_CASE("reasoning multiplies the tokens per task, hence serving compute", "[agents][lab]") {
    ScenarioConfig config = default_scenario_config();
    config.labs.distillation_cost_share = inf;  // full model whatever it costs
    LabTable labs = serving_lab();
    const double plain = decide(labs, config).inference_bid_flop;
    labs.reasoning_intensity[0] = config.scaling.reasoning_intensity;
    CHECK(decide(labs, config).inference_bid_flop ==
          Approx(config.scaling.reasoning_intensity * plain));
}

TEST_CASE("labs.distillation_*: a lab whose full model is too dear serves a distilled one sized "
          "to its serving budget", "[agents][lab]") {
    ScenarioConfig config = default_scenario_config();
    LabTable labs = serving_lab();
    const double full = decide(labs, config).inference_bid_flop;
    // The full model's serving costs 1e6 USD, 2% of the 5e7 USD it brings:
    // at a budget of 0.2% it serves a tenth of the parameters.
    config.labs.distillation_cost_share = 0.002;
    const LabIntent distilled = decide(labs, config);
    CHECK(distilled.served_param_share == Approx(0.1));
    CHECK(distilled.inference_bid_flop == Approx(0.1 * full));
    config.labs.distillation_cost_share = 0.03;
    CHECK(decide(labs, config).served_param_share == 1.0);
    // Below the smallest share it may distil to, it serves fewer tokens:
    // it buys only what the budget pays for.
    config.labs.distillation_cost_share = 0.002;
    config.labs.min_distillation_share = 0.5;
    const LabIntent floor = decide(labs, config);
    CHECK(floor.served_param_share == Approx(0.5));
    CHECK(floor.inference_flop_needed == Approx(0.5 * full));
    CHECK(floor.inference_bid_flop == Approx(0.1 * full));
    // The distilled model serves less capability: the key's OOM per OOM.
    config.labs.distillation_kappa_loss_per_oom = 0.3;
    CHECK(served_kappa(labs, config.labs, 0) == Approx(27));
    labs.served_param_share[0] = 0.01;
    CHECK(served_kappa(labs, config.labs, 0) == Approx(27 - 0.6));
}

TEST_CASE("a lab buys no more serving than its cash pays for", "[agents][lab]") {
    const ScenarioConfig config = default_scenario_config();
    LabTable labs = serving_lab();
    labs.cash_usd[0] = 2e5;  // pays for 2e19 of the 1e20 FLOP needed
    const LabIntent intent = decide(labs, config);
    CHECK(intent.inference_flop_needed == Approx(1e20));
    CHECK(intent.inference_bid_flop == Approx(2e19));
}
