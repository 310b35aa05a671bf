// sim/world.cpp: the start state reads its start-only keys. Each test builds a
// tiny world with one key away from its default and checks the start moves
// the way the key says.

#include <catch2/catch.hpp>

#include "fixtures/tiny_world.hpp"
#include "sim/world.hpp"

using namespace airace;

TEST_CASE("compute.initial_utilisation sets the capacity sold at the start", "[sim][world]") {
    ScenarioConfig config = testing::tiny_config();
    const World base = build_world(config, 7);
    config.compute.initial_utilisation = 0.3;
    const World idle = build_world(config, 7);
    for (std::size_t i = 0; i < base.compute_providers.size(); ++i) {
        CHECK(base.compute_providers.sold_flop[i] ==
              Approx(0.8 * base.compute_providers.capacity_flop[i]));
        CHECK(idle.compute_providers.sold_flop[i] ==
              Approx(0.3 * idle.compute_providers.capacity_flop[i]));
        CHECK(idle.compute_providers.demand_flop[i] == idle.compute_providers.sold_flop[i]);
    }
}
