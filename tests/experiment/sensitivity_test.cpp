// experiment/sensitivity.cpp: Sobol' indices on the Ishigami function against their
// analytic values, Morris screening on functions with known effects, and
// deterministic bootstrap intervals.

#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

#include "experiment/sensitivity.hpp"
#include "experiment/sweep_design.hpp"

using namespace airace;

namespace {

// Ishigami & Homma (1990), x_i uniform on [-pi, pi]; a = 7, b = 0.1.
double ishigami(const std::vector<double>& unit) {
    const double pi = std::numbers::pi;
    const double x1 = -pi + 2 * pi * unit[0], x2 = -pi + 2 * pi * unit[1], x3 = -pi + 2 * pi * unit[2];
    return std::sin(x1) + 7.0 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
}

std::vector<double> evaluate(const UnitRows& rows, double (*f)(const std::vector<double>&)) {
    std::vector<double> y;
    for (const auto& row : rows) y.push_back(f(row));
    return y;
}

}  // namespace

TEST_CASE("Sobol indices of the Ishigami function match the analytic values", "[sim][sensitivity]") {
    const std::size_t n = 8192, k = 3;
    const std::vector<double> y = evaluate(saltelli_design(n, k), ishigami);
    const SobolIndices s = sobol_indices(y, n, k, {200, 0.95, 1});
    // Analytic (Sobol' & Levitan 1999; Saltelli et al. 2008, 4.7.1).
    const double s1[] = {0.3139, 0.4424, 0.0};
    const double st[] = {0.5576, 0.4424, 0.2437};
    REQUIRE(s.samples_used == n);
    for (std::size_t i = 0; i < k; ++i) {
        INFO("parameter " << i);
        CHECK(s.s1[i] == Approx(s1[i]).margin(0.02));
        CHECK(s.st[i] == Approx(st[i]).margin(0.02));
        // The interval is a real, narrow interval that covers the truth here.
        CHECK(s.s1_conf[i] > 0);
        CHECK(s.s1_conf[i] < 0.05);
        CHECK(std::abs(s.st[i] - st[i]) < 2 * s.st_conf[i] + 0.01);
    }
}

TEST_CASE("Sobol indices do not depend on the output's offset", "[sim][sensitivity]") {
    // Far from zero (like a capability of ~36 OOM), the uncentred first-order
    // estimator would scatter by orders of magnitude at small N.
    const std::size_t n = 512, k = 3;
    std::vector<double> y = evaluate(saltelli_design(n, k), ishigami);
    const SobolIndices plain = sobol_indices(y, n, k, {0, 0.95, 1});
    for (double& v : y) v += 1000.0;
    const SobolIndices shifted = sobol_indices(y, n, k, {0, 0.95, 1});
    for (std::size_t i = 0; i < k; ++i) {
        CHECK(shifted.s1[i] == Approx(plain.s1[i]).margin(1e-9));
        CHECK(shifted.st[i] == Approx(plain.st[i]).margin(1e-9));
        CHECK(std::abs(shifted.s1[i]) < 1.0);
    }
}

TEST_CASE("Sobol indices leave out base samples with a NaN output", "[sim][sensitivity]") {
    const std::size_t n = 1024, k = 3;
    std::vector<double> y = evaluate(saltelli_design(n, k), ishigami);
    y[2 * (k + 2) + 1] = std::nan("");  // one AB_1 output of base sample 2
    y[7 * (k + 2)] = std::nan("");      // one A output of base sample 7
    const SobolIndices s = sobol_indices(y, n, k, {0, 0.95, 1});
    CHECK(s.samples_used == n - 2);
    CHECK(std::isfinite(s.s1[0]));
    CHECK(std::isnan(s.s1_conf[0]));  // no resamples asked for
}

TEST_CASE("Bootstrap intervals are a pure function of the seed", "[sim][sensitivity]") {
    const std::size_t n = 256, k = 3;
    const std::vector<double> y = evaluate(saltelli_design(n, k), ishigami);
    const SobolIndices a = sobol_indices(y, n, k, {100, 0.95, 7});
    const SobolIndices b = sobol_indices(y, n, k, {100, 0.95, 7});
    const SobolIndices c = sobol_indices(y, n, k, {100, 0.95, 8});
    CHECK(a.s1_conf == b.s1_conf);
    CHECK(a.st_conf == b.st_conf);
    CHECK(a.s1_conf != c.s1_conf);
    CHECK(a.s1 == c.s1);  // the point estimate does not resample
}

TEST_CASE("Morris mu* and sigma recover linear effects and interactions", "[sim][sensitivity]") {
    const std::size_t r = 20, k = 3, levels = 4;
    const UnitRows points = morris_design(r, k, levels, 11);
    // Linear in x0 and x1 (effects 4 and -2), no effect of x2.
    std::vector<double> y;
    for (const auto& x : points) y.push_back(4 * x[0] - 2 * x[1]);
    MorrisIndices m = morris_indices(y, points, r, k, {100, 0.95, 1});
    CHECK(m.trajectories_used == r);
    CHECK(m.mu_star[0] == Approx(4));
    CHECK(m.mu[1] == Approx(-2));
    CHECK(m.mu_star[1] == Approx(2));
    CHECK(m.mu_star[2] == Approx(0).margin(1e-12));
    CHECK(m.sigma[0] == Approx(0).margin(1e-12));
    // An interaction x0 * x1 makes the effects of x0 depend on x1: sigma > 0.
    y.clear();
    for (const auto& x : points) y.push_back(x[0] * x[1]);
    m = morris_indices(y, points, r, k, {100, 0.95, 1});
    CHECK(m.sigma[0] > 0.1);
    CHECK(m.mu_star[2] == Approx(0).margin(1e-12));
}

TEST_CASE("The two-sided normal quantile", "[sim][sensitivity]") {
    CHECK(normal_quantile_two_sided(0.95) == Approx(1.959964).epsilon(1e-6));
    CHECK(normal_quantile_two_sided(0.99) == Approx(2.575829).epsilon(1e-6));
}
