// build_world: the start state of a run, a pure function of (config, seed),
// and the builds of the World's kinds (their descriptors: sim/kinds.hpp).
// Traits are drawn from Philox streams keyed by (seed, -1, kind, index,
// purpose); regions are assigned by quota so each region's share holds
// exactly (largest remainder), whatever the seed.

#include "sim/world.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "base/parallel.hpp"
#include "base/rng.hpp"
#include "sim/kinds.hpp"
#include "sim/scaling.hpp"

namespace airace {

const char* event_type_name(EventType type) {
    switch (type) {
        case EventType::release: return "release";
        case EventType::run_started: return "run_started";
        case EventType::run_postponed: return "run_postponed";
        case EventType::funding_round: return "funding_round";
        case EventType::round_failed: return "round_failed";
        case EventType::bankruptcy: return "bankruptcy";
        case EventType::acquisition: return "acquisition";
        case EventType::licence: return "licence";
        case EventType::exclusive_deal: return "exclusive_deal";
        case EventType::instrument_on: return "instrument_on";
        case EventType::instrument_off: return "instrument_off";
        case EventType::policy: return "policy";
        case EventType::compliance: return "compliance";
        case EventType::relocation: return "relocation";
        case EventType::fine: return "fine";
        case EventType::incident: return "incident";
        case EventType::data_wall: return "data_wall";
        case EventType::site_power_limit: return "site_power_limit";
        case EventType::generation_delayed: return "generation_delayed";
        case EventType::generation_disappointing: return "generation_disappointing";
        case EventType::lab_entry: return "lab_entry";
    }
    return "unknown";
}

void EventLog::emit(EventType type, AgentKind kind, std::uint32_t agent, AgentKind other_kind,
                    std::int64_t other, double amount, double value) const {
    EventRow row;
    row.step = step;
    row.time = time;
    row.type = static_cast<std::int32_t>(type);
    row.agent_kind = static_cast<std::int32_t>(kind);
    row.agent = agent;
    row.other_kind = static_cast<std::int32_t>(other_kind);
    row.other = other;
    row.amount = amount;
    row.value = value;
    rows.push_back(row);
}

EventLog event_log(World& world) {
    return {world.events, world.step, world.env.year + world.config.dt_years()};
}

void update_frontier(const LabTable& labs, double& frontier_kappa) {
    bool any = false;
    double best = 0;
    for (std::size_t i = 0; i < labs.size(); ++i) {
        if (!labs.active(i) || !labs.has_model(i)) continue;
        best = any ? std::max(best, labs.model_kappa[i]) : labs.model_kappa[i];
        any = true;
    }
    if (any) frontier_kappa = best;
}

namespace {

// Regions for `n` agents in proportion to `shares` (largest remainder), laid
// out so consecutive indices cycle through regions.
std::vector<Region> quota_regions(std::size_t n, const std::array<double, region_count>& shares) {
    std::array<std::size_t, region_count> counts{};
    std::array<double, region_count> remainders{};
    std::size_t assigned = 0;
    for (int r = 0; r < region_count; ++r) {
        const double exact = shares[r] * static_cast<double>(n);
        counts[r] = static_cast<std::size_t>(std::floor(exact));
        remainders[r] = exact - std::floor(exact);
        assigned += counts[r];
    }
    while (assigned < n) {
        const auto r = static_cast<std::size_t>(
            std::max_element(remainders.begin(), remainders.end()) - remainders.begin());
        ++counts[r];
        remainders[r] = -1;
        ++assigned;
    }
    std::vector<Region> out;
    out.reserve(n);
    while (out.size() < n)
        for (int r = 0; r < region_count; ++r)
            if (counts[r] > 0) {
                out.push_back(static_cast<Region>(r));
                --counts[r];
            }
    return out;
}

// Mean-one log-normal factor with log-sd `sigma`.
double spread(const World& world, AgentKind kind, std::size_t i, RngPurpose purpose,
              std::uint32_t draw, double sigma) {
    const RngKey key{world.seed, -1, kind, static_cast<std::uint32_t>(i), purpose};
    return std::exp(sigma * standard_normal(key, draw) - 0.5 * sigma * sigma);
}

template <class Member>
std::array<double, region_count> region_shares(const RegionsConfig& regions, Member member) {
    std::array<double, region_count> shares{};
    for (int r = 0; r < region_count; ++r) shares[r] = regions[static_cast<Region>(r)].*member;
    return shares;
}

}  // namespace

namespace {

// Lab i's traits, drawn from its (seed, -1, lab, i, init_traits) stream: the
// plans of its type, its opex growth, compliance, safety and lobbying.
void draw_lab_traits(World& world, std::size_t i, const LabTypeConfig& t) {
    const ScenarioConfig& config = world.config;
    const LabsConfig& lc = config.labs;
    LabTable& labs = world.labs;
    const auto draw = [&](std::uint32_t k, double sigma) {
        return spread(world, AgentKind::lab, i, RngPurpose::init_traits, k, sigma);
    };
    labs.ambition[i] = t.ambition_per_generation * draw(0, lc.ambition_spread);
    labs.generation_interval[i] =
        t.generation_interval_quarters * config.steps_per_quarter() * draw(1, lc.generation_interval_spread);
    labs.budget_share[i] = std::min(1.0, t.budget_share * draw(2, lc.budget_share_spread));
    labs.opex_growth[i] = t.opex_growth_per_year;
    labs.compliance_propensity[i] = std::clamp(
        lc.compliance_propensity +
            lc.compliance_propensity_sd *
                standard_normal({world.seed, -1, AgentKind::lab, static_cast<std::uint32_t>(i),
                                 RngPurpose::compliance}),
        0.0, 1.0);
    labs.safety_share[i] = lc.safety_share_of_opex * draw(6, lc.safety_share_spread);
    labs.lobbying_share[i] = lc.lobbying_share_of_opex * draw(7, lc.lobbying_share_spread);
}

// A lab of the start: cash, valuation, efficiency and its deployed model.
void build_incumbent(World& world, std::size_t i, const LabTypeConfig& t, const ScalingLaw& law) {
    const ScenarioConfig& config = world.config;
    const LabsConfig& lc = config.labs;
    LabTable& labs = world.labs;
    const double open_tokens = world.env.open_tokens;
    const bool is_frontier = labs.type[i] == LabType::frontier;
    draw_lab_traits(world, i, t);
    // Opex is given per quarter: 4 dt quarters a step (a unit conversion).
    labs.opex_base_usd[i] = t.opex_usd_per_quarter * config.dt_years() * 4.0 *
                            spread(world, AgentKind::lab, i, RngPurpose::init_traits, 3, lc.opex_spread);
    labs.opex_usd[i] = labs.opex_base_usd[i];  // the step before the start paid the base
    labs.cash_usd[i] = t.initial_cash_usd *
                       spread(world, AgentKind::lab, i, RngPurpose::init_traits, 4, lc.initial_cash_spread);
    labs.valuation_usd[i] = lc.initial_valuation_cash_multiple * labs.cash_usd[i];
    // Efficiency is measured against the field's at the start (1 by definition).
    labs.efficiency[i] = is_frontier ? 1.0 : config.algorithms.initial_gap;
    const double flop = t.initial_training_flop * spread(world, AgentKind::lab, i, RngPurpose::init_traits,
                                                         5, t.initial_training_flop_spread);
    const TrainingOutcome outcome = train(law, flop, labs.efficiency[i], open_tokens);
    labs.model_flop[i] = flop;
    labs.model_params[i] = outcome.params;
    labs.model_tokens[i] = outcome.tokens_seen;
    labs.model_loss[i] = outcome.loss;
    labs.model_kappa[i] = outcome.kappa;
    labs.model_score[i] =
        capability_score(outcome.kappa, config.scaling.score_k50, config.scaling.score_width);
    labs.model_cost_usd[i] = flop * world.env.costs.unit();
    labs.model_efficiency[i] = labs.efficiency[i];
    labs.model_data_limited[i] = outcome.data_limited ? 1 : 0;
    for (std::size_t k = 0; k < labs.year.width; ++k) labs.kappa_history[labs.year.first(i) + k] = outcome.kappa;
    // Labs start at different points of their generation cycle.
    const RngKey key{world.seed, -1, AgentKind::lab, static_cast<std::uint32_t>(i),
                     RngPurpose::init_size};
    labs.last_run_start_step[i] =
        -static_cast<std::int32_t>(std::floor(uniform01(key) * labs.generation_interval[i]));
}

}  // namespace

// Rows 0..labs.count-1 are the labs of the start (frontier labs first), the
// labs.entrant_slots rows after them dormant slots for new labs: founded to
// build frontier models, they plan like frontier labs, and have no money,
// model or efficiency until they enter (enter_lab, agents/lab.hpp).
void LabKind::build(World& world) {
    const ScenarioConfig& config = world.config;
    LabTable& labs = world.labs;
    const std::size_t n = labs.size();
    const auto incumbents = static_cast<std::size_t>(config.labs.count);
    const auto frontier = static_cast<std::size_t>(config.labs.frontier_count);
    const auto shares = region_shares(config.regions, &RegionConfig::lab_share);
    const auto frontier_regions = quota_regions(frontier, shares);
    const auto startup_regions = quota_regions(incumbents - frontier, shares);
    const auto entrant_regions = quota_regions(n - incumbents, shares);
    const ScalingLaw law = ScalingLaw::from(config.scaling);
    for (std::size_t i = 0; i < n; ++i) {
        const bool is_frontier = i < frontier;
        const bool is_entrant = i >= incumbents;
        labs.type[i] = is_frontier ? LabType::frontier : is_entrant ? LabType::entrant : LabType::startup;
        labs.region[i] = is_frontier ? frontier_regions[i]
                         : is_entrant ? entrant_regions[i - incumbents]
                                      : startup_regions[i - frontier];
        labs.name[i] = fmt::format("{}-{:03d}", lab_type_name(labs.type[i]), i);
        labs.reasoning_intensity[i] = 1.0;
        labs.run_region[i] = labs.region[i];
        if (is_entrant) {
            draw_lab_traits(world, i, config.labs.frontier);
            labs.status[i] = LabStatus::dormant;
        } else {
            labs.usable_tokens[i] = world.env.open_tokens;
            build_incumbent(world, i, is_frontier ? config.labs.frontier : config.labs.startup, law);
        }
    }
    // Equal revenue shares among the first models until the market runs.
    for (std::size_t i = 0; i < incumbents; ++i)
        labs.revenue_share[i] = 1.0 / static_cast<double>(incumbents);
}

void InvestorKind::build(World& world) {
    const ScenarioConfig& config = world.config;
    InvestorTable& investors = world.investors;
    const std::size_t n = investors.size();
    const std::size_t corporate = static_cast<std::size_t>(config.investors.corporate_count);
    const auto shares = region_shares(config.regions, &RegionConfig::investor_share);
    const auto corporate_regions = quota_regions(corporate, shares);
    const auto venture_regions = quota_regions(n - corporate, shares);
    // Each investor's row alone, from its own draws: in parallel.
    parallel_for(n, 1024, [&](std::size_t first, std::size_t last) {
        for (std::size_t i = first; i < last; ++i) {
            const bool is_corporate = i < corporate;
            const InvestorTypeConfig& t =
                is_corporate ? config.investors.corporate : config.investors.venture;
            investors.type[i] = is_corporate ? InvestorType::corporate : InvestorType::venture;
            investors.region[i] = is_corporate ? corporate_regions[i] : venture_regions[i - corporate];
            investors.name[i] = fmt::format("{}-{:03d}", is_corporate ? "corporate" : "venture", i);
            const auto draw = [&](std::uint32_t k, double sigma) {
                return spread(world, AgentKind::investor, i, RngPurpose::init_traits, k, sigma);
            };
            investors.aum_usd[i] = t.aum_usd * draw(0, config.investors.aum_spread);
            investors.aum_growth[i] = t.aum_growth_per_year;
            investors.ai_share[i] = t.ai_share * draw(1, config.investors.ai_share_spread);
            investors.wow_sensitivity[i] =
                config.investors.wow_sensitivity * draw(2, config.investors.wow_sensitivity_spread);
            investors.expected_wow[i] = config.investors.initial_expected_wow;
        }
    });
}

void ComputeProviderKind::build(World& world) {
    const ScenarioConfig& config = world.config;
    ComputeProviderTable& providers = world.compute_providers;
    const std::size_t n = providers.size();
    const auto shares = region_shares(config.regions, &RegionConfig::compute_share);
    const auto regions = quota_regions(n, shares);
    std::array<std::size_t, region_count> in_region{};
    for (Region r : regions) ++in_region[static_cast<int>(r)];
    // Capacity is given per quarter: 4 dt quarters a step (a unit conversion).
    const double total = config.compute.initial_capacity_flop_per_quarter * 4.0 * config.dt_years();
    for (std::size_t i = 0; i < n; ++i) {
        providers.region[i] = regions[i];
        providers.name[i] = fmt::format("cloud-{:03d}-{}", i, region_key(regions[i]));
        const auto r = static_cast<int>(regions[i]);
        providers.capacity_flop[i] = total * shares[r] / static_cast<double>(in_region[r]);
        providers.sold_flop[i] = config.compute.initial_utilisation * providers.capacity_flop[i];
        providers.demand_flop[i] = providers.sold_flop[i];
        for (std::size_t k = 0; k < providers.year.width; ++k)
            providers.demand_last_year[providers.year.first(i) + k] = providers.demand_flop[i];
        providers.unit_cost[i] = world.env.costs.unit();
        providers.earning_ratio[i] = 1.0;  // assumed: capacity earns its cost at the start
    }
    for (int r = 0; r < region_count; ++r)
        world.compute_market.price[r] = world.env.costs.unit() * (1.0 + config.compute.base_markup);
}

void DataProviderKind::build(World& world) {
    const ScenarioConfig& config = world.config;
    DataProviderTable& data = world.data_providers;
    const std::size_t n = data.size();
    const auto regions = quota_regions(n, region_shares(config.regions, &RegionConfig::lab_share));
    double total_share = 0;
    double total_quality = 0;
    for (std::size_t i = 0; i < n; ++i) {
        data.region[i] = regions[i];
        data.name[i] = fmt::format("data-{:03d}", i);
        data.stock_share[i] = spread(world, AgentKind::data_provider, i, RngPurpose::init_size, 0,
                                     config.data.stock_share_spread);
        data.quality[i] = spread(world, AgentKind::data_provider, i, RngPurpose::init_traits, 0,
                                 config.data.quality_spread);
        data.openness[i] = config.data.open_share;
        total_share += data.stock_share[i];
        total_quality += data.quality[i];
    }
    for (std::size_t i = 0; i < n; ++i) {
        data.stock_share[i] /= total_share;
        data.quality[i] *= static_cast<double>(n) / total_quality;
        data.stock_tokens[i] = data.stock_share[i] * world.env.human_stock_tokens;
        data.licence_price[i] = config.data.licence_price_usd_per_token_2024 * data.quality[i];
    }
    world.env.open_tokens = n > 0 ? open_tokens(data)
                                  : world.env.human_stock_tokens * config.data.open_share;
}

void RegulatorKind::build(World& world) {
    const ScenarioConfig& config = world.config;
    RegulatorTable& regulators = world.regulators;
    for (std::size_t i = 0; i < regulators.size(); ++i) {
        const auto region = static_cast<Region>(i);
        regulators.region[i] = region;
        regulators.name[i] = fmt::format("regulator-{}", region_name(region));
        init_regulator(regulators, config.regulators[region], i);
        regulators.power_gw[i] = config.regions[region].power_gw_2020;
    }
}

void InfluencerKind::build(World& world) {
    InfluencerTable& influencers = world.influencers;
    for (std::size_t k = 0; k < influencers.size(); ++k) {
        const InfluencerConfig& influencer = world.config.influencers[k];
        influencers.name[k] = influencer.name;
        influencers.stance[k] = influencer.stance;
        influencers.start_year[k] = influencer.start_year;
        influencers.end_year[k] = influencer.end_year;
        for (std::size_t r = 0; r < static_cast<std::size_t>(region_count); ++r)
            influencers.weight[k * region_count + r] = influencer.weight[r];
    }
}

World build_world(const ScenarioConfig& config, std::uint64_t seed) {
    World world(agent_counts(config));
    world.config = config;
    world.seed = seed;
    world.step = 0;
    update_environment(world.env, config, 0);
    // The year-ago histories hold one simulated year of steps.
    const YearRing year{static_cast<std::size_t>(config.time.steps_per_year)};
    world.year = year;
    world.labs.year = year;
    world.compute_providers.year = year;
    world.frontier_kappa_history.assign(year.width, 0.0);
    world.revenue_history.assign(year.width, 0.0);
    for_each_kind(world, [&](auto kind, auto& table) { table.resize(decltype(kind)::count(config)); });
    for (int stage = 0; stage <= 1; ++stage)
        for_each_kind(world, [&](auto kind, auto&) {
            if (decltype(kind)::build_stage == stage) decltype(kind)::build(world);
        });
    world.env.adoption = config.product.initial_adoption;

    // Big-tech parents hold the frontier labs at the start (e.g. cloud
    // partnerships), which seeds the co-investment graph.
    const auto corporate = static_cast<std::uint32_t>(config.investors.corporate_count);
    for (std::uint32_t i = 0; corporate > 0 && i < static_cast<std::uint32_t>(config.labs.frontier_count); ++i)
        world.network.add(AgentKind::investor, i % corporate, AgentKind::lab, i, EdgeType::equity,
                          world.labs.cash_usd[i], config.investors.parent_stake);
    for (std::uint32_t i = 0; corporate > 0 && i < static_cast<std::uint32_t>(config.labs.frontier_count); ++i)
        world.investors.invested_total_usd[i % corporate] += world.labs.cash_usd[i];

    update_frontier(world.labs, world.frontier_kappa);
    std::fill(world.frontier_kappa_history.begin(), world.frontier_kappa_history.end(), world.frontier_kappa);
    return world;
}

}  // namespace airace
