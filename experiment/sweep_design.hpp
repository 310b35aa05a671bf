#pragma once
// Sweep designs: pure functions from a SweepConfig to the points to run.
//
// Sampling designs work in the unit cube [0, 1]^k and are then scaled to each
// parameter's range (lin or log) or list (the i-th of n values covers
// [i/n, (i+1)/n)). Random choices (LHS permutations and jitter, Morris
// starting points, directions and orders) come from Philox keyed by the
// sweep's design_seed (base/rng.hpp), so a design is a pure function of the
// sweep file: every launcher, rank and shard computes the same points.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "config/sweep_config.hpp"

namespace airace {

using UnitRows = std::vector<std::vector<double>>;  // [points][dimensions], each in [0, 1]

// Every combination of counts[0] x counts[1] x ... indices, the last
// dimension varying fastest.
std::vector<std::vector<std::size_t>> grid_indices(const std::vector<std::size_t>& counts);

// Latin hypercube: n points in k dimensions, exactly one point in each of the
// n strata [i/n, (i+1)/n) of every dimension (McKay, Beckman, Conover 1979).
UnitRows latin_hypercube(std::size_t n, std::size_t k, std::uint64_t seed);

// The first n points of the Sobol' sequence in `dimensions` dimensions
// (Boost.Random's Joe-Kuo direction numbers; Boost starts at the sequence's
// second point, dropping the all-zero one). dimensions <= 3666.
UnitRows sobol_points(std::size_t n, std::size_t dimensions);

// Saltelli (2010) sampling for first-order and total indices: matrices A and
// B are the two halves of n Sobol' points in 2k dimensions; AB_i is A with
// column i taken from B. Rows per base sample j, in this order:
// A_j, AB_1j, ..., AB_kj, B_j, so n * (k + 2) rows in all.
UnitRows saltelli_design(std::size_t n, std::size_t k);

// Morris (1991) elementary-effects design: r trajectories of k + 1 points on
// a p-level grid {0, 1/(p-1), ..., 1}; each step moves one factor (in a random
// order, up or down) by delta = p / (2 (p - 1)). p must be even.
UnitRows morris_design(std::size_t r, std::size_t k, std::size_t levels, std::uint64_t seed);
double morris_delta(std::size_t levels);

// A unit coordinate as a parameter's value: its range (lin or log, integer
// keys rounded) or, for a list, the index of the listed value it falls on.
double scale_to_parameter(double unit, const SweepParameter& parameter);

struct Design {
    UnitRows unit;    // [points][k]: position in the unit cube (grid, zip: index / (n - 1))
    UnitRows values;  // [points][k]: the run's value in the key's unit, or a list index for text keys
    std::vector<std::size_t> group;  // sobol: base sample j; morris: trajectory; others: the point
    std::vector<std::size_t> step;   // sobol: 0 A, i AB_i, k+1 B; morris: position on the trajectory; others: 0
    std::size_t points() const { return values.size(); }
};

// All points of the sweep's design. Throws ConfigError (naming the sweep
// file) when the design would exceed max_sweep_runs.
Design build_design(const SweepConfig& sweep);

// The override for one parameter at a design value: "key=text", with reals
// printed to round-trip exactly and list items as written in the sweep file.
std::string override_assignment(const SweepParameter& parameter, double value);

}  // namespace airace
