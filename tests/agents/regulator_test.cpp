// agents/regulator.cpp: regulators' target stringency reads its keys.

#include <catch2/catch.hpp>

#include "agents/regulator.hpp"

using namespace airace;

TEST_CASE("regulators.*.lobbying_reference_usd_per_year: lobbying below it moves nothing",
          "[agents][regulation]") {
    RegulatorTable regulators;
    regulators.resize(1);
    regulators.base_stringency[0] = 0.5;
    regulators.lobbying_usd[0] = 0.25e8;  // $100M a year at dt = 0.25
    RegulatorConfig config;
    // Ten times the default reference of $10M/yr: one lobbying_weight off.
    CHECK(target_stringency(regulators, config, 0, 0.25) == Approx(0.5 - 0.1));
    config.lobbying_reference_usd_per_year = 1e8;
    CHECK(target_stringency(regulators, config, 0, 0.25) == Approx(0.5));
    config.lobbying_reference_usd_per_year = 1e6;
    CHECK(target_stringency(regulators, config, 0, 0.25) == Approx(0.5 - 0.2));
}

TEST_CASE("regulators.*.compliance_stringency_slope: compliance weighs more the stricter the regulator",
          "[agents][regulator]") {
    RegulatorConfig config;
    config.compute_threshold_on = 0.35;
    config.compliance_stringency_slope = 4;
    CHECK(compliance_burden(config, 0.2) == 1.0);   // below the switch-on level
    CHECK(compliance_burden(config, 0.35) == 1.0);
    CHECK(compliance_burden(config, 0.6) == Approx(2.0));  // 0.25 above: twice the burden
    config.compliance_stringency_slope = 0;
    CHECK(compliance_burden(config, 0.9) == 1.0);
}
