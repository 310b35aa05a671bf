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

namespace {

// A regulator whose compute threshold is a law in force (set by a policy
// event), at stringency `stringency`, after `steps` quarters.
RegulatorTable law_after(double stringency, double repeal_below, std::int32_t steps,
                         std::vector<InstrumentChange>& changes) {
    RegulatorTable regulators;
    regulators.resize(1);
    regulators.base_stringency[0] = stringency;
    regulators.stringency[0] = stringency;
    const std::size_t s = regulators.slot(0, Instrument::compute_threshold);
    regulators.active[s] = 1;
    regulators.scripted[s] = 1;
    regulators.value[s] = 1e25;
    RegulatorConfig config;
    config.concern_weight = 0;
    config.lobbying_weight = 0;
    config.legislative_delay_quarters = 4;
    config.law_repeal_stringency = repeal_below;
    changes.clear();
    for (std::int32_t step = 0; step < steps; ++step)
        for (const InstrumentChange& c : update_regulator(regulators, config, 0, step, TimeConfig{}))
            changes.push_back(c);
    return regulators;
}

}  // namespace

TEST_CASE("regulators.*.law_repeal_stringency: a law is repealed when stringency stays below it",
          "[agents][regulator]") {
    std::vector<InstrumentChange> changes;
    // Below the repeal level: the law holds for the legislative delay (4
    // quarters), then goes, and the regulator's own rule decides from then on.
    RegulatorTable lax = law_after(0.1, 0.18, 4, changes);
    CHECK(lax.is_active(0, Instrument::compute_threshold));
    CHECK(changes.empty());
    lax = law_after(0.1, 0.18, 5, changes);
    CHECK_FALSE(lax.is_active(0, Instrument::compute_threshold));
    CHECK(lax.scripted[lax.slot(0, Instrument::compute_threshold)] == 0);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].instrument == Instrument::compute_threshold);
    CHECK_FALSE(changes[0].on);
    // At or above the repeal level, or with no repeal level (0), the law
    // holds however long, though stringency is below its switch-on level.
    CHECK(law_after(0.18, 0.18, 40, changes).is_active(0, Instrument::compute_threshold));
    CHECK(law_after(0.0, 0.0, 40, changes).is_active(0, Instrument::compute_threshold));
    CHECK(changes.empty());
}
