#pragma once
// ScenarioConfig: everything a run depends on, as plain data with defaults in
// code. A scenario file overrides some of these values; the config layer
// (config/config_yaml.cpp, config/sweep_yaml.cpp) is the only reader of
// YAML, and the field registry (config/config_schema.cpp, keys registered
// in config/schema_market_keys.cpp and config/schema_world_keys.cpp) is the
// only list of keys, so
// validation, --set, --print, forks' start-only check and configs/README.md
// can never disagree. A config is copied into run() and never changed during
// it.
//
// Units are in the field names or comments: money in US dollars of the start
// year, compute in FLOP, data in tokens, time in years or quarters.

#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/ids.hpp"

namespace airace {

struct ScenarioMeta {
    std::string name;             // required: short identifier of the scenario
    std::string description;      // the question the scenario asks
    std::uint64_t seed = 20240601;  // default run seed (--seed overrides)
};

struct TimeConfig {
    int start_year = 2020;
    int end_year = 2040;  // exclusive: the run covers start_year .. end_year
    int steps_per_year = 4;

    double dt_years() const { return 1.0 / steps_per_year; }
    // Durations given in quarters, in steps: a unit conversion (1 at 4 steps
    // per year, so a quarter is one step there). The one place quarters
    // become steps.
    double steps_per_quarter() const { return steps_per_year / 4.0; }
    // A whole number of steps for a duration in quarters, at least `floor`.
    std::int32_t quarters_to_steps(double quarters, std::int32_t floor = 0) const {
        const auto steps = static_cast<std::int32_t>(std::lround(quarters * steps_per_quarter()));
        return steps < floor ? floor : steps;
    }
};

// Chinchilla loss and the capability index (docs/model.md section 3).
struct ScalingConfig {
    double loss_e = 1.8172;        // irreducible loss; Besiroglu et al. 2024
    double loss_a = 482.01;        // parameter term
    double loss_b = 2085.43;       // data term
    double alpha = 0.3478;         // parameter exponent
    double beta = 0.3658;          // data exponent
    double repetition_rstar = 15.0;  // Muennighoff et al. R* (epochs' decay constant)
    double score_k50 = 33.0;       // kappa at which half of all tasks are doable (log10 effective FLOP)
    double score_width = 1.7;      // logistic spread of the tasks' requirements in kappa (OOM)
    double reasoning_start_year = 2024.75;  // test-time compute available from
    double reasoning_kappa_per_log10 = 0.4; // kappa added per 10x serving FLOP
    double reasoning_max_kappa = 1.15;      // cap: ~14x training compute (Snell et al. 2024)
    double reasoning_intensity = 10.0;      // tokens per task multiplier m of reasoning models
    // Realised kappa = expected + N(0, sd): a generation may beat or fall
    // short of what its compute, efficiency and data predict (OOM).
    double generation_noise_sd = 0.25;
};

// Algorithmic efficiency A: each lab's research moves its own, with
// diminishing returns to research input and "ideas getting harder to find";
// labs behind the best one catch up (spill-overs). The field's frontier is
// the best lab's efficiency (docs/model.md section 4).
struct AlgorithmsConfig {
    double initial_gap = 0.5;               // start-ups begin at this share of the frontier labs' A
    double diffusion_per_year = 0.6;        // share of the log-gap to the best lab closed per year
    double rd_share_of_opex = 0.3;          // share of opex spent on research
    double rd_reference_usd_per_year = 1e8; // research spend at which its factor is 1
    double research_reference_flop = 1e23;  // training scale at which the compute factor is 1
    double research_compute_weight = 0.5;   // Cobb-Douglas weight of compute in research input
    double research_rate_per_year = 0.75;   // d ln A/dt at reference input and A = 1
    double parallelisation_penalty = 0.7;   // lambda: rate ~ input^lambda (FTM)
    double ideas_harder_exponent = 0.56;    // phi = lambda / r, r = 1.25 (Davidson 2023)
};

// Compute supply and its cost trends (docs/model.md section 6).
struct ComputeConfig {
    int providers = 8;
    double hardware_usd_per_flop_2023 = 1.9e-18;   // amortised hardware cost; Epoch (GPT-4 ~$40M)
    double hardware_improvement_per_year = 1.3;    // FLOP/$ +30%/yr; Epoch hardware data
    double flop_per_joule_2023 = 2.5e11;           // effective (utilisation, servers, PUE included)
    double energy_efficiency_improvement_per_year = 1.4;
    double electricity_usd_per_kwh = 0.08;
    double hardware_lifetime_years = 4.0;
    double initial_capacity_flop_per_quarter = 5.0e26;  // all modelled providers, 2020
    double max_capacity_growth_per_year = 3.0;      // chip supply limit on expansion
    int ask_tranches = 4;                           // providers ask in this many equal slices of capacity
    double base_markup = 0.15;                      // markup on unit cost at low utilisation
    double scarcity_markup = 1.5;                   // extra markup on the last tranche
    double external_bid_scarcity_share = 0.5;       // outside users bid base + this share of scarcity
    double external_demand_share = 0.7;             // non-modelled AI users' share of 2020 capacity
    double external_demand_growth_per_year = 2.2;   // until the slowdown year, then it slows:
    double external_demand_slowdown_year = 2024.0;  // from this year on
    double external_demand_slowdown_years = 5.0;    // growth - 1 decays with this e-folding time
    double capacity_headroom = 0.15;                // providers build for demand * (1 + headroom)
    double demand_growth_floor = 0.5;               // trailing demand growth a provider plans on,
    double demand_growth_cap = 10.0;                //   bounded to [floor, cap] per year
    double initial_utilisation = 0.8;               // share of capacity sold at the start
    double cost_of_capital_per_year = 0.10;         // providers' required return on hardware capital
    double capital_return_response = 1.0;           // planned capacity *= min(1, earnings / cost)^response
    double power_planning_growth_cap = 1.5;         // yearly demand growth power planners build for, at most
    double energy_scarcity_price_elasticity = 1.0;  // electricity price *= max(1, wanted/available power)^this
    double site_power_mw_2024 = 150.0;              // largest single training site's power in 2024
    double site_power_growth_per_year = 1.7;        // its growth per year
    double max_site_power_gw = 10.0;                // and its bound
    double training_flop_gain_per_year = 1.35;      // training FLOP per hardware FLOP: number formats,
    double training_flop_gain_max = 4.0;            //   utilisation; 1 in 2024, at most this
};

// Per-type lab parameters.
struct LabTypeConfig {
    double initial_training_flop = 1e21;     // compute of the model deployed at start
    double initial_cash_usd = 5e7;
    double ambition_per_generation = 10.0;   // next run = previous run * ambition
    double generation_interval_quarters = 6; // quarters between run starts
    double opex_usd_per_quarter = 5e6;       // staff and overhead at start
    double opex_growth_per_year = 1.1;
    double budget_share = 0.7;               // share of cash + expected funding a run may take
    double initial_training_flop_spread = 0.8;  // log-sd of the initial model's compute across labs
};

struct LabsConfig {
    int count = 50;
    int frontier_count = 6;
    LabTypeConfig frontier{7e22, 2e9, 8.0, 6, 3e8, 1.35, 0.7, 0.3};
    LabTypeConfig startup{};
    int run_quarters = 1;                 // planned duration of a training run (~3 months)
    double run_grace_quarters = 2;        // a run still short of its target ends this much later
    double runway_target_quarters = 12;   // ask for funding below this runway
    double funding_horizon_quarters = 12; // a round covers this many quarters of plans
    double min_round_gap_quarters = 2;    // no new request sooner after a round
    double planning_reserve_quarters = 4; // running cost kept back when a run is sized
    double training_reserve_quarters = 2; // running cost never spent on training compute
    double bid_premium = 0.5;             // training bids go up to expected price * (1 + premium)
    double min_generation_gain = 2.0;     // a run smaller than this x the last is not worth it
    double release_min_gain_share = 0.5;  // hold a model back below this share of its expected gain
    double release_delay_quarters = 2;    // how long a held model is worked on before a second try
    double disappointing_shortfall_oom = 0.3;  // a release this far below its expected kappa disappoints
    double min_distillation_share = 0.01;   // a served model keeps at least this share of the parameters
    double distillation_kappa_loss_per_oom = 1.0;  // capability lost per OOM of parameters distilled away
    double opex_revenue_share = 0.3;      // staff and sales grow with the business: opex += share * revenue
    double max_round_dilution = 0.2;      // a round sells at most this share of the company
    double serving_bid_cost_multiple = 20.0;  // serving bids' limit price, in multiples of unit cost
    double acquisition_cash_multiple = 1.5;   // an acquirer needs this many times a bankrupt lab's shortfall
    double compliance_propensity = 0.8;   // mean probability a lab complies rather than evades
    double relocation_cost_share = 0.25;  // extra cost of training in another jurisdiction
    double relocation_min_gain = 1.5;     // train abroad only for a run this many times the capped one
    double relocation_fixed_usd = 5e8;    // one-off cost of setting up a run abroad
    double relocation_delay_quarters = 2; // a run abroad starts this much later
    double safety_share_of_opex = 0.05;   // spending on safety (cuts incident hazard)
    double lobbying_share_of_opex = 0.02; // spending on lobbying the home regulator
    // Spread of traits across labs, drawn at the start: log-sd of mean-one
    // log-normal factors (compliance: sd of a normal draw around the mean).
    double ambition_spread = 0.05;
    double generation_interval_spread = 0.05;
    double budget_share_spread = 0.1;
    double opex_spread = 0.3;
    double initial_cash_spread = 0.3;
    double compliance_propensity_sd = 0.15;
    double safety_share_spread = 0.5;
    double lobbying_share_spread = 0.5;
    double initial_valuation_cash_multiple = 4.0;  // valuation at the start = this * cash
    // Entry of new labs (docs/model.md section 4, "Entry"): slots after the
    // labs of the start, dormant until a founding round closes.
    int entrant_slots = 64;                     // dormant slots in the labs table, after labs.count
    double entry_rate_per_year = 2.0;           // founding attempts a year across the field, neutral sentiment
    double entry_sentiment_elasticity = 1.0;    // attempt rate *= exp(elasticity * mean investor sentiment)
    double entrant_round_usd = 5e8;             // founding round asked (median)
    double entrant_round_spread = 1.0;          // log-sd of the founding round asked
    double entrant_efficiency_share = 0.5;      // entrant's efficiency = share * best active lab's
    double entrant_opex_round_share = 0.05;     // opex per quarter at entry, as a share of the founding round
};

struct InvestorTypeConfig {
    double aum_usd = 5e9;            // assets under management at start
    double aum_growth_per_year = 1.05;
    double ai_share = 0.02;          // share of AUM per year for AI at neutral sentiment
};

struct InvestorsConfig {
    int count = 300;
    int corporate_count = 10;                    // big-tech corporates
    InvestorTypeConfig corporate{4e11, 1.08, 0.02};
    InvestorTypeConfig venture{};
    double sentiment_budget_elasticity = 1.0;    // budget *= exp(elasticity * sentiment)
    double initial_expected_wow = 0.6;           // expected yearly frontier kappa gain (OOM)
    double wow_sensitivity = 0.8;                // sentiment per OOM of surprise, per year
    double revenue_sensitivity = 0.3;            // sentiment per log growth of AI revenue
    double valuation_sensitivity = 0.15;         // sentiment lost per log10 of valuation/revenue above target
    double revenue_growth_limit = 1.0;           // AI revenue's yearly log growth is seen within +-this
    double market_revenue_floor_usd = 1e8;       // AI revenue below this counts as this in the valuation gap
    double target_revenue_multiple = 30.0;       // valuation/revenue investors tolerate
    double herding = 0.3;                        // pull toward co-investors per year
    double expectation_adaptation = 0.3;         // expected wow moves this share toward the observed, per year
    double sentiment_decay = 0.1;                // per-year pull toward neutral
    double portfolio_momentum_sensitivity = 0.5; // sentiment per OOM of the held labs' momentum, per year
    double max_sentiment = 3.0;                  // sentiment stays within [-max, max]
    double softmax_temperature = 1.0;            // spread of commitments over requests
    // A request's score (agents/investor.hpp RequestBook): momentum, gap to the
    // frontier, overvaluation and home region.
    double gap_weight = 1.0;                     // score per OOM of capability behind the frontier
    double home_bias = 0.5;                      // score added for a lab in the investor's region
    double sentiment_momentum_weight = 0.2;      // momentum weight added per unit of sentiment
    double overvaluation_weight = 0.3;           // score lost per log10 of multiple above target
    double revenue_floor_usd = 1e6;              // revenue below this counts as this in the multiple
    double min_round_fill = 0.05;                // a round filled below this share of its ask fails
    double down_round_elasticity = 0.5;          // a partial round's pre-money *= fill^elasticity
    double dry_powder_years = 2.0;               // unspent budget carried over, at most this many years of budget
    double portfolio_return_sensitivity = 0.3;   // sentiment per log of portfolio value / cost basis, per year
    double market_return_sensitivity = 0.3;      // sentiment per log of revenue * return multiple / capital raised
    double return_revenue_multiple = 10.0;       // value per $ of yearly revenue in the market's return on capital
    double return_signal_limit = 1.0;            // both returns are seen within +-this (log)
    int deals_per_step = 10;                     // an investor joins at most this many rounds a step
    double aum_spread = 0.5;                     // log-sd of assets across investors (at the start)
    double ai_share_spread = 0.3;                // log-sd of the AI share across investors
    double wow_sensitivity_spread = 0.3;         // log-sd of the wow sensitivity across investors
    double parent_stake = 0.5;                   // share of each frontier lab a corporate holds at start
};

// Adoption and the product market (docs/model.md sections 2 and 7).
struct ProductConfig {
    double addressable_spend_usd_2020 = 2.7e12;  // yearly spend on tasks AI could do, all adopted and all doable
    double addressable_growth_per_year = 1.04;
    double bass_p = 0.04;                        // Bass innovation coefficient per year
    double bass_q = 0.4;                         // Bass imitation coefficient per year
    double max_adoption = 0.9;                   // ceiling when the easiest tasks are all doable
    double initial_adoption = 0.03;
    double adoption_kappa_lead = 5.0;            // OOM: firms adopt for tasks this much easier than the median
    double share_kappa_temperature = 0.4;        // OOM of capability for an e-fold in revenue share
    double share_switching_years = 1.0;          // e-folding time of users' move to the shares capability earns
    double incident_demand_loss = 1.0;           // demand lost per unit of mean incident concern (e-folds)
    double stringency_adoption_drag = 0.5;       // adoption speed lost at full mean stringency
    // Tasks are measured in the tokens a plain (non-reasoning) model needs
    // for them; their values are log-normal around a mean (docs/model.md
    // section 3, Serving).
    double value_usd_per_token_2024 = 1.5e-6;      // mean value of one plain token's work in 2024
    double value_log_sd = 1.5;                   // ln-sd of task values around the mean
};

// Human-made data, its providers and the data market (docs/model.md section 8).
struct DataConfig {
    int providers = 30;
    double human_stock_tokens_2024 = 3e14;       // Villalobos et al. 2024
    double stock_growth_per_year = 0.07;         // Epoch: web text ~+7%/yr
    double open_share = 0.9;                     // share crawlable without a licence at the start
    double closing_rate_per_year = 0.3;          // closing speed under full pressure
    double closing_demand_reference = 0.02;      // frontier data use / stock at which AI pressure is 1
    double legal_pressure_per_stringency = 0.5;  // legal pressure on providers per unit of stringency
    double copyright_legal_pressure = 0.3;       // legal pressure added by a strict copyright regime
    double licence_price_usd_per_token_2024 = 5e-5;  // Reddit-Google ~$60M/yr
    double price_adjustment_per_year = 0.5;      // price moves toward demand at this rate
    double price_neutral_demand_share = 0.5;     // demand / closed tokens at which prices hold
    double price_signal_floor = -1.0;            // demand signal bounds: prices move at most
    double price_signal_cap = 2.0;               //   exp(rate * bound * dt) a step
    double licence_budget_share = 0.1;           // share of a run's budget labs spend on licences
    double licence_max_cash_share = 0.5;         // and at most this share of their cash
    double exclusive_premium = 3.0;              // exclusive deals cost this multiple of a licence
    double exclusive_min_cash_usd = 5e10;        // labs richer than this seek exclusive deals
    double exclusive_premium_per_licensee = 0.5; // a provider goes exclusive if premium >= 1 + this * licensees
    double exclusive_max_cash_share = 0.25;      // an exclusive deal costs at most this share of cash
    double stock_share_spread = 1.0;             // log-sd of providers' shares of the stock
    double quality_spread = 0.5;                 // log-sd of providers' quality weights
    double quality_decay = 2.0;                  // k: token quality exp(-k x) at share x of the stock used
    double licence_years = 3.0;                  // a licence runs this long, then must be renewed
    int max_licensees = 3;                       // labs a provider licenses at once (rival licences)
    double produced_cost_usd_per_token = 0.01;   // commissioning new human text (writers, annotators)
    double production_tokens_per_year = 2e10;    // capacity to produce it before AI demand
    double production_growth_per_year = 0.5;     // capacity added per year per token produced to date
};

// Synthetic data and model collapse (Shumailov et al. 2024; Gerstgrasser et al. 2024).
struct SyntheticConfig {
    std::string mode = "accumulate";  // off | accumulate | replace
    double start_year = 2023.0;
    double quality = 0.5;             // a synthetic token is worth this many human tokens
    double max_share = 0.5;           // most synthetic share of effective training tokens
    double collapse_penalty = 0.3;    // reducible loss x (1 + penalty * share) per generation
    double replace_share = 0.5;       // replace mode: share of human data displaced
    double max_generation_share = 0.5;      // most of a run's compute generation may take
    double accumulate_penalty_share = 0.25; // accumulate: share of the gap to lambda sigma closed per generation
    double collapse_decay_per_generation = 0.5;  // share of the carried penalty shed by a run without synthetic data
};

struct RegionConfig {
    double lab_share = 0.0;        // share of labs headquartered here
    double compute_share = 0.0;    // share of compute providers' capacity here
    double investor_share = 0.0;   // share of investors here
    double power_gw_2020 = 1.0;    // power available to AI data centres
    double power_growth_per_year = 1.35;  // fastest growth of that power (grid, build-out)
    double power_lead_time_years = 4.0;   // time constant of new power following demand
};

struct RegionsConfig {
    RegionConfig us{0.6, 0.7, 0.6, 3.0, 1.6, 4.0};
    RegionConfig eu{0.2, 0.15, 0.25, 0.8, 1.4, 5.0};
    RegionConfig cn{0.2, 0.15, 0.15, 1.0, 1.6, 2.0};
    const RegionConfig& operator[](Region r) const;
    RegionConfig& operator[](Region r);
};

// One regulator per jurisdiction and its instruments (docs/model.md section 10).
// Each instrument switches on once stringency has stayed at or above its
// threshold for the legislative delay (and off likewise), unless a dated
// policy event sets it; such a law is repealed when stringency stays below
// law_repeal_stringency for the legislative delay.
struct RegulatorConfig {
    double base_stringency = 0.1;
    double concern_weight = 0.5;          // stringency per unit of public concern
    double lobbying_weight = 0.1;         // stringency removed per log10 of lobbying over the reference
    double lobbying_reference_usd_per_year = 1e7;  // lobbying below this moves nothing
    double adjustment_per_year = 0.8;     // speed toward the target stringency
    double legislative_delay_quarters = 4;
    double law_repeal_stringency = 0;     // a law in force is repealed when stringency stays below this
    double compute_threshold_flop = 1e26;  // runs above it need approval and compliance
    double compute_threshold_on = 0.35;
    double compliance_fixed_usd = 1e7;
    double compliance_share = 0.02;       // of the run's cost
    double approval_delay_quarters = 1;
    double compliance_stringency_slope = 4;  // cost and delay x (1 + slope * stringency above the threshold's)
    double training_cap_flop = 1e28;      // no run above it (moratorium)
    double training_cap_on = 0.85;
    bool training_cap_effective = false;  // the cap counts effective compute (FLOP x efficiency)
    double copyright_usable_share = 0.4;  // share of open data usable under the strict regime
    double copyright_on = 0.6;
    double power_permitting_gw_per_year = 2;  // cap on new AI power per year
    double power_permitting_on = 0.7;
    double export_control_share = 0.6;    // share of the target's chip supply barred
    double export_controls_on = 0.95;
    std::string export_control_target = "none";  // us | eu | cn | none
    double fine_share_of_revenue = 0.03;  // EU AI Act Art. 101
    double fine_floor_usd = 1.5e7;
    double detection_probability = 0.5;   // per evading run
};

struct RegulatorsConfig {
    RegulatorConfig us{};
    RegulatorConfig eu{};
    RegulatorConfig cn{};
    const RegulatorConfig& operator[](Region r) const;
    RegulatorConfig& operator[](Region r);
};

// Public concern and incidents.
struct IncidentsConfig {
    double base_rate_per_year = 0.01;       // per lab at the reference capability
    double reference_kappa = 26.0;
    double capability_elasticity = 0.3;     // log hazard per OOM of capability
    double safety_effect = 0.8;             // hazard cut at full safety spending
    double full_safety_share_of_opex = 0.1; // safety spending (share of opex) that is full
    double concern_per_incident = 0.05;     // public concern added in the lab's region
    double concern_spillover = 0.3;         // share added in the other regions
    double concern_decay_per_year = 0.4;
    double capability_concern_per_oom = 0.04;  // concern per OOM of frontier kappa above the reference
    double capability_concern_reference = 27.0;
};

// Named actors with the ear of regulators (the "X factor").
struct InfluencerConfig {
    std::string name;
    double stance = 0;               // -1 deregulate ... +1 restrict
    double start_year = 2025;
    double end_year = 2100;
    std::array<double, region_count> weight{};  // per regulator, stringency per unit stance
};

// A dated policy decision that overrides a regulator's instrument.
struct PolicyEventConfig {
    double year = 0;
    std::string regulator = "us";    // us | eu | cn
    std::string instrument = "compute_threshold_flop";
    double value = 0;
    bool enabled = true;             // false repeals the instrument
    // What decides the instrument afterwards: "hold" (the decision holds
    // until a later event) or "regulator" (the regulator's own threshold
    // rule, after its legislative delay).
    std::string then = "hold";
    std::string note;
};

struct ScenarioConfig {
    ScenarioMeta scenario;
    TimeConfig time;
    ScalingConfig scaling;
    AlgorithmsConfig algorithms;
    ComputeConfig compute;
    LabsConfig labs;
    InvestorsConfig investors;
    ProductConfig product;
    DataConfig data;
    SyntheticConfig synthetic;
    RegionsConfig regions;
    RegulatorsConfig regulators;
    IncidentsConfig incidents;
    std::vector<InfluencerConfig> influencers;
    std::vector<PolicyEventConfig> policy_events;

