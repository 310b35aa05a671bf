#include "agents/regulator.hpp"

#include <cmath>

namespace airace {

void RegulatorTable::resize(std::size_t n) {
    name.resize(n);
    region.resize(n);
    stringency.resize(n, 0.0);
}

void update_regulators(RegulatorTable& regulators, const RegionsConfig& regions, double dt) {
    // Stringency relaxes toward the base level (a year's half-life).
    for (std::size_t i = 0; i < regulators.size(); ++i) {
        const double base = regions[regulators.region[i]].base_stringency;
        regulators.stringency[i] += (base - regulators.stringency[i]) * (1.0 - std::exp2(-dt));
    }
}

}  // namespace airace
