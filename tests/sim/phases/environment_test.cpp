// sim/phases/environment.cpp: the data supply reads its keys.

#include <catch2/catch.hpp>

#include "fixtures/tiny_world.hpp"
#include "sim/phases/phases.hpp"
#include "sim/world.hpp"

using namespace airace;

namespace {

// The data providers' mean openness after the first step's environment.
double mean_openness(double per_stringency, double copyright, bool strict_copyright) {
    ScenarioConfig config = testing::tiny_config();
    config.data.legal_pressure_per_stringency = per_stringency;
    config.data.copyright_legal_pressure = copyright;
    World world = build_world(config, 7);
    if (strict_copyright)
        for (std::size_t r = 0; r < world.regulators.size(); ++r)
            world.regulators.active[world.regulators.slot(r, Instrument::copyright)] = 1;
    phase_environment(environment_io(world));
    double sum = 0;
    for (std::size_t p = 0; p < world.data_providers.size(); ++p)
        sum += world.data_providers.openness[p];
    return sum / static_cast<double>(world.data_providers.size());
}

}  // namespace

TEST_CASE("data.legal_pressure_per_stringency: stricter regulators close data faster",
          "[sim][data]") {
    const double base = mean_openness(0.5, 0.3, false);
    CHECK(mean_openness(10, 0.3, false) < base);
    CHECK(mean_openness(0, 0.3, false) > base);
}

TEST_CASE("data.copyright_legal_pressure: a strict copyright regime closes data faster",
          "[sim][data]") {
    CHECK(mean_openness(0.5, 1, true) < mean_openness(0.5, 0, true));
    // Without the strict regime the key changes nothing.
    CHECK(mean_openness(0.5, 1, false) == mean_openness(0.5, 0, false));
}
