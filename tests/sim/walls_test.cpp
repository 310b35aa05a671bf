// The walls (docs/model.md sections 8 to 12), one mechanism per test on tiny
// worlds built in code: data closing and licences, copyright, synthetic data,
// regulators and instruments, influencers, export controls, power, incidents.
// Each test fails if its mechanism is removed.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "fixtures/events.hpp"
#include "fixtures/tiny_world.hpp"
#include "record/run.hpp"
#include "sim/phases/phases.hpp"
#include "sim/scaling.hpp"
#include "sim/step.hpp"
#include "sim/world.hpp"

using namespace airace;

namespace {

constexpr std::size_t us = 0;
constexpr std::size_t eu = 1;
constexpr std::size_t cn = 2;

World tiny_world(const ScenarioConfig& config) { return build_world(config, 11); }
World tiny_world() { return tiny_world(testing::tiny_config(6)); }

void set_instrument(World& world, std::size_t regulator, Instrument instrument, double value) {
    const std::size_t slot = world.regulators.slot(regulator, instrument);
    world.regulators.active[slot] = 1;
    world.regulators.scripted[slot] = 1;
    world.regulators.value[slot] = value;
}

void compute_usable_tokens(World& world) {
    compute_usable_tokens(world.labs, world.data_providers, world.regulators, world.network,
                          world.env.open_tokens, world.env.year);
}

using testing::count_events;

double series_at(const RunRecord& record, const char* name, std::size_t step) {
    const Series* s = record.aggregate(name);
    REQUIRE(s);
    return s->values.at(step);
}

}  // namespace

TEST_CASE("stricter copyright means fewer usable tokens", "[walls][data]") {
    World lax = tiny_world();
    World strict = tiny_world();
    for (std::size_t r : {us, eu, cn}) set_instrument(strict, r, Instrument::copyright, 0.3);
    compute_usable_tokens(lax);
    compute_usable_tokens(strict);
    for (std::size_t i = 0; i < lax.labs.size(); ++i) {
        if (lax.labs.dormant(i)) continue;  // a slot for a new lab holds no tokens
        CHECK(strict.labs.usable_tokens[i] == Approx(0.3 * lax.labs.usable_tokens[i]));
        CHECK(lax.labs.usable_tokens[i] == Approx(lax.env.open_tokens));
    }
}

TEST_CASE("strict copyright reaches licensed tokens too", "[walls][data]") {
    ScenarioConfig config = testing::tiny_config(6);
    config.data.exclusive_min_cash_usd = 1e30;
    World lax = tiny_world(config);
    for (std::size_t p = 0; p < lax.data_providers.size(); ++p) lax.data_providers.openness[p] = 0.2;
    lax.env.open_tokens = open_tokens(lax.data_providers);
    lax.labs.cash_usd[0] = 1e13;
    lax.labs.run_target_flop[0] = 1e30;
    phase_data_market(data_market_io(lax));
    REQUIRE(lax.labs.licensed_tokens[0] > 0);
    World strict = lax;
    for (std::size_t r : {us, eu, cn}) set_instrument(strict, r, Instrument::copyright, 0.3);
    compute_usable_tokens(strict);
    CHECK(strict.labs.licensed_tokens[0] == Approx(lax.labs.licensed_tokens[0]));
    // New text the lab paid for is its own: the regime does not reach it.
    const double produced = lax.labs.produced_tokens[0];
    CHECK(strict.labs.usable_tokens[0] ==
          Approx(0.3 * (lax.labs.usable_tokens[0] - produced) + produced));
    CHECK(strict.labs.usable_tokens[0] < 0.3 * lax.env.open_tokens + lax.labs.licensed_tokens[0]);
}

