// experiment/sweep_design.cpp: each design's points (grid counts, LHS strata, the
// Sobol' sequence, Saltelli matrix shapes, Morris trajectories) and scaling.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "config/sweep_config.hpp"
#include "experiment/sweep_design.hpp"

using namespace airace;

namespace {

SweepParameter range_parameter(double low, double high, ParameterScale scale = ParameterScale::lin) {
    SweepParameter p;
    p.key = "data.human_stock_tokens_2024";
    p.has_range = true;
    p.low = low;
    p.high = high;
    p.scale = scale;
    return p;
}

}  // namespace

TEST_CASE("grid_indices is the cartesian product, last dimension fastest", "[sim][sweep]") {
    const auto rows = grid_indices({2, 3, 4});
    REQUIRE(rows.size() == 24);
    CHECK(rows[0] == std::vector<std::size_t>{0, 0, 0});
    CHECK(rows[1] == std::vector<std::size_t>{0, 0, 1});
    CHECK(rows[4] == std::vector<std::size_t>{0, 1, 0});
    CHECK(rows[23] == std::vector<std::size_t>{1, 2, 3});
    CHECK(std::set<std::vector<std::size_t>>(rows.begin(), rows.end()).size() == 24);
}

TEST_CASE("Latin hypercube: one point per stratum in every dimension", "[sim][sweep]") {
    const std::size_t n = 50, k = 4;
    const UnitRows rows = latin_hypercube(n, k, 3);
    REQUIRE(rows.size() == n);
    for (std::size_t d = 0; d < k; ++d) {
        std::set<std::size_t> strata;
        for (const auto& row : rows) {
            REQUIRE(row[d] >= 0.0);
            REQUIRE(row[d] < 1.0);
            strata.insert(static_cast<std::size_t>(row[d] * n));
        }
        CHECK(strata.size() == n);
    }
    CHECK(latin_hypercube(n, k, 3) == rows);  // deterministic
    CHECK(latin_hypercube(n, k, 4) != rows);  // keyed by the design seed
}

TEST_CASE("Sobol points follow the Joe-Kuo sequence", "[sim][sweep]") {
    const UnitRows rows = sobol_points(7, 3);
    // Points 1..7 of the sequence (Boost drops the all-zero point 0).
    const double first[] = {0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125};
    const double second[] = {0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625};
    const double third[] = {0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375};
    for (std::size_t i = 0; i < 7; ++i) {
        CHECK(rows[i][0] == first[i]);
        CHECK(rows[i][1] == second[i]);
        CHECK(rows[i][2] == third[i]);
    }
    // With point 0, the first 2^m points hit every interval [j/2^m, (j+1)/2^m).
    const UnitRows more = sobol_points(63, 5);
    for (std::size_t d = 0; d < 5; ++d) {
        std::set<std::size_t> cells = {0};
        for (const auto& row : more) cells.insert(static_cast<std::size_t>(row[d] * 64));
        CHECK(cells.size() == 64);
    }
}

TEST_CASE("Saltelli design: N (k + 2) rows of A, AB_i and B", "[sim][sweep]") {
    const std::size_t n = 16, k = 3;
    const UnitRows rows = saltelli_design(n, k);
    const UnitRows base = sobol_points(n, 2 * k);
    REQUIRE(rows.size() == n * (k + 2));
    for (std::size_t j = 0; j < n; ++j) {
        const auto& a = rows[j * (k + 2)];
        const auto& b = rows[j * (k + 2) + k + 1];
        for (std::size_t d = 0; d < k; ++d) {
            CHECK(a[d] == base[j][d]);
            CHECK(b[d] == base[j][k + d]);
        }
        for (std::size_t i = 0; i < k; ++i) {
            const auto& ab = rows[j * (k + 2) + 1 + i];
            for (std::size_t d = 0; d < k; ++d) CHECK(ab[d] == (d == i ? b[d] : a[d]));
        }
    }
}

TEST_CASE("Morris trajectories move one factor by delta per step, on the grid", "[sim][sweep]") {
    const std::size_t r = 10, k = 5, levels = 4;
    const double delta = morris_delta(levels);
    CHECK(delta == Approx(2.0 / 3.0));
    const UnitRows rows = morris_design(r, k, levels, 9);
    REQUIRE(rows.size() == r * (k + 1));
    for (std::size_t t = 0; t < r; ++t) {
        std::set<std::size_t> moved;
        for (std::size_t s = 0; s <= k; ++s) {
            for (double x : rows[t * (k + 1) + s]) {
                const double level = x * (levels - 1);
                CHECK(level == Approx(std::round(level)).margin(1e-12));
                CHECK((x >= 0 && x <= 1));
            }
            if (s == 0) continue;
            std::size_t changed = 0;
            for (std::size_t i = 0; i < k; ++i) {
                const double move = rows[t * (k + 1) + s][i] - rows[t * (k + 1) + s - 1][i];
                if (move == 0) continue;
                ++changed;
                moved.insert(i);
                CHECK(std::abs(move) == Approx(delta));
            }
            CHECK(changed == 1);
        }
        CHECK(moved.size() == k);  // every factor moves once per trajectory
    }
}

TEST_CASE("Scaling to ranges and lists", "[sim][sweep]") {
    const SweepParameter lin = range_parameter(2, 4);
    CHECK(scale_to_parameter(0.0, lin) == 2);
    CHECK(scale_to_parameter(0.5, lin) == 3);
    CHECK(scale_to_parameter(1.0, lin) == 4);
    const SweepParameter log = range_parameter(1e14, 1e16, ParameterScale::log);
    CHECK(scale_to_parameter(0.5, log) == Approx(1e15));
    CHECK(scale_to_parameter(1.0, log) == 1e16);
    SweepParameter integer = range_parameter(1, 10);
    integer.type = FieldType::integer;
    CHECK(scale_to_parameter(0.52, integer) == 6);  // 5.68 rounds to 6
    SweepParameter listed;
    listed.key = "data.human_stock_tokens_2024";
    listed.values = {"0.3", "0.6", "1.0"};
    listed.numeric = {0.3, 0.6, 1.0};
    CHECK(scale_to_parameter(0.1, listed) == 0.3);
    CHECK(scale_to_parameter(0.5, listed) == 0.6);
    CHECK(scale_to_parameter(1.0, listed) == 1.0);
    CHECK(override_assignment(listed, 0.6) == "data.human_stock_tokens_2024=0.6");
}

TEST_CASE("build_design: grid and zip counts, text lists by index", "[sim][sweep]") {
    SweepConfig sweep;
    sweep.source = "test.yaml";
    sweep.design = DesignKind::grid;
    sweep.levels = 3;
    SweepParameter mode;
    mode.key = "synthetic.mode";
    mode.type = FieldType::choice;
    mode.values = {"accumulate", "replace"};
    sweep.parameters = {range_parameter(1e14, 1e16, ParameterScale::log), mode};
    Design grid = build_design(sweep);
    REQUIRE(grid.points() == 6);
    CHECK(grid.values[0] == std::vector<double>{1e14, 0});
    CHECK(grid.values[1] == std::vector<double>{1e14, 1});
    CHECK(grid.values[5][0] == 1e16);
    CHECK(override_assignment(mode, grid.values[1][1]) == "synthetic.mode=replace");
    sweep.design = DesignKind::zip;
    sweep.levels = 2;
    const Design zip = build_design(sweep);
    REQUIRE(zip.points() == 2);
    CHECK(zip.values[1] == std::vector<double>{1e16, 1});
}
