#include "sim/scaling.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/errors.hpp"

namespace airace {
namespace {

// Definitions, not choices: training costs 6 FLOP per parameter per token
// (C = 6 N D), a forward pass 2 (Kaplan et al. 2020).
constexpr double training_flop_per_param = 6.0;
constexpr double forward_flop_per_param = 2.0;

}  // namespace

ScalingLaw ScalingLaw::from(const ScalingConfig& c) {
    return ScalingLaw{c.loss_e, c.loss_a, c.loss_b, c.alpha, c.beta, c.repetition_rstar};
}

double ScalingLaw::g() const {
    return std::pow(alpha * a / (beta * b), 1.0 / (alpha + beta));
}

double ScalingLaw::loss(double params, double tokens) const {
    return e + a / std::pow(params, alpha) + b / std::pow(tokens, beta);
}

double ScalingLaw::optimal_params(double compute_flop) const {
    return g() * std::pow(compute_flop / training_flop_per_param, params_exponent());
}

double ScalingLaw::optimal_tokens(double compute_flop) const {
    return compute_flop / (training_flop_per_param * optimal_params(compute_flop));
}

double ScalingLaw::optimal_loss(double compute_flop) const {
    return loss(optimal_params(compute_flop), optimal_tokens(compute_flop));
}

double ScalingLaw::kappa_from_loss(double loss_value) const {
    // At the compute-optimal split both reducible terms fall as (C/6)^-gamma
    // with gamma = alpha beta / (alpha + beta), so
    // L*(C) = E + K (C/6)^-gamma  =>  C = 6 ((L - E) / K)^(-1/gamma).
    const double gamma = alpha * beta / (alpha + beta);
    const double k = a * std::pow(g(), -alpha) + b * std::pow(g(), beta);
    const double reducible = std::max(loss_value - e, std::numeric_limits<double>::min());
    return std::log10(training_flop_per_param) - std::log10(reducible / k) / gamma;
}

double repeated_data_value(double unique_tokens, double tokens_seen, double rstar) {
    if (tokens_seen <= unique_tokens) return tokens_seen;
    const double extra_epochs = tokens_seen / unique_tokens - 1.0;
    return unique_tokens + unique_tokens * rstar * (1.0 - std::exp(-extra_epochs / rstar));
}

double quality_adjusted_tokens(double used, double stock, double decay) {
    if (decay <= 0 || stock <= 0) return used;
    return stock / decay * -std::expm1(-decay * used / stock);
}

double human_tokens_for(double effective, double stock, double decay) {
    if (decay <= 0 || stock <= 0) return effective;
    // U = -(H / k) ln(1 - k U_eff / H), when the stock is worth that much.
    const double reach = decay * effective / stock;
    if (reach >= 1.0) return stock;
    return std::min(stock, -stock / decay * std::log1p(-reach));
}

double unique_human_tokens(double usable, double produced, double stock, double decay) {
    return quality_adjusted_tokens(std::max(0.0, usable - produced), stock, decay) + produced;
}

namespace {

// The collapse penalty scales the reducible loss (model collapse erodes
// what training learned, not the irreducible entropy of text).
TrainingOutcome with_penalty(const ScalingLaw& law, TrainingOutcome out, double penalty) {
    out.collapse_penalty = penalty;
    out.loss = law.e + (out.loss - law.e) * (1.0 + penalty);
    out.kappa = law.kappa_from_loss(out.loss);
    return out;
}

double constrained_loss(const ScalingLaw& law, double compute_flop, double tokens_seen,
                        double unique_tokens, double efficiency, double* effective_tokens) {
    const double params = compute_flop / (training_flop_per_param * tokens_seen);
    const double value = repeated_data_value(unique_tokens, tokens_seen, law.repetition_rstar);
    if (effective_tokens) *effective_tokens = value;
    return law.loss(params * std::pow(efficiency, law.params_exponent()),
                    value * std::pow(efficiency, law.data_exponent()));
}

}  // namespace

TrainingOutcome train(const ScalingLaw& law, double compute_flop, double efficiency,
                      double unique_tokens) {
    AIRACE_ASSERT(compute_flop > 0 && efficiency > 0);
    // A lab that could use no data at all still trains on something: at
    // least one token, so that the loss stays finite (and very high).
    unique_tokens = std::max(unique_tokens, 1.0);
    TrainingOutcome out;
    const double optimal_tokens = law.optimal_tokens(compute_flop);
    if (!(unique_tokens < optimal_tokens)) {
        out.tokens_seen = optimal_tokens;
        out.effective_tokens = optimal_tokens;
        out.params = law.optimal_params(compute_flop);
    } else {
        // Data-limited: choose how many tokens to see (repeating the unique
        // ones) to minimise loss; golden-section search on log D over
        // [U, D_opt], where the loss is unimodal.
        out.data_limited = true;
        double lo = std::log(unique_tokens);
        double hi = std::log(optimal_tokens);
        const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;
        for (int iteration = 0; iteration < 80 && hi - lo > 1e-9; ++iteration) {
            const double m1 = hi - ratio * (hi - lo);
            const double m2 = lo + ratio * (hi - lo);
            const double l1 = constrained_loss(law, compute_flop, std::exp(m1), unique_tokens,
                                               efficiency, nullptr);
            const double l2 = constrained_loss(law, compute_flop, std::exp(m2), unique_tokens,
                                               efficiency, nullptr);
            if (l1 <= l2) hi = m2; else lo = m1;
        }
        out.tokens_seen = std::exp(0.5 * (lo + hi));
        out.params = compute_flop / (training_flop_per_param * out.tokens_seen);
    }
    out.loss = constrained_loss(law, compute_flop, out.tokens_seen,
                                out.data_limited ? unique_tokens : out.tokens_seen, efficiency,
                                &out.effective_tokens);
    out.kappa = law.kappa_from_loss(out.loss);
    return out;
}

SyntheticMode synthetic_mode(const std::string& name) {
    if (name == "accumulate") return SyntheticMode::accumulate;
    if (name == "replace") return SyntheticMode::replace;
    return SyntheticMode::off;
}

TrainingOutcome train_with_synthetic(const ScalingLaw& law, double compute_flop, double efficiency,
                                     double unique_tokens, const SyntheticPlan& plan) {
    // Without synthetic data this generation the lab's carried penalty decays
    // (its data pipeline and teacher models still bear the earlier generations).
    const TrainingOutcome human_only =
        with_penalty(law, train(law, compute_flop, efficiency, unique_tokens),
                     plan.previous_penalty * (1.0 - plan.collapse_decay));
    if (plan.mode == SyntheticMode::off || !human_only.data_limited || plan.generator_params <= 0)
        return human_only;
    const bool replace = plan.mode == SyntheticMode::replace;
    const double human = replace ? unique_tokens * (1.0 - plan.replace_share) : unique_tokens;
    const double share_cap = replace ? std::max(plan.max_share, plan.replace_share) : plan.max_share;
    const double gap = law.optimal_tokens(compute_flop) - human;
    double effective_synthetic = std::min(gap, human * share_cap / (1.0 - share_cap));
    // Generation comes out of the run's compute, at most a share of it; a
    // token costs a forward pass, 2 FLOP per generator parameter.
    double tokens = effective_synthetic / plan.quality;
    double generation = forward_flop_per_param * plan.generator_params * tokens;
    if (generation > plan.max_generation_share * compute_flop) {
        tokens *= plan.max_generation_share * compute_flop / generation;
        generation = plan.max_generation_share * compute_flop;
        effective_synthetic = tokens * plan.quality;
    }
    if (effective_synthetic <= 0) return human_only;
    const double unique = human + effective_synthetic;
    const double share = effective_synthetic / unique;
    const double penalty_now = plan.penalty_per_share * share;
    // Replacing real data compounds the error generation after generation
    // (it grows linearly); accumulating it with the real data keeps it
    // bounded (Gerstgrasser et al. 2024): each generation closes a share of
    // the gap to one generation's penalty, c_g = c_(g-1) + a (lambda sigma - c_(g-1)).
    const double previous = plan.previous_penalty;
    const double penalty = replace ? previous + penalty_now
                                   : previous + plan.accumulate_penalty_share * (penalty_now - previous);
    TrainingOutcome out = with_penalty(law, train(law, compute_flop - generation, efficiency, unique),
                                       penalty);
    out.synthetic_tokens = tokens;
    out.synthetic_share = share;
    out.generation_flop = generation;
    out.data_limited = true;
    if (!replace && out.kappa <= human_only.kappa) return human_only;
    return out;
}

double capability_score(double kappa, double k50, double width) {
    return 100.0 / (1.0 + std::exp(-(kappa - k50) / width));
}

double reasoning_gain(double intensity, double kappa_per_log10, double max_gain) {
    if (intensity <= 1.0) return 0.0;
    return std::min(max_gain, kappa_per_log10 * std::log10(intensity));
}

}  // namespace airace
