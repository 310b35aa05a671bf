#pragma once
// Regulators, one per jurisdiction (docs/model.md section 10). Stringency moves
// toward a target built from public concern, influencers and lobbying;
// instruments switch on when stringency has held above their threshold for
// the legislative delay, unless a dated policy event set them (a law, which
// holds until stringency stays below the regulator's repeal level).

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "base/ids.hpp"

namespace airace {

enum class Instrument : std::uint8_t {
    compute_threshold = 0,  // value: FLOP above which runs need approval
    training_cap = 1,       // value: largest run allowed (FLOP)
    copyright = 2,          // value: share of open data legally usable
    power_permitting = 3,   // value: new GW allowed per year
    export_controls = 4,    // value: share of the target's chip supply barred
};
inline constexpr int instrument_count = 5;
const char* instrument_name(Instrument instrument);

struct RegulatorTable {
    std::vector<std::string> name;
    std::vector<Region> region;
    std::vector<double> stringency;      // [0, 1]
    std::vector<double> base_stringency; // policy events of type "stringency" move it
    std::vector<double> concern;         // public concern (capability + incidents)
    std::vector<double> incident_concern;
    std::vector<double> lobbying_usd;    // this step, from labs at home here
    std::vector<double> influence;       // this step, net push of active influencers
    std::vector<double> fines_usd;       // this step
    std::vector<double> power_gw;        // power available to AI data centres
    std::vector<double> power_used_gw;   // this step
    // Per instrument, [regulator * instrument_count + instrument].
    std::vector<std::uint8_t> active;
    std::vector<std::uint8_t> scripted;  // set by a policy event: no longer automatic
    std::vector<std::int32_t> pending_since;  // step the threshold condition changed, -1 none
    std::vector<double> value;

    std::size_t size() const { return name.size(); }
    void resize(std::size_t n);
    std::size_t slot(std::size_t regulator, Instrument instrument) const {
        return regulator * instrument_count + static_cast<std::size_t>(instrument);
    }
    bool is_active(std::size_t regulator, Instrument instrument) const {
        return active[slot(regulator, instrument)] != 0;
    }
    double value_of(std::size_t regulator, Instrument instrument) const {
        return value[slot(regulator, instrument)];
    }
    // Share of open data a lab training here may use (1 unless strict).
    double copyright_usable(std::size_t regulator) const {
        return is_active(regulator, Instrument::copyright) ? value_of(regulator, Instrument::copyright)
                                                           : 1.0;
    }

    // Every column but the name, for checkpoints: visit("column", vector).
    template <class Self, class Visit>
    static void columns(Self& self, Visit&& visit) {
        visit("region", self.region);
        visit("stringency", self.stringency);
        visit("base_stringency", self.base_stringency);
        visit("concern", self.concern);
        visit("incident_concern", self.incident_concern);
        visit("lobbying_usd", self.lobbying_usd);
        visit("influence", self.influence);
        visit("fines_usd", self.fines_usd);
        visit("power_gw", self.power_gw);
        visit("power_used_gw", self.power_used_gw);
        visit("active", self.active);
        visit("scripted", self.scripted);
        visit("pending_since", self.pending_since);
        visit("value", self.value);
    }
};

// Influencers (the "X factor"): named actors with a stance and weights.
struct InfluencerTable {
    std::vector<std::string> name;
    std::vector<double> stance;
    std::vector<double> start_year;
    std::vector<double> end_year;
    std::vector<double> weight;  // [influencer * region_count + region]
    std::vector<double> active;  // 1 while in the active period
    std::vector<std::uint8_t> linked;  // influence edges added (at first activation)

    std::size_t size() const { return name.size(); }
    void resize(std::size_t n) {
        name.resize(n);
        stance.resize(n);
        start_year.resize(n);
        end_year.resize(n);
        weight.resize(n * region_count);
        active.resize(n);
        linked.resize(n);
    }

    // The state, for checkpoints: the other columns are set from the
    // current config every step.
    template <class Self, class Visit>
    static void columns(Self& self, Visit&& visit) {
        visit("linked", self.linked);
    }
};

// Target stringency of regulator i from its concern, influence and lobbying.
double target_stringency(const RegulatorTable& regulators, const RegulatorConfig& config,
                         std::size_t i, double dt);

// Moves stringency toward its target; returns the instruments that switched
// (pairs of instrument and new state) for events: by the threshold rule, or
// a law repealed below law_repeal_stringency.
struct InstrumentChange {
    Instrument instrument;
    bool on;
};
std::vector<InstrumentChange> update_regulator(RegulatorTable& regulators,
                                               const RegulatorConfig& config, std::size_t i,
                                               std::int32_t step, const TimeConfig& time);

// Initial instrument values and states from the config.
void init_regulator(RegulatorTable& regulators, const RegulatorConfig& config, std::size_t i);

// How much heavier compliance (its cost and the approval delay) weighs at
// `stringency`: 1 + compliance_stringency_slope * max(0, stringency -
// compute_threshold_on).
double compliance_burden(const RegulatorConfig& config, double stringency);

}  // namespace airace