TEST_CASE("data providers close to crawlers as AI pressure rises", "[walls][data]") {
    World world = tiny_world();
    DataProviderTable calm = world.data_providers;
    DataProviderTable pressed = world.data_providers;
    DataPressure none;
    DataPressure full;
    full.ai_pressure = 1.0;
    update_data_providers(calm, world.config.data, world.env.human_stock_tokens, none, 1.0, 0,
                          calm.size());
    update_data_providers(pressed, world.config.data, world.env.human_stock_tokens, full, 1.0, 0,
                          pressed.size());
    for (std::size_t i = 0; i < calm.size(); ++i) {
        CHECK(calm.openness[i] == Approx(world.data_providers.openness[i]));
        CHECK(pressed.openness[i] < calm.openness[i]);
    }
    CHECK(open_tokens(pressed) < open_tokens(calm));
}

TEST_CASE("a lab short of data licenses closed tokens, shared with up to max_licensees labs",
          "[walls][data]") {
    ScenarioConfig config = testing::tiny_config(6);
    config.data.exclusive_min_cash_usd = 1e30;  // no exclusive deals here
    World world = tiny_world(config);
    for (std::size_t p = 0; p < world.data_providers.size(); ++p) world.data_providers.openness[p] = 0.2;
    world.env.open_tokens = open_tokens(world.data_providers);
    for (std::size_t lab : {std::size_t{0}, std::size_t{1}}) {
        world.labs.cash_usd[lab] = 1e13;
        world.labs.run_target_flop[lab] = 1e30;  // needs far more data than is open
    }
    compute_usable_tokens(world);
    const double before = world.labs.usable_tokens[0];
    phase_data_market(data_market_io(world));
    CHECK(world.labs.usable_tokens[0] > before);
    CHECK(world.labs.licensed_tokens[0] > 0);
    CHECK(count_events(world, EventType::licence) >= 2);
    // Both labs licensed the cheapest provider: a provider takes up to
    // data.max_licensees (3) labs.
    std::size_t shared = 0;
    for (std::size_t p = 0; p < world.data_providers.size(); ++p)
        shared += world.data_providers.licensees[p] >= 2 ? 1 : 0;
    CHECK(shared >= 1);
}

TEST_CASE("an exclusive deal takes a provider's tokens out of everyone else's reach", "[walls][data]") {
    ScenarioConfig config = testing::tiny_config(6);
    config.data.exclusive_min_cash_usd = 1e9;
    World world = tiny_world(config);
    world.labs.cash_usd[0] = 1e14;
    world.labs.run_target_flop[0] = 1e30;
    const double open_before = open_tokens(world.data_providers);
    phase_data_market(data_market_io(world));
    REQUIRE(count_events(world, EventType::exclusive_deal) == 1);
    CHECK(open_tokens(world.data_providers) < open_before);
    std::size_t exclusive = 0;
    for (std::size_t p = 0; p < world.data_providers.size(); ++p)
        if (world.data_providers.exclusive_lab[p] == 0) exclusive = p;
    CHECK(world.labs.licensed_tokens[0] >= world.data_providers.stock_tokens[exclusive]);
}

TEST_CASE("replacing human data with synthetic data ends with higher loss than accumulating",
          "[walls][synthetic]") {
    const ScalingLaw law = ScalingLaw::from(ScalingConfig{});
    const double unique = 1e12;  // far below what the runs want
    SyntheticPlan accumulate;
    accumulate.mode = SyntheticMode::accumulate;
    accumulate.penalty_per_share = 0.3;
    accumulate.generator_params = 1e9;
    SyntheticPlan replace = accumulate;
    replace.mode = SyntheticMode::replace;
    TrainingOutcome acc;
    TrainingOutcome rep;
    double compute = 1e25;
    for (int generation = 0; generation < 5; ++generation, compute *= 10) {
        acc = train_with_synthetic(law, compute, 1.0, unique, accumulate);
        rep = train_with_synthetic(law, compute, 1.0, unique, replace);
        accumulate.previous_penalty = acc.collapse_penalty;
        replace.previous_penalty = rep.collapse_penalty;
    }
    CHECK(rep.loss > acc.loss);
    CHECK(rep.collapse_penalty > 3 * acc.collapse_penalty);  // compounds vs bounded
    CHECK(acc.collapse_penalty <= 0.3 * 0.5 + 1e-12);        // lambda * the largest share
    CHECK(acc.synthetic_share > 0);
    // Synthetic data pays for itself under accumulate: better than human data alone.
    CHECK(acc.kappa >= train(law, compute / 10, 1.0, unique).kappa);
}

