// sim/phases/compute_market.cpp: the regional auctions read their keys.

#include <catch2/catch.hpp>

#include "fixtures/tiny_world.hpp"
#include "sim/phases/phases.hpp"
#include "sim/world.hpp"

using namespace airace;

namespace {

// The US auction's cleared FLOP as a share of capacity when only outside
// users bid, for more than all the capacity.
double outside_quantity(double scarcity_share, int tranches = 4) {
    ScenarioConfig config = testing::tiny_config();
    config.compute.external_demand_share = 5;
    config.compute.ask_tranches = tranches;
    config.compute.external_bid_scarcity_share = scarcity_share;
    World world = build_world(config, 7);
    phase_environment(environment_io(world));
    phase_decide(decide_io(world));
    for (LabIntent& intent : world.messages.plans.intents) intent = LabIntent{};
    phase_compute_market(compute_market_io(world));
    const int us = static_cast<int>(Region::us);
    return world.compute_market.quantity[us] / world.compute_market.capacity[us];
}

}  // namespace

TEST_CASE("compute.external_bid_scarcity_share: outside users bid up the scarcity markup",
          "[sim][compute]") {
    // Providers ask in four tranches: at 0 outside users bid the first
    // tranche's price, at 0.5 they outbid three, at 1 all four.
    CHECK(outside_quantity(0.0) == Approx(0.25));
    CHECK(outside_quantity(0.5) == Approx(0.75));
    CHECK(outside_quantity(1.0) == Approx(1.0));
}

TEST_CASE("compute.ask_tranches: providers ask in that many slices of capacity", "[sim][compute]") {
    // Outside users bidding the first tranche's price buy one slice.
    CHECK(outside_quantity(0.0, 2) == Approx(0.5));
    CHECK(outside_quantity(0.0, 100) == Approx(0.01));
    CHECK(outside_quantity(1.0, 100) == Approx(1.0));
}

TEST_CASE("a hardware FLOP bought for training adds training_flop_per_hardware_flop to the run",
          "[sim][compute]") {
    // Lab 0 bids for 1e21 hardware FLOP of training at any price, nobody
    // else bids: it buys them, and its run advances by w times as much.
    auto bought_and_done = [](double gain) {
        ScenarioConfig config = testing::tiny_config();
        World world = build_world(config, 7);
        phase_environment(environment_io(world));
        world.env.training_flop_per_hardware_flop = gain;
        phase_decide(decide_io(world));
        for (LabIntent& intent : world.messages.plans.intents) intent = LabIntent{};
        LabIntent& bid = world.messages.plans.intents[0];
        bid.training_bid_flop = 1e21;
        bid.training_bid_price = 1.0;
        world.labs.run_done_flop[0] = 0;
        phase_compute_market(compute_market_io(world));
        return std::pair{world.labs.training_flop_bought[0], world.labs.run_done_flop[0]};
    };
    const auto [bought1, done1] = bought_and_done(1.0);
    const auto [bought3, done3] = bought_and_done(3.0);
    REQUIRE(bought1 == Approx(1e21));
    CHECK(done1 == Approx(1e21));
    REQUIRE(bought3 == Approx(1e21));
    CHECK(done3 == Approx(3e21));
}
