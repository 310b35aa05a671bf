// Demand for AI services (docs/model.md section 7): usefulness, adoption,
// trust and friction, and the product market that pays labs from them. Each
// test fails if its mechanism is removed.

#include <catch2/catch.hpp>

#include <cmath>

#include "fixtures/tiny_world.hpp"
#include "sim/phases/phases.hpp"
#include "sim/product.hpp"
#include "sim/world.hpp"

using namespace airace;

namespace {

World tiny_world() { return build_world(testing::tiny_config(4), 7); }

// Every lab serves a model of capability `kappa`; the market starts at
// adoption `adoption`.
void serve_everywhere(World& world, double kappa, double adoption) {
    for (std::size_t i = 0; i < world.labs.size(); ++i) world.labs.model_kappa[i] = kappa;
    world.env.adoption = adoption;
}

}  // namespace

TEST_CASE("usefulness keeps rising over many orders of magnitude of capability", "[product]") {
    const ScalingConfig scaling = default_scenario_config().scaling;
    // Not saturated by the models of 2025 (kappa ~28), nearly all tasks
    // doable ten OOM later, and rising at every step in between.
    CHECK(usefulness(scaling, 28.0) < 0.1);
    CHECK(usefulness(scaling, 38.0) > 0.9);
    for (double kappa = 24.0; kappa < 40.0; kappa += 1.0)
        CHECK(usefulness(scaling, kappa + 1.0) > usefulness(scaling, kappa) + 0.002);
    CHECK(usefulness(scaling, scaling.score_k50) == 0.5);
}

TEST_CASE("revenue is lower for lower capability, all else equal", "[product]") {
    World weak = tiny_world();
    World strong = tiny_world();
    for (World* w : {&weak, &strong}) phase_environment(environment_io(*w));
    serve_everywhere(weak, 29.0, 0.1);
    serve_everywhere(strong, 31.0, 0.1);
    phase_product_market(product_market_io(weak));
    phase_product_market(product_market_io(strong));
    // Same adoption, same labs, same serving: the pool scales with
    // usefulness, which is more than twice as high two OOM up here.
    CHECK(strong.totals.ai_revenue_usd > 2.0 * weak.totals.ai_revenue_usd);
    CHECK(strong.env.adoption > weak.env.adoption);
}

TEST_CASE("the pool is adoption times usefulness times trust times the addressable spend",
          "[product]") {
    DemandState demand;
    demand.usefulness = 0.25;
    demand.trust = 0.8;
    CHECK(revenue_pool_per_year(demand, 0.5, 1e12) == Approx(0.5 * 0.25 * 0.8 * 1e12));
}

TEST_CASE("incidents cost demand through trust", "[product]") {
    World calm = tiny_world();
    World shaken = tiny_world();
    for (World* w : {&calm, &shaken}) {
        phase_environment(environment_io(*w));
        serve_everywhere(*w, 30.0, 0.2);
    }
    for (std::size_t r = 0; r < shaken.regulators.size(); ++r) shaken.regulators.incident_concern[r] = 0.5;
    phase_product_market(product_market_io(calm));
    phase_product_market(product_market_io(shaken));
    // exp(-1.0 * 0.5) of the calm market's revenue at the default loss.
    CHECK(shaken.totals.ai_revenue_usd ==
          Approx(calm.totals.ai_revenue_usd * std::exp(-0.5)).epsilon(1e-9));
}

TEST_CASE("compliance friction slows adoption", "[product]") {
    World free_world = tiny_world();
    World strict = tiny_world();
    for (World* w : {&free_world, &strict}) {
        phase_environment(environment_io(*w));
        serve_everywhere(*w, 32.0, 0.05);
    }
    for (std::size_t r = 0; r < strict.regulators.size(); ++r) {
        strict.regulators.stringency[r] = 1.0;
        free_world.regulators.stringency[r] = 0.0;
    }
    phase_product_market(product_market_io(free_world));
    phase_product_market(product_market_io(strict));
    const double free_gain = free_world.env.adoption - 0.05;
    const double strict_gain = strict.env.adoption - 0.05;
    CHECK(strict_gain > 0);
    // Half the speed at full stringency (product.stringency_adoption_drag 0.5).
    CHECK(strict_gain == Approx(0.5 * free_gain).epsilon(1e-9));
}

TEST_CASE("the adoption ceiling rises with what the best model can do", "[product]") {
    const ScenarioConfig config = default_scenario_config();
    const DemandState early = demand_state(config, 26.0, 0.0, 0.0);
    const DemandState late = demand_state(config, 32.0, 0.0, 0.0);
    CHECK(late.ceiling > early.ceiling);
    CHECK(late.ceiling <= config.product.max_adoption);
    // Firms adopt for their easiest tasks: the ceiling runs ahead of usefulness.
    CHECK(early.ceiling > config.product.max_adoption * early.usefulness);
}

