#pragma once
// Regulators, one per jurisdiction. Thin in this version: stringency holds
// the scenario's base level; instruments, public concern and influence come
// with the regulation work (MODEL.md "Regulators").

#include <string>
#include <vector>

#include "sim/config.hpp"
#include "sim/ids.hpp"

namespace airace {

struct RegulatorTable {
    std::vector<std::string> name;
    std::vector<Region> region;
    std::vector<double> stringency;  // [0, 1]

    std::size_t size() const { return name.size(); }
    void resize(std::size_t n);
};

void update_regulators(RegulatorTable& regulators, const RegionsConfig& regions, double dt);

}  // namespace airace
