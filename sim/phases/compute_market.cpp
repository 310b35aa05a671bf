// Phase 4, compute market: per region, labs' training and serving bids and
// outside users' demand meet providers' asks in a uniform-price auction.

#include <span>

#include "sim/phases/phases.hpp"

namespace airace {

void phase_compute_market(World& world) {
    const ScenarioConfig& config = world.config;
    LabTable& labs = world.labs;
    ComputeProviderTable& providers = world.compute_providers;
    const std::size_t n_labs = labs.size();
    auto& bids = world.messages.compute.bids;
    auto& asks = world.messages.compute.asks;
    for (int r = 0; r < region_count; ++r) {
        const auto region = static_cast<Region>(r);
        bids.clear();
        asks.clear();
        // Bid ids: 2*lab for training, 2*lab+1 for inference, 2*n for outside
        // users (they lose ties to labs).
        double lab_demand = 0;
        // Labs train where their run is hosted and serve at home.
        for (std::size_t i = 0; i < n_labs; ++i) {
            if (!labs.active(i)) continue;
            const LabIntent& intent = world.messages.plans.intents[i];
            if (labs.run_region[i] == region && intent.training_bid_flop > 0) {
                bids.push_back({2 * i, intent.training_bid_flop, intent.training_bid_price});
                lab_demand += intent.training_bid_flop;
            }
            if (labs.region[i] == region && intent.inference_bid_flop > 0) {
                bids.push_back({2 * i + 1, intent.inference_bid_flop, intent.inference_bid_price});
                lab_demand += intent.inference_bid_flop;
            }
        }
        const double outside = world.env.external_demand_flop * config.regions[region].compute_share;
        if (outside > 0)
            bids.push_back({2 * n_labs, outside,
                            world.env.costs.unit() *
                                (1.0 + config.compute.base_markup + 0.5 * config.compute.scarcity_markup)});
        double capacity = 0;
        for (std::size_t p = 0; p < providers.size(); ++p) {
            if (providers.region[p] != region) continue;
            const std::size_t first = asks.size();
            asks.resize(first + ask_tranches);
            provider_asks(providers, config.compute, p, std::span<Order>(asks).subspan(first));
            capacity += providers.capacity_flop[p];
        }
        double demand = 0;
        for (const Order& bid : bids) demand += bid.quantity;
        const Clearing clearing = clear_uniform_price(bids, asks);
        world.compute_market.demand[r] = demand;
        world.compute_market.price[r] = clearing.price;
        world.compute_market.quantity[r] = clearing.quantity;
        world.compute_market.capacity[r] = capacity;
        world.compute_market.lab_demand[r] = lab_demand;
        for (const Trade& trade : clearing.trades) {
            const std::uint64_t bid_id = bids[trade.bid].id;
            const std::size_t provider = asks[trade.ask].id / ask_tranches;
            providers.sold_flop[provider] += trade.quantity;
            if (bid_id >= 2 * n_labs) continue;
            const std::size_t lab = bid_id / 2;
            const double cost = trade.quantity * clearing.price;
            if (bid_id % 2 == 0) {
                labs.training_flop_bought[lab] += trade.quantity;
                labs.run_done_flop[lab] += trade.quantity;
                labs.run_spend_usd[lab] += cost;
                world.totals.training_flop += trade.quantity;
            } else {
                labs.inference_flop_bought[lab] += trade.quantity;
                world.totals.inference_flop += trade.quantity;
            }
            labs.compute_spend_usd[lab] += cost;
            labs.cash_usd[lab] -= cost;
            world.totals.compute_spend_usd += cost;
            world.network.add(AgentKind::compute_provider, index32(provider), AgentKind::lab, index32(lab),
                              EdgeType::compute_contract, trade.quantity);
        }
    }
    for (std::size_t p = 0; p < providers.size(); ++p) {
        const double sold = providers.sold_flop[p];
        const int r = static_cast<int>(providers.region[p]);
        providers.revenue_usd[p] = sold * world.compute_market.price[r];
        providers.energy_usd[p] = sold * world.env.costs.energy_usd_per_flop;
        providers.utilisation[p] = providers.capacity_flop[p] > 0 ? sold / providers.capacity_flop[p] : 0;
        const double region_capacity = world.compute_market.capacity[r];
        providers.demand_flop[p] = region_capacity > 0 ? world.compute_market.demand[r] *
                                                             providers.capacity_flop[p] / region_capacity
                                                       : 0;
        world.totals.capex_usd += providers.capex_usd[p];
        world.totals.energy_joules += sold / world.env.flop_per_joule;
    }
    const double seconds = seconds_per_year * config.dt_years();
    for (std::size_t r = 0; r < world.regulators.size(); ++r)
        world.regulators.power_used_gw[r] =
            world.compute_market.quantity[r] / world.env.flop_per_joule / seconds / 1e9;
}
}  // namespace airace
