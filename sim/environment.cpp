#include "sim/environment.hpp"

#include <algorithm>
#include <cmath>

namespace airace {
namespace {

constexpr double joules_per_kwh = 3.6e6;  // a unit conversion

}  // namespace

// The reference years below (2020, 2023, 2024) are the ones the keys name
// (addressable_spend_usd_2020, hardware_usd_per_flop_2023, ..._2024): each
// trend is anchored at its key's year, a definition rather than a choice.
void update_environment(Environment& env, const ScenarioConfig& config, std::int32_t step) {
    const double dt = config.dt_years();
    env.year = config.time.start_year + step * dt;
    env.years_elapsed = step * dt;
    const double since_2023 = env.year - 2023.0;
    const ComputeConfig& compute = config.compute;
    env.costs.hardware_usd_per_flop = compute.hardware_usd_per_flop_2023 *
                                      std::pow(compute.hardware_improvement_per_year, -since_2023);
    const double flop_per_joule =
        compute.flop_per_joule_2023 *
        std::pow(compute.energy_efficiency_improvement_per_year, since_2023);
    env.flop_per_joule = flop_per_joule;
    env.costs.energy_usd_per_flop = compute.electricity_usd_per_kwh / joules_per_kwh / flop_per_joule;
    env.site_power_w = std::min(compute.max_site_power_gw * watts_per_gigawatt,
                                compute.site_power_mw_2024 * watts_per_megawatt *
                                    std::pow(compute.site_power_growth_per_year, env.year - 2024.0));
    env.training_flop_per_hardware_flop =
        std::min(compute.training_flop_gain_max,
                 std::pow(compute.training_flop_gain_per_year, env.year - 2024.0));
    env.addressable_spend_usd_per_year =
        config.product.addressable_spend_usd_2020 *
        std::pow(config.product.addressable_growth_per_year, env.year - 2020.0);
    env.value_usd_per_token = config.product.value_usd_per_token_2024 *
                              std::pow(config.product.addressable_growth_per_year, env.year - 2024.0);
    env.human_stock_tokens = config.data.human_stock_tokens_2024 *
                             std::pow(1.0 + config.data.stock_growth_per_year, env.year - 2024.0);
    // Outside demand grows at its early rate until the slowdown year, then its
    // growth rate decays (adoption outside the modelled labs matures): sum the
    // log growth over the elapsed steps (the same sum whatever the step),
    // each step's rate taken at its midpoint (s + 0.5).
    double log_growth = 0;
    for (std::int32_t s = 0; s < step; ++s) {
        const double year = config.time.start_year + (s + 0.5) * dt;
        const double excess = (compute.external_demand_growth_per_year - 1.0) *
                              std::exp(-std::max(0.0, year - compute.external_demand_slowdown_year) /
                                       compute.external_demand_slowdown_years);
        log_growth += std::log1p(excess) * dt;
    }
    env.external_demand_flop = compute.external_demand_share *
                               compute.initial_capacity_flop_per_quarter * (4.0 * dt) *
                               std::exp(log_growth);
    env.reasoning_available = env.year >= config.scaling.reasoning_start_year;
}

}  // namespace airace
