// config/config_schema.cpp and config/schema_*_keys.cpp: the registry's
// flags. Start-only keys are read only when the world is built; a fork
// refuses to change them, so a key that lost its flag would be silently
// ignored by a fork.

#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "config/config.hpp"

using namespace airace;

namespace {

// Every start-only key. A key added here must be flagged in the registry, and
// a flagged key must be listed here: the test fails either way.
const std::set<std::string> expected_start_only = {
    "scenario.seed",
    "time.start_year",
    "time.end_year",
    "time.steps_per_year",
    "algorithms.initial_gap",
    "compute.providers",
    "compute.initial_capacity_flop_per_quarter",
    "compute.initial_utilisation",
    "labs.count",
    "labs.frontier_count",
    "labs.frontier.initial_training_flop",
    "labs.frontier.initial_cash_usd",
    "labs.frontier.ambition_per_generation",
    "labs.frontier.generation_interval_quarters",
    "labs.frontier.opex_usd_per_quarter",
    "labs.frontier.opex_growth_per_year",
    "labs.frontier.budget_share",
    "labs.startup.initial_training_flop",
    "labs.startup.initial_cash_usd",
    "labs.startup.ambition_per_generation",
    "labs.startup.generation_interval_quarters",
    "labs.startup.opex_usd_per_quarter",
    "labs.startup.opex_growth_per_year",
    "labs.startup.budget_share",
    "labs.frontier.initial_training_flop_spread",
    "labs.startup.initial_training_flop_spread",
    "labs.ambition_spread",
    "labs.generation_interval_spread",
    "labs.budget_share_spread",
    "labs.opex_spread",
    "labs.initial_cash_spread",
    "labs.safety_share_spread",
    "labs.lobbying_share_spread",
    "labs.compliance_propensity_sd",
    "labs.initial_valuation_cash_multiple",
    "labs.entrant_slots",
    "investors.count",
    "investors.corporate_count",
    "investors.corporate.aum_usd",
    "investors.corporate.aum_growth_per_year",
    "investors.corporate.ai_share",
    "investors.venture.aum_usd",
    "investors.venture.aum_growth_per_year",
    "investors.venture.ai_share",
    "investors.aum_spread",
    "investors.ai_share_spread",
    "investors.wow_sensitivity_spread",
    "investors.parent_stake",
    "investors.initial_expected_wow",
    "investors.wow_sensitivity",
    "product.initial_adoption",
    "data.providers",
    "data.open_share",
    "data.licence_price_usd_per_token_2024",
    "data.stock_share_spread",
    "data.quality_spread",
    "labs.compliance_propensity",
    "labs.safety_share_of_opex",
    "labs.lobbying_share_of_opex",
    "regions.us.lab_share",
    "regions.us.compute_share",
    "regions.us.investor_share",
    "regions.us.power_gw_2020",
    "regions.eu.lab_share",
    "regions.eu.compute_share",
    "regions.eu.investor_share",
    "regions.eu.power_gw_2020",
    "regions.cn.lab_share",
    "regions.cn.compute_share",
    "regions.cn.investor_share",
    "regions.cn.power_gw_2020",
    "regulators.us.base_stringency",
    "regulators.eu.base_stringency",
    "regulators.cn.base_stringency",
};

// A value of the key's type, in its range, different from `current`.
FieldValue other_value(const FieldSpec& spec, const FieldValue& current) {
    switch (spec.type) {
        case FieldType::real: {
            const double v = std::get<double>(current);
            return v != spec.max ? spec.max : spec.min;
        }
        case FieldType::integer: {
            const auto v = std::get<std::int64_t>(current);
            const auto max = static_cast<std::int64_t>(spec.max);
            return v != max ? max : static_cast<std::int64_t>(spec.min);
        }
        case FieldType::boolean: return !std::get<bool>(current);
        case FieldType::string: return std::get<std::string>(current) + "x";
        case FieldType::choice:
            return spec.choices.front() != std::get<std::string>(current) ? spec.choices.front()
                                                                           : spec.choices.back();
    }
    return current;
}

}  // namespace

TEST_CASE("exactly the start-only keys carry the registry's start-only flag", "[config]") {
    std::set<std::string> flagged;
    for (const FieldSpec& spec : scenario_fields())
        if (spec.start_only) flagged.insert(spec.path);
    for (const std::string& path : expected_start_only) {
        INFO(path);
        CHECK(flagged.count(path) == 1);  // fails if the key lost its flag (or its name)
        CHECK(shapes_start_only(path));
    }
    for (const std::string& path : flagged) {
        INFO(path);
        CHECK(expected_start_only.count(path) == 1);  // a new start-only key: list it above
    }
    // List items (influencers, policy events) may be added or changed by a fork.
    for (const std::string& list : list_sections())
        for (const FieldSpec& spec : list_item_fields(list, 0)) CHECK_FALSE(spec.start_only);
    CHECK_FALSE(shapes_start_only("no.such.key"));
}

TEST_CASE("a fork's changed start-only key is found, any other change is allowed", "[config]") {
    const ScenarioConfig base = default_scenario_config();
    for (const FieldSpec& spec : scenario_fields()) {
        INFO(spec.path);
        ScenarioConfig changed = base;
        spec.set(changed, other_value(spec, spec.get(base)));
        REQUIRE(spec.get(changed) != spec.get(base));
        CHECK(changed_start_only_key(base, changed) == (spec.start_only ? spec.path : ""));
    }
}
