#include "sim/step.hpp"

#include "base/profile.hpp"
#include "sim/phases/phases.hpp"

namespace airace {

// Each phase's view of the World (sim/phases/phases.hpp): what it reads,
// then what it writes, in the order its view lists them.

BeginStepIO begin_step_io(World& world) {
    return {.events = world.events,
            .totals = world.totals,
            .labs = world.labs,
            .investors = world.investors,
            .compute_providers = world.compute_providers,
            .data_providers = world.data_providers,
            .regulators = world.regulators};
}

EnvironmentIO environment_io(World& world) {
    return {.config = world.config,
            .step = world.step,
            .labs = world.labs,
            .compute_providers = world.compute_providers,
            .env = world.env,
            .pending_policy_events = world.pending_policy_events,
            .regulators = world.regulators,
            .influencers = world.influencers,
            .network = world.network,
            .compute_market = world.compute_market,
            .data_providers = world.data_providers,
            .events = world.events};
}

DecideIO decide_io(World& world) {
    return {.config = world.config,
            .seed = world.seed,
            .step = world.step,
            .frontier_kappa = world.frontier_kappa,
            .env = world.env,
            .regulators = world.regulators,
            .compute_market = world.compute_market,
            .labs = world.labs,
            .investors = world.investors,
            .compute_providers = world.compute_providers,
            .plans = world.messages.plans,
            .capacity = world.messages.capacity,
            .events = event_log(world)};
}

CapitalMarketIO capital_market_io(World& world) {
    return {.config = world.config,
            .step = world.step,
            .frontier_kappa = world.frontier_kappa,
            .plans = world.messages.plans,
            .labs = world.labs,
            .investors = world.investors,
            .network = world.network,
            .book = world.messages.capital,
            .totals = world.totals,
            .events = event_log(world),
            .profiler = world.profiler};
}

ComputeMarketIO compute_market_io(World& world) {
    return {.config = world.config,
            .env = world.env,
            .plans = world.messages.plans,
            .labs = world.labs,
            .compute_providers = world.compute_providers,
            .regulators = world.regulators,
            .compute_market = world.compute_market,
            .network = world.network,
            .orders = world.messages.compute,
            .totals = world.totals};
}

DataMarketIO data_market_io(World& world) {
    return {.config = world.config,
            .env = world.env,
            .regulators = world.regulators,
            .compute_market = world.compute_market,
            .labs = world.labs,
            .data_providers = world.data_providers,
            .network = world.network,
            .book = world.messages.data,
            .totals = world.totals,
            .events = event_log(world)};
}

TrainAndReleaseIO train_and_release_io(World& world) {
    return {.config = world.config,
            .seed = world.seed,
            .step = world.step,
            .env = world.env,
            .labs = world.labs,
            .regulators = world.regulators,
            .frontier_kappa = world.frontier_kappa,
            .data_wall_year = world.data_wall_year,
            .totals = world.totals,
            .events = event_log(world)};
}

ProductMarketIO product_market_io(World& world) {
    return {.config = world.config,
            .step = world.step,
            .regulators = world.regulators,
            .env = world.env,
            .labs = world.labs,
            .totals = world.totals};
}

RegulateIO regulate_io(World& world) {
    return {.config = world.config,
            .step = world.step,
            .frontier_kappa = world.frontier_kappa,
            .labs = world.labs,
            .influencers = world.influencers,
            .regulators = world.regulators,
            .network = world.network,
            .events = event_log(world)};
}

AccountIO account_io(World& world) {
    return {.config = world.config,
            .step = world.step,
            .env = world.env,
            .compute_market = world.compute_market,
            .year = world.year,
            .labs = world.labs,
            .investors = world.investors,
            .compute_providers = world.compute_providers,
            .network = world.network,
            .frontier_kappa = world.frontier_kappa,
            .frontier_gain_year = world.frontier_gain_year,
            .frontier_kappa_history = world.frontier_kappa_history,
            .revenue_history = world.revenue_history,
            .cumulative_bankruptcies = world.cumulative_bankruptcies,
            .cumulative_acquisitions = world.cumulative_acquisitions,
            .cumulative_incidents = world.cumulative_incidents,
            .cumulative_entries = world.cumulative_entries,
            .acquirers = world.messages.acquirers,
            .portfolios = world.messages.portfolios,
            .totals = world.totals,
            .events = event_log(world),
            .profiler = world.profiler};
}

namespace {

// A phase run on the World: its view, made from the World, then the phase.
template <auto phase, auto view>
void on_world(World& world) {
    phase(view(world));
}

}  // namespace

void step(World& world) {
    // begin_step zeroes the step's flows, then the nine phases of
    // docs/model.md section 1 run in order, each timed under its name when a
    // profiler is attached.
    struct Phase {
        const char* name;
        void (*run)(World&);
    };
    static constexpr Phase phases[] = {
        {"0 begin step", on_world<begin_step, begin_step_io>},
        {"1 environment", on_world<phase_environment, environment_io>},
        {"2 decide", on_world<phase_decide, decide_io>},
        {"3 capital market", on_world<phase_capital_market, capital_market_io>},
        {"4 compute market", on_world<phase_compute_market, compute_market_io>},
        {"5 data market", on_world<phase_data_market, data_market_io>},
        {"6 train and release", on_world<phase_train_and_release, train_and_release_io>},
        {"7 product market", on_world<phase_product_market, product_market_io>},
        {"8 regulate", on_world<phase_regulate, regulate_io>},
        {"9 account", on_world<phase_account, account_io>},
    };
    for (const Phase& phase : phases) {
        const ProfileScope scope(world.profiler, phase.name);
        phase.run(world);
    }
    ++world.step;
}

}  // namespace airace