TEST_CASE("revenue shares follow capability differences in OOM", "[product]") {
    World world = tiny_world();
    phase_environment(environment_io(world));
    serve_everywhere(world, 29.0, 0.1);
    world.labs.model_kappa[0] = 30.0;
    phase_product_market(product_market_io(world));
    // One OOM ahead at the temperature T (OOM): e^(1/T) times each rival's share.
    const double temperature = world.config.product.share_kappa_temperature;
    for (std::size_t i = 1; i < world.labs.size(); ++i) {
        if (world.labs.revenue_usd[i] <= 0) continue;
        CHECK(world.labs.revenue_share[0] / world.labs.revenue_share[i] ==
              Approx(std::exp(1.0 / temperature)).epsilon(1e-9));
    }
}

TEST_CASE("product.share_switching_years: users move to a better model over time, not at once",
          "[product]") {
    World world = tiny_world();
    phase_environment(environment_io(world));
    serve_everywhere(world, 29.0, 0.1);
    world.labs.model_kappa[0] = 30.0;
    world.step = 1;  // the first step starts from the earned shares
    const double start = world.labs.revenue_share[0];
    World at_once = world;
    at_once.config.product.share_switching_years = 0.0;
    phase_product_market(product_market_io(at_once));
    const double earned = at_once.labs.revenue_share[0];
    REQUIRE(earned > start);
    phase_product_market(product_market_io(world));
    const double first = world.labs.revenue_share[0];
    CHECK(first > start);
    CHECK(first < earned);
    // A quarter moves 1 - exp(-dt / tau) of the way; the others' shares are
    // rescaled with it, so compare within a few percent.
    const double pull = -std::expm1(-world.config.dt_years() / world.config.product.share_switching_years);
    CHECK(first == Approx(start + pull * (earned - start)).epsilon(0.05));
    for (int k = 0; k < 60; ++k) {
        world.step += 1;
        phase_product_market(product_market_io(world));
    }
    CHECK(world.labs.revenue_share[0] == Approx(earned).epsilon(1e-3));
}

TEST_CASE("a lab short of its serving compute serves and earns that much less", "[product]") {
    World full = tiny_world();
    World short_of_compute = tiny_world();
    for (World* w : {&full, &short_of_compute}) {
        phase_environment(environment_io(*w));
        serve_everywhere(*w, 29.0, 0.1);
        w->step = 1;
        for (std::size_t i = 0; i < w->labs.size(); ++i) {
            w->labs.inference_flop_wanted[i] = 1e24;
            w->labs.inference_flop_bought[i] = 1e24;
        }
    }
    short_of_compute.labs.inference_flop_bought[0] = 0.25e24;
    phase_product_market(product_market_io(full));
    phase_product_market(product_market_io(short_of_compute));
    CHECK(short_of_compute.labs.revenue_usd[0] == Approx(0.25 * full.labs.revenue_usd[0]));
    CHECK(short_of_compute.labs.tokens_served[0] == Approx(0.25 * full.labs.tokens_served[0]));
    CHECK(short_of_compute.labs.revenue_usd[1] == Approx(full.labs.revenue_usd[1]));
}

TEST_CASE("a lab serving a distilled model gets the share of its lower capability",
          "[product]") {
    World full = tiny_world();
    World distilled = tiny_world();
    for (World* w : {&full, &distilled}) {
        phase_environment(environment_io(*w));
        serve_everywhere(*w, 29.0, 0.1);
    }
    distilled.labs.served_param_share[0] = 0.1;  // one OOM of parameters distilled away
    phase_product_market(product_market_io(full));
    phase_product_market(product_market_io(distilled));
    // Shares go as exp(kappa / T): the distilled lab's weight falls by
    // exp(-loss / T) against its rivals'.
    const double loss = full.config.labs.distillation_kappa_loss_per_oom;
    const double temperature = full.config.product.share_kappa_temperature;
    const double ratio_full = full.labs.revenue_share[0] / full.labs.revenue_share[1];
    const double ratio_distilled = distilled.labs.revenue_share[0] / distilled.labs.revenue_share[1];
    CHECK(ratio_distilled == Approx(ratio_full * std::exp(-loss / temperature)));
}

TEST_CASE("a lab whose tasks cost more than they are worth sells fewer of them and earns less",
          "[product]") {
    World cheap = tiny_world();
    World dear = tiny_world();
    for (World* w : {&cheap, &dear}) {
        phase_environment(environment_io(*w));
        serve_everywhere(*w, 29.0, 0.1);
    }
    dear.labs.task_cost_ratio[0] = 2.0;  // a task costs twice the mean task's value
    phase_product_market(product_market_io(cheap));
    phase_product_market(product_market_io(dear));
    const ServedTasks served = served_tasks(2.0, cheap.config.product.value_log_sd);
    CHECK(dear.labs.revenue_usd[0] == Approx(served.value_share * cheap.labs.revenue_usd[0]));
    CHECK(dear.labs.tokens_served[0] == Approx(served.task_share * cheap.labs.tokens_served[0]));
    CHECK(dear.labs.revenue_usd[1] == Approx(cheap.labs.revenue_usd[1]));
    CHECK(dear.labs.revenue_usd[0] < 0.9 * cheap.labs.revenue_usd[0]);
}
