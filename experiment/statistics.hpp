#pragma once
// The mean, sample variance and standard error of a sample, summed in the
// order given, so that the same values give the same bytes whatever the
// launcher or thread count (ensemble files, airace compare, the summary of
// `airace run --seeds`).

#include <cmath>
#include <limits>
#include <span>

namespace airace {

struct SampleStats {
    double mean = std::numeric_limits<double>::quiet_NaN();      // NaN for no value
    double variance = std::numeric_limits<double>::quiet_NaN();  // sample variance; NaN below 2 values
    double se = std::numeric_limits<double>::quiet_NaN();        // sqrt(variance / n); NaN below 2 values
};

inline SampleStats sample_stats(std::span<const double> values) {
    SampleStats s;
    const std::size_t n = values.size();
    if (n == 0) return s;
    double sum = 0;
    for (const double v : values) sum += v;
    s.mean = sum / static_cast<double>(n);
    if (n < 2) return s;
    double squares = 0;
    for (const double v : values) squares += (v - s.mean) * (v - s.mean);
    s.variance = squares / static_cast<double>(n - 1);
    s.se = std::sqrt(squares / static_cast<double>(n - 1) / static_cast<double>(n));
    return s;
}

}  // namespace airace
