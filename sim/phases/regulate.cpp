// Phase 8, regulate: lobbying and influence, public concern, stringency and
// instruments. Also the incidents that phase 6 settles, which raise concern.

#include <algorithm>
#include <cmath>

#include "base/rng.hpp"
#include "sim/phases/phases.hpp"

namespace airace {
namespace {

// Lobbying: labs spend a share of last step's opex on their home regulator.
void collect_lobbying(const LabTable& labs, RegulatorTable& regulators, Network& network) {
    for (std::size_t i = 0; i < labs.size(); ++i) {
        if (!labs.active(i)) continue;
        const double spend = labs.lobbying_share[i] * labs.opex_usd[i];
        if (spend <= 0) continue;
        const auto home = static_cast<std::size_t>(labs.region[i]);
        regulators.lobbying_usd[home] += spend;
        network.add(AgentKind::lab, index32(i), AgentKind::regulator, index32(home), EdgeType::lobbying,
                    spend);
    }
}

// Influencers push each regulator by stance * weight while active.
void collect_influence(const InfluencerTable& influencers, RegulatorTable& regulators) {
    for (std::size_t k = 0; k < influencers.size(); ++k) {
        if (influencers.active[k] == 0) continue;
        for (std::size_t r = 0; r < regulators.size(); ++r)
            regulators.influence[r] += influencers.stance[k] * influencers.weight[k * region_count + r];
    }
}

// Public concern (the frontier's capability and decaying incident concern)
// moves each regulator's stringency; instruments switch on or off.
void update_regulators(const RegulateIO& io) {
    const ScenarioConfig& config = io.config;
    const double dt = config.dt_years();
    RegulatorTable& regulators = io.regulators;
    const IncidentsConfig& incidents = config.incidents;
    const double capability_concern =
        std::max(0.0, incidents.capability_concern_per_oom *
                          (io.frontier_kappa - incidents.capability_concern_reference));
    for (std::size_t r = 0; r < regulators.size(); ++r) {
        regulators.incident_concern[r] *= std::exp(-incidents.concern_decay_per_year * dt);
        regulators.concern[r] = capability_concern + regulators.incident_concern[r];
        const RegulatorConfig& rc = config.regulators[regulators.region[r]];
        for (const InstrumentChange& change : update_regulator(regulators, rc, r, io.step, config.time))
            io.events.emit(change.on ? EventType::instrument_on : EventType::instrument_off,
                           AgentKind::regulator, index32(r), AgentKind::world, -1,
                           static_cast<double>(change.instrument),
                           regulators.value_of(r, change.instrument));
    }
}

}  // namespace

void settle_incidents(const TrainAndReleaseIO& io) {
    const IncidentsConfig& config = io.config.incidents;
    const LabTable& labs = io.labs;
    RegulatorTable& regulators = io.regulators;
    const double dt = io.config.dt_years();
    for (std::size_t i = 0; i < labs.size(); ++i) {
        if (!labs.active(i) || labs.model_flop[i] <= 0) continue;
        // Hazard rises with capability and falls with safety spending, up
        // to full safety at incidents.full_safety_share_of_opex.
        const double safety = std::min(1.0, labs.safety_share[i] / config.full_safety_share_of_opex);
        const double hazard = config.base_rate_per_year *
                              std::exp(config.capability_elasticity *
                                       (labs.model_kappa[i] - config.reference_kappa)) *
                              (1.0 - config.safety_effect * safety);
        const double probability = 1.0 - std::exp(-hazard * dt);
        const RngKey key{io.seed, io.step, AgentKind::lab, index32(i), RngPurpose::incident};
        if (uniform01(key) >= probability) continue;
        const auto home = static_cast<std::size_t>(labs.region[i]);
        for (std::size_t r = 0; r < regulators.size(); ++r)
            regulators.incident_concern[r] +=
                config.concern_per_incident * (r == home ? 1.0 : config.concern_spillover);
        io.totals.incidents += 1;
        io.events.emit(EventType::incident, AgentKind::lab, index32(i), AgentKind::regulator,
                       static_cast<std::int64_t>(home), 0, labs.model_kappa[i]);
    }
}

void phase_regulate(const RegulateIO& io) {
    collect_lobbying(io.labs, io.regulators, io.network);
    collect_influence(io.influencers, io.regulators);
    update_regulators(io);
}

}  // namespace airace
