#include "base/rng.hpp"

#include <cmath>
#include <numbers>

#include <Random123/philox.h>
#include <Random123/uniform.hpp>

namespace airace {

double uniform01(const RngKey& key, std::uint32_t draw) {
    using Philox = r123::Philox4x32;
    const Philox::key_type k = {{static_cast<std::uint32_t>(key.seed),
                                 static_cast<std::uint32_t>(key.seed >> 32)}};
    const auto step = static_cast<std::uint64_t>(key.step + 1);
    const Philox::ctr_type counter = {
        {static_cast<std::uint32_t>(step),
         (static_cast<std::uint32_t>(key.kind) << 24) | static_cast<std::uint32_t>(key.purpose),
         key.index, draw}};
    const Philox::ctr_type out = Philox()(counter, k);
    // u01 maps to (0, 1], excluding 0; fold 1 into the open interval.
    const double u = r123::u01<double>(out[0]);
    return u >= 1.0 ? 0.9999999999999999 : u;
}

double standard_normal(const RngKey& key, std::uint32_t draw) {
    const double u1 = uniform01(key, 2 * draw);
    const double u2 = uniform01(key, 2 * draw + 1);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace airace
