// Sweep designs (see sweep_design.hpp). Morris trajectories are built in
// integer grid levels and only divided at the end, so every coordinate is
// exactly l / (p - 1) and a step changes exactly one factor by delta.

#include "experiment/sweep_design.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <boost/random/sobol.hpp>
#include <fmt/format.h>

#include "base/errors.hpp"
#include "base/rng.hpp"

namespace airace {
namespace {

// Streams of design draws (the RngKey "step" slot), one per use.
enum DesignStream : std::int64_t {
    lhs_permutation = 0,
    lhs_jitter = 1,
    morris_start = 2,
    morris_direction = 3,
    morris_order = 4,
};

double design_draw(std::uint64_t seed, DesignStream stream, std::size_t index, std::size_t draw) {
    const RngKey key{seed, stream, AgentKind::world, static_cast<std::uint32_t>(index),
                     RngPurpose::sweep_design};
    return uniform01(key, static_cast<std::uint32_t>(draw));
}

// Fisher-Yates shuffle of 0..n-1 from one stream of draws.
std::vector<std::size_t> permutation(std::size_t n, std::uint64_t seed, DesignStream stream,
                                     std::size_t index) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t i = n; i-- > 1;) {
        const auto j = static_cast<std::size_t>(design_draw(seed, stream, index, i) *
                                                static_cast<double>(i + 1));
        std::swap(order[i], order[std::min(j, i)]);
    }
    return order;
}

std::size_t checked_product(std::size_t a, std::size_t b, const SweepConfig& sweep) {
    if (b != 0 && a > max_sweep_runs / b)
        throw ConfigError(fmt::format("{}: sweep: the design has more than {} points; reduce samples, "
                                      "levels or values", sweep.source, max_sweep_runs));
    return a * b;
}

// The unit positions a grid or zip design uses for one parameter.
std::vector<double> listed_units(const SweepParameter& p, std::size_t levels) {
    const std::size_t n = p.has_range ? levels : p.values.size();
    std::vector<double> units(n);
    for (std::size_t i = 0; i < n; ++i)
        units[i] = n == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(n - 1);
    return units;
}

// A list parameter in a grid or zip takes its values one by one: value i of
// n sits at unit i / (n - 1); scale_to_parameter maps it back to index i.
double listed_value(const SweepParameter& p, std::size_t i, double unit) {
    return p.has_range ? scale_to_parameter(unit, p) : p.categorical() ? static_cast<double>(i) : p.numeric[i];
}

}  // namespace

std::vector<std::vector<std::size_t>> grid_indices(const std::vector<std::size_t>& counts) {
    std::size_t total = 1;
    for (std::size_t c : counts) total *= c;
    std::vector<std::vector<std::size_t>> rows(total, std::vector<std::size_t>(counts.size()));
    for (std::size_t row = 0; row < total; ++row) {
        std::size_t rest = row;
        for (std::size_t d = counts.size(); d-- > 0;) {
            rows[row][d] = rest % counts[d];
            rest /= counts[d];
        }
    }
    return rows;
}

UnitRows latin_hypercube(std::size_t n, std::size_t k, std::uint64_t seed) {
    UnitRows rows(n, std::vector<double>(k));
    for (std::size_t d = 0; d < k; ++d) {
        const std::vector<std::size_t> stratum = permutation(n, seed, lhs_permutation, d);
        for (std::size_t i = 0; i < n; ++i) {
            const double jitter = design_draw(seed, lhs_jitter, d, i);
            rows[i][d] = (static_cast<double>(stratum[i]) + jitter) / static_cast<double>(n);
        }
    }
    return rows;
}

UnitRows sobol_points(std::size_t n, std::size_t dimensions) {
    UnitRows rows(n, std::vector<double>(dimensions));
    if (dimensions == 0) return rows;
    boost::random::sobol generator(static_cast<unsigned>(dimensions));
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t d = 0; d < dimensions; ++d)
            rows[i][d] = std::ldexp(static_cast<double>(generator()), -64);
    return rows;
}

UnitRows saltelli_design(std::size_t n, std::size_t k) {
    const UnitRows base = sobol_points(n, 2 * k);
    UnitRows rows;
    rows.reserve(n * (k + 2));
    for (std::size_t j = 0; j < n; ++j) {
        const std::vector<double> a(base[j].begin(), base[j].begin() + static_cast<std::ptrdiff_t>(k));
        const std::vector<double> b(base[j].begin() + static_cast<std::ptrdiff_t>(k), base[j].end());
        rows.push_back(a);
        for (std::size_t i = 0; i < k; ++i) {
            std::vector<double> ab = a;
            ab[i] = b[i];
            rows.push_back(std::move(ab));
        }
        rows.push_back(b);
    }
    return rows;
}

double morris_delta(std::size_t levels) {
    return static_cast<double>(levels) / (2.0 * static_cast<double>(levels - 1));
}

