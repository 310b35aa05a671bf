#pragma once
// The walls (MODEL.md): data providers and the data market, regulators and
// their instruments, influencers, energy limits and incidents. The functions
// here are called from the phases in sim/step.cpp.

#include "agents/lab.hpp"
#include "sim/scaling.hpp"
#include "sim/world.hpp"

namespace airace {

inline constexpr double seconds_per_year = 365.25 * 86400.0;

// Phase 1: dated policy events of the scenario take effect.
void apply_policy_events(World& world);
// A fork: from now on the world follows `config`; its policy events dated
// before now that the old config lacked take effect at once.
void switch_config(World& world, const ScenarioConfig& config);
// Phase 1: influencers' active periods.
void update_influencers(World& world);
// Phase 1: regional power for AI data centres (growth capped, permitting)
// and the compute it allows per step.
void update_power(World& world);
// Phase 1: data providers' stocks, openness and prices.
void update_data_supply(World& world);

// Phase 2: the regulation a lab sees where it would train.
void fill_regulation_context(const World& world, LabContext& context);
// Phase 2: capacity ceilings from power and export controls, per provider.
void capacity_limits(const World& world, std::vector<double>& ceiling,
                     std::vector<double>& supply_share);

// Phase 5: licences and exclusive deals; then each lab's usable human tokens.
void phase_data_market(World& world);
void compute_usable_tokens(World& world);

// Phase 6: how lab i may use synthetic data in the run it releases now.
SyntheticPlan synthetic_plan(const World& world, std::size_t lab);
// Phase 6: an evading run above the threshold may be caught and fined.
void check_evasion(World& world, std::size_t lab, double run_flop);
// Phase 6: stochastic incidents raise public concern.
void settle_incidents(World& world);

}  // namespace airace
