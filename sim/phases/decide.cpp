// Phase 2, decide: labs plan runs, bid for compute and ask for money (in
// parallel, each writing its own intent), the plans take effect in lab
// order; investors set their budgets; compute providers plan capacity within
// the limits of power and export controls.

#include <algorithm>
#include <array>
#include <limits>
#include <span>
#include <string>

#include "base/parallel.hpp"
#include "sim/phases/phases.hpp"

namespace airace {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// The regulation a lab sees where it would train.
void fill_regulation_context(const RegulatorTable& regulators, const RegulatorsConfig& configs,
                             const TimeConfig& time, LabContext& context) {
    const double steps_per_quarter = time.steps_per_quarter();
    for (std::size_t r = 0; r < static_cast<std::size_t>(region_count); ++r) {
        const RegulatorConfig& config = configs[static_cast<Region>(r)];
        context.training_cap[r] = regulators.is_active(r, Instrument::training_cap)
                                      ? regulators.value_of(r, Instrument::training_cap)
                                      : infinity;
        context.threshold[r] = regulators.is_active(r, Instrument::compute_threshold)
                                   ? regulators.value_of(r, Instrument::compute_threshold)
                                   : infinity;
        context.cap_effective[r] = config.training_cap_effective;
        // Compliance weighs more the stricter the regulator is beyond the
        // level at which oversight switches on.
        const double burden = compliance_burden(config, regulators.stringency[r]);
        context.compliance_fixed[r] = config.compliance_fixed_usd * burden;
        context.compliance_share[r] = config.compliance_share * burden;
        context.approval_delay[r] = config.approval_delay_quarters * steps_per_quarter * burden;
        for (std::size_t home = 0; home < static_cast<std::size_t>(region_count); ++home)
            context.barred[home][r] = false;
    }
    // Export controls of regulator r bar labs of the target region from
    // training on r's compute.
    for (std::size_t r = 0; r < regulators.size(); ++r) {
        const std::string& target = configs[regulators.region[r]].export_control_target;
        if (target == "none" || !regulators.is_active(r, Instrument::export_controls)) continue;
        context.barred[region_index(target)][r] = true;
    }
}

// The largest model an active lab has deployed (0 when none has).
double largest_model_flop(const LabTable& labs) {
    double largest = 0;
    for (std::size_t i = 0; i < labs.size(); ++i)
        if (labs.active(i)) largest = std::max(largest, labs.model_flop[i]);
    return largest;
}

// Investors' mean sentiment at the end of the last step, in investor order.
double mean_sentiment(const InvestorTable& investors) {
    double sum = 0;
    for (double s : investors.sentiment) sum += s;
    return investors.size() > 0 ? sum / static_cast<double>(investors.size()) : 0.0;
}

// What every lab decides from: the step, last prices, demand at the
// current adoption, regulation, and for a dormant slot the chance of a
// founding attempt.
LabContext lab_context(const DecideIO& io, std::span<const ComputeCosts> costs) {
    const Environment& env = io.env;
    const double dt = io.config.dt_years();
    LabContext context;
    context.config = &io.config;
    context.step = io.step;
    context.year = env.year;
    context.expected_price = io.compute_market.price;
    for (std::size_t r = 0; r < costs.size(); ++r) context.unit_cost[r] = costs[r].unit();
    context.value_usd_per_token = env.value_usd_per_token;
    const DemandState demand = current_demand(io.config, io.regulators, io.frontier_kappa);
    context.revenue_pool_usd =
        revenue_pool_per_year(demand, env.adoption, env.addressable_spend_usd_per_year) * dt;
    // A run is bought over run_quarters (in whole steps) at one site.
    const double run_seconds =
        io.config.run_steps() * dt * seconds_per_year;
    context.training_flop_per_hardware_flop = env.training_flop_per_hardware_flop;
    context.site_run_flop =
        env.site_power_w * run_seconds * env.flop_per_joule * env.training_flop_per_hardware_flop;
    context.seed = io.seed;
    std::size_t dormant = 0;
    for (std::size_t i = 0; i < io.labs.size(); ++i) dormant += io.labs.dormant(i) ? 1 : 0;
    context.entry_probability = entry_probability(io.config.labs, mean_sentiment(io.investors), dt, dormant);
    context.largest_model_flop = largest_model_flop(io.labs);
    fill_regulation_context(io.regulators, io.config.regulators, io.config.time, context);
    return context;
}

// A new run starts (after approval, where it needs one): where it trains,
// whether it relocated, what compliance it paid.
void start_run(const DecideIO& io, std::size_t i, const LabIntent& intent) {
    LabTable& labs = io.labs;
    labs.run_target_flop[i] = intent.run_target_flop;
    labs.run_done_flop[i] = 0;
    labs.run_spend_usd[i] = 0;
    labs.run_start_step[i] = io.step + intent.start_delay;
    labs.last_run_start_step[i] = io.step;
    labs.postponed[i] = 0;
    labs.run_region[i] = intent.run_region;
    labs.run_evading[i] = intent.evade ? 1 : 0;
    const auto host = static_cast<std::size_t>(intent.run_region);
    const double price = io.compute_market.price[host] / io.env.training_flop_per_hardware_flop;
    io.events.emit(EventType::run_started, AgentKind::lab, index32(i), AgentKind::world, -1,
                   intent.run_target_flop, intent.run_target_flop * price);
    if (intent.relocated) {
        labs.cash_usd[i] -= intent.relocation_usd;
        io.events.emit(EventType::relocation, AgentKind::lab, index32(i), AgentKind::regulator,
                       static_cast<std::int64_t>(host), intent.run_target_flop, intent.relocation_usd);
    }
    if (intent.compliance_usd > 0) {
        labs.cash_usd[i] -= intent.compliance_usd;
        labs.compliance_usd[i] += intent.compliance_usd;
        io.events.emit(EventType::compliance, AgentKind::lab, index32(i), AgentKind::regulator,
                       static_cast<std::int64_t>(host), intent.compliance_usd, intent.run_target_flop);
    }
}

// Plans take effect in lab order.
void apply_plans(const DecideIO& io, std::span<const LabIntent> intents) {
    LabTable& labs = io.labs;
    for (std::size_t i = 0; i < labs.size(); ++i) {
        const LabIntent& intent = intents[i];
        labs.inference_flop_wanted[i] = intent.inference_flop_needed;
        labs.served_param_share[i] = intent.served_param_share;
        labs.task_cost_ratio[i] = intent.task_cost_ratio;
        if (intent.start_run) {
            start_run(io, i, intent);
            if (intent.site_limited)
                io.events.emit(EventType::site_power_limit, AgentKind::lab, index32(i),
                               AgentKind::world, -1, intent.run_wanted_flop, intent.run_target_flop);
        } else if (intent.postpone && !labs.postponed[i]) {
            labs.postponed[i] = 1;
            io.events.emit(EventType::run_postponed, AgentKind::lab, index32(i), AgentKind::world,
                           -1, intent.run_wanted_flop, labs.cash_usd[i]);
        }
    }
}

// Capacity ceilings from power and export controls, per provider.
void capacity_limits(const ComputeProviderTable& providers, const RegulatorTable& regulators,
                     const RegulatorsConfig& configs, const ComputeMarketState& market,
                     CapacityLimits& limits) {
    limits.ceiling.assign(providers.size(), infinity);
    limits.supply_share.assign(providers.size(), 1.0);
    std::array<double, region_count> capacity{};
    for (std::size_t p = 0; p < providers.size(); ++p)
        capacity[static_cast<int>(providers.region[p])] += providers.capacity_flop[p];
    for (std::size_t p = 0; p < providers.size(); ++p) {
        const auto r = static_cast<std::size_t>(providers.region[p]);
        const double share = capacity[r] > 0 ? providers.capacity_flop[p] / capacity[r] : 0.0;
        limits.ceiling[p] = market.power_ceiling[r] * share;
        // Export controls bar a share of the region's chip supply.
        for (std::size_t x = 0; x < regulators.size(); ++x) {
            const std::string& target = configs[regulators.region[x]].export_control_target;
            if (target != "none" && region_index(target) == r &&
                regulators.is_active(x, Instrument::export_controls))
                limits.supply_share[p] *= 1.0 - regulators.value_of(x, Instrument::export_controls);
        }
    }
}

}  // namespace

void phase_decide(const DecideIO& io) {
    const ScenarioConfig& config = io.config;
    LabTable& labs = io.labs;
    auto& intents = io.plans.intents;
    intents.assign(labs.size(), LabIntent{});
    // Unit costs per region this step: what labs expect to pay and what
    // providers plan capacity against.
    const auto costs = io.compute_market.costs(io.env.costs);
    const LabContext context = lab_context(io, costs);
    parallel_for(labs.size(), agent_grain, [&](std::size_t b, std::size_t e) {
        decide_labs(labs, context, b, e, intents);
    });
    apply_plans(io, intents);
    parallel_for(io.investors.size(), investor_grain, [&](std::size_t b, std::size_t e) {
        decide_budgets(io.investors, config.investors, config.dt_years(), b, e);
    });
    CapacityLimits& limits = io.capacity;
    capacity_limits(io.compute_providers, io.regulators, config.regulators, io.compute_market,
                    limits);
    parallel_for(io.compute_providers.size(), agent_grain, [&](std::size_t b, std::size_t e) {
        plan_capacity(io.compute_providers, config.compute, costs, config.dt_years(),
                      limits.ceiling, limits.supply_share, b, e);
    });
}

}  // namespace airace