UnitRows morris_design(std::size_t r, std::size_t k, std::size_t levels, std::uint64_t seed) {
    const std::size_t half = levels / 2;  // delta in grid levels
    const double top = static_cast<double>(levels - 1);
    UnitRows rows;
    rows.reserve(r * (k + 1));
    for (std::size_t t = 0; t < r; ++t) {
        // Start so that the move, up or down, stays on the grid: a base level
        // in [0, p/2 - 1], raised by p/2 for factors that move down.
        std::vector<std::size_t> level(k);
        std::vector<bool> up(k);
        for (std::size_t i = 0; i < k; ++i) {
            level[i] = std::min(half - 1, static_cast<std::size_t>(design_draw(seed, morris_start, t, i) *
                                                                   static_cast<double>(half)));
            up[i] = design_draw(seed, morris_direction, t, i) < 0.5;
            if (!up[i]) level[i] += half;
        }
        const auto emit = [&] {
            std::vector<double> row(k);
            for (std::size_t i = 0; i < k; ++i) row[i] = static_cast<double>(level[i]) / top;
            rows.push_back(std::move(row));
        };
        emit();
        for (std::size_t factor : permutation(k, seed, morris_order, t)) {
            level[factor] = up[factor] ? level[factor] + half : level[factor] - half;
            emit();
        }
    }
    return rows;
}

double scale_to_parameter(double unit, const SweepParameter& p) {
    unit = std::clamp(unit, 0.0, 1.0);
    if (!p.has_range) {
        const std::size_t n = p.values.size();
        const auto index = std::min(n - 1, static_cast<std::size_t>(unit * static_cast<double>(n)));
        return p.categorical() ? static_cast<double>(index) : p.numeric[index];
    }
    double value = 0;
    if (unit == 0.0) {
        value = p.low;
    } else if (unit == 1.0) {
        value = p.high;
    } else if (p.scale == ParameterScale::log) {
        value = std::exp(std::log(p.low) + unit * (std::log(p.high) - std::log(p.low)));
    } else {
        value = p.low + unit * (p.high - p.low);
    }
    // Integer keys take whole values; the design table shows what ran.
    return p.type == FieldType::integer ? std::round(value) : std::clamp(value, p.low, p.high);
}

Design build_design(const SweepConfig& sweep) {
    const std::size_t k = sweep.parameters.size();
    Design design;
    const auto add = [&](std::vector<double> unit, std::vector<double> values, std::size_t group,
                         std::size_t step) {
        design.unit.push_back(std::move(unit));
        design.values.push_back(std::move(values));
        design.group.push_back(group);
        design.step.push_back(step);
    };
    if (sweep.design == DesignKind::ensemble) {
        add({}, {}, 0, 0);  // the base scenario itself
        return design;
    }
    if (sweep.design == DesignKind::grid || sweep.design == DesignKind::zip) {
        std::vector<std::vector<double>> units(k);
        std::vector<std::size_t> counts(k);
        std::size_t total = 1;
        for (std::size_t d = 0; d < k; ++d) {
            units[d] = listed_units(sweep.parameters[d], sweep.levels);
            counts[d] = units[d].size();
            total = checked_product(total, counts[d], sweep);
        }
        std::vector<std::vector<std::size_t>> rows;
        if (sweep.design == DesignKind::grid) {
            rows = grid_indices(counts);
        } else {
            for (std::size_t i = 0; i < counts.front(); ++i) rows.emplace_back(k, i);
        }
        for (std::size_t point = 0; point < rows.size(); ++point) {
            std::vector<double> unit(k), values(k);
            for (std::size_t d = 0; d < k; ++d) {
                unit[d] = units[d][rows[point][d]];
                values[d] = listed_value(sweep.parameters[d], rows[point][d], unit[d]);
            }
            add(std::move(unit), std::move(values), point, 0);
        }
        return design;
    }
    UnitRows unit;
    std::size_t per_group = 1;
    if (sweep.design == DesignKind::lhs) {
        checked_product(sweep.samples, 1, sweep);
        unit = latin_hypercube(sweep.samples, k, sweep.design_seed);
    } else if (sweep.design == DesignKind::sobol) {
        per_group = k + 2;
        checked_product(sweep.samples, per_group, sweep);
        unit = saltelli_design(sweep.samples, k);
    } else {
        per_group = k + 1;
        checked_product(sweep.samples, per_group, sweep);
        unit = morris_design(sweep.samples, k, sweep.levels, sweep.design_seed);
    }
    for (std::size_t point = 0; point < unit.size(); ++point) {
        std::vector<double> values(k);
        for (std::size_t d = 0; d < k; ++d) values[d] = scale_to_parameter(unit[point][d], sweep.parameters[d]);
        add(unit[point], std::move(values), point / per_group, point % per_group);
    }
    return design;
}

std::string override_assignment(const SweepParameter& p, double value) {
    if (!p.has_range) {
        // The listed item this value stands for, in the file's own spelling.
        std::size_t index = 0;
        if (p.categorical()) {
            index = static_cast<std::size_t>(value);
        } else {
            index = static_cast<std::size_t>(std::find(p.numeric.begin(), p.numeric.end(), value) -
                                             p.numeric.begin());
        }
        if (index < p.values.size()) return fmt::format("{}={}", p.key, p.values[index]);
    }
    if (p.type == FieldType::integer) return fmt::format("{}={}", p.key, static_cast<long long>(value));
    return fmt::format("{}={}", p.key, value);  // fmt's shortest round-trip form
}

}  // namespace airace