TEST_CASE("an active restrictive influencer raises stringency", "[walls][regulation]") {
    ScenarioConfig config = testing::tiny_config(8);
    InfluencerConfig figure;
    figure.name = "figure";
    figure.stance = 1.0;
    figure.start_year = 2021.0;
    figure.end_year = 2100;
    figure.weight = {0.5, 0.0, 0.0};
    config.influencers.push_back(figure);
    const RunRecord with = run(config);
    config.influencers.clear();
    const RunRecord without = run(config);
    CHECK(series_at(with, "stringency_us", 2) == Approx(series_at(without, "stringency_us", 2)));
    CHECK(series_at(with, "stringency_us", 20) > series_at(without, "stringency_us", 20) + 0.2);
    CHECK(series_at(with, "stringency_eu", 20) == Approx(series_at(without, "stringency_eu", 20)).margin(0.02));
}

TEST_CASE("instruments switch on only after the legislative delay", "[walls][regulation]") {
    World world = tiny_world();
    RegulatorConfig config = world.config.regulators.us;
    config.compute_threshold_on = 0.2;
    config.legislative_delay_quarters = 4;
    world.regulators.base_stringency[us] = 0.9;
    world.regulators.stringency[us] = 0.9;
    for (std::int32_t step = 0; step < 4; ++step) {
        update_regulator(world.regulators, config, us, step, TimeConfig{});
        CHECK_FALSE(world.regulators.is_active(us, Instrument::compute_threshold));
    }
    const auto changes = update_regulator(world.regulators, config, us, 4, TimeConfig{});
    CHECK(world.regulators.is_active(us, Instrument::compute_threshold));
    CHECK_FALSE(changes.empty());
}

TEST_CASE("dated policy events set instruments that stringency no longer moves", "[walls][regulation]") {
    ScenarioConfig config = testing::tiny_config(6);
    PolicyEventConfig cap;
    cap.year = 2021.0;
    cap.regulator = "eu";
    cap.instrument = "training_cap_flop";
    cap.value = 1e24;
    config.policy_events.push_back(cap);
    World world = tiny_world(config);
    for (int s = 0; s < 4; ++s) step(world);
    CHECK_FALSE(world.regulators.is_active(eu, Instrument::training_cap));
    step(world);
    CHECK(world.regulators.is_active(eu, Instrument::training_cap));
    CHECK(world.regulators.value_of(eu, Instrument::training_cap) == 1e24);
    CHECK(count_events(world, EventType::policy) == 1);
}

namespace {

// The US compute threshold after a law in 2021 and its repeal in 2022, with
// US stringency held far above the threshold's switch-on level until 2026.
bool threshold_active_after_repeal(const std::string& then) {
    ScenarioConfig config = testing::tiny_config(6);
    config.regulators.us.compute_threshold_on = 0.2;
    config.regulators.us.legislative_delay_quarters = 1;
    PolicyEventConfig law;
    law.year = 2021.0;
    law.regulator = "us";
    law.instrument = "compute_threshold_flop";
    law.value = 1e26;
    PolicyEventConfig repeal = law;
    repeal.year = 2022.0;
    repeal.enabled = false;
    repeal.then = then;
    config.policy_events = {law, repeal};
    World world = tiny_world(config);
    for (int s = 0; s < 24; ++s) {
        world.regulators.base_stringency[us] = 0.9;
        step(world);
    }
    return world.regulators.is_active(us, Instrument::compute_threshold);
}

}  // namespace

