// agents/lab.cpp: serving follows demand (docs/model.md section 3, Serving).
// Users buy the tasks whose value covers their serving cost; a lab bids for
// the compute its share of those tasks needs at 2 N_served FLOP per token
// times its model's reasoning tokens per task, distils when that pays, and
// buys no more than its cash pays for. Each test fails if its mechanism is
// removed.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "agents/lab.hpp"
#include "fixtures/one_lab.hpp"

using namespace airace;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// One active US lab with a deployed model of 1e10 parameters and half of a
// 1e8 USD pool of tasks worth `value` USD a token: at 1 USD a token,
// 5e7 tokens at 2e10 FLOP each need 1e18 FLOP, which cost 1e4 USD at 1e-14
// USD/FLOP (a task costs 2e-4 of its value: every task is worth serving).
LabTable serving_lab() {
    LabTable labs = testing::one_lab();
    labs.last_run_start_step[0] = 0;  // not due: serving only
    return labs;
}

LabIntent decide(const LabTable& labs, const ScenarioConfig& config, double value = 1.0) {
    LabContext context;
    context.config = &config;
    context.step = 1;
    context.year = config.time.start_year;
    context.expected_price.fill(1e-14);
    context.unit_cost.fill(1e-14);
    context.value_usd_per_token = value;
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

TEST_CASE("served_tasks: users buy the tasks whose value covers their cost", "[agents][lab]") {
    const double sd = 1.5;
    CHECK(served_tasks(0, sd).value_share == 1.0);
    CHECK(served_tasks(0, sd).task_share == 1.0);
    // At the mean value, log-normal values (mean 1, ln-sd s) put
    // Phi(s / 2) of the value and Phi(-s / 2) of the tasks above the cost.
    const ServedTasks at_mean = served_tasks(1.0, sd);
    CHECK(at_mean.value_share == Approx(0.5 * std::erfc(-0.75 / std::sqrt(2.0))));
    CHECK(at_mean.task_share == Approx(0.5 * std::erfc(0.75 / std::sqrt(2.0))));
    // Dearer tasks: fewer bought, less value served; cheap ones: nearly all.
    CHECK(served_tasks(3.0, sd).task_share < at_mean.task_share);
    CHECK(served_tasks(3.0, sd).value_share < at_mean.value_share);
    CHECK(served_tasks(1e-4, sd).value_share > 0.999);
}

TEST_CASE("serving compute follows the lab's share of the tasks bought", "[agents][lab]") {
    const ScenarioConfig config = default_scenario_config();
    LabTable labs = serving_lab();
    const LabIntent intent = decide(labs, config);
    CHECK(intent.served_param_share == 1.0);
    CHECK(intent.task_cost_ratio == Approx(2e-4));
    const double tasks = served_tasks(2e-4, config.product.value_log_sd).task_share;
    CHECK(intent.inference_flop_needed == Approx(0.5 * 1e8 * tasks * 2 * 1e10));
    CHECK(intent.inference_bid_flop == Approx(intent.inference_flop_needed));
    // Twice the parameters, twice the FLOP per token.
    labs.model_params[0] = 2e10;
    CHECK(decide(labs, config).inference_bid_flop == Approx(2 * intent.inference_bid_flop).epsilon(1e-3));
}

TEST_CASE("reasoning multiplies the tokens per task, hence serving compute", "[agents][lab]") {
    const ScenarioConfig config = default_scenario_config();
    LabTable labs = serving_lab();
    const double plain = decide(labs, config).inference_bid_flop;
    labs.reasoning_intensity[0] = config.scaling.reasoning_intensity;
    CHECK(decide(labs, config).inference_bid_flop ==
          Approx(config.scaling.reasoning_intensity * plain).epsilon(1e-3));
}

TEST_CASE("demand responds to the price per task: dear tasks are bought less", "[agents][lab]") {
    ScenarioConfig config = default_scenario_config();
    config.labs.distillation_kappa_loss_per_oom = 10;  // distilling never pays here
    const LabTable labs = serving_lab();
    // Tasks worth 2e-4 USD a token cost what they are worth on average.
    const LabIntent at_cost = decide(labs, config, 2e-4);
    CHECK(at_cost.served_param_share == 1.0);
    CHECK(at_cost.task_cost_ratio == Approx(1.0));
    const double share = served_tasks(1.0, config.product.value_log_sd).task_share;
    CHECK(at_cost.inference_flop_needed == Approx(0.5 * 1e8 / 2e-4 * share * 2e10));
    CHECK(share < 0.5);
}

TEST_CASE("labs.distillation_*: a lab whose tasks are dear serves a distilled model when what "
          "it keeps outweighs the capability it gives up", "[agents][lab]") {
    ScenarioConfig config = default_scenario_config();
    const LabTable labs = serving_lab();
    // Cheap tasks: the full model.
    CHECK(decide(labs, config).served_param_share == 1.0);
    // Tasks that cost 30x their mean value: distilling pays.
    const LabIntent distilled = decide(labs, config, 2e-4 / 30);
    CHECK(distilled.served_param_share < 1.0);
    CHECK(distilled.served_param_share >= config.labs.min_distillation_share);
    CHECK(distilled.task_cost_ratio == Approx(30 * distilled.served_param_share));
    // It never distils below the smallest share allowed.
    config.labs.min_distillation_share = 0.5;
    CHECK(decide(labs, config, 2e-4 / 30).served_param_share >= 0.5);
    // When capability is dear, it keeps the full model.
    config.labs.min_distillation_share = 0.01;
    config.labs.distillation_kappa_loss_per_oom = 10;
    CHECK(decide(labs, config, 2e-4 / 30).served_param_share == 1.0);
}

TEST_CASE("a distilled model serves less capability", "[agents][lab]") {
    ScenarioConfig config = default_scenario_config();
    LabTable labs = serving_lab();
    config.labs.distillation_kappa_loss_per_oom = 0.3;
    CHECK(served_kappa(labs, config.labs, 0) == Approx(27));
    labs.served_param_share[0] = 0.01;
    CHECK(served_kappa(labs, config.labs, 0) == Approx(27 - 0.6));
}

TEST_CASE("a lab buys no more serving than its cash pays for", "[agents][lab]") {
    const ScenarioConfig config = default_scenario_config();
    LabTable labs = serving_lab();
    const double needed = decide(labs, config).inference_flop_needed;
    labs.cash_usd[0] = 0.2 * needed * 1e-14;  // pays for a fifth of it
    const LabIntent intent = decide(labs, config);
    CHECK(intent.inference_flop_needed == Approx(needed));
    CHECK(intent.inference_bid_flop == Approx(0.2 * needed));
}
