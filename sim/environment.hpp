#pragma once
// Exogenous trends (phase 1): hardware and energy cost per FLOP, addressable
// spend, token demand per adopter, the human text stock and demand for
// compute from users outside the model. (Algorithmic efficiency is not one:
// labs' research moves it, sim/phases/train_and_release.cpp.)

#include <cstdint>

#include "agents/compute_provider.hpp"
#include "config/config.hpp"

namespace airace {

struct Environment {
    double year = 0;            // decimal year at the start of the step
    double years_elapsed = 0;   // since time.start_year
    ComputeCosts costs;
    double flop_per_joule = 0;               // effective, data-centre level
    double adoption = 0;                     // share of firms using AI
    double addressable_spend_usd_per_year = 0;
    double value_usd_per_token = 0;          // mean value of a plain token's work (USD)
    double human_stock_tokens = 0;
    double open_tokens = 0;                  // crawlable without a licence
    double external_demand_flop = 0;         // per step, all regions
    bool reasoning_available = false;
    double site_power_w = 0;                 // the largest site a single run can use
    double training_flop_per_hardware_flop = 1;  // 1 in 2024: formats, utilisation
};

void update_environment(Environment& env, const ScenarioConfig& config, std::int32_t step);

// Joules per TWh, for reporting energy.
inline constexpr double joules_per_twh = 3.6e15;
// Watts in a megawatt and a gigawatt: site power is given in MW, regions'
// power is kept in GW (unit conversions).
inline constexpr double watts_per_megawatt = 1e6;
inline constexpr double watts_per_gigawatt = 1e9;

}  // namespace airace
