#include "agents/compute_provider.hpp"

#include <algorithm>
#include <cmath>

namespace airace {
namespace {

// Earnings are averaged over about a year (the weight of a step is its
// length in years).
constexpr double earnings_window_years = 1.0;

}  // namespace

void update_earnings(ComputeProviderTable& providers, const ComputeConfig& config,
                     std::span<const ComputeCosts> region_costs, double dt, std::size_t begin,
                     std::size_t end) {
    const double weight = std::min(1.0, dt / earnings_window_years);
    for (std::size_t i = begin; i < end; ++i) {
        const double capacity = providers.capacity_flop[i];
        if (capacity <= 0) continue;
        const ComputeCosts& costs = region_costs[static_cast<std::size_t>(providers.region[i])];
        const double cost =
            costs.hardware_usd_per_flop *
                (1.0 + config.cost_of_capital_per_year * config.hardware_lifetime_years) +
            costs.energy_usd_per_flop * providers.utilisation[i];
        const double ratio = providers.revenue_usd[i] / capacity / cost;
        providers.earning_ratio[i] += weight * (ratio - providers.earning_ratio[i]);
    }
}

void ComputeProviderTable::resize(std::size_t n) {
    name.resize(n);
    region.resize(n);
    for (auto* column : {&capacity_flop, &sold_flop, &demand_flop, &revenue_usd, &capex_usd,
                         &energy_usd, &unit_cost, &utilisation, &earning_ratio})
        column->resize(n, 0.0);
    demand_last_year.resize(year.width * n, 0.0);
}

double ComputeProviderTable::least_demand_last_year(std::size_t i) const {
    const double* ring = &demand_last_year[year.first(i)];
    return *std::min_element(ring, ring + year.width);
}

void plan_capacity(ComputeProviderTable& providers, const ComputeConfig& config,
                   std::span<const ComputeCosts> region_costs, double dt,
                   std::span<const double> ceiling, std::span<const double> supply_share,
                   std::size_t begin, std::size_t end) {
    const double lifetime_steps = config.hardware_lifetime_years / dt;
    const double max_step_growth = std::pow(config.max_capacity_growth_per_year, dt);
    for (std::size_t i = begin; i < end; ++i) {
        const double recent = providers.demand_flop[i];
        const double oldest = providers.least_demand_last_year(i);
        // Expected demand next step: last step's demand (all bids in the
        // region, at the provider's share of capacity) grown at the trailing
        // yearly rate (bounded), plus headroom. The ring holds one year of
        // steps, so the step's growth is the yearly ratio to the power dt.
        double growth = 1.0;
        if (oldest > 0 && recent > 0)
            growth = std::pow(
                std::clamp(recent / oldest, config.demand_growth_floor, config.demand_growth_cap), dt);
        // Capacity must earn its cost of capital: planned capacity shrinks
        // with the earnings ratio (averaged over a year) when it is below 1.
        const double earning =
            std::pow(std::min(1.0, providers.earning_ratio[i]), config.capital_return_response);
        const double wanted = recent * growth * (1.0 + config.capacity_headroom) * earning;
        const double depreciated = providers.capacity_flop[i] * (1.0 - 1.0 / lifetime_steps);
        // Chip supply bounds growth (less of it under export controls) and
        // the region's power bounds the total.
        const double supply_ceiling =
            depreciated + (providers.capacity_flop[i] * max_step_growth - depreciated) * supply_share[i];
        const double target = std::min(std::clamp(wanted, depreciated, supply_ceiling), ceiling[i]);
        const double built = std::max(0.0, target - depreciated);
        providers.capacity_flop[i] = std::min(depreciated, ceiling[i]) + built;
        const ComputeCosts& costs = region_costs[static_cast<std::size_t>(providers.region[i])];
        // Capacity of X FLOP/step for its lifetime costs X * lifetime * price.
        providers.capex_usd[i] = built * lifetime_steps * costs.hardware_usd_per_flop;
        providers.unit_cost[i] = costs.unit();
    }
}

void provider_asks(const ComputeProviderTable& providers, const ComputeConfig& config,
                   std::size_t i, std::span<Order> out) {
    const int tranches = config.ask_tranches;
    for (int k = 0; k < tranches; ++k) {
        const double position = static_cast<double>(k) / (tranches - 1);
        Order ask;
        ask.id = static_cast<std::uint64_t>(i) * static_cast<std::uint64_t>(tranches) +
                 static_cast<std::uint64_t>(k);
        ask.quantity = providers.capacity_flop[i] / tranches;
        ask.price = providers.unit_cost[i] *
                    (1.0 + config.base_markup + config.scarcity_markup * position * position);
        out[static_cast<std::size_t>(k)] = ask;
    }
}

}  // namespace airace
