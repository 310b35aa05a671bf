#include "sim/walls.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "base/rng.hpp"
#include "sim/step.hpp"

namespace airace {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

std::uint32_t u32(std::size_t i) { return static_cast<std::uint32_t>(i); }

std::optional<Instrument> instrument_of(const std::string& name) {
    if (name == "compute_threshold_flop") return Instrument::compute_threshold;
    if (name == "training_cap_flop") return Instrument::training_cap;
    if (name == "copyright_usable_share") return Instrument::copyright;
    if (name == "power_permitting_gw_per_year") return Instrument::power_permitting;
    if (name == "export_control_share") return Instrument::export_controls;
    return std::nullopt;
}

std::size_t region_index(const std::string& key) {
    for (int r = 0; r < region_count; ++r)
        if (region_key(static_cast<Region>(r)) == key) return static_cast<std::size_t>(r);
    return 0;
}

}  // namespace

void apply_policy_events(World& world) {
    const double start = world.env.year;
    const double end = start + world.config.dt_years();
    RegulatorTable& regulators = world.regulators;
    std::vector<PolicyEventConfig> events = world.config.policy_events;
    events.insert(events.end(), world.pending_policy_events.begin(), world.pending_policy_events.end());
    world.pending_policy_events.clear();
    for (const PolicyEventConfig& event : events) {
        // An event dated before the run starts applies in the first step.
        const bool due = (event.year >= start && event.year < end) ||
                         (world.step == 0 && event.year < start);
        if (!due) continue;
        const std::size_t r = region_index(event.regulator);
        const std::optional<Instrument> instrument = instrument_of(event.instrument);
        if (!instrument) {  // "stringency": a new base level from this date
            regulators.base_stringency[r] = std::clamp(event.value, 0.0, 1.0);
            emit(world, EventType::policy, AgentKind::regulator, u32(r), AgentKind::world, -1, -1,
                 event.value);
            continue;
        }
        // A law holds until repealed; a repeal hands the instrument back to
        // the regulator's own dynamics (it may legislate again later).
        const std::size_t s = regulators.slot(r, *instrument);
        regulators.value[s] = event.value;
        regulators.active[s] = event.enabled ? 1 : 0;
        regulators.scripted[s] = event.enabled ? 1 : 0;
        regulators.pending_since[s] = -1;
        emit(world, EventType::policy, AgentKind::regulator, u32(r), AgentKind::world, -1,
             static_cast<double>(*instrument), event.enabled ? event.value : 0.0);
    }
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

void update_influencers(World& world) {
    // Stance, weights and periods come from the current config, so a fork
    // that adds or changes an influencer acts from the fork date on; the
    // table may hold more slots than the config (a fork's influencers).
    InfluencerTable& influencers = world.influencers;
    const auto& configured = world.config.influencers;
    const double year = world.env.year;
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
                    world.network.add(AgentKind::influencer, u32(k), AgentKind::regulator, u32(r),
                                      EdgeType::influence, tie);
            }
        }
    }
}

void update_power(World& world) {
    const double dt = world.config.dt_years();
    RegulatorTable& regulators = world.regulators;
    for (std::size_t r = 0; r < regulators.size(); ++r) {
        const RegionConfig& region = world.config.regions[regulators.region[r]];
        if (world.step > 0) {
            double added = regulators.power_gw[r] * (std::pow(region.power_growth_per_year, dt) - 1.0);
            // Permitting caps the new data-centre power per year.
            if (regulators.is_active(r, Instrument::power_permitting))
                added = std::min(added, regulators.value_of(r, Instrument::power_permitting) * dt);
            regulators.power_gw[r] += std::max(0.0, added);
        }
        world.compute_market.power_ceiling[r] =
            regulators.power_gw[r] * 1e9 * seconds_per_year * dt * world.env.flop_per_joule;
    }
}