TEST_CASE("a repealed instrument stays repealed unless the event hands it to the regulator",
          "[walls][regulation]") {
    // then: hold (the default): the repeal stands however strict the US gets.
    CHECK_FALSE(threshold_active_after_repeal("hold"));
    // then: regulator: stringency above the threshold brings it back.
    CHECK(threshold_active_after_repeal("regulator"));
}

TEST_CASE("a training cap caps training compute", "[walls][regulation]") {
    ScenarioConfig config = testing::tiny_config(6);
    for (const char* r : {"us", "eu", "cn"}) {
        PolicyEventConfig cap;
        cap.year = 2020.0;
        cap.regulator = r;
        cap.instrument = "training_cap_flop";
        cap.value = 5e23;
        config.policy_events.push_back(cap);
    }
    config.labs.frontier.initial_cash_usd = 1e11;
    const RunRecord capped = run(config);
    std::size_t releases = 0;
    for (const EventRow& e : capped.events)
        if (e.type == static_cast<std::int32_t>(EventType::release)) {
            ++releases;
            CHECK(e.amount <= 5e23 * (1 + 1e-9));
        }
    CHECK(releases > 0);
    config.policy_events.clear();
    const RunRecord free = run(config);
    CHECK(series_at(free, "largest_run_flop", 23) > 5e23);
}

TEST_CASE("a lab capped at home trains abroad when it can", "[walls][regulation]") {
    World world = tiny_world();
    phase_environment(environment_io(world));
    set_instrument(world, us, Instrument::training_cap, 1e22);
    const std::size_t lab = 0;
    REQUIRE(world.labs.region[lab] == Region::us);
    world.labs.cash_usd[lab] = 1e13;
    world.labs.last_run_start_step[lab] = -100;
    phase_decide(decide_io(world));
    CHECK(world.labs.run_region[lab] != Region::us);
    CHECK(count_events(world, EventType::relocation) >= 1);
    // Export controls of the host against the lab's home bar the move.
    World barred = tiny_world();
    barred.config.regulators.eu.export_control_target = "us";
    barred.config.regulators.cn.export_control_target = "us";
    phase_environment(environment_io(barred));
    set_instrument(barred, us, Instrument::training_cap, 1e22);
    set_instrument(barred, eu, Instrument::export_controls, 0.5);
    set_instrument(barred, cn, Instrument::export_controls, 0.5);
    barred.labs.cash_usd[lab] = 1e13;
    barred.labs.last_run_start_step[lab] = -100;
    phase_decide(decide_io(barred));
    CHECK(barred.labs.run_region[lab] == Region::us);
    CHECK(barred.labs.run_target_flop[lab] <= 1e22);
}

TEST_CASE("runs above the threshold pay for compliance and wait, or risk fines", "[walls][regulation]") {
    ScenarioConfig config = testing::tiny_config(6);
    config.labs.compliance_propensity = 1.0;
    World world = tiny_world(config);
    phase_environment(environment_io(world));
    set_instrument(world, us, Instrument::compute_threshold, 1e10);
    world.labs.cash_usd[0] = 1e13;
    world.labs.last_run_start_step[0] = -100;
    phase_decide(decide_io(world));
    CHECK(world.labs.compliance_usd[0] > 0);
    CHECK(world.labs.run_start_step[0] > world.step);  // waiting for approval
    CHECK(count_events(world, EventType::compliance) >= 1);

    config.labs.compliance_propensity = 0.0;
    config.regulators.us.detection_probability = 1.0;
    World evader = tiny_world(config);
    phase_environment(environment_io(evader));
    set_instrument(evader, us, Instrument::compute_threshold, 1e10);
    evader.labs.cash_usd[0] = 1e13;
    evader.labs.last_run_start_step[0] = -100;
    phase_decide(decide_io(evader));
    REQUIRE(evader.labs.run_evading[0] == 1);
    const double cash = evader.labs.cash_usd[0];
    check_evasion(train_and_release_io(evader), 0, 1e24);
    CHECK(evader.labs.cash_usd[0] < cash);
    CHECK(evader.labs.fines_usd[0] >= config.regulators.us.fine_floor_usd);
}

