#include "agents/regulator.hpp"

#include <algorithm>
#include <cmath>

namespace airace {

const char* instrument_name(Instrument instrument) {
    switch (instrument) {
        case Instrument::compute_threshold: return "compute_threshold";
        case Instrument::training_cap: return "training_cap";
        case Instrument::copyright: return "copyright";
        case Instrument::power_permitting: return "power_permitting";
        case Instrument::export_controls: return "export_controls";
    }
    return "unknown";
}

void RegulatorTable::resize(std::size_t n) {
    name.resize(n);
    region.resize(n);
    for (auto* column : {&stringency, &base_stringency, &concern, &incident_concern, &lobbying_usd,
                         &influence, &fines_usd, &power_gw, &power_used_gw})
        column->resize(n, 0.0);
    active.resize(n * instrument_count, 0);
    scripted.resize(n * instrument_count, 0);
    pending_since.resize(n * instrument_count, -1);
    value.resize(n * instrument_count, 0.0);
}

namespace {

double threshold_of(const RegulatorConfig& config, Instrument instrument) {
    switch (instrument) {
        case Instrument::compute_threshold: return config.compute_threshold_on;
        case Instrument::training_cap: return config.training_cap_on;
        case Instrument::copyright: return config.copyright_on;
        case Instrument::power_permitting: return config.power_permitting_on;
        case Instrument::export_controls: return config.export_controls_on;
    }
    return 2.0;
}

// A law in force (an instrument a policy event set, then: hold) is repealed
// once stringency has stayed below law_repeal_stringency for `delay` steps;
// the instrument then follows the regulator's own threshold rule. True when
// it was repealed this step.
bool repeal_law(RegulatorTable& regulators, const RegulatorConfig& config, std::size_t i,
                std::size_t s, std::int32_t step, std::int32_t delay) {
    if (!regulators.active[s] || regulators.stringency[i] >= config.law_repeal_stringency) {
        regulators.pending_since[s] = -1;
        return false;
    }
    if (regulators.pending_since[s] < 0) regulators.pending_since[s] = step;
    if (step - regulators.pending_since[s] < delay) return false;
    regulators.active[s] = 0;
    regulators.scripted[s] = 0;
    regulators.pending_since[s] = -1;
    return true;
}

}  // namespace

void init_regulator(RegulatorTable& regulators, const RegulatorConfig& config, std::size_t i) {
    regulators.base_stringency[i] = config.base_stringency;
    regulators.stringency[i] = config.base_stringency;
    regulators.value[regulators.slot(i, Instrument::compute_threshold)] = config.compute_threshold_flop;
    regulators.value[regulators.slot(i, Instrument::training_cap)] = config.training_cap_flop;
    regulators.value[regulators.slot(i, Instrument::copyright)] = config.copyright_usable_share;
    regulators.value[regulators.slot(i, Instrument::power_permitting)] =
        config.power_permitting_gw_per_year;
    regulators.value[regulators.slot(i, Instrument::export_controls)] = config.export_control_share;
    for (int k = 0; k < instrument_count; ++k) {
        const auto instrument = static_cast<Instrument>(k);
        regulators.active[regulators.slot(i, instrument)] =
            config.base_stringency >= threshold_of(config, instrument) ? 1 : 0;
    }
}

double target_stringency(const RegulatorTable& regulators, const RegulatorConfig& config,
                         std::size_t i, double dt) {
    const double lobbying_per_year = regulators.lobbying_usd[i] / dt;
    // At least $1/yr: the log of nothing is not defined (and moves nothing).
    const double lobbying = std::max(
        0.0, std::log10(std::max(lobbying_per_year, 1.0) / config.lobbying_reference_usd_per_year));
    return std::clamp(regulators.base_stringency[i] + config.concern_weight * regulators.concern[i] +
                          regulators.influence[i] - config.lobbying_weight * lobbying,
                      0.0, 1.0);
}

std::vector<InstrumentChange> update_regulator(RegulatorTable& regulators,
                                               const RegulatorConfig& config, std::size_t i,
                                               std::int32_t step, const TimeConfig& time) {
    const double dt = time.dt_years();
    const double target = target_stringency(regulators, config, i, dt);
    regulators.stringency[i] += (1.0 - std::exp(-config.adjustment_per_year * dt)) *
                                (target - regulators.stringency[i]);
    std::vector<InstrumentChange> changes;
    const std::int32_t delay = time.quarters_to_steps(config.legislative_delay_quarters);
    for (int k = 0; k < instrument_count; ++k) {
        const auto instrument = static_cast<Instrument>(k);
        const std::size_t s = regulators.slot(i, instrument);
        if (regulators.scripted[s]) {
            if (repeal_law(regulators, config, i, s, step, delay)) changes.push_back({instrument, false});
            continue;
        }
        const bool wanted = regulators.stringency[i] >= threshold_of(config, instrument);
        if (wanted == (regulators.active[s] != 0)) {
            regulators.pending_since[s] = -1;
            continue;
        }
        if (regulators.pending_since[s] < 0) regulators.pending_since[s] = step;
        if (step - regulators.pending_since[s] >= delay) {
            regulators.active[s] = wanted ? 1 : 0;
            regulators.pending_since[s] = -1;
            changes.push_back({instrument, wanted});
        }
    }
    return changes;
}

double compliance_burden(const RegulatorConfig& config, double stringency) {
    return 1.0 + config.compliance_stringency_slope *
                     std::max(0.0, stringency - config.compute_threshold_on);
}

}  // namespace airace
