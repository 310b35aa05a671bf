// Keys of the scenario, time, capability and the markets' agents: compute
// providers, labs and investors (registration order is the registry's order).

#include <fmt/format.h>

#include "config/schema_registry.hpp"

namespace airace::schema {
namespace {

void lab_type_fields(Registry& r, const std::string& prefix, LabTypeConfig LabsConfig::*member) {
    auto at = [member](ScenarioConfig& c) -> LabTypeConfig& { return c.labs.*member; };
    r.real(prefix + ".initial_training_flop",
           [at](ScenarioConfig& c) -> double& { return at(c).initial_training_flop; }, 1e15, 1e35,
           "FLOP", "training compute of the model each lab has deployed at the start").start_only();
    r.real(prefix + ".initial_cash_usd",
           [at](ScenarioConfig& c) -> double& { return at(c).initial_cash_usd; }, 0, 1e15, "USD",
           "cash at the start").start_only();
    r.real(prefix + ".ambition_per_generation",
           [at](ScenarioConfig& c) -> double& { return at(c).ambition_per_generation; }, 1, 1000,
           "x", "next run's target compute as a multiple of the previous run").start_only();
    r.real(prefix + ".generation_interval_quarters",
           [at](ScenarioConfig& c) -> double& { return at(c).generation_interval_quarters; }, 1,
           40, "quarters", "quarters between the starts of successive training runs").start_only();
    r.real(prefix + ".opex_usd_per_quarter",
           [at](ScenarioConfig& c) -> double& { return at(c).opex_usd_per_quarter; }, 0, 1e13,
           "USD/quarter", "staff and overhead at the start").start_only();
    r.real(prefix + ".opex_growth_per_year",
           [at](ScenarioConfig& c) -> double& { return at(c).opex_growth_per_year; }, 0.5, 10,
           "x/yr", "yearly growth factor of opex").start_only();
    r.real(prefix + ".budget_share",
           [at](ScenarioConfig& c) -> double& { return at(c).budget_share; }, 0.01, 1, "share",
           "share of cash plus expected funding one training run may take").start_only();
    r.real(prefix + ".initial_training_flop_spread",
           [at](ScenarioConfig& c) -> double& { return at(c).initial_training_flop_spread; }, 0, 3,
           "log-sd", "spread across labs of the initial model's training compute")
        .start_only();
}

// Entry of new labs (docs/model.md section 4, "Entry").
void entrant_keys(Registry& r) {
    r.integer("labs.entrant_slots", AIRACE_FIELD(labs.entrant_slots), 0, 1e7, "agents",
              "slots for new labs after the labs.count labs of the start: dormant (no money, no "
              "model, in no market) until a founding round closes").start_only();
    r.real("labs.entry_rate_per_year", AIRACE_FIELD(labs.entry_rate_per_year), 0, 1000, "labs/yr",
           "founding attempts a year across the field at neutral investor sentiment, shared among the "
           "dormant slots (0: no lab ever enters)");
    r.real("labs.entry_sentiment_elasticity", AIRACE_FIELD(labs.entry_sentiment_elasticity), 0, 10,
           "elasticity", "the attempt rate is multiplied by exp(elasticity * investors' mean "
           "sentiment)");
    r.real("labs.entrant_round_usd", AIRACE_FIELD(labs.entrant_round_usd), 0, 1e13, "USD",
           "median founding round an entrant asks investors for");
    r.real("labs.entrant_round_spread", AIRACE_FIELD(labs.entrant_round_spread), 0, 3, "log-sd",
           "spread of the founding round asked (a mean-one log-normal factor per attempt)");
    r.real("labs.entrant_efficiency_share", AIRACE_FIELD(labs.entrant_efficiency_share), 0.001, 1,
           "share", "an entrant's algorithmic efficiency as a share of the best active lab's "
           "(founders bring know-how from the frontier)");
    r.real("labs.entrant_opex_round_share", AIRACE_FIELD(labs.entrant_opex_round_share), 0, 1,
           "1/quarter", "an entrant's opex per quarter when it enters, as a share of its founding "
           "round (growing at labs.frontier.opex_growth_per_year from then)");
}

void investor_type_fields(Registry& r, const std::string& prefix,
                          InvestorTypeConfig InvestorsConfig::*member) {
    auto at = [member](ScenarioConfig& c) -> InvestorTypeConfig& { return c.investors.*member; };
    r.real(prefix + ".aum_usd", [at](ScenarioConfig& c) -> double& { return at(c).aum_usd; }, 0,
           1e16, "USD", "assets under management (or yearly investable cash flow) at the start")
        .start_only();
    r.real(prefix + ".aum_growth_per_year",
           [at](ScenarioConfig& c) -> double& { return at(c).aum_growth_per_year; }, 0.5, 3,
           "x/yr", "yearly growth factor of assets").start_only();
    r.real(prefix + ".ai_share", [at](ScenarioConfig& c) -> double& { return at(c).ai_share; }, 0,
           1, "share/yr", "share of assets put into AI per year at neutral sentiment").start_only();
}

}  // namespace

void scenario_and_time_keys(Registry& r) {
    r.string("scenario.name", AIRACE_FIELD(scenario.name), true,
             "short identifier of the scenario (required)");
    r.string("scenario.description", AIRACE_FIELD(scenario.description), false,
             "the question the scenario asks");
    r.integer("scenario.seed", AIRACE_FIELD(scenario.seed), 0, 9.0e15, "",
              "default run seed; --seed overrides").start_only();
    r.integer("time.start_year", AIRACE_FIELD(time.start_year), 2000, 2100, "year",
              "first simulated year").start_only();
    r.integer("time.end_year", AIRACE_FIELD(time.end_year), 2001, 2200, "year",
              "year the run stops (exclusive)").start_only();
    r.integer("time.steps_per_year", AIRACE_FIELD(time.steps_per_year), 1, 12, "steps/yr",
              "steps per year (4: quarters)").start_only();
}

void scaling_and_algorithm_keys(Registry& r) {
    r.real("scaling.loss_e", AIRACE_FIELD(scaling.loss_e), 0, 10, "nats/token",
           "irreducible loss E (Besiroglu et al. 2024)");
    r.real("scaling.loss_a", AIRACE_FIELD(scaling.loss_a), 1e-6, 1e6, "", "parameter coefficient A");
    r.real("scaling.loss_b", AIRACE_FIELD(scaling.loss_b), 1e-6, 1e6, "", "data coefficient B");
    r.real("scaling.alpha", AIRACE_FIELD(scaling.alpha), 0.01, 2, "", "parameter exponent alpha");
    r.real("scaling.beta", AIRACE_FIELD(scaling.beta), 0.01, 2, "", "data exponent beta");
    r.real("scaling.repetition_rstar", AIRACE_FIELD(scaling.repetition_rstar), 0.1, 1000,
           "epochs", "decay constant R* of the value of repeated data (Muennighoff et al.)");
    r.real("scaling.score_k50", AIRACE_FIELD(scaling.score_k50), 10, 50, "log10 FLOP",
           "capability at which a model can do half of all economically valuable tasks (score 50)");
    r.real("scaling.score_width", AIRACE_FIELD(scaling.score_width), 0.05, 10, "OOM",
           "logistic spread, in kappa, of the tasks' effective-compute requirements");
    r.real("scaling.reasoning_start_year", AIRACE_FIELD(scaling.reasoning_start_year), 1900,
           2200, "year", "date from which labs can use test-time compute (reasoning)");
    r.real("scaling.reasoning_kappa_per_log10", AIRACE_FIELD(scaling.reasoning_kappa_per_log10),
           0, 5, "OOM per log10 m", "capability gained per 10x serving compute");
    r.real("scaling.reasoning_max_kappa", AIRACE_FIELD(scaling.reasoning_max_kappa), 0, 5, "OOM",
           "cap on the reasoning gain (Snell et al. 2024: ~14x training compute)");
    r.real("scaling.reasoning_intensity", AIRACE_FIELD(scaling.reasoning_intensity), 1, 1e4, "x",
           "tokens per task of a reasoning model released once reasoning is available, as a "
           "multiple of a plain model's: multiplies its serving FLOP");
    r.real("scaling.generation_noise_sd", AIRACE_FIELD(scaling.generation_noise_sd), 0, 3, "OOM",
           "sd of a released generation's realised kappa around its expected kappa (assumed "
           "within 0.1-0.3 OOM, the scatter of benchmarks against training compute)");
    r.real("algorithms.initial_gap", AIRACE_FIELD(algorithms.initial_gap), 0.001, 1, "share",
           "start-ups' algorithmic efficiency relative to the frontier labs' at the start")
        .start_only();
    r.real("algorithms.diffusion_per_year", AIRACE_FIELD(algorithms.diffusion_per_year), 0, 10,
           "1/yr", "share of the log-gap to the best lab's algorithmic efficiency closed per year "
           "(spill-overs)");
    r.real("algorithms.rd_share_of_opex", AIRACE_FIELD(algorithms.rd_share_of_opex), 0, 1, "share",
           "share of opex spent on research");
    r.real("algorithms.rd_reference_usd_per_year",
           AIRACE_FIELD(algorithms.rd_reference_usd_per_year), 1, 1e13, "USD/yr",
           "research spend per year at which the spending factor of research input is 1");
    r.real("algorithms.research_reference_flop", AIRACE_FIELD(algorithms.research_reference_flop),
           1, 1e40, "FLOP", "training scale (the deployed model's compute) at which the compute "
           "factor of research input is 1");
    r.real("algorithms.research_compute_weight", AIRACE_FIELD(algorithms.research_compute_weight),
           0, 1, "share", "Cobb-Douglas weight of compute (against spending) in research input");
    r.real("algorithms.research_rate_per_year", AIRACE_FIELD(algorithms.research_rate_per_year), 0,
           100, "1/yr", "growth rate of ln(efficiency) from own research at the reference input "
           "and efficiency 1");
    r.real("algorithms.parallelisation_penalty", AIRACE_FIELD(algorithms.parallelisation_penalty),
           0, 1, "", "lambda: own progress grows as research input^lambda (diminishing returns)");
    r.real("algorithms.ideas_harder_exponent", AIRACE_FIELD(algorithms.ideas_harder_exponent), 0,
           10, "", "phi: own progress falls as efficiency^-phi (ideas get harder to find)");
}

void compute_keys(Registry& r) {
    r.integer("compute.providers", AIRACE_FIELD(compute.providers), 1, 1e6, "agents",
              "number of compute providers").start_only();
    r.real("compute.hardware_usd_per_flop_2023", AIRACE_FIELD(compute.hardware_usd_per_flop_2023),
           1e-25, 1e-10, "USD/FLOP", "amortised hardware cost per FLOP in 2023 (Epoch)");
    r.real("compute.hardware_improvement_per_year",
           AIRACE_FIELD(compute.hardware_improvement_per_year), 0.5, 10, "x/yr",
           "yearly growth of FLOP per dollar (Epoch: 1.3)");
    r.real("compute.flop_per_joule_2023", AIRACE_FIELD(compute.flop_per_joule_2023), 1e6, 1e20,
           "FLOP/J", "effective FLOP per joule of data-centre energy in 2023");
    r.real("compute.energy_efficiency_improvement_per_year",
           AIRACE_FIELD(compute.energy_efficiency_improvement_per_year), 0.5, 10, "x/yr",
           "yearly growth of FLOP per joule");
    r.real("compute.electricity_usd_per_kwh", AIRACE_FIELD(compute.electricity_usd_per_kwh), 0, 10,
           "USD/kWh", "electricity price for data centres");
    r.real("compute.hardware_lifetime_years", AIRACE_FIELD(compute.hardware_lifetime_years), 0.25,
           20, "years", "years over which capacity is depreciated");
    r.real("compute.initial_capacity_flop_per_quarter",
           AIRACE_FIELD(compute.initial_capacity_flop_per_quarter), 1e15, 1e40, "FLOP/quarter",
           "capacity of all modelled providers at the start").start_only();
    r.real("compute.max_capacity_growth_per_year", AIRACE_FIELD(compute.max_capacity_growth_per_year),
           1, 100, "x/yr", "fastest capacity growth chip supply allows");
    r.integer("compute.ask_tranches", AIRACE_FIELD(compute.ask_tranches), 2, 100, "tranches",
              "providers ask in this many equal slices of their capacity, the k-th (from 0) at "
              "unit cost * (1 + base_markup + scarcity_markup * (k / (n - 1))^2)");
    r.real("compute.base_markup", AIRACE_FIELD(compute.base_markup), 0, 10, "share",
           "markup on unit cost of the first capacity tranche");
    r.real("compute.scarcity_markup", AIRACE_FIELD(compute.scarcity_markup), 0, 100, "share",
           "additional markup of the last capacity tranche (price rises with utilisation)");
    r.real("compute.external_bid_scarcity_share", AIRACE_FIELD(compute.external_bid_scarcity_share),
           0, 1, "share", "outside users bid unit cost * (1 + base_markup + share * "
           "scarcity_markup): 0 buys only the first tranche, 1 outbids every tranche");
    r.real("compute.external_demand_share", AIRACE_FIELD(compute.external_demand_share), 0, 10,
           "share", "demand of non-modelled AI users as a share of start capacity");
    r.real("compute.external_demand_growth_per_year",
           AIRACE_FIELD(compute.external_demand_growth_per_year), 0.5, 10, "x/yr",
           "yearly growth of non-modelled demand");
    r.real("compute.external_demand_slowdown_year",
           AIRACE_FIELD(compute.external_demand_slowdown_year), 1900, 2200, "year",
           "year from which the outside demand's growth slows");
    r.real("compute.external_demand_slowdown_years",
           AIRACE_FIELD(compute.external_demand_slowdown_years), 0.1, 1000, "years",
           "after the slowdown year the outside demand's growth rate (growth - 1) decays with this "
           "e-folding time");
    r.real("compute.cost_of_capital_per_year", AIRACE_FIELD(compute.cost_of_capital_per_year), 0, 1,
           "1/yr", "return providers require on the hardware capital of their capacity");
    r.real("compute.capital_return_response", AIRACE_FIELD(compute.capital_return_response), 0, 10,
           "elasticity", "capacity planned is scaled by min(1, earnings ratio)^this, the earnings "
           "ratio being revenue per unit of capacity over its cost with the cost of capital");
    r.real("compute.power_planning_growth_cap", AIRACE_FIELD(compute.power_planning_growth_cap), 1,
           10, "x/yr", "power for AI data centres is planned for today's demand grown over the lead "
           "time at its trailing yearly growth, at most this");
    r.real("compute.energy_scarcity_price_elasticity",
           AIRACE_FIELD(compute.energy_scarcity_price_elasticity), 0, 10, "elasticity",
           "a region's electricity price is multiplied by max(1, power wanted / power available)^this");
    r.real("compute.site_power_mw_2024", AIRACE_FIELD(compute.site_power_mw_2024), 1, 1e6, "MW",
           "power of the largest site a single training run can use, in 2024");
    r.real("compute.site_power_growth_per_year", AIRACE_FIELD(compute.site_power_growth_per_year), 1,
           10, "x/yr", "yearly growth of the largest site's power");
    r.real("compute.max_site_power_gw", AIRACE_FIELD(compute.max_site_power_gw), 0.001, 1e4, "GW",
           "the largest site's power never exceeds this");
    r.real("compute.training_flop_gain_per_year",
           AIRACE_FIELD(compute.training_flop_gain_per_year), 1, 10, "x/yr",
           "yearly growth of the training FLOP one FLOP of hardware (at fixed precision) delivers: "
           "lower-precision number formats and better utilisation; 1 in 2024");
    r.real("compute.training_flop_gain_max", AIRACE_FIELD(compute.training_flop_gain_max), 1, 1000,
           "x", "the training FLOP per hardware FLOP never exceeds this multiple of 2024's");
    r.real("compute.capacity_headroom", AIRACE_FIELD(compute.capacity_headroom), 0, 5, "share",
           "capacity providers build above last quarter's demand");
    r.real("compute.demand_growth_floor", AIRACE_FIELD(compute.demand_growth_floor), 0.01, 1,
           "x/yr", "slowest trailing growth of demand a provider extrapolates when it plans capacity");
    r.real("compute.demand_growth_cap", AIRACE_FIELD(compute.demand_growth_cap), 1, 1000, "x/yr",
           "fastest trailing growth of demand a provider extrapolates when it plans capacity");
    r.real("compute.initial_utilisation", AIRACE_FIELD(compute.initial_utilisation), 0, 1, "share",
           "share of capacity sold (and demanded) at the start, the base of providers' first plans")
        .start_only();
}

void lab_keys(Registry& r) {
    r.integer("labs.count", AIRACE_FIELD(labs.count), 1, 1e7, "agents", "number of labs").start_only();
    r.integer("labs.frontier_count", AIRACE_FIELD(labs.frontier_count), 0, 1e7, "agents",
              "how many of the labs are frontier labs (the rest are start-ups)").start_only();
    lab_type_fields(r, "labs.frontier", &LabsConfig::frontier);
    lab_type_fields(r, "labs.startup", &LabsConfig::startup);
    // Spread of lab traits drawn at the start (mean-one log-normal factors).
    const auto lab_spread = [&r](const char* path, double LabsConfig::*member, const char* trait) {
        r.real(path, [member](ScenarioConfig& c) -> double& { return c.labs.*member; }, 0, 3,
               "log-sd", fmt::format("spread across labs of {} (drawn at the start)", trait))
            .start_only();
    };
    lab_spread("labs.ambition_spread", &LabsConfig::ambition_spread, "ambition per generation");
    lab_spread("labs.generation_interval_spread", &LabsConfig::generation_interval_spread,
               "the generation interval");
    lab_spread("labs.budget_share_spread", &LabsConfig::budget_share_spread,
               "the budget share (capped at 1)");
    lab_spread("labs.opex_spread", &LabsConfig::opex_spread, "opex at the start");
    lab_spread("labs.initial_cash_spread", &LabsConfig::initial_cash_spread, "cash at the start");
    lab_spread("labs.safety_share_spread", &LabsConfig::safety_share_spread,
               "the share of opex spent on safety");
    lab_spread("labs.lobbying_share_spread", &LabsConfig::lobbying_share_spread,
               "the share of opex spent on lobbying");
    r.real("labs.compliance_propensity_sd", AIRACE_FIELD(labs.compliance_propensity_sd), 0, 1,
           "probability", "standard deviation across labs of the probability of complying "
           "(a normal draw around labs.compliance_propensity, kept in [0, 1])")
        .start_only();
    r.real("labs.initial_valuation_cash_multiple", AIRACE_FIELD(labs.initial_valuation_cash_multiple),
           0, 1e4, "x", "each lab's valuation at the start as a multiple of its cash at the start")
        .start_only();
    entrant_keys(r);
    r.integer("labs.run_quarters", AIRACE_FIELD(labs.run_quarters), 1, 20, "quarters",
              "planned duration of a training run (rounded to whole steps, at least one)");
    r.real("labs.run_grace_quarters", AIRACE_FIELD(labs.run_grace_quarters), 0, 40, "quarters",
           "a run that has not bought its target compute ends and releases this long after its "
           "planned duration (rounded to whole steps)");
    r.real("labs.runway_target_quarters", AIRACE_FIELD(labs.runway_target_quarters), 0, 100,
           "quarters", "labs ask for funding when cash covers fewer quarters of plans");
    r.real("labs.funding_horizon_quarters", AIRACE_FIELD(labs.funding_horizon_quarters), 1, 100,
           "quarters", "a funding request covers this many quarters of planned spending");
    r.real("labs.min_round_gap_quarters", AIRACE_FIELD(labs.min_round_gap_quarters), 0, 40,
           "quarters", "a lab asks for funding no sooner than this after its last round (rounded "
           "to whole steps)");
    r.real("labs.planning_reserve_quarters", AIRACE_FIELD(labs.planning_reserve_quarters), 0, 100,
           "quarters", "running cost (opex and serving) a lab keeps back from its means when it "
           "sizes its next run");
    r.real("labs.training_reserve_quarters", AIRACE_FIELD(labs.training_reserve_quarters), 0, 100,
           "quarters", "running cost a lab never spends on training compute (its training bids "
           "stop at cash minus this)");
    r.real("labs.bid_premium", AIRACE_FIELD(labs.bid_premium), 0, 100, "share",
           "training bids go up to the expected price times (1 + premium)");
    r.real("labs.min_generation_gain", AIRACE_FIELD(labs.min_generation_gain), 1, 1000, "x",
           "a run smaller than this multiple of the previous one is postponed");
    r.real("labs.release_min_gain_share", AIRACE_FIELD(labs.release_min_gain_share), 0, 1, "share",
           "a finished model whose realised kappa gain over the deployed one is below this share "
           "of its expected gain is held back (generation_delayed)");
    r.real("labs.release_delay_quarters", AIRACE_FIELD(labs.release_delay_quarters), 0, 40,
           "quarters", "how long a held-back model is worked on before its second draw, released "
           "if it beats the deployed model (rounded to whole steps; 0: no model is held back)");
    r.real("labs.disappointing_shortfall_oom", AIRACE_FIELD(labs.disappointing_shortfall_oom), 0,
           10, "OOM", "a release whose realised kappa is this far below its expected kappa "
           "emits generation_disappointing");
    r.real("labs.min_distillation_share", AIRACE_FIELD(labs.min_distillation_share), 1e-6, 1,
           "share", "a served model keeps at least this share of the trained model's parameters");
    r.real("labs.distillation_kappa_loss_per_oom", AIRACE_FIELD(labs.distillation_kappa_loss_per_oom),
           0, 10, "OOM per OOM", "capability a served model gives up per order of magnitude of "
           "parameters distilled away; it sets the lab's revenue share");
    r.real("labs.opex_revenue_share", AIRACE_FIELD(labs.opex_revenue_share), 0, 10, "share",
           "opex grows with the business: each step adds this share of the step's revenue");
    r.real("labs.max_round_dilution", AIRACE_FIELD(labs.max_round_dilution), 0.01, 0.9, "share",
           "a round sells at most this share of the company: a lab counts on raising up to "
           "valuation * d / (1 - d) when it sizes a run, and asks at a pre-money of at least "
           "ask * (1 - d) / d");
    r.real("labs.serving_bid_cost_multiple", AIRACE_FIELD(labs.serving_bid_cost_multiple), 1, 1e6,
           "x unit cost", "limit price of serving bids, as a multiple of the compute's unit cost "
           "(serving must happen, so it is bid far above cost)");
    r.real("labs.acquisition_cash_multiple", AIRACE_FIELD(labs.acquisition_cash_multiple), 1, 100,
           "x", "a bankrupt lab is acquired by the richest active lab if that lab's cash is at "
           "least this multiple of the shortfall it takes on; otherwise it closes");
}

void investor_keys(Registry& r) {
    r.integer("investors.count", AIRACE_FIELD(investors.count), 1, 1e8, "agents",
              "number of investors").start_only();
    r.integer("investors.corporate_count", AIRACE_FIELD(investors.corporate_count), 0, 1e8,
              "agents", "how many investors are big-tech corporates (the rest are venture funds)")
        .start_only();
    investor_type_fields(r, "investors.corporate", &InvestorsConfig::corporate);
    investor_type_fields(r, "investors.venture", &InvestorsConfig::venture);
    r.real("investors.aum_spread", AIRACE_FIELD(investors.aum_spread), 0, 3, "log-sd",
           "spread across investors of assets at the start (drawn at the start)")
        .start_only();
    r.real("investors.ai_share_spread", AIRACE_FIELD(investors.ai_share_spread), 0, 3, "log-sd",
           "spread across investors of the share of assets put into AI (drawn at the start)")
        .start_only();
    r.real("investors.wow_sensitivity_spread", AIRACE_FIELD(investors.wow_sensitivity_spread), 0, 3,
           "log-sd", "spread across investors of the wow sensitivity (drawn at the start)")
        .start_only();
    r.real("investors.parent_stake", AIRACE_FIELD(investors.parent_stake), 0, 1, "share",
           "share of each frontier lab a corporate investor holds at the start (frontier lab i "
           "belongs to corporate i mod corporate_count; cloud partnerships)")
        .start_only();
    r.real("investors.sentiment_budget_elasticity",
           AIRACE_FIELD(investors.sentiment_budget_elasticity), 0, 10, "1/sentiment",
           "AI budget multiplies by exp(elasticity * sentiment)");
    r.real("investors.initial_expected_wow", AIRACE_FIELD(investors.initial_expected_wow), 0, 10,
           "OOM/yr", "expected yearly gain of frontier capability at the start").start_only();
    r.real("investors.wow_sensitivity", AIRACE_FIELD(investors.wow_sensitivity), 0, 10,
           "1/OOM", "sentiment change per OOM of capability surprise").start_only();
    r.real("investors.revenue_sensitivity", AIRACE_FIELD(investors.revenue_sensitivity), 0, 10, "",
           "sentiment change per unit log growth of AI revenue over a year");
    r.real("investors.valuation_sensitivity", AIRACE_FIELD(investors.valuation_sensitivity), 0, 10,
           "1/yr", "sentiment lost per year per log10 of valuation/revenue above the target");
    r.real("investors.revenue_growth_limit", AIRACE_FIELD(investors.revenue_growth_limit), 0, 10,
           "log/yr", "the log growth of AI revenue over the last year, as investors' sentiment "
           "sees it, is clipped to [-limit, limit]");
    r.real("investors.market_revenue_floor_usd", AIRACE_FIELD(investors.market_revenue_floor_usd),
           1, 1e15, "USD/yr", "AI revenue over the last year below this counts as this when "
           "investors weigh the sum of valuations against revenue (the valuation gap)");
    r.real("investors.target_revenue_multiple", AIRACE_FIELD(investors.target_revenue_multiple), 1,
           1e4, "x", "valuation-to-revenue multiple investors tolerate");
    r.real("investors.herding", AIRACE_FIELD(investors.herding), 0, 10, "1/yr",
           "pull toward co-investors' sentiment per year");
    r.real("investors.expectation_adaptation", AIRACE_FIELD(investors.expectation_adaptation), 0,
           10, "1/yr", "rate at which the expected wow follows the observed");
    r.real("investors.sentiment_decay", AIRACE_FIELD(investors.sentiment_decay), 0, 10, "1/yr",
           "pull of sentiment toward neutral per year");
    r.real("investors.portfolio_momentum_sensitivity",
           AIRACE_FIELD(investors.portfolio_momentum_sensitivity), 0, 10, "1/OOM per yr",
           "sentiment change per year per OOM of the stake-weighted momentum of the investor's "
           "labs relative to the frontier");
    r.real("investors.max_sentiment", AIRACE_FIELD(investors.max_sentiment), 0.1, 100, "sentiment",
           "sentiment is kept within [-max_sentiment, max_sentiment] (budgets within "
           "exp(+-elasticity * max_sentiment) of neutral)");
    r.real("investors.softmax_temperature", AIRACE_FIELD(investors.softmax_temperature), 0.01, 100,
           "", "temperature of the softmax over funding requests");
    r.real("investors.gap_weight", AIRACE_FIELD(investors.gap_weight), 0, 100, "1/OOM",
           "deal score per OOM of the lab's capability relative to the frontier (labs behind "
           "score lower)");
    r.real("investors.home_bias", AIRACE_FIELD(investors.home_bias), 0, 100, "score",
           "deal score added for a lab headquartered in the investor's region");
    r.real("investors.sentiment_momentum_weight", AIRACE_FIELD(investors.sentiment_momentum_weight),
           0, 10, "1/OOM per sentiment",
           "weight on a lab's momentum added to the deal score per unit of the investor's "
           "sentiment (bullish investors chase momentum)");
    r.real("investors.overvaluation_weight", AIRACE_FIELD(investors.overvaluation_weight), 0, 100,
           "score per log10", "deal score lost per log10 of the ask's valuation/revenue multiple "
           "above target_revenue_multiple");
    r.real("investors.revenue_floor_usd", AIRACE_FIELD(investors.revenue_floor_usd), 1, 1e15,
           "USD/yr", "a lab's yearly revenue below this counts as this in its ask's revenue multiple");
    r.integer("investors.deals_per_step", AIRACE_FIELD(investors.deals_per_step), 1, 1000, "rounds",
              "an investor joins at most this many rounds per step (its best-scored ones)");
    r.real("investors.min_round_fill", AIRACE_FIELD(investors.min_round_fill), 0, 1, "share",
           "a round filled below this share of the ask fails (above it, it closes with what "
           "was committed)");
    r.real("investors.down_round_elasticity", AIRACE_FIELD(investors.down_round_elasticity), 0, 5,
           "elasticity", "a round filled at a share f < 1 of its ask closes at pre-money * "
           "f^elasticity");
    r.real("investors.dry_powder_years", AIRACE_FIELD(investors.dry_powder_years), 0, 20, "years",
           "budget not invested in a step is carried over (dry powder), up to this many years of "
           "budget");
    r.real("investors.portfolio_return_sensitivity",
           AIRACE_FIELD(investors.portfolio_return_sensitivity), 0, 10, "1/yr",
           "sentiment per year per log of the investor's portfolio value over its cost basis");
    r.real("investors.market_return_sensitivity", AIRACE_FIELD(investors.market_return_sensitivity),
           0, 10, "1/yr", "sentiment per year per log of labs' revenue over the last year at the "
           "return multiple over all capital labs have raised");
    r.real("investors.return_revenue_multiple", AIRACE_FIELD(investors.return_revenue_multiple), 0.1,
           1000, "multiple", "what a dollar of labs' yearly revenue is worth in the market's return on "
           "capital (a mature multiple, below the target multiple rounds are priced at)");
    r.real("investors.return_signal_limit", AIRACE_FIELD(investors.return_signal_limit), 0, 10,
           "log", "both returns (portfolio and market) are seen within +-this");
}

}  // namespace airace::schema
