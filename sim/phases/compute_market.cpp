// Phase 4, compute market: per region, labs' training and serving bids and
// outside users' demand meet providers' asks in a uniform-price auction.

#include <span>

#include "sim/phases/phases.hpp"

namespace airace {
namespace {

// Bid ids: 2*lab for training, 2*lab+1 for inference, 2*n for outside
// users (they lose ties to labs). Labs train where their run is hosted and
// serve at home. Returns the FLOP the labs bid for.
double collect_lab_bids(const LabTable& labs, std::span<const LabIntent> intents, Region region,
                        std::vector<Order>& bids) {
    double lab_demand = 0;
    for (std::size_t i = 0; i < labs.size(); ++i) {
        if (!labs.active(i)) continue;
        const LabIntent& intent = intents[i];
        if (labs.run_region[i] == region && intent.training_bid_flop > 0) {
            bids.push_back({2 * i, intent.training_bid_flop, intent.training_bid_price});
            lab_demand += intent.training_bid_flop;
        }
        if (labs.region[i] == region && intent.inference_bid_flop > 0) {
            bids.push_back({2 * i + 1, intent.inference_bid_flop, intent.inference_bid_price});
            lab_demand += intent.inference_bid_flop;
        }
    }
    return lab_demand;
}

// Outside users' demand in the region, at a price between the providers'
// lowest and highest markup (compute.external_bid_scarcity_share of the way
// up the scarcity markup).
void add_outside_bid(const ScenarioConfig& config, const Environment& env,
                     const ComputeMarketState& market, Region region, std::size_t n_labs,
                     std::vector<Order>& bids) {
    const ComputeConfig& compute = config.compute;
    const double outside = env.external_demand_flop * config.regions[region].compute_share;
    if (outside > 0)
        bids.push_back({2 * n_labs, outside,
                        market.costs(env.costs)[static_cast<std::size_t>(region)].unit() *
                            (1.0 + compute.base_markup +
                             compute.external_bid_scarcity_share * compute.scarcity_markup)});
}

// The asks of the region's providers; returns their capacity.
double collect_asks(const ComputeProviderTable& providers, const ComputeConfig& config,
                    Region region, std::vector<Order>& asks) {
    double capacity = 0;
    for (std::size_t p = 0; p < providers.size(); ++p) {
        if (providers.region[p] != region) continue;
        const std::size_t first = asks.size();
        asks.resize(first + static_cast<std::size_t>(config.ask_tranches));
        provider_asks(providers, config, p, std::span<Order>(asks).subspan(first));
        capacity += providers.capacity_flop[p];
    }
    return capacity;
}

// The trades of one region's auction, in clearing order: compute to labs
// (training goes to the run in progress), money to providers, contracts in
// the graph. Providers asked in `tranches` slices each.
void settle_trades(const Clearing& clearing, const ComputeOrders& orders, std::size_t tranches,
                   double training_flop_per_hardware_flop, LabTable& labs,
                   ComputeProviderTable& providers, Network& network, StepTotals& totals) {
    const std::size_t n_labs = labs.size();
    for (const Trade& trade : clearing.trades) {
        const std::uint64_t bid_id = orders.bids[trade.bid].id;
        const std::size_t provider = orders.asks[trade.ask].id / tranches;
        providers.sold_flop[provider] += trade.quantity;
        if (bid_id >= 2 * n_labs) continue;
        const std::size_t lab = bid_id / 2;
        const double cost = trade.quantity * clearing.price;
        if (bid_id % 2 == 0) {
            labs.training_flop_bought[lab] += trade.quantity;
            labs.run_done_flop[lab] += trade.quantity * training_flop_per_hardware_flop;
            labs.run_spend_usd[lab] += cost;
            totals.training_flop += trade.quantity;
        } else {
            labs.inference_flop_bought[lab] += trade.quantity;
            totals.inference_flop += trade.quantity;
            totals.serving_spend_usd += cost;
        }
        labs.compute_spend_usd[lab] += cost;
        labs.cash_usd[lab] -= cost;
        totals.compute_spend_usd += cost;
        network.add(AgentKind::compute_provider, index32(provider), AgentKind::lab, index32(lab),
                    EdgeType::compute_contract, trade.quantity);
    }
}

// One region's auction: bids, asks, the clearing and its trades.
void clear_region(const ComputeMarketIO& io, int r) {
    const auto region = static_cast<Region>(r);
    ComputeOrders& orders = io.orders;
    orders.bids.clear();
    orders.asks.clear();
    const double lab_demand = collect_lab_bids(io.labs, io.plans.intents, region, orders.bids);
    add_outside_bid(io.config, io.env, io.compute_market, region, io.labs.size(), orders.bids);
    const double capacity =
        collect_asks(io.compute_providers, io.config.compute, region, orders.asks);
    double demand = 0;
    for (const Order& bid : orders.bids) demand += bid.quantity;
    const Clearing clearing = clear_uniform_price(orders.bids, orders.asks);
    ComputeMarketState& market = io.compute_market;
    market.demand[r] = demand;
    market.price[r] = clearing.price;
    market.quantity[r] = clearing.quantity;
    market.capacity[r] = capacity;
    market.lab_demand[r] = lab_demand;
    settle_trades(clearing, orders, static_cast<std::size_t>(io.config.compute.ask_tranches),
                  io.env.training_flop_per_hardware_flop, io.labs, io.compute_providers, io.network,
                  io.totals);
}

// Providers' revenue, energy cost, utilisation and their share of the
// region's demand (which they build toward next step).
void settle_providers(const ComputeMarketState& market, const Environment& env,
                      ComputeProviderTable& providers, StepTotals& totals) {
    for (std::size_t p = 0; p < providers.size(); ++p) {
        const double sold = providers.sold_flop[p];
        const int r = static_cast<int>(providers.region[p]);
        providers.revenue_usd[p] = sold * market.price[r];
        providers.energy_usd[p] =
            sold * env.costs.energy_usd_per_flop * market.energy_price_multiplier[static_cast<std::size_t>(r)];
        providers.utilisation[p] = providers.capacity_flop[p] > 0 ? sold / providers.capacity_flop[p] : 0;
        const double region_capacity = market.capacity[r];
        providers.demand_flop[p] = region_capacity > 0 ? market.demand[r] *
                                                             providers.capacity_flop[p] / region_capacity
                                                       : 0;
        totals.capex_usd += providers.capex_usd[p];
        totals.energy_joules += sold / env.flop_per_joule;
    }
}

}  // namespace

void phase_compute_market(const ComputeMarketIO& io) {
    for (int r = 0; r < region_count; ++r) clear_region(io, r);
    settle_providers(io.compute_market, io.env, io.compute_providers, io.totals);
    // The power the traded compute draws, per region.
    const double seconds = seconds_per_year * io.config.dt_years();
    for (std::size_t r = 0; r < io.regulators.size(); ++r)
        io.regulators.power_used_gw[r] =
            io.compute_market.quantity[r] / io.env.flop_per_joule / seconds / watts_per_gigawatt;
}

}  // namespace airace
