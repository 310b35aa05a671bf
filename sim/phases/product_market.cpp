// Phase 7, product market: adoption diffuses toward a ceiling set by the best
// model; revenue is shared by capability and limited by the serving compute
// each lab bought.

#include <algorithm>
#include <vector>

#include "sim/phases/phases.hpp"

namespace airace {

void phase_product_market(World& world) {
    const ScenarioConfig& config = world.config;
    const ProductConfig& product = config.product;
    LabTable& labs = world.labs;
    const std::size_t n = labs.size();
    double best_score = 0;
    std::vector<double> scores(n, 0.0);
    std::vector<std::uint8_t> serving(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        scores[i] = labs.model_score[i];
        serving[i] = labs.active(i) && labs.model_flop[i] > 0 ? 1 : 0;
        if (serving[i]) best_score = std::max(best_score, scores[i]);
    }
    // Adoption diffuses toward a ceiling set by the best model's usefulness
    // (its score over the score's full scale, 100).
    const double ceiling = product.max_adoption * best_score / 100.0;
    world.env.adoption = bass_adoption_step(world.env.adoption, ceiling, product.bass_p,
                                            product.bass_q, config.dt_years());
    const std::vector<double> shares = revenue_shares(scores, serving, product.share_temperature);
    const double pool = world.env.adoption * world.env.addressable_spend_usd_per_year *
                        config.dt_years();
    const double tokens = world.env.adoption * world.env.tokens_per_step_full_adoption;
    for (std::size_t i = 0; i < n; ++i) {
        // Revenue needs the serving compute the lab planned to buy; a lab
        // short of it serves (and earns) that much less.
        const double wanted = labs.inference_flop_wanted[i];
        const double served = wanted > 0 ? std::min(1.0, labs.inference_flop_bought[i] / wanted) : 1.0;
        // The first quarter has no serving bought yet: serve from own capacity.
        const double fill = world.step == 0 ? 1.0 : served;
        const double wanted_tokens = shares[i] * tokens;
        labs.revenue_share[i] = shares[i];
        labs.tokens_served[i] = wanted_tokens * fill;
        labs.revenue_usd[i] = pool * shares[i] * fill;
        labs.cash_usd[i] += labs.revenue_usd[i];
        world.totals.ai_revenue_usd += labs.revenue_usd[i];
    }
}

}  // namespace airace