void update_data_supply(World& world) {
    DataProviderTable& providers = world.data_providers;
    DataPressure pressure;
    // AI pressure: how much of the stock the frontier trains on.
    double frontier_tokens = 0;
    for (std::size_t i = 0; i < world.labs.size(); ++i)
        if (world.labs.active(i)) frontier_tokens = std::max(frontier_tokens, world.labs.model_tokens[i]);
    pressure.ai_pressure = std::min(
        1.0, frontier_tokens / (world.env.human_stock_tokens * world.config.data.closing_demand_reference));
    // Legal pressure: a stricter regulator (and a strict copyright regime) at home.
    for (std::size_t r = 0; r < world.regulators.size(); ++r)
        pressure.legal_pressure[r] =
            0.5 * world.regulators.stringency[r] +
            (world.regulators.is_active(r, Instrument::copyright) ? 0.3 : 0.0);
    update_data_providers(providers, world.config.data, world.env.human_stock_tokens, pressure,
                          world.config.dt_years(), 0, providers.size());
    world.env.open_tokens = providers.size() > 0
                                ? open_tokens(providers)
                                : world.env.human_stock_tokens * world.config.data.open_share;
}

void fill_regulation_context(const World& world, LabContext& context) {
    const RegulatorTable& regulators = world.regulators;
    const double steps_per_quarter = 0.25 / world.config.dt_years();
    context.seed = world.seed;
    for (std::size_t r = 0; r < static_cast<std::size_t>(region_count); ++r) {
        const RegulatorConfig& config = world.config.regulators[static_cast<Region>(r)];
        context.training_cap[r] = regulators.is_active(r, Instrument::training_cap)
                                      ? regulators.value_of(r, Instrument::training_cap)
                                      : infinity;
        context.threshold[r] = regulators.is_active(r, Instrument::compute_threshold)
                                   ? regulators.value_of(r, Instrument::compute_threshold)
                                   : infinity;
        context.compliance_fixed[r] = config.compliance_fixed_usd;
        context.compliance_share[r] = config.compliance_share;
        context.approval_delay[r] = config.approval_delay_quarters * steps_per_quarter;
        for (std::size_t home = 0; home < static_cast<std::size_t>(region_count); ++home)
            context.barred[home][r] = false;
    }
    // Export controls of regulator r bar labs of the target region from
    // training on r's compute.
    for (std::size_t r = 0; r < regulators.size(); ++r) {
        const std::string& target = world.config.regulators[regulators.region[r]].export_control_target;
        if (target == "none" || !regulators.is_active(r, Instrument::export_controls)) continue;
        context.barred[region_index(target)][r] = true;
    }
}

void capacity_limits(const World& world, std::vector<double>& ceiling,
                     std::vector<double>& supply_share) {
    const ComputeProviderTable& providers = world.compute_providers;
    ceiling.assign(providers.size(), infinity);
    supply_share.assign(providers.size(), 1.0);
    std::array<double, region_count> capacity{};
    for (std::size_t p = 0; p < providers.size(); ++p)
        capacity[static_cast<int>(providers.region[p])] += providers.capacity_flop[p];
    for (std::size_t p = 0; p < providers.size(); ++p) {
        const auto r = static_cast<std::size_t>(providers.region[p]);
        const double share = capacity[r] > 0 ? providers.capacity_flop[p] / capacity[r] : 0.0;
        ceiling[p] = world.compute_market.power_ceiling[r] * share;
        // Export controls bar a share of the region's chip supply.
        for (std::size_t x = 0; x < world.regulators.size(); ++x) {
            const std::string& target =
                world.config.regulators[world.regulators.region[x]].export_control_target;
            if (target != "none" && region_index(target) == r &&
                world.regulators.is_active(x, Instrument::export_controls))
                supply_share[p] *= 1.0 - world.regulators.value_of(x, Instrument::export_controls);
        }
    }
}