    int steps() const { return (time.end_year - time.start_year) * time.steps_per_year; }
    double dt_years() const { return time.dt_years(); }
    double steps_per_quarter() const { return time.steps_per_quarter(); }
    std::int32_t quarters_to_steps(double quarters, std::int32_t floor = 0) const {
        return time.quarters_to_steps(quarters, floor);
    }
    // Steps a training run is bought over (labs.run_quarters, at least one).
    std::int32_t run_steps() const { return quarters_to_steps(labs.run_quarters, 1); }
};

ScenarioConfig default_scenario_config();

// --- field registry --------------------------------------------------------

enum class FieldType { real, integer, boolean, string, choice };
using FieldValue = std::variant<double, std::int64_t, bool, std::string>;

struct FieldSpec {
    std::string path;       // YAML key path, e.g. "labs.frontier.initial_cash_usd"
    FieldType type = FieldType::real;
    double min = 0;         // inclusive range for real and integer fields
    double max = 0;
    bool required = false;
    // Read only when the world is built (agent counts, initial values, traits
    // drawn at the start): a fork from a saved run cannot change it.
    bool start_only = false;
    std::string unit;
    std::string doc;
    std::vector<std::string> choices;  // for FieldType::choice
    std::function<void(ScenarioConfig&, const FieldValue&)> set;
    std::function<FieldValue(const ScenarioConfig&)> get;
};

// The scalar keys (lists excluded), in registry order.
const std::vector<FieldSpec>& scenario_fields();
// List sections ("influencers", "policy_events") and their item fields; the
// spec for item i has path "<list>.<i>.<field>" and grows the list on set.
const std::vector<std::string>& list_sections();
std::vector<FieldSpec> list_item_fields(const std::string& list, std::size_t index);
std::size_t list_size(const ScenarioConfig& config, const std::string& list);
// A scalar key or a list item key ("influencers.0.stance"); nullopt if unknown.
std::optional<FieldSpec> find_field(const std::string& path);
// Instruments a policy event may set.
const std::vector<std::string>& policy_instruments();
// Closest key by edit distance (for "did you mean"), empty when nothing is close.
std::string closest_field(const std::string& path);
std::string field_type_name(FieldType type);
std::string format_field_value(const FieldValue& value);

// Checks relations between fields (counts that must add up, year order).
// Returns the path of the offending key and a message, or empty strings.
struct CrossFieldProblem {
    std::string path;
    std::string message;
};
std::vector<CrossFieldProblem> cross_field_problems(const ScenarioConfig& config);

// Whether `path` is a key flagged start-only in the registry (FieldSpec::
// start_only): read only when the world is built, so a fork from a saved run
// cannot change it.
bool shapes_start_only(const std::string& path);
// The first start-only key whose value differs between two configs, or "".
std::string changed_start_only_key(const ScenarioConfig& a, const ScenarioConfig& b);

// Deterministic text of the fully resolved scenario (YAML), used for
// --print, for /config in run files and for the config hash
// (base/sha256.hpp).
std::string resolved_yaml(const ScenarioConfig& config);

}  // namespace airace
