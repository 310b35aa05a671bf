#pragma once
// Compute providers (clouds, hyperscalers): capacity built by capital spending
// at the hardware price of the time, limited by chip supply growth; asks in
// tranches whose markup rises with utilisation (docs/model.md section 6).

#include <span>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "base/ids.hpp"
#include "base/markets.hpp"
#include "base/year_ring.hpp"

namespace airace {

struct ComputeProviderTable {
    std::vector<std::string> name;
    std::vector<Region> region;
    std::vector<double> capacity_flop;     // FLOP per step
    std::vector<double> sold_flop;         // this step
    std::vector<double> demand_flop;       // this step: the provider's share of all bids in its region
    std::vector<double> demand_last_year;  // [n * year.width]: demand_flop of the last year's steps
    std::vector<double> revenue_usd;       // this step
    std::vector<double> capex_usd;         // this step
    std::vector<double> energy_usd;        // this step
    std::vector<double> unit_cost;         // USD/FLOP this step
    std::vector<double> utilisation;       // sold / capacity
    std::vector<double> earning_ratio;     // revenue per unit of capacity / its annualised cost, over ~a year

    YearRing year;  // demand_last_year's slots: one per step of a year (set before resize)

    std::size_t size() const { return name.size(); }
    void resize(std::size_t n);
    // The least demand of provider i over its year-ago ring: the base its
    // trailing yearly demand growth is measured from.
    double least_demand_last_year(std::size_t i) const;

    // Every column but the name, for checkpoints: visit("column", vector).
    template <class Self, class Visit>
    static void columns(Self& self, Visit&& visit) {
        visit("region", self.region);
        visit("capacity_flop", self.capacity_flop);
        visit("sold_flop", self.sold_flop);
        visit("demand_flop", self.demand_flop);
        visit("demand_last_year", self.demand_last_year);
        visit("revenue_usd", self.revenue_usd);
        visit("capex_usd", self.capex_usd);
        visit("energy_usd", self.energy_usd);
        visit("unit_cost", self.unit_cost);
        visit("utilisation", self.utilisation);
        visit("earning_ratio", self.earning_ratio);
    }
};

// Hardware amortisation plus energy, USD per FLOP.
struct ComputeCosts {
    double hardware_usd_per_flop = 0;
    double energy_usd_per_flop = 0;
    double unit() const { return hardware_usd_per_flop + energy_usd_per_flop; }
};

// Depreciates capacity and builds toward the demand it saw, grown at last
// year's rate, as far as capacity earns its cost (earning_ratio)
// (writes capacity_flop, capex_usd, unit_cost of rows [begin, end)).
// `costs` holds the cost of a FLOP per region (Region order);
// `ceiling` caps capacity (the power its region allows, FLOP/step);
// `supply_share` is the share of chip supply it may buy (export controls).
void plan_capacity(ComputeProviderTable& providers, const ComputeConfig& config,
                   std::span<const ComputeCosts> costs, double dt, std::span<const double> ceiling,
                   std::span<const double> supply_share, std::size_t begin, std::size_t end);

// Capital must earn its cost: each provider's earnings ratio (rows [begin,
// end)) moves by min(1, dt / 1 yr) toward this step's revenue per unit of
// capacity over what a unit costs a step, depreciation h, the cost of capital
// on its price (h * cost_of_capital_per_year * hardware_lifetime_years) and
// the energy of the share sold. plan_capacity scales the capacity it wants
// by min(1, ratio)^capital_return_response. `costs` per region.
void update_earnings(ComputeProviderTable& providers, const ComputeConfig& config,
                     std::span<const ComputeCosts> costs, double dt, std::size_t begin,
                     std::size_t end);

// The provider's asks: `config.ask_tranches` equal slices of capacity at
// rising markups (`out` holds that many; ask ids are i * tranches + k).
void provider_asks(const ComputeProviderTable& providers, const ComputeConfig& config,
                   std::size_t i, std::span<Order> out);

}  // namespace airace