TEST_CASE("export controls cut the barred region's compute", "[walls][energy]") {
    ScenarioConfig config = testing::tiny_config(8);
    config.compute.providers = 6;
    config.compute.external_demand_growth_per_year = 3.0;  // demand that outruns supply
    PolicyEventConfig controls;
    controls.year = 2020.0;
    controls.regulator = "us";
    controls.instrument = "export_control_share";
    controls.value = 0.9;
    config.policy_events.push_back(controls);
    const RunRecord with = run(config);
    config.policy_events.clear();
    config.regulators.us.export_controls_on = 2.0;  // never on by itself
    const RunRecord without = run(config);
    const auto cn_capacity = [](const RunRecord& r, std::size_t step) {
        for (const MarketRecord& m : r.markets)
            if (m.market == "compute") return m.columns[2].at(step, 2);
        return 0.0;
    };
    CHECK(cn_capacity(with, 30) < 0.8 * cn_capacity(without, 30));
    const auto us_capacity = [](const RunRecord& r, std::size_t step) {
        for (const MarketRecord& m : r.markets)
            if (m.market == "compute") return m.columns[2].at(step, 0);
        return 0.0;
    };
    CHECK(us_capacity(with, 30) == Approx(us_capacity(without, 30)).epsilon(0.2));
}

TEST_CASE("power limits bind data-centre capacity", "[walls][energy]") {
    ScenarioConfig config = testing::tiny_config(6);
    for (Region r : {Region::us, Region::eu, Region::cn}) {
        config.regions[r].power_gw_2020 = 0.001;
        config.regions[r].power_growth_per_year = 1.0;
    }
    World world = tiny_world(config);
    for (int s = 0; s < 8; ++s) step(world);
    for (std::size_t p = 0; p < world.compute_providers.size(); ++p) {
        const auto r = static_cast<std::size_t>(world.compute_providers.region[p]);
        CHECK(world.compute_providers.capacity_flop[p] <=
              world.compute_market.power_ceiling[r] * (1 + 1e-9));
    }
    double capacity = 0;
    double ceiling = 0;
    for (std::size_t r = 0; r < 3; ++r) {
        capacity += world.compute_market.capacity[r];
        ceiling += world.compute_market.power_ceiling[r];
    }
    CHECK(capacity <= ceiling * (1 + 1e-9));
    CHECK(capacity > 0.5 * ceiling);  // binding, not idle
}

namespace {

// A tiny world one step in, whose compute demand in every region would draw
// `times` the power there is; update_power runs once.
World power_world(double times, double lead_time_years = 4.0) {
    ScenarioConfig config = testing::tiny_config();
    for (Region r : {Region::us, Region::eu, Region::cn}) {
        config.regions[r].power_lead_time_years = lead_time_years;
        config.regions[r].power_growth_per_year = 10.0;  // build-out never binds here
    }
    World world = tiny_world(config);
    update_environment(world.env, world.config, 0);
    update_power(world.config, world.env, 0, world.compute_providers, world.regulators,
                 world.compute_market);
    for (std::size_t r = 0; r < 3; ++r)
        world.compute_market.demand[r] = times * world.compute_market.power_ceiling[r];
    world.step = 1;
    return world;
}

void step_power(World& world) {
    update_power(world.config, world.env, world.step, world.compute_providers, world.regulators,
                 world.compute_market);
}

}  // namespace

TEST_CASE("power permitting caps new power per year", "[walls][energy]") {
    World world = power_world(10);
    set_instrument(world, us, Instrument::power_permitting, 0.1);
    const double before = world.regulators.power_gw[us];
    const double eu_before = world.regulators.power_gw[eu];
    step_power(world);
    CHECK(world.regulators.power_gw[us] - before <= 0.1 * world.config.dt_years() + 1e-12);
    CHECK(world.regulators.power_gw[eu] > eu_before);
}

