// agents/compute_provider.cpp: providers' capacity plans read their keys.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "agents/compute_provider.hpp"

using namespace airace;

namespace {

// Capacity after one plan of a provider with 100 FLOP/step whose demand was
// `before` in each step of the last year and is `now` (the trailing growth
// is now / the least of the year), chip supply not binding.
double planned_capacity(const ComputeConfig& config, double before, double now) {
    ComputeProviderTable providers;
    providers.resize(1);
    providers.capacity_flop[0] = 100;
    providers.demand_flop[0] = now;
    for (int k = 0; k < 4; ++k) providers.demand_last_year[static_cast<std::size_t>(k)] = before;
    const ComputeCosts costs{1e-18, 1e-19};
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
