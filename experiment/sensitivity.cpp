// Sobol' and Morris indices (see sensitivity.hpp for the estimators and
// their sources). Each estimator is a function of a list of base-sample (or
// trajectory) indices, so the point estimate uses 0..m-1 and each bootstrap
// resample the same function over indices drawn with replacement.

#include "experiment/sensitivity.hpp"

#include <cmath>
#include <limits>

#include "base/rng.hpp"

namespace airace {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Resample b: m indices drawn uniformly with replacement from 0..m-1.
std::vector<std::size_t> resample(std::size_t m, std::size_t b, std::uint64_t seed) {
    std::vector<std::size_t> picks(m);
    for (std::size_t p = 0; p < m; ++p) {
        const RngKey key{seed, static_cast<std::int64_t>(b), AgentKind::world,
                         static_cast<std::uint32_t>(p), RngPurpose::sweep_bootstrap};
        picks[p] = std::min(m - 1, static_cast<std::size_t>(uniform01(key) * static_cast<double>(m)));
    }
    return picks;
}

double sample_sd(const std::vector<double>& values) {
    double sum = 0;
    std::size_t n = 0;
    for (double v : values)
        if (std::isfinite(v)) sum += v, ++n;
    if (n < 2) return nan;
    const double mean = sum / static_cast<double>(n);
    double squares = 0;
    for (double v : values)
        if (std::isfinite(v)) squares += (v - mean) * (v - mean);
    return std::sqrt(squares / static_cast<double>(n - 1));
}

// Runs `estimate(indices)` (returning one value per factor) on the identity
// and on each bootstrap resample; fills point estimates and half-widths.
template <typename Estimate>
void with_bootstrap(std::size_t m, std::size_t k, const BootstrapOptions& options, Estimate estimate,
                    std::vector<double>& point, std::vector<double>& half_width) {
    std::vector<std::size_t> all(m);
    for (std::size_t p = 0; p < m; ++p) all[p] = p;
    point = estimate(all);
    half_width.assign(k, nan);
    if (m < 2 || options.resamples < 2) return;
    std::vector<std::vector<double>> draws(k, std::vector<double>(options.resamples));
    for (std::size_t b = 0; b < options.resamples; ++b) {
        const std::vector<double> values = estimate(resample(m, b, options.seed));
        for (std::size_t i = 0; i < k; ++i) draws[i][b] = values[i];
    }
    const double z = normal_quantile_two_sided(options.confidence);
    for (std::size_t i = 0; i < k; ++i) half_width[i] = z * sample_sd(draws[i]);
}

}  // namespace

double normal_quantile_two_sided(double confidence) {
    // Bisection on the normal CDF, Phi(x) = erfc(-x / sqrt 2) / 2: exact to
    // double precision in 200 halvings, and clear to read.
    const double target = 0.5 + confidence / 2.0;
    double low = 0.0, high = 40.0;
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (low + high);
        (0.5 * std::erfc(-mid / std::sqrt(2.0)) < target ? low : high) = mid;
    }
    return 0.5 * (low + high);
}

