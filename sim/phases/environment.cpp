// Phase 1, environment: the exogenous trends (sim/environment.cpp), the
// scenario's dated policy events, influencers' active periods, regional
// power for AI data centres and the data providers' stocks, openness and
// prices. Also switch_config(), which makes a fork follow a new config.

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "sim/phases/phases.hpp"

namespace airace {
namespace {

// The instrument a policy event's key names; none for "stringency".
std::optional<Instrument> instrument_of(const std::string& name) {
    if (name == "compute_threshold_flop") return Instrument::compute_threshold;
    if (name == "training_cap_flop") return Instrument::training_cap;
    if (name == "copyright_usable_share") return Instrument::copyright;
    if (name == "power_permitting_gw_per_year") return Instrument::power_permitting;
    if (name == "export_control_share") return Instrument::export_controls;
    return std::nullopt;
}

// Dated policy events of the scenario take effect, and a fork's overdue ones.
void apply_policy_events(const EnvironmentIO& io, const EventLog& log) {
    const double start = io.env.year;
    const double end = start + io.config.dt_years();
    RegulatorTable& regulators = io.regulators;
    std::vector<PolicyEventConfig> events = io.config.policy_events;
    events.insert(events.end(), io.pending_policy_events.begin(), io.pending_policy_events.end());
    io.pending_policy_events.clear();
    for (const PolicyEventConfig& event : events) {
        // An event dated before the run starts applies in the first step.
        const bool due = (event.year >= start && event.year < end) ||
                         (io.step == 0 && event.year < start);
        if (!due) continue;
        const std::size_t r = region_index(event.regulator);
        const std::optional<Instrument> instrument = instrument_of(event.instrument);
        if (!instrument) {  // "stringency": a new base level from this date (an index in [0, 1])
            regulators.base_stringency[r] = std::clamp(event.value, 0.0, 1.0);
            log.emit(EventType::policy, AgentKind::regulator, index32(r), AgentKind::world, -1, -1,
                     event.value);
            continue;
        }
        // A decision (a law or its repeal) holds until a later event, unless
        // the event hands the instrument to the regulator's own threshold
        // rule (then: regulator), which may switch it again later.
        const std::size_t s = regulators.slot(r, *instrument);
        regulators.value[s] = event.value;
        regulators.active[s] = event.enabled ? 1 : 0;
        regulators.scripted[s] = event.then == "hold" ? 1 : 0;
        regulators.pending_since[s] = -1;
        log.emit(EventType::policy, AgentKind::regulator, index32(r), AgentKind::world, -1,
                 static_cast<double>(*instrument), event.enabled ? event.value : 0.0);
    }
}

// Influencers' active periods. Stance, weights and periods come from the
// current config, so a fork that adds or changes an influencer acts from the
// fork date on; the table may hold more slots than the config (a fork's
// influencers).
void update_influencers(const std::vector<InfluencerConfig>& configured, double year,
                        InfluencerTable& influencers, Network& network) {
    for (std::size_t k = 0; k < influencers.size(); ++k) {
        if (k >= configured.size()) {  // a slot of a fork's later influencer
            influencers.active[k] = 0.0;
            influencers.stance[k] = 0.0;
            for (std::size_t r = 0; r < static_cast<std::size_t>(region_count); ++r)
                influencers.weight[k * region_count + r] = 0.0;
            continue;
        }
        const InfluencerConfig& c = configured[k];
        influencers.stance[k] = c.stance;
        influencers.start_year[k] = c.start_year;
        influencers.end_year[k] = c.end_year;
        for (std::size_t r = 0; r < static_cast<std::size_t>(region_count); ++r)
            influencers.weight[k * region_count + r] = c.weight[r];
        influencers.active[k] = year >= c.start_year && year < c.end_year ? 1.0 : 0.0;
        // Ties to regulators (signed: stance times weight) enter the graph
        // when the influencer first acts.
        if (influencers.active[k] != 0 && !influencers.linked[k]) {
            influencers.linked[k] = 1;
            for (std::size_t r = 0; r < static_cast<std::size_t>(region_count); ++r) {
                const double tie = c.stance * c.weight[r];
                if (tie != 0)
                    network.add(AgentKind::influencer, index32(k), AgentKind::regulator, index32(r),
                                EdgeType::influence, tie);
            }
        }
    }
}

// Data providers' stocks, openness and prices under AI and legal pressure;
// then the open tokens anyone may crawl (env.open_tokens).
void update_data_supply(const DataConfig& config, const LabTable& labs,
                        const RegulatorTable& regulators, double dt, Environment& env,
                        DataProviderTable& providers) {
    DataPressure pressure;
    // AI pressure: how much of the stock the frontier trains on, against
    // data.closing_demand_reference; 1 is full pressure by that key's
    // definition (the sum with legal pressure is capped at 1 as well).
    double frontier_tokens = 0;
    for (std::size_t i = 0; i < labs.size(); ++i)
        if (labs.active(i)) frontier_tokens = std::max(frontier_tokens, labs.model_tokens[i]);
    pressure.ai_pressure =
        std::min(1.0, frontier_tokens / (env.human_stock_tokens * config.closing_demand_reference));
    // Legal pressure: a stricter regulator (and a strict copyright regime) at home.
    for (std::size_t r = 0; r < regulators.size(); ++r)
        pressure.legal_pressure[r] =
            config.legal_pressure_per_stringency * regulators.stringency[r] +
            (regulators.is_active(r, Instrument::copyright) ? config.copyright_legal_pressure : 0.0);
    update_data_providers(providers, config, env.human_stock_tokens, pressure, dt, 0, providers.size());
    env.open_tokens =
        providers.size() > 0 ? open_tokens(providers) : env.human_stock_tokens * config.open_share;
}

}  // namespace

std::size_t region_index(const std::string& key) {
    for (int r = 0; r < region_count; ++r)
        if (region_key(static_cast<Region>(r)) == key) return static_cast<std::size_t>(r);
    return 0;
}

void switch_config(World& world, const ScenarioConfig& config) {
    const auto same = [](const PolicyEventConfig& a, const PolicyEventConfig& b) {
        return a.year == b.year && a.regulator == b.regulator && a.instrument == b.instrument &&
               a.value == b.value && a.enabled == b.enabled;
    };
    std::vector<PolicyEventConfig> overdue;
    const double now = world.config.time.start_year + world.step * world.config.dt_years();
    for (const PolicyEventConfig& event : config.policy_events) {
        const bool known = std::any_of(world.config.policy_events.begin(),
                                       world.config.policy_events.end(),
                                       [&](const PolicyEventConfig& old) { return same(old, event); });
        if (!known && event.year < now) overdue.push_back(event);
    }
    world.config = config;
    // Overdue events take effect in this step, as if dated now.
    for (PolicyEventConfig& event : overdue) event.year = now;
    world.pending_policy_events = std::move(overdue);
}

RegionalDemand regional_demand(const ComputeProviderTable& providers, std::size_t region) {
    RegionalDemand out;
    for (std::size_t p = 0; p < providers.size(); ++p) {
        if (static_cast<std::size_t>(providers.region[p]) != region) continue;
        out.recent += providers.demand_flop[p];
        out.year_ago += providers.least_demand_last_year(p);
    }
    return out;
}

void update_power(const ScenarioConfig& config, const Environment& env, std::int32_t step,
                  const ComputeProviderTable& providers, RegulatorTable& regulators,
                  ComputeMarketState& market) {
    const double dt = config.dt_years();
    const double flop_per_gw_step = watts_per_gigawatt * seconds_per_year * dt * env.flop_per_joule;
    for (std::size_t r = 0; r < regulators.size(); ++r) {
        const RegionConfig& region = config.regions[regulators.region[r]];
        // The power the region's compute demand of last step would draw.
        const double wanted_gw = market.demand[r] / flop_per_gw_step;
        if (step > 0) {
            // Builders plan for that demand (with the providers' headroom)
            // grown over the lead time at its trailing growth (bounded), and
            // close the gap with the lead time as time constant.
            const RegionalDemand demand = regional_demand(providers, r);
            const double growth =
                demand.year_ago > 0 ? std::clamp(demand.recent / demand.year_ago, 1.0,
                                                 config.compute.power_planning_growth_cap)
                                    : 1.0;
            const double target = wanted_gw * (1.0 + config.compute.capacity_headroom) *
                                  std::pow(growth, region.power_lead_time_years);
            double added = (target - regulators.power_gw[r]) *
                           (1.0 - std::exp(-dt / region.power_lead_time_years));
            // Grid and build-out bound the growth; permitting caps the new
            // data-centre power per year.
            added = std::min(added,
                             regulators.power_gw[r] * (std::pow(region.power_growth_per_year, dt) - 1.0));
            if (regulators.is_active(r, Instrument::power_permitting))
                added = std::min(added, regulators.value_of(r, Instrument::power_permitting) * dt);
            regulators.power_gw[r] += std::max(0.0, added);
        }
        market.power_ceiling[r] = regulators.power_gw[r] * flop_per_gw_step;
        // Electricity is dearer where data centres want more power than
        // there is.
        const double scarcity =
            regulators.power_gw[r] > 0 ? wanted_gw / regulators.power_gw[r] : 1.0;
        market.energy_price_multiplier[r] =
            std::pow(std::max(1.0, scarcity), config.compute.energy_scarcity_price_elasticity);
    }
}

void phase_environment(const EnvironmentIO& io) {
    const ScenarioConfig& config = io.config;
    const double dt = config.dt_years();
    update_environment(io.env, config, io.step);
    // The step's events are stamped with its end, from the year just set.
    const EventLog log{io.events, io.step, io.env.year + dt};
    apply_policy_events(io, log);
    update_influencers(config.influencers, io.env.year, io.influencers, io.network);
    update_power(config, io.env, io.step, io.compute_providers, io.regulators, io.compute_market);
    update_data_supply(config.data, io.labs, io.regulators, dt, io.env, io.data_providers);
}

}  // namespace airace
