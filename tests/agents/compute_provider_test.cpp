// agents/compute_provider.cpp: providers' capacity plans read their keys.

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "agents/compute_provider.hpp"

using namespace airace;

namespace {

// Capacity after one plan of a provider with 100 FLOP/step whose demand was
// `before` in each step of the last year and is `now` (the trailing growth
// is now / the least of the year), chip supply not binding; its earnings
// ratio is `earning_ratio` (by default it earns its cost).
double planned_capacity(const ComputeConfig& config, double before, double now,
                        double earning_ratio = 1.0) {
    ComputeProviderTable providers;
    providers.resize(1);
    providers.capacity_flop[0] = 100;
    providers.earning_ratio[0] = earning_ratio;
    providers.demand_flop[0] = now;
    for (int k = 0; k < 4; ++k) providers.demand_last_year[static_cast<std::size_t>(k)] = before;
    const std::array<ComputeCosts, 3> costs{ComputeCosts{1e-18, 1e-19}, ComputeCosts{1e-18, 1e-19},
                                            ComputeCosts{1e-18, 1e-19}};
    const std::vector<double> ceiling = {std::numeric_limits<double>::infinity()};
    const std::vector<double> supply = {1.0};
    plan_capacity(providers, config, costs, 0.25, ceiling, supply, 0, 1);
    return providers.capacity_flop[0];
}

}  // namespace

TEST_CASE("compute.demand_growth_cap and floor bound the demand growth providers plan on",
          "[agents][compute]") {
    ComputeConfig config;
    config.max_capacity_growth_per_year = 100;  // chip supply out of the way
    const double headroom = 1 + config.capacity_headroom;
    // Demand grew 10x in a year: the default cap, 10, lets the plan follow it.
    CHECK(planned_capacity(config, 10, 100) == Approx(100 * std::pow(10.0, 0.25) * headroom));
    config.demand_growth_cap = 2;
    CHECK(planned_capacity(config, 10, 100) == Approx(100 * std::pow(2.0, 0.25) * headroom));
    // Demand fell 10x: the default floor, 0.5, plans on halving in a year.
    config = ComputeConfig{};
    config.max_capacity_growth_per_year = 100;
    CHECK(planned_capacity(config, 1000, 100) == Approx(100 * std::pow(0.5, 0.25) * headroom));
    config.demand_growth_floor = 0.1;  // the plan follows the fall; depreciation is slower
    const double depreciated = 100 * (1 - 0.25 / config.hardware_lifetime_years);
    CHECK(planned_capacity(config, 1000, 100) == Approx(depreciated));
}

// The earnings ratio after a step in which a provider with a ratio of 1
// sold all of its 100 FLOP at `price` USD/FLOP.
double earnings_after(const ComputeConfig& config, double price) {
    ComputeProviderTable providers;
    providers.resize(1);
    providers.capacity_flop[0] = 100;
    providers.utilisation[0] = 1.0;
    providers.revenue_usd[0] = 100 * price;
    providers.earning_ratio[0] = 1.0;
    const std::array<ComputeCosts, 3> costs{ComputeCosts{1e-18, 1e-19}, ComputeCosts{1e-18, 1e-19},
                                            ComputeCosts{1e-18, 1e-19}};
    update_earnings(providers, config, costs, 0.25, 0, 1);
    return providers.earning_ratio[0];
}

TEST_CASE("compute.cost_of_capital_per_year: the earnings ratio counts the cost of capital",
          "[agents][compute]") {
    ComputeConfig config;
    // Costs 1e-18 hardware + 1e-19 energy per FLOP; at 10% a year over a
    // 4-year life a unit costs 1.4e-18 + 1e-19 = 1.5e-18 a step at full use.
    CHECK(earnings_after(config, 1.5e-18) == Approx(1.0));
    // Half of that for a quarter: the year's average falls by a quarter of
    // the gap, to 0.875.
    CHECK(earnings_after(config, 0.75e-18) == Approx(0.875));
    config.cost_of_capital_per_year = 0;  // a unit costs 1.1e-18
    CHECK(earnings_after(config, 0.75e-18) == Approx(1 - 0.25 * (1 - 0.75 / 1.1)));
}

TEST_CASE("compute.capital_return_response: capacity that does not earn its cost is not built",
          "[agents][compute]") {
    ComputeConfig config;
    config.max_capacity_growth_per_year = 100;
    const double headroom = 1 + config.capacity_headroom;
    CHECK(planned_capacity(config, 100, 100, 1.0) == Approx(100 * headroom));
    CHECK(planned_capacity(config, 100, 100, 2.0) == Approx(100 * headroom));  // no more than demand
    CHECK(planned_capacity(config, 100, 100, 0.95) == Approx(100 * headroom * 0.95));
    // Earning half its cost: nothing is built beyond depreciation.
    const double depreciated = 100 * (1 - 0.25 / config.hardware_lifetime_years);
    CHECK(planned_capacity(config, 100, 100, 0.5) == Approx(depreciated));
    config.capital_return_response = 0;
    CHECK(planned_capacity(config, 100, 100, 0.5) == Approx(100 * headroom));
}
