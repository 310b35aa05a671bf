#include "sim/product.hpp"

#include <algorithm>
#include <cmath>

#include "base/markets.hpp"

namespace airace {

double usefulness(const ScalingConfig& scaling, double kappa) {
    return 1.0 / (1.0 + std::exp(-(kappa - scaling.score_k50) / scaling.score_width));
}

DemandState demand_state(const ScenarioConfig& config, double best_kappa, double mean_stringency,
                         double mean_incident_concern) {
    const ProductConfig& product = config.product;
    DemandState d;
    d.usefulness = usefulness(config.scaling, best_kappa);
    d.trust = std::exp(-product.incident_demand_loss * std::max(0.0, mean_incident_concern));
    d.friction = std::clamp(1.0 - product.stringency_adoption_drag * mean_stringency, 0.0, 1.0);
    // Firms adopt once the tasks they would start with, adoption_kappa_lead
    // OOM easier than the median task, are within reach.
    d.ceiling = product.max_adoption *
                usefulness(config.scaling, best_kappa + product.adoption_kappa_lead);
    return d;
}

double revenue_pool_per_year(const DemandState& demand, double adoption,
                             double addressable_spend_usd_per_year) {
    return adoption * demand.usefulness * demand.trust * addressable_spend_usd_per_year;
}

double next_adoption(const ProductConfig& product, const DemandState& demand, double adoption,
                     double dt) {
    return bass_adoption_step(adoption, demand.ceiling, product.bass_p * demand.friction,
                              product.bass_q * demand.friction, dt);
}

}  // namespace airace