TEST_CASE("power follows what data centres want, with the lead time as time constant", "[walls][energy]") {
    World slow = power_world(2, 8.0);
    World fast = power_world(2, 1.0);
    World idle = power_world(0.5, 1.0);
    const double before = slow.regulators.power_gw[us];
    REQUIRE(fast.regulators.power_gw[us] == before);
    step_power(slow);
    step_power(fast);
    step_power(idle);
    const double slow_added = slow.regulators.power_gw[us] - before;
    CHECK(slow_added > 0);
    CHECK(fast.regulators.power_gw[us] - before > 5 * slow_added);
    // Wanted power at or below what there is adds nothing (providers'
    // headroom aside: half of it is wanted here).
    CHECK(idle.regulators.power_gw[us] == before);
    // Toward the target: (2 x headroom - 1) x P x (1 - exp(-dt / lead time)),
    // the tiny world's demand not growing.
    const double dt = fast.config.dt_years();
    const double target = 2 * (1 + fast.config.compute.capacity_headroom) * before;
    CHECK(fast.regulators.power_gw[us] - before ==
          Approx((target - before) * (1 - std::exp(-dt / 1.0))).epsilon(1e-9));
}

TEST_CASE("scarce power raises the price of electricity in its region", "[walls][energy]") {
    World scarce = power_world(4);
    const double before = scarce.regulators.power_gw[us];
    step_power(scarce);
    // At elasticity 1 the multiplier is the power wanted (4x what there was)
    // over the power there is now.
    CHECK(scarce.compute_market.energy_price_multiplier[us] ==
          Approx(4 * before / scarce.regulators.power_gw[us]).epsilon(1e-9));
    CHECK(scarce.compute_market.energy_price_multiplier[us] > 1.0);
    World ample = power_world(0.5);
    step_power(ample);
    CHECK(ample.compute_market.energy_price_multiplier[us] == 1.0);
    // The scarcity price reaches the providers' unit cost through the costs
    // of their region.
    const auto costs = scarce.compute_market.costs(scarce.env.costs);
    CHECK(costs[us].energy_usd_per_flop > scarce.env.costs.energy_usd_per_flop);
    CHECK(costs[us].hardware_usd_per_flop == scarce.env.costs.hardware_usd_per_flop);
}

TEST_CASE("incidents raise public concern in the lab's region, and some elsewhere", "[walls][incidents]") {
    ScenarioConfig config = testing::tiny_config(6);
    config.incidents.base_rate_per_year = 1e6;  // certain
    config.labs.safety_share_of_opex = 0.0;
    World world = tiny_world(config);
    phase_environment(environment_io(world));
    settle_incidents(train_and_release_io(world));
    // Every lab with a model has one (dormant slots for new labs have none).
    CHECK(count_events(world, EventType::incident) == static_cast<std::size_t>(config.labs.count));
    for (std::size_t r = 0; r < 3; ++r) CHECK(world.regulators.incident_concern[r] > 0);
    ScenarioConfig calm = testing::tiny_config(6);
    calm.incidents.base_rate_per_year = 0.0;
    World quiet = tiny_world(calm);
    phase_environment(environment_io(quiet));
    settle_incidents(train_and_release_io(quiet));
    CHECK(count_events(quiet, EventType::incident) == 0);
}

TEST_CASE("safety spending lowers the incident rate", "[walls][incidents]") {
    ScenarioConfig careless = testing::tiny_config(20);
    careless.labs.count = 40;
    careless.incidents.base_rate_per_year = 0.3;
    careless.labs.safety_share_of_opex = 0.0;
    ScenarioConfig careful = careless;
    careful.labs.safety_share_of_opex = 0.2;
    CHECK(series_at(run(careful), "incidents", 79) < 0.6 * series_at(run(careless), "incidents", 79));
}
