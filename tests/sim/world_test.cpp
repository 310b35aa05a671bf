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

namespace {

bool uniform(const std::vector<double>& column, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin + 1; i < end; ++i)
        if (column[i] != column[begin]) return false;
    return true;
}

}  // namespace

TEST_CASE("trait spreads: at zero every agent of a type starts with the same trait",
          "[sim][world]") {
    const ScenarioConfig base = testing::tiny_config();
    const World spread = build_world(base, 7);
    ScenarioConfig flat = base;
    flat.labs.ambition_spread = 0;
    flat.labs.generation_interval_spread = 0;
    flat.labs.budget_share_spread = 0;
    flat.labs.opex_spread = 0;
    flat.labs.initial_cash_spread = 0;
    flat.labs.frontier.initial_training_flop_spread = 0;
    flat.labs.startup.initial_training_flop_spread = 0;
    flat.labs.compliance_propensity_sd = 0;
    flat.labs.safety_share_spread = 0;
    flat.labs.lobbying_share_spread = 0;
    flat.investors.aum_spread = 0;
    flat.investors.ai_share_spread = 0;
    flat.investors.wow_sensitivity_spread = 0;
    flat.data.stock_share_spread = 0;
    flat.data.quality_spread = 0;
    const World same = build_world(flat, 7);
    const std::size_t frontier = static_cast<std::size_t>(base.labs.frontier_count);
    const auto labs = static_cast<std::size_t>(base.labs.count);  // then the entrants' slots
    const LabTable& l = same.labs;
    for (const auto* column : {&l.ambition, &l.generation_interval, &l.budget_share, &l.opex_base_usd,
                               &l.cash_usd, &l.model_flop, &l.compliance_propensity, &l.safety_share,
                               &l.lobbying_share}) {
        CHECK(uniform(*column, 0, frontier));
        CHECK(uniform(*column, frontier, labs));
    }
    CHECK(l.ambition[0] == base.labs.frontier.ambition_per_generation);
    CHECK(l.model_flop[frontier] == base.labs.startup.initial_training_flop);
    CHECK(l.compliance_propensity[0] == base.labs.compliance_propensity);
    const LabTable& s = spread.labs;
    for (const auto* column : {&s.ambition, &s.generation_interval, &s.budget_share, &s.opex_base_usd,
                               &s.cash_usd, &s.model_flop, &s.compliance_propensity, &s.safety_share,
                               &s.lobbying_share})
        CHECK_FALSE(uniform(*column, frontier, labs));
    const std::size_t corporate = static_cast<std::size_t>(base.investors.corporate_count);
    const std::size_t investors = same.investors.size();
    for (const auto* column : {&same.investors.aum_usd, &same.investors.ai_share,
                               &same.investors.wow_sensitivity})
        CHECK(uniform(*column, corporate, investors));
    for (const auto* column : {&spread.investors.aum_usd, &spread.investors.ai_share,
                               &spread.investors.wow_sensitivity})
        CHECK_FALSE(uniform(*column, corporate, investors));
    const std::size_t providers = same.data_providers.size();
    CHECK(uniform(same.data_providers.stock_share, 0, providers));
    CHECK(uniform(same.data_providers.quality, 0, providers));
    CHECK_FALSE(uniform(spread.data_providers.stock_share, 0, providers));
    CHECK_FALSE(uniform(spread.data_providers.quality, 0, providers));
}

TEST_CASE("labs.initial_valuation_cash_multiple and investors.parent_stake set the start's "
          "valuations and holdings", "[sim][world]") {
    ScenarioConfig config = testing::tiny_config();
    config.labs.initial_valuation_cash_multiple = 10;
    config.investors.parent_stake = 0.25;
    const World world = build_world(config, 7);
    for (std::size_t i = 0; i < world.labs.size(); ++i)
        CHECK(world.labs.valuation_usd[i] == Approx(10 * world.labs.cash_usd[i]));
    for (std::uint32_t lab = 0; lab < static_cast<std::uint32_t>(config.labs.frontier_count); ++lab) {
        double stakes = 0;
        world.network.for_each_in(AgentKind::lab, lab, EdgeType::equity,
                                  [&](AgentKind, std::uint32_t, double, double stake) { stakes += stake; });
        CHECK(stakes == Approx(0.25));
    }
}
