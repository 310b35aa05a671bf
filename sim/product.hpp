#pragma once
// Demand for AI services (docs/model.md section 7): what the best model
// served can do (usefulness, the share of economically valuable tasks whose
// effective-compute requirement it meets), how far firms have adopted it,
// and how incidents and compliance hold demand back. Phase 2 (decide) reads
// the revenue pool it gives to plan serving; phase 7 (product market) moves
// adoption and pays the labs.

#include <cstdint>
#include <span>

#include "config/config.hpp"

namespace airace {

// Usefulness (0-1) of a model of capability `kappa`: the share of tasks,
// with requirements spread logistically in log10 effective compute around
// scaling.score_k50 with width scaling.score_width, that it can do. The
// model's score is 100 times this.
double usefulness(const ScalingConfig& scaling, double kappa);

struct DemandState {
    double usefulness = 0;  // of the best model served (0-1)
    double trust = 1;       // share of demand kept after incidents (0-1)
    double friction = 1;    // share of adoption speed kept under compliance (0-1)
    double ceiling = 0;     // adoption ceiling (share of firms)
};

// Demand given the best model served, the regulators' mean stringency (0-1)
// and mean incident concern.
DemandState demand_state(const ScenarioConfig& config, double best_kappa, double mean_stringency,
                         double mean_incident_concern);

// AI revenue per year the market pays at adoption `adoption` (all labs).
double revenue_pool_per_year(const DemandState& demand, double adoption,
                             double addressable_spend_usd_per_year);

// Adoption after one step of Bass diffusion toward the demand's ceiling,
// its speed slowed by compliance friction.
double next_adoption(const ProductConfig& product, const DemandState& demand, double adoption,
                     double dt);

}  // namespace airace