void compute_usable_tokens(World& world) {
    LabTable& labs = world.labs;
    const DataProviderTable& providers = world.data_providers;
    std::fill(labs.licensed_tokens.begin(), labs.licensed_tokens.end(), 0.0);
    for (std::size_t p = 0; p < providers.size(); ++p)
        if (providers.exclusive_lab[p] >= 0)
            labs.licensed_tokens[static_cast<std::size_t>(providers.exclusive_lab[p])] +=
                providers.stock_tokens[p];
    for (std::size_t i = 0; i < labs.size(); ++i) {
        world.network.visit_in_index(AgentKind::lab, u32(i), EdgeType::licence,
                                     [&](std::uint32_t p, double, double) {
                                         // A licence covers the provider's closed tokens,
                                         // which grow with its stock.
                                         if (providers.exclusive_lab[p] != static_cast<std::int32_t>(i))
                                             labs.licensed_tokens[i] += providers.closed_tokens(p);
                                     });
        const auto host = static_cast<std::size_t>(labs.run_region[i]);
        labs.usable_tokens[i] =
            world.env.open_tokens * world.regulators.copyright_usable(host) + labs.licensed_tokens[i];
    }
}

// Labs whose run needs more data than they may use buy licences, cheapest
// first (price per token, then id), within a share of the run's budget; the
// richest seek one exclusive deal. Labs go in order of need (largest first,
// then id), so the outcome does not depend on thread timing.
void phase_data_market(World& world) {
    LabTable& labs = world.labs;
    DataProviderTable& providers = world.data_providers;
    const DataConfig& config = world.config.data;
    const ScalingLaw law = ScalingLaw::from(world.config.scaling);
    std::fill(labs.licence_spend_usd.begin(), labs.licence_spend_usd.end(), 0.0);
    compute_usable_tokens(world);
    if (providers.size() == 0) return;
    DataMarketScratch& scratch = world.scratch.data_market;
    std::vector<std::size_t>& buyers = scratch.buyers;
    std::vector<double>& gap = scratch.gap;
    buyers.clear();
    gap.assign(labs.size(), 0.0);
    for (std::size_t i = 0; i < labs.size(); ++i) {
        if (!labs.active(i) || labs.run_target_flop[i] <= 0) continue;
        gap[i] = law.optimal_tokens(labs.run_target_flop[i]) - labs.usable_tokens[i];
        if (gap[i] > 0) buyers.push_back(i);
    }
    if (buyers.empty()) {
        compute_usable_tokens(world);
        return;
    }
    std::sort(buyers.begin(), buyers.end(), [&](std::size_t a, std::size_t b) {
        return gap[a] != gap[b] ? gap[a] > gap[b] : a < b;
    });
    const std::size_t n = providers.size();
    std::vector<std::size_t>& offers = scratch.offers;
    offers.resize(n);
    std::iota(offers.begin(), offers.end(), 0);
    std::sort(offers.begin(), offers.end(), [&](std::size_t a, std::size_t b) {
        return providers.licence_price[a] != providers.licence_price[b]
                   ? providers.licence_price[a] < providers.licence_price[b]
                   : a < b;
    });
    // Targets for exclusive deals: largest stock first (then index). Stocks
    // do not change during the phase; providers only ever turn exclusive,
    // so a "next open" link skips them for good (path halving).
    std::vector<std::size_t>& by_stock = scratch.by_stock;
    by_stock.resize(n);
    std::iota(by_stock.begin(), by_stock.end(), 0);
    std::sort(by_stock.begin(), by_stock.end(), [&](std::size_t a, std::size_t b) {
        return providers.stock_tokens[a] != providers.stock_tokens[b]
                   ? providers.stock_tokens[a] > providers.stock_tokens[b]
                   : a < b;
    });
    std::vector<std::size_t>& next_open = scratch.next_open;  // into by_stock, n: none
    next_open.resize(n + 1);
    for (std::size_t k = 0; k <= n; ++k)
        next_open[k] = k < n && providers.exclusive_lab[by_stock[k]] >= 0 ? k + 1 : k;
    const auto first_open = [&](std::size_t k) {
        while (next_open[k] != k) {
            next_open[k] = next_open[next_open[k]];
            k = next_open[k];
        }
        return k;
    };
    std::vector<std::size_t>& stock_rank = scratch.stock_rank;
    stock_rank.resize(n);
    for (std::size_t k = 0; k < n; ++k) stock_rank[by_stock[k]] = k;
    // Labs holding an exclusive deal; what a lab holds, marked with its stamp.
    std::vector<std::uint8_t>& has_exclusive_deal = scratch.has_exclusive;
    has_exclusive_deal.assign(labs.size(), 0);
    for (std::size_t p = 0; p < n; ++p)
        if (providers.exclusive_lab[p] >= 0)
            has_exclusive_deal[static_cast<std::size_t>(providers.exclusive_lab[p])] = 1;
    std::vector<std::uint32_t>& held_by = scratch.held_by;
    held_by.assign(n, 0);
    std::uint32_t stamp = 0;
    for (const std::size_t lab : buyers) {
        const double price = world.compute_market.price[static_cast<int>(labs.run_region[lab])];
        double budget = std::min(config.licence_budget_share * labs.run_target_flop[lab] * price,
                                 0.5 * std::max(0.0, labs.cash_usd[lab]));
        ++stamp;
        const auto holds = [&](std::size_t p) { return held_by[p] == stamp; };
        world.network.visit_in_index(AgentKind::lab, u32(lab), EdgeType::licence,
                                     [&](std::uint32_t p, double, double) { held_by[p] = stamp; });
        // The richest labs try to lock up the largest open source first.
        if (!has_exclusive_deal[lab] && labs.cash_usd[lab] > config.exclusive_min_cash_usd) {
            std::size_t target = n;
            for (std::size_t k = first_open(0); k < n; k = first_open(k + 1))
                if (!holds(by_stock[k])) {
                    target = by_stock[k];
                    break;
                }
            if (target < n) {
                const double cost = config.exclusive_premium * providers.stock_tokens[target] *
                                    providers.licence_price[target];
                // A provider with many licensees gives up more by going exclusive.
                const bool accepts = config.exclusive_premium >= 1.0 + 0.5 * providers.licensees[target];
                if (accepts && cost <= 0.25 * labs.cash_usd[lab]) {
                    providers.exclusive_lab[target] = static_cast<std::int32_t>(lab);
                    next_open[stock_rank[target]] = stock_rank[target] + 1;
                    has_exclusive_deal[lab] = 1;
                    providers.openness[target] = 0;
                    providers.licence_revenue[target] += cost;
                    labs.cash_usd[lab] -= cost;
                    labs.licence_spend_usd[lab] += cost;
                    world.totals.licence_usd += cost;
                    world.network.add(AgentKind::data_provider, u32(target), AgentKind::lab, u32(lab),
                                      EdgeType::exclusive, cost);
                    emit(world, EventType::exclusive_deal, AgentKind::lab, u32(lab),
                         AgentKind::data_provider, static_cast<std::int64_t>(target), cost,
                         providers.stock_tokens[target]);
                    gap[lab] -= providers.stock_tokens[target];
                    held_by[target] = stamp;
                }
            }
        }
        // Cheapest first; every offer looked at records the demand.
        for (const std::size_t p : offers) {
            if (gap[lab] <= 0 || budget <= 0) break;
            if (holds(p) || providers.exclusive_lab[p] >= 0) continue;
            const double tokens = providers.closed_tokens(p);
            providers.tokens_demanded[p] += std::min(tokens, gap[lab]);
            const double cost = tokens * providers.licence_price[p];
            if (tokens <= 0 || cost > budget) continue;
            budget -= cost;
            gap[lab] -= tokens;
            providers.licence_revenue[p] += cost;
            providers.licensees[p] += 1;
            labs.cash_usd[lab] -= cost;
            labs.licence_spend_usd[lab] += cost;
            world.totals.licence_usd += cost;
            world.network.add(AgentKind::data_provider, u32(p), AgentKind::lab, u32(lab),
                              EdgeType::licence, tokens);
            emit(world, EventType::licence, AgentKind::lab, u32(lab), AgentKind::data_provider,
                 static_cast<std::int64_t>(p), cost, tokens);
        }
    }
    compute_usable_tokens(world);
}

}  // namespace airace
