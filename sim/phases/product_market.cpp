// Phase 7, product market: adoption diffuses toward a ceiling set by what the
// best model can do; the revenue the market pays (adoption times usefulness
// times the addressable spend, less what incidents cost in trust) is shared
// by capability, users moving to a better model over time rather than at
// once, and limited by the serving compute each lab bought.

#include <algorithm>
#include <vector>

#include "sim/phases/phases.hpp"
#include "sim/product.hpp"

namespace airace {

DemandState current_demand(const ScenarioConfig& config, const RegulatorTable& regulators,
                           double best_kappa) {
    double stringency = 0;
    double incident_concern = 0;
    for (std::size_t r = 0; r < regulators.size(); ++r) {
        stringency += regulators.stringency[r];
        incident_concern += regulators.incident_concern[r];
    }
    const double n = regulators.size() > 0 ? static_cast<double>(regulators.size()) : 1.0;
    return demand_state(config, best_kappa, stringency / n, incident_concern / n);
}

void phase_product_market(const ProductMarketIO& io) {
    const ScenarioConfig& config = io.config;
    const ProductConfig& product = config.product;
    Environment& env = io.env;
    LabTable& labs = io.labs;
    const std::size_t n = labs.size();
    double best_kappa = -1e300;
    std::vector<double> kappas(n, 0.0);
    std::vector<std::uint8_t> serving(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        kappas[i] = served_kappa(labs, config.labs, i);
        serving[i] = labs.active(i) && labs.model_flop[i] > 0 ? 1 : 0;
        if (serving[i]) best_kappa = std::max(best_kappa, kappas[i]);
    }
    const DemandState demand = current_demand(config, io.regulators, best_kappa);
    env.adoption = next_adoption(product, demand, env.adoption, config.dt_years());
    const std::vector<double> shares =
        switched_shares(labs.revenue_share, revenue_shares(kappas, serving, product.share_kappa_temperature),
                        serving, io.step == 0 ? 0.0 : product.share_switching_years, config.dt_years());
    const double pool =
        revenue_pool_per_year(demand, env.adoption, env.addressable_spend_usd_per_year) *
        config.dt_years();
    // Tasks at full coverage, in plain tokens (docs/model.md section 3).
    const double task_tokens = env.value_usd_per_token > 0 ? pool / env.value_usd_per_token : 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        // Users buy the tasks whose value covers their serving cost; the
        // lab serves them with the compute it bought (a lab short of it
        // serves, and earns, that much less).
        const ServedTasks tasks = served_tasks(labs.task_cost_ratio[i], product.value_log_sd);
        const double needed = labs.inference_flop_wanted[i];
        const double served = needed > 0 ? std::min(1.0, labs.inference_flop_bought[i] / needed) : 1.0;
        // The first quarter has no serving bought yet: serve from own capacity.
        const double fill = io.step == 0 ? 1.0 : served;
        labs.revenue_share[i] = shares[i];
        labs.tokens_served[i] =
            shares[i] * task_tokens * tasks.task_share * labs.reasoning_intensity[i] * fill;
        io.totals.tokens_served += labs.tokens_served[i];
        labs.revenue_usd[i] = pool * shares[i] * tasks.value_share * fill;
        io.totals.value_pool_usd += pool * shares[i];
        labs.cash_usd[i] += labs.revenue_usd[i];
        io.totals.ai_revenue_usd += labs.revenue_usd[i];
    }
}

}  // namespace airace
