#pragma once
// Training outcomes under the Chinchilla loss, the data wall and algorithmic
// efficiency, and the capability index kappa (MODEL.md "Capability").
//
// Physical compute C sets the compute-optimal split (N, D) ~ (C/6)^a, (C/6)^b.
// Algorithmic efficiency A multiplies effective compute: the run behaves like
// a run of A*C, which we express by scaling N by A^a and D by A^b (a + b = 1),
// so an unconstrained run's kappa is exactly log10(A*C). When the human data a
// lab may use is short, it repeats data (Muennighoff et al.) and puts the rest
// of its compute into parameters, so kappa falls below log10(A*C).

#include "sim/config.hpp"

namespace airace {

struct ScalingLaw {
    double e = 1.8172;
    double a = 482.01;
    double b = 2085.43;
    double alpha = 0.3478;
    double beta = 0.3658;
    double repetition_rstar = 15.0;

    static ScalingLaw from(const ScalingConfig& config);

    double params_exponent() const { return beta / (alpha + beta); }  // N_opt ~ C^a
    double data_exponent() const { return alpha / (alpha + beta); }   // D_opt ~ C^b
    double g() const;  // G = (alpha A / (beta B))^(1/(alpha+beta))

    double loss(double params, double tokens) const;  // E + A/N^alpha + B/D^beta
    double optimal_params(double compute_flop) const;
    double optimal_tokens(double compute_flop) const;
    double optimal_loss(double compute_flop) const;
    // Inverse of optimal_loss: log10 of the clean-data compute that reaches `loss`.
    double kappa_from_loss(double loss_value) const;
};

// Value of seeing `tokens_seen` tokens drawn from `unique` unique tokens
// (Muennighoff et al. 2025, eq. 5): D' = U + U R* (1 - exp(-(D/U - 1)/R*)).
double repeated_data_value(double unique_tokens, double tokens_seen, double rstar);

struct TrainingOutcome {
    double params = 0;          // physical parameters N
    double tokens_seen = 0;     // physical training tokens D
    double effective_tokens = 0;  // D' after repetition discount
    double loss = 0;
    double kappa = 0;           // capability index, log10 effective FLOP
    bool data_limited = false;
};

// Outcome of a run of `compute_flop` at efficiency `efficiency` with
// `unique_tokens` usable human tokens (infinity: no data limit).
TrainingOutcome train(const ScalingLaw& law, double compute_flop, double efficiency,
                      double unique_tokens);

// Benchmark-like score in (0, 100): 100 / (1 + exp(-(kappa - k50) / width)).
double capability_score(double kappa, double k50, double width);

// Capability added by reasoning intensity m >= 1: r log10(m), capped.
double reasoning_gain(double intensity, double kappa_per_log10, double max_gain);

}  // namespace airace
