#pragma once
// The World: one structure-of-arrays table per agent kind, the relationship
// graph, market state, the environment and what the phases of a step hand
// to each other.
// build_world() makes the start state from a config and a seed; step()
// (sim/step.hpp) advances it one quarter.

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "agents/compute_provider.hpp"
#include "agents/data_provider.hpp"
#include "agents/investor.hpp"
#include "agents/lab.hpp"
#include "agents/regulator.hpp"
#include "config/config.hpp"
#include "sim/environment.hpp"
#include "base/markets.hpp"
#include "sim/network.hpp"
#include "base/profile.hpp"
#include "sim/events.hpp"
#include "sim/phases/messages.hpp"

namespace airace {

enum class EventType : std::int32_t {
    release = 0,        // lab released a model: amount = training FLOP, value = kappa
    run_started = 1,    // amount = target FLOP, value = expected cost (USD)
    run_postponed = 2,  // could not pay for a big enough run: amount = affordable FLOP
    funding_round = 3,  // lab <- investors: amount = raised USD, value = post-money USD
    round_failed = 4,   // amount = asked USD, value = committed USD
    bankruptcy = 5,     // amount = cash shortfall (USD)
    acquisition = 6,    // agent = acquirer, other = acquired lab, amount = debt taken on
    licence = 7,        // lab <- data provider: amount = USD, value = tokens
    exclusive_deal = 8, // lab <- data provider: amount = USD, value = tokens
    instrument_on = 9,  // regulator: amount = instrument code, value = instrument value
    instrument_off = 10,
    policy = 11,        // scripted policy event applied: amount = instrument code (-1 stringency), value
    compliance = 12,    // lab paid compliance: amount = USD, value = run FLOP; other = regulator
    relocation = 13,    // lab trains abroad: amount = run FLOP, value = set-up cost (USD); other = host regulator
    fine = 14,          // lab fined for evading oversight: amount = USD; other = regulator
    incident = 15,      // lab's model caused an incident: value = its capability
    data_wall = 16,     // the frontier first trains on all the human data it may use: value = year
    site_power_limit = 17,  // a run cut to one site's power: amount = FLOP wanted, value = FLOP planned
    generation_delayed = 18,        // finished model held back: amount = expected gain, value = realised (OOM)
    generation_disappointing = 19,  // released below expectation: amount = expected gain, value = realised
    lab_entry = 20,     // a founding round closed: other = lead investor, amount = USD, value = efficiency
};
inline constexpr int event_type_count = 21;
const char* event_type_name(EventType type);

// Per-region market results of the last compute auction.
struct ComputeMarketState {
    std::array<double, region_count> price{};       // USD/FLOP
    std::array<double, region_count> quantity{};    // FLOP traded
    std::array<double, region_count> capacity{};    // FLOP offered
    std::array<double, region_count> lab_demand{};  // FLOP bid by labs
    std::array<double, region_count> demand{};      // FLOP bid by everyone
    std::array<double, region_count> power_ceiling{};  // FLOP/step the region's power allows
    std::array<double, region_count> energy_price_multiplier{1.0, 1.0, 1.0};  // scarcity of power
    // The costs of a FLOP in region r: the trends', electricity at the
    // region's scarcity price.
    std::array<ComputeCosts, region_count> costs(const ComputeCosts& base) const {
        std::array<ComputeCosts, region_count> out;
        for (std::size_t r = 0; r < out.size(); ++r)
            out[r] = {base.hardware_usd_per_flop, base.energy_usd_per_flop * energy_price_multiplier[r]};
        return out;
    }
};

// Flows and results of the current step, for aggregates.
struct StepTotals {
    double investment_usd = 0;
    double rounds_closed = 0;
    double rounds_failed = 0;
    double down_rounds = 0;  // closed rounds priced below the lab's valuation before them
    double ai_revenue_usd = 0;
    double training_flop = 0;
    double inference_flop = 0;
    double compute_spend_usd = 0;
    double serving_spend_usd = 0;          // labs' spending on serving compute
    double tokens_served = 0;              // tokens generated, reasoning tokens included
    double value_pool_usd = 0;             // value of the tasks users would buy at zero cost
    double capex_usd = 0;
    double energy_joules = 0;
    double releases = 0;
    double generation_shortfall = 0;       // sum over releases of expected - realised kappa (OOM)
    double generations_delayed = 0;
    double generations_disappointing = 0;
    double bankruptcies = 0;
    double acquisitions = 0;
    double entries = 0;  // new labs entered (lab_entry)
    double licence_usd = 0;
    double data_production_usd = 0;        // new human text bought to order
    double incidents = 0;
    double fines_usd = 0;
    double largest_run_power_w = 0;
};

struct World {
    ScenarioConfig config;
    std::uint64_t seed = 0;
    std::int32_t step = 0;  // the step being simulated (0-based)

    Environment env;
    LabTable labs;
    InvestorTable investors;
    ComputeProviderTable compute_providers;
    DataProviderTable data_providers;
    RegulatorTable regulators;
    InfluencerTable influencers;
    Network network;
    ComputeMarketState compute_market;

    double frontier_kappa = 0;
    double frontier_gain_year = 0;                   // kappa gain over the last year (OOM)
    YearRing year;                                   // slots of the year-ago rings below
    std::vector<double> frontier_kappa_history;      // [year.width]: frontier kappa of the last year's steps
    std::vector<double> revenue_history;             // [year.width]: AI revenue of the last year's steps
    double data_wall_year = -1;                      // < 0 until the frontier is data-limited
    double cumulative_bankruptcies = 0;
    double cumulative_acquisitions = 0;
    double cumulative_incidents = 0;
    double cumulative_entries = 0;

    std::vector<PolicyEventConfig> pending_policy_events;  // a fork's overdue events
    StepTotals totals;
    std::vector<EventRow> events;  // this step's events, in settlement order
    PhaseMessages messages;  // between and within phases (sim/phases/messages.hpp)
    Profiler* profiler = nullptr;  // times phases when set (airace run --profile); never changes results

    explicit World(const std::array<std::size_t, agent_kind_count>& counts) : network(counts) {}
};

World build_world(const ScenarioConfig& config, std::uint64_t seed);

// Where the phases append this step's events (World::events), in settlement
// order, each row stamped with the step and the time at the step's end.
struct EventLog {
    std::vector<EventRow>& rows;
    std::int32_t step = 0;
    double time = 0;  // decimal year at the end of the step: env.year + dt

    // Appends an event of this step.
    void emit(EventType type, AgentKind kind, std::uint32_t agent, AgentKind other_kind,
              std::int64_t other, double amount, double value) const;
};

// The log of the step `world` is simulating, stamped from env.year (which the
// environment phase sets for the step).
EventLog event_log(World& world);

// The frontier: the capability of the best model still served (active labs
// with a model); if there is none, the last frontier stands.
void update_frontier(const LabTable& labs, double& frontier_kappa);

}  // namespace airace
