#pragma once
// Global sensitivity indices from sweep outputs, with bootstrap confidence
// intervals.
//
// Sobol' indices use the Saltelli (2010) design of sweep_design.hpp (rows per
// base sample: A, AB_1..AB_k, B): first order S1_i by Saltelli et al. 2010,
// Table 2 (b), total ST_i by Jansen (1999), Table 2 (f), both divided by the
// variance of f over A and B together, on outputs centred on their mean.
// Morris screening reports mu* (mean
// absolute elementary effect, Campolongo et al. 2007), mu and sigma (the
// standard deviation of the effects; n - 1 denominator), with effects taken in
// unit-cube coordinates so parameters of different units compare.
//
// Confidence intervals resample base samples (Sobol') or trajectories
// (Morris) with replacement, drawing from Philox keyed by the sweep's
// design_seed, and report the half-width z * sd of the bootstrap estimates
// (the normal interval, as SALib does). Base samples or trajectories with a
// NaN output (a failed run, a metric not reached) are left out; the count
// used is reported.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "experiment/sweep_design.hpp"

namespace airace {

struct BootstrapOptions {
    std::size_t resamples = 1000;
    double confidence = 0.95;
    std::uint64_t seed = 1;
};

struct SobolIndices {
    std::vector<double> s1, s1_conf, st, st_conf;  // [k]; NaN when too few samples
    std::size_t samples_used = 0;
};

struct MorrisIndices {
    std::vector<double> mu_star, mu_star_conf, mu, sigma;  // [k]
    std::size_t trajectories_used = 0;
};

// y: n * (k + 2) outputs in saltelli_design's row order.
SobolIndices sobol_indices(std::span<const double> y, std::size_t n, std::size_t k,
                           const BootstrapOptions& bootstrap);

// y and unit: r * (k + 1) outputs and points in morris_design's order.
MorrisIndices morris_indices(std::span<const double> y, const UnitRows& unit, std::size_t r,
                             std::size_t k, const BootstrapOptions& bootstrap);

// Two-sided standard normal quantile for a confidence level (0.95 -> 1.96).
double normal_quantile_two_sided(double confidence);

}  // namespace airace
