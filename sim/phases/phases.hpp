#pragma once
// The phases of a quarter, one file each in sim/phases/, in the order step()
// runs them (sim/step.cpp), and the helpers that other phases, the run loop
// or tests call, grouped by phase.
//
// Each phase takes a view of the World that says what it reads and what it
// writes: first what it reads, as const references or values, then what it
// writes (and may read), as references. A phase touches nothing else. The
// views are made from the World by the `<phase>_io()` functions
// (sim/step.cpp), which tests use as well; this file is the authoritative
// list of what each phase reads and writes (docs/architecture.md, "One
// quarter", summarises it).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/product.hpp"
#include "sim/world.hpp"

namespace airace {

// Rows per parallel chunk of a phase: a chunk should be tens of microseconds
// of work, or waking a worker costs more than it saves (small worlds stay
// serial).
inline constexpr std::size_t agent_grain = 256;     // labs: a few hundred ns each
inline constexpr std::size_t investor_grain = 1024; // investors: tens of ns each

// Seconds in a year (365.25 days), for power from the energy of a step.
inline constexpr double seconds_per_year = 365.25 * 86400.0;

// Before phase 1 (begin_step.cpp): this step's events, totals and every
// per-step flow column of the tables start at zero.
struct BeginStepIO {
    // Writes (zeroes)
    std::vector<EventRow>& events;
    StepTotals& totals;
    LabTable& labs;
    InvestorTable& investors;
    ComputeProviderTable& compute_providers;
    DataProviderTable& data_providers;
    RegulatorTable& regulators;
};
BeginStepIO begin_step_io(World& world);
void begin_step(const BeginStepIO& io);

// Phase 1, environment (environment.cpp): trends, dated policy events,
// influencers, regional power, data supply.
struct EnvironmentIO {
    // Reads
    const ScenarioConfig& config;
    std::int32_t step;
    const LabTable& labs;  // the largest model's training tokens (AI pressure on data)
    const ComputeProviderTable& compute_providers;  // demand now and a year ago (power planning)
    // Writes
    Environment& env;  // this step's trends, site power; open tokens
    std::vector<PolicyEventConfig>& pending_policy_events;  // a fork's overdue events: applied, cleared
    RegulatorTable& regulators;          // policy events; power (reads stringency, instruments)
    InfluencerTable& influencers;        // activity
    Network& network;                    // influence edges
    ComputeMarketState& compute_market;  // power ceilings, energy price multipliers (reads demand)
    DataProviderTable& data_providers;   // stocks, openness, prices
    std::vector<EventRow>& events;       // policy events, stamped once env.year is this step's
};
EnvironmentIO environment_io(World& world);
void phase_environment(const EnvironmentIO& io);
// A fork: from now on the world follows `config`; its policy events dated
// before now that the old config lacked take effect at once.
void switch_config(World& world, const ScenarioConfig& config);
// A region's compute demand (FLOP/step) last step and a year before (the
// sum of its providers' least demand over the year-ago ring).
struct RegionalDemand {
    double recent = 0;
    double year_ago = 0;
};
RegionalDemand regional_demand(const ComputeProviderTable& providers, std::size_t region);
// Regional power for AI data centres (following demand with a lead time,
// growth capped, permitting), the compute it allows per step
// (market.power_ceiling) and the scarcity price of electricity
// (market.energy_price_multiplier).
void update_power(const ScenarioConfig& config, const Environment& env, std::int32_t step,
                  const ComputeProviderTable& providers, RegulatorTable& regulators,
                  ComputeMarketState& market);
// The regulator (region) of a scenario key ("us", "eu", "cn"); 0 if unknown.
std::size_t region_index(const std::string& key);

// Phase 2, decide (decide.cpp): labs' plans, investors' budgets, providers'
// capacity.
struct DecideIO {
    // Reads
    const ScenarioConfig& config;
    std::uint64_t seed;  // labs' draws (comply or evade)
    std::int32_t step;
    double frontier_kappa;  // the best model, whose demand sets the revenue pool
    const Environment& env;
    const RegulatorTable& regulators;  // regulation where a run would train; demand's stringency
    const ComputeMarketState& compute_market;  // last step's prices; power ceilings
    // Writes
    LabTable& labs;                           // plans applied: runs, compliance, serving wanted
    InvestorTable& investors;                 // budgets (reads sentiment: the chance of entry)
    ComputeProviderTable& compute_providers;  // capacity
    LabPlans& plans;                          // one intent per lab, for phases 3 and 4
    CapacityLimits& capacity;                 // providers' ceilings (this phase only)
    EventLog events;                          // runs started or postponed, relocation, compliance
};
DecideIO decide_io(World& world);
void phase_decide(const DecideIO& io);

// Phase 3, capital market (capital_market.cpp): funding rounds.
struct CapitalMarketIO {
    // Reads
    const ScenarioConfig& config;  // investors' keys; entrants' keys
    std::int32_t step;
    double frontier_kappa;  // requests' gap to the frontier
    const LabPlans& plans;  // the labs' funding requests and founding rounds (phase 2)
    // Writes
    LabTable& labs;            // cash, funding, valuation, last round, entry (reads momentum, revenue)
    InvestorTable& investors;  // amounts invested (reads budgets, sentiment, traits)
    Network& network;          // dilution of stakes, new equity edges
    CapitalMarketBook& book;   // requests, commitments, rounds (this phase only)
    StepTotals& totals;        // investment, rounds closed and failed, entries
    EventLog events;           // funding_round, round_failed, lab_entry
    Profiler* profiler;        // times the sub-steps when set; never changes results
};
CapitalMarketIO capital_market_io(World& world);
void phase_capital_market(const CapitalMarketIO& io);

// Phase 4, compute market (compute_market.cpp): per-region auctions.
struct ComputeMarketIO {
    // Reads
    const ScenarioConfig& config;
    const Environment& env;  // unit cost, energy, outside demand
    const LabPlans& plans;   // the labs' training and serving bids (phase 2)
    // Writes
    LabTable& labs;                           // FLOP bought, run progress, spending, cash
    ComputeProviderTable& compute_providers;  // sales, revenue, utilisation, demand (reads asks)
    RegulatorTable& regulators;               // power used only
    ComputeMarketState& compute_market;       // prices, quantities, capacity, demand
    Network& network;                         // compute-contract edges
    ComputeOrders& orders;                    // one region's bids and asks (this phase only)
    StepTotals& totals;                       // FLOP, compute spend, capex, energy
};
ComputeMarketIO compute_market_io(World& world);
void phase_compute_market(const ComputeMarketIO& io);

// Phase 5, data market (data_market.cpp): licences, exclusive deals and new
// human text bought to order.
struct DataMarketIO {
    // Reads
    const ScenarioConfig& config;              // data keys, the scaling law
    const Environment& env;                    // open tokens
    const RegulatorTable& regulators;          // copyright where a run trains
    const ComputeMarketState& compute_market;  // prices (licence budgets)
    // Writes
    LabTable& labs;  // cash, licence spending, licensed, produced and usable tokens (reads runs)
    DataProviderTable& data_providers;  // revenue, licensees, exclusivity, openness, tokens demanded
    Network& network;                   // licence and exclusive edges
    DataMarketBook& book;               // buyers and offers (this phase only)
    StepTotals& totals;                 // licence and production spending
    EventLog events;                    // licence, exclusive_deal
};
DataMarketIO data_market_io(World& world);
void phase_data_market(const DataMarketIO& io);
// Each lab's usable human tokens: the open tokens, what it licensed (licences
// in their term at `year`) and what it holds exclusively, times the usable
// share its host's copyright regime allows, plus the new text it produced.
void compute_usable_tokens(LabTable& labs, const DataProviderTable& providers,
                           const RegulatorTable& regulators, const Network& network,
                           double open_tokens, double year);

// Phase 6, train and release (train_and_release.cpp): efficiency, releases,
// the frontier and the data wall; incidents (regulate.cpp).
struct TrainAndReleaseIO {
    // Reads
    const ScenarioConfig& config;  // algorithms, scaling, synthetic data, fines, incidents
    std::uint64_t seed;            // detection, incident and generation draws
    std::int32_t step;
    const Environment& env;  // the field's efficiency, year, reasoning, FLOP per joule
    // Writes
    LabTable& labs;  // efficiency, models, runs, models held back, fines, cash (reads compute, tokens)
    RegulatorTable& regulators;  // fines, incident concern
    double& frontier_kappa;
    double& data_wall_year;  // set the first time the frontier model is data-limited
    // releases, generation shortfall, delayed and disappointing generations, fines, the
    // largest run's power, incidents
    StepTotals& totals;
    // release, generation_delayed, generation_disappointing, fine, data_wall, incident
    EventLog events;
};
TrainAndReleaseIO train_and_release_io(World& world);
void phase_train_and_release(const TrainAndReleaseIO& io);
// An evading run above the threshold may be caught and fined.
void check_evasion(const TrainAndReleaseIO& io, std::size_t lab, double run_flop);

// Phase 7, product market (product_market.cpp): adoption and revenue.
struct ProductMarketIO {
    // Reads
    const ScenarioConfig& config;
    std::int32_t step;                 // the first step serves from own capacity
    const RegulatorTable& regulators;  // mean stringency and incident concern (demand)
    // Writes
    Environment& env;    // adoption (reads spend and token demand)
    LabTable& labs;      // revenue share and revenue, cash, tokens served (reads models, serving)
    StepTotals& totals;  // AI revenue
};
ProductMarketIO product_market_io(World& world);
void phase_product_market(const ProductMarketIO& io);
// Demand (sim/product.hpp) for a best model of capability `best_kappa`,
// under the regulators' mean stringency and incident concern.
DemandState current_demand(const ScenarioConfig& config, const RegulatorTable& regulators,
                           double best_kappa);

// Phase 8, regulate (regulate.cpp): lobbying, influence, concern,
// stringency and instruments.
struct RegulateIO {
    // Reads
    const ScenarioConfig& config;  // regulators' keys, concern
    std::int32_t step;
    double frontier_kappa;               // capability concern
    const LabTable& labs;                // lobbying: opex and lobbying shares
    const InfluencerTable& influencers;  // active influencers' stance and weights
    // Writes
    RegulatorTable& regulators;  // lobbying, influence, concern, stringency, instruments
    Network& network;            // lobbying edges
    EventLog events;             // instrument_on, instrument_off
};
RegulateIO regulate_io(World& world);
void phase_regulate(const RegulateIO& io);
// Stochastic incidents raise public concern (called by phase 6).
void settle_incidents(const TrainAndReleaseIO& io);

// Phase 9, account (account.cpp): opex, valuations, bankruptcies, investors'
// portfolios and sentiment, rolling histories. It reads and writes most of
// the world.
struct AccountIO {
    // Reads
    const ScenarioConfig& config;
    std::int32_t step;
    const Environment& env;  // years elapsed (opex growth), unit costs (providers' earnings)
    const ComputeMarketState& compute_market;  // electricity's scarcity price (providers' earnings)
    const YearRing& year;    // slots of the world's year-ago rings
    // Writes
    LabTable& labs;  // opex, cash, valuation, status, efficiency, year-ago rings
    InvestorTable& investors;                 // portfolio values, paper returns, sentiment
    ComputeProviderTable& compute_providers;  // demand a year ago, earnings ratio (reads demand, revenue)
    Network& network;                         // an acquired lab's compute contracts
    double& frontier_kappa;
    double& frontier_gain_year;
    std::vector<double>& frontier_kappa_history;  // reads the year-ago slot, then sets this step's
    std::vector<double>& revenue_history;         // likewise
    double& cumulative_bankruptcies;
    double& cumulative_acquisitions;
    double& cumulative_incidents;
    double& cumulative_entries;
    Acquirers& acquirers;        // this phase only
    PortfolioViews& portfolios;  // this phase only
    StepTotals& totals;          // bankruptcies, acquisitions (reads AI revenue, incidents, entries)
    EventLog events;             // bankruptcy, acquisition
    Profiler* profiler;          // times the sub-steps when set; never changes results
};
AccountIO account_io(World& world);
void phase_account(const AccountIO& io);

}  // namespace airace