SobolIndices sobol_indices(std::span<const double> y, std::size_t n, std::size_t k,
                           const BootstrapOptions& bootstrap) {
    const std::size_t stride = k + 2;
    // Base samples whose k + 2 outputs are all known.
    std::vector<std::size_t> valid;
    for (std::size_t j = 0; j < n && (j + 1) * stride <= y.size(); ++j) {
        bool finite = true;
        for (std::size_t c = 0; c < stride; ++c) finite = finite && std::isfinite(y[j * stride + c]);
        if (finite) valid.push_back(j);
    }
    // Outputs are centred first: the first-order estimator multiplies f(B)
    // by a difference, so an output far from zero (capability ~36) inflates
    // its variance many times over; centring leaves every index's expectation
    // unchanged (SALib does the same).
    double centre = 0;
    for (std::size_t j : valid)
        for (std::size_t c = 0; c < stride; ++c) centre += y[j * stride + c];
    if (!valid.empty()) centre /= static_cast<double>(valid.size() * stride);
    const auto f_a = [&](std::size_t j) { return y[valid[j] * stride] - centre; };
    const auto f_b = [&](std::size_t j) { return y[valid[j] * stride + k + 1] - centre; };
    const auto f_ab = [&](std::size_t j, std::size_t i) { return y[valid[j] * stride + 1 + i] - centre; };

    // Variance of f over A and B together (population form).
    const auto variance = [&](const std::vector<std::size_t>& picks) {
        double sum = 0, squares = 0;
        for (std::size_t j : picks) sum += f_a(j) + f_b(j);
        const double mean = sum / static_cast<double>(2 * picks.size());
        for (std::size_t j : picks)
            squares += (f_a(j) - mean) * (f_a(j) - mean) + (f_b(j) - mean) * (f_b(j) - mean);
        return squares / static_cast<double>(2 * picks.size());
    };
    const auto first_order = [&](const std::vector<std::size_t>& picks) {
        std::vector<double> s(k, nan);
        const double v = picks.size() < 2 ? 0.0 : variance(picks);
        if (!(v > 0)) return s;
        for (std::size_t i = 0; i < k; ++i) {
            double sum = 0;  // Saltelli et al. 2010, Table 2 (b)
            for (std::size_t j : picks) sum += f_b(j) * (f_ab(j, i) - f_a(j));
            s[i] = sum / static_cast<double>(picks.size()) / v;
        }
        return s;
    };
    const auto total = [&](const std::vector<std::size_t>& picks) {
        std::vector<double> s(k, nan);
        const double v = picks.size() < 2 ? 0.0 : variance(picks);
        if (!(v > 0)) return s;
        for (std::size_t i = 0; i < k; ++i) {
            double sum = 0;  // Jansen 1999; Saltelli et al. 2010, Table 2 (f)
            for (std::size_t j : picks) sum += (f_a(j) - f_ab(j, i)) * (f_a(j) - f_ab(j, i));
            s[i] = sum / (2.0 * static_cast<double>(picks.size())) / v;
        }
        return s;
    };
    SobolIndices out;
    out.samples_used = valid.size();
    with_bootstrap(valid.size(), k, bootstrap, first_order, out.s1, out.s1_conf);
    with_bootstrap(valid.size(), k, bootstrap, total, out.st, out.st_conf);
    return out;
}

MorrisIndices morris_indices(std::span<const double> y, const UnitRows& unit, std::size_t r,
                             std::size_t k, const BootstrapOptions& bootstrap) {
    const std::size_t stride = k + 1;
    // Elementary effects per usable trajectory: effects[t][factor].
    std::vector<std::vector<double>> effects;
    for (std::size_t t = 0; t < r && (t + 1) * stride <= y.size() && (t + 1) * stride <= unit.size(); ++t) {
        bool finite = true;
        for (std::size_t s = 0; s < stride; ++s) finite = finite && std::isfinite(y[t * stride + s]);
        if (!finite) continue;
        std::vector<double> ee(k, nan);
        for (std::size_t s = 1; s < stride; ++s) {
            const auto& before = unit[t * stride + s - 1];
            const auto& after = unit[t * stride + s];
            for (std::size_t i = 0; i < k; ++i) {
                const double move = after[i] - before[i];
                if (move != 0.0) ee[i] = (y[t * stride + s] - y[t * stride + s - 1]) / move;
            }
        }
        effects.push_back(std::move(ee));
    }
    const auto mean_of = [&](const std::vector<std::size_t>& picks, bool absolute) {
        std::vector<double> m(k, nan);
        if (picks.empty()) return m;
        for (std::size_t i = 0; i < k; ++i) {
            double sum = 0;
            for (std::size_t t : picks) sum += absolute ? std::abs(effects[t][i]) : effects[t][i];
            m[i] = sum / static_cast<double>(picks.size());
        }
        return m;
    };
    MorrisIndices out;
    out.trajectories_used = effects.size();
    with_bootstrap(effects.size(), k, bootstrap,
                   [&](const std::vector<std::size_t>& picks) { return mean_of(picks, true); },
                   out.mu_star, out.mu_star_conf);
    std::vector<std::size_t> all(effects.size());
    for (std::size_t t = 0; t < all.size(); ++t) all[t] = t;
    out.mu = mean_of(all, false);
    out.sigma.assign(k, nan);
    for (std::size_t i = 0; i < k; ++i) {
        std::vector<double> column;
        for (const auto& ee : effects) column.push_back(ee[i]);
        out.sigma[i] = sample_sd(column);
    }
    return out;
}

}  // namespace airace
