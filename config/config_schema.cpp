// The field registry: the single list of scenario keys with their type, range,
// unit and meaning. Validation, --set, --print, the config hash and
// configs/README.md (`airace keys --markdown`) are all derived from it.

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "config/config.hpp"

namespace airace {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// What a registration returns: `.start_only()` flags a key that is read only
// when the world is built (agent counts, initial values, traits drawn at the
// start), so a fork from a saved run refuses to change it.
struct Added {
    FieldSpec& spec;
    void start_only() { spec.start_only = true; }
};

class Registry {
public:
    template <class Access>
    Added real(std::string path, Access access, double min, double max, std::string unit,
              std::string doc) {
        FieldSpec spec = base(std::move(path), FieldType::real, min, max, std::move(unit),
                              std::move(doc));
        spec.set = [access](ScenarioConfig& c, const FieldValue& v) {
            access(c) = std::get<double>(v);
        };
        spec.get = [access](const ScenarioConfig& c) {
            return FieldValue(static_cast<double>(access(const_cast<ScenarioConfig&>(c))));
        };
        fields.push_back(std::move(spec));
        return Added{fields.back()};
    }

    template <class Access>
    Added integer(std::string path, Access access, double min, double max, std::string unit,
                 std::string doc) {
        FieldSpec spec = base(std::move(path), FieldType::integer, min, max, std::move(unit),
                              std::move(doc));
        spec.set = [access](ScenarioConfig& c, const FieldValue& v) {
            using T = std::remove_reference_t<decltype(access(c))>;
            access(c) = static_cast<T>(std::get<std::int64_t>(v));
        };
        spec.get = [access](const ScenarioConfig& c) {
            return FieldValue(
                static_cast<std::int64_t>(access(const_cast<ScenarioConfig&>(c))));
        };
        fields.push_back(std::move(spec));
        return Added{fields.back()};
    }

    template <class Access>
    Added string(std::string path, Access access, bool required, std::string doc) {
        FieldSpec spec = base(std::move(path), FieldType::string, 0, 0, "", std::move(doc));
        spec.required = required;
        spec.set = [access](ScenarioConfig& c, const FieldValue& v) {
            access(c) = std::get<std::string>(v);
        };
        spec.get = [access](const ScenarioConfig& c) {
            return FieldValue(access(const_cast<ScenarioConfig&>(c)));
        };
        fields.push_back(std::move(spec));
        return Added{fields.back()};
    }

    template <class Access>
    Added choice(std::string path, Access access, std::vector<std::string> choices,
                std::string doc) {
        FieldSpec spec = base(std::move(path), FieldType::choice, 0, 0, "", std::move(doc));
        spec.choices = std::move(choices);
        spec.set = [access](ScenarioConfig& c, const FieldValue& v) {
            access(c) = std::get<std::string>(v);
        };
        spec.get = [access](const ScenarioConfig& c) {
            return FieldValue(access(const_cast<ScenarioConfig&>(c)));
        };
        fields.push_back(std::move(spec));
        return Added{fields.back()};
    }

    template <class Access>
    Added boolean(std::string path, Access access, std::string doc) {
        FieldSpec spec = base(std::move(path), FieldType::boolean, 0, 0, "", std::move(doc));
        spec.set = [access](ScenarioConfig& c, const FieldValue& v) {
            access(c) = std::get<bool>(v);
        };
        spec.get = [access](const ScenarioConfig& c) {
            return FieldValue(static_cast<bool>(access(const_cast<ScenarioConfig&>(c))));
        };
        fields.push_back(std::move(spec));
        return Added{fields.back()};
    }

    std::vector<FieldSpec> fields;

private:
    static FieldSpec base(std::string path, FieldType type, double min, double max,
                          std::string unit, std::string doc) {
        FieldSpec spec;
        spec.path = std::move(path);
        spec.type = type;
        spec.min = min;
        spec.max = max;
        spec.unit = std::move(unit);
        spec.doc = std::move(doc);
        return spec;
    }
};

#define AIRACE_FIELD(member) [](ScenarioConfig& c) -> auto& { return c.member; }

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

void region_fields(Registry& r, Region region) {
    const std::string prefix = fmt::format("regions.{}", region_key(region));
    auto at = [region](ScenarioConfig& c) -> RegionConfig& { return c.regions[region]; };
    r.real(prefix + ".lab_share", [at](ScenarioConfig& c) -> double& { return at(c).lab_share; },
           0, 1, "share", "share of labs headquartered in the region").start_only();
    r.real(prefix + ".compute_share",
           [at](ScenarioConfig& c) -> double& { return at(c).compute_share; }, 0, 1, "share",
           "share of compute providers' capacity located in the region").start_only();
    r.real(prefix + ".investor_share",
           [at](ScenarioConfig& c) -> double& { return at(c).investor_share; }, 0, 1, "share",
           "share of investors based in the region").start_only();
    r.real(prefix + ".power_gw_2020", [at](ScenarioConfig& c) -> double& { return at(c).power_gw_2020; },
           0, 1e5, "GW", "power available to AI data centres in the region in 2020").start_only();
    r.real(prefix + ".power_growth_per_year",
           [at](ScenarioConfig& c) -> double& { return at(c).power_growth_per_year; }, 1, 10, "x/yr",
           "fastest yearly growth of that power (grid connections, build-out)");
}

const std::vector<std::string> region_keys = {"us", "eu", "cn"};

void regulator_fields(Registry& r, Region region) {
    const std::string p = fmt::format("regulators.{}", region_key(region));
    auto at = [region](ScenarioConfig& c) -> RegulatorConfig& { return c.regulators[region]; };
#define REG(field) [at](ScenarioConfig& c) -> auto& { return at(c).field; }
    r.real(p + ".base_stringency", REG(base_stringency), 0, 1, "index 0-1",
           "stringency when nothing pushes it").start_only();
    r.real(p + ".concern_weight", REG(concern_weight), 0, 10, "index per concern",
           "stringency added per unit of public concern");
    r.real(p + ".lobbying_weight", REG(lobbying_weight), 0, 10, "index per log10 USD",
           "stringency removed per log10 of labs' lobbying per year above the reference");
    r.real(p + ".lobbying_reference_usd_per_year", REG(lobbying_reference_usd_per_year), 1, 1e15,
           "USD/yr", "labs' lobbying per year below which it moves nothing");
    r.real(p + ".adjustment_per_year", REG(adjustment_per_year), 0, 100, "1/yr",
           "speed of stringency toward its target");
    r.real(p + ".legislative_delay_quarters", REG(legislative_delay_quarters), 0, 40, "quarters",
           "time an instrument's threshold must hold before it switches on or off");
    r.real(p + ".compute_threshold_flop", REG(compute_threshold_flop), 1e15, 1e40, "FLOP",
           "runs above this need approval and compliance (EU 1e25, US EO 1e26)");
    r.real(p + ".compute_threshold_on", REG(compute_threshold_on), 0, 2, "index",
           "stringency at which the compute threshold switches on (above 1: never)");
    r.real(p + ".compliance_fixed_usd", REG(compliance_fixed_usd), 0, 1e13, "USD",
           "fixed compliance cost of a run above the threshold");
    r.real(p + ".compliance_share", REG(compliance_share), 0, 10, "share",
           "compliance cost as a share of the run's cost");
    r.real(p + ".approval_delay_quarters", REG(approval_delay_quarters), 0, 40, "quarters",
           "wait for approval before a run above the threshold starts");
    r.real(p + ".training_cap_flop", REG(training_cap_flop), 1e15, 1e40, "FLOP",
           "largest run allowed once the cap is on (moratorium)");
    r.real(p + ".training_cap_on", REG(training_cap_on), 0, 2, "index",
           "stringency at which the training cap switches on");
    r.real(p + ".copyright_usable_share", REG(copyright_usable_share), 0, 1, "share",
           "share of open data legally usable for training under the strict regime");
    r.real(p + ".copyright_on", REG(copyright_on), 0, 2, "index",
           "stringency at which the strict copyright regime switches on");
    r.real(p + ".power_permitting_gw_per_year", REG(power_permitting_gw_per_year), 0, 1e5, "GW/yr",
           "cap on new AI data-centre power per year once permitting is on");
    r.real(p + ".power_permitting_on", REG(power_permitting_on), 0, 2, "index",
           "stringency at which power permitting switches on");
    r.real(p + ".export_control_share", REG(export_control_share), 0, 1, "share",
           "share of the target region's chip supply barred by export controls");
    r.real(p + ".export_controls_on", REG(export_controls_on), 0, 2, "index",
           "stringency at which export controls switch on");
    r.choice(p + ".export_control_target", REG(export_control_target), {"none", "us", "eu", "cn"},
             "region whose chip supply export controls bar");
    r.real(p + ".fine_share_of_revenue", REG(fine_share_of_revenue), 0, 1, "share",
           "fine as a share of world revenue (EU AI Act: 3%)");
    r.real(p + ".fine_floor_usd", REG(fine_floor_usd), 0, 1e13, "USD", "smallest fine");
    r.real(p + ".detection_probability", REG(detection_probability), 0, 1, "probability",
           "chance an evading run is caught");
#undef REG
}

std::vector<FieldSpec> build_registry() {
    Registry r;
    // scenario
    r.string("scenario.name", AIRACE_FIELD(scenario.name), true,
             "short identifier of the scenario (required)");
    r.string("scenario.description", AIRACE_FIELD(scenario.description), false,
             "the question the scenario asks");
    r.integer("scenario.seed", AIRACE_FIELD(scenario.seed), 0, 9.0e15, "",
              "default run seed; --seed overrides").start_only();
    // time
    r.integer("time.start_year", AIRACE_FIELD(time.start_year), 2000, 2100, "year",
              "first simulated year").start_only();
    r.integer("time.end_year", AIRACE_FIELD(time.end_year), 2001, 2200, "year",
              "year the run stops (exclusive)").start_only();
    r.integer("time.steps_per_year", AIRACE_FIELD(time.steps_per_year), 1, 12, "steps/yr",
              "steps per year (4: quarters)").start_only();
    // scaling
    r.real("scaling.loss_e", AIRACE_FIELD(scaling.loss_e), 0, 10, "nats/token",
           "irreducible loss E (Besiroglu et al. 2024)");
    r.real("scaling.loss_a", AIRACE_FIELD(scaling.loss_a), 1e-6, 1e6, "", "parameter coefficient A");
    r.real("scaling.loss_b", AIRACE_FIELD(scaling.loss_b), 1e-6, 1e6, "", "data coefficient B");
    r.real("scaling.alpha", AIRACE_FIELD(scaling.alpha), 0.01, 2, "", "parameter exponent alpha");
    r.real("scaling.beta", AIRACE_FIELD(scaling.beta), 0.01, 2, "", "data exponent beta");
    r.real("scaling.repetition_rstar", AIRACE_FIELD(scaling.repetition_rstar), 0.1, 1000,
           "epochs", "decay constant R* of the value of repeated data (Muennighoff et al.)");
    r.real("scaling.score_k50", AIRACE_FIELD(scaling.score_k50), 10, 50, "log10 FLOP",
           "capability index at which the benchmark-like score is 50");
    r.real("scaling.score_width", AIRACE_FIELD(scaling.score_width), 0.05, 10, "OOM",
           "logistic width of the score in kappa");
    r.real("scaling.reasoning_start_year", AIRACE_FIELD(scaling.reasoning_start_year), 1900,
           2200, "year", "date from which labs can use test-time compute (reasoning)");
    r.real("scaling.reasoning_kappa_per_log10", AIRACE_FIELD(scaling.reasoning_kappa_per_log10),
           0, 5, "OOM per log10 m", "capability gained per 10x serving compute");
    r.real("scaling.reasoning_max_kappa", AIRACE_FIELD(scaling.reasoning_max_kappa), 0, 5, "OOM",
           "cap on the reasoning gain (Snell et al. 2024: ~14x training compute)");
    r.real("scaling.reasoning_intensity", AIRACE_FIELD(scaling.reasoning_intensity), 1, 1e4, "x",
           "serving FLOP multiplier m used once reasoning is available");
    // algorithms
    r.real("algorithms.frontier_growth_per_year", AIRACE_FIELD(algorithms.frontier_growth_per_year),
           1, 100, "x/yr", "growth of the field's algorithmic efficiency (Ho et al. 2024)");
    r.real("algorithms.initial_gap", AIRACE_FIELD(algorithms.initial_gap), 0.001, 1, "share",
           "start-ups' algorithmic efficiency relative to the field at the start").start_only();
    r.real("algorithms.diffusion_per_year", AIRACE_FIELD(algorithms.diffusion_per_year), 0, 10,
           "1/yr", "share of the log-gap to the field's efficiency closed per year");
    r.real("algorithms.rd_share_of_opex", AIRACE_FIELD(algorithms.rd_share_of_opex), 0, 1, "share",
           "share of opex spent on R&D");
    r.real("algorithms.rd_boost_per_log10_usd", AIRACE_FIELD(algorithms.rd_boost_per_log10_usd), 0,
           1, "share", "share of the field's efficiency growth a lab gains per log10 of its R&D spend above $100M/yr (half the field's rate at $100M/yr)");
    // compute
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
    r.real("compute.base_markup", AIRACE_FIELD(compute.base_markup), 0, 10, "share",
           "markup on unit cost of the first capacity tranche");
    r.real("compute.scarcity_markup", AIRACE_FIELD(compute.scarcity_markup), 0, 100, "share",
           "additional markup of the last capacity tranche (price rises with utilisation)");
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
    r.real("compute.capacity_headroom", AIRACE_FIELD(compute.capacity_headroom), 0, 5, "share",
           "capacity providers build above last quarter's demand");
    r.real("compute.demand_growth_floor", AIRACE_FIELD(compute.demand_growth_floor), 0.01, 1,
           "x/yr", "slowest trailing growth of demand a provider extrapolates when it plans capacity");
    r.real("compute.demand_growth_cap", AIRACE_FIELD(compute.demand_growth_cap), 1, 1000, "x/yr",
           "fastest trailing growth of demand a provider extrapolates when it plans capacity");
    r.real("compute.initial_utilisation", AIRACE_FIELD(compute.initial_utilisation), 0, 1, "share",
           "share of capacity sold (and demanded) at the start, the base of providers' first plans")
        .start_only();
    // labs
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
    r.integer("labs.run_quarters", AIRACE_FIELD(labs.run_quarters), 1, 20, "quarters",
              "planned duration of a training run");
    r.real("labs.runway_target_quarters", AIRACE_FIELD(labs.runway_target_quarters), 0, 100,
           "quarters", "labs ask for funding when cash covers fewer quarters of plans");
    r.real("labs.funding_horizon_quarters", AIRACE_FIELD(labs.funding_horizon_quarters), 1, 100,
           "quarters", "a funding request covers this many quarters of planned spending");
    r.real("labs.bid_premium", AIRACE_FIELD(labs.bid_premium), 0, 100, "share",
           "training bids go up to the expected price times (1 + premium)");
    r.real("labs.min_generation_gain", AIRACE_FIELD(labs.min_generation_gain), 1, 1000, "x",
           "a run smaller than this multiple of the previous one is postponed");
    r.real("labs.max_serving_cost_share", AIRACE_FIELD(labs.max_serving_cost_share), 0, 10,
           "share", "labs buy serving compute up to this share of the revenue it brings");
    r.real("labs.opex_revenue_share", AIRACE_FIELD(labs.opex_revenue_share), 0, 10, "share",
           "opex grows with the business: each step adds this share of the step's revenue");
    r.real("labs.max_round_dilution", AIRACE_FIELD(labs.max_round_dilution), 0.01, 0.9, "share",
           "a round sells at most this share of the company: a lab counts on raising up to "
           "valuation * d / (1 - d) when it sizes a run, and asks at a pre-money of at least "
           "ask * (1 - d) / d");
    r.real("labs.serving_bid_cost_multiple", AIRACE_FIELD(labs.serving_bid_cost_multiple), 1, 1e6,
           "x unit cost", "limit price of serving bids, as a multiple of the compute's unit cost "
           "(serving must happen, so it is bid far above cost)");
    // investors
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
           "a round filled below this share of the ask fails");
    // product
    r.real("product.addressable_spend_usd_2020", AIRACE_FIELD(product.addressable_spend_usd_2020),
           0, 1e16, "USD/yr", "yearly spend AI could capture at full adoption in 2020");
    r.real("product.addressable_growth_per_year", AIRACE_FIELD(product.addressable_growth_per_year),
           0.5, 3, "x/yr", "growth of the addressable spend");
    r.real("product.bass_p", AIRACE_FIELD(product.bass_p), 0, 10, "1/yr",
           "Bass innovation coefficient");
    r.real("product.bass_q", AIRACE_FIELD(product.bass_q), 0, 10, "1/yr",
           "Bass imitation coefficient");
    r.real("product.max_adoption", AIRACE_FIELD(product.max_adoption), 0, 1, "share",
           "adoption ceiling when the best score is 100");
    r.real("product.initial_adoption", AIRACE_FIELD(product.initial_adoption), 0, 1, "share",
           "adoption at the start").start_only();
    r.real("product.share_temperature", AIRACE_FIELD(product.share_temperature), 0.01, 100,
           "score points", "score difference for an e-fold in revenue share (logit)");
    r.real("product.tokens_per_quarter_full_adoption_2024",
           AIRACE_FIELD(product.tokens_per_quarter_full_adoption_2024), 0, 1e25, "tokens/quarter",
           "tokens served per quarter at full adoption in 2024");
    r.real("product.token_growth_per_year", AIRACE_FIELD(product.token_growth_per_year), 0.5, 100,
           "x/yr", "growth of token use per adopter");
    // data
    r.integer("data.providers", AIRACE_FIELD(data.providers), 0, 1e7, "agents",
              "number of data providers").start_only();
    r.real("data.human_stock_tokens_2024", AIRACE_FIELD(data.human_stock_tokens_2024), 1e9, 1e20,
           "tokens", "stock of public human text in 2024 (Villalobos et al. 2024)");
    r.real("data.stock_growth_per_year", AIRACE_FIELD(data.stock_growth_per_year), 0, 1, "share/yr",
           "yearly growth of the human text stock");
    r.real("data.open_share", AIRACE_FIELD(data.open_share), 0, 1, "share",
           "share of the stock crawlable without a licence").start_only();
    r.real("data.closing_rate_per_year", AIRACE_FIELD(data.closing_rate_per_year), 0, 10, "1/yr",
           "share of open data that closes per year under full pressure (Longpre et al. 2024)");
    r.real("data.closing_demand_reference", AIRACE_FIELD(data.closing_demand_reference), 1e-6, 100,
           "share", "frontier data use as a share of the stock at which AI pressure on providers is 1");
    r.real("data.licence_price_usd_per_token_2024", AIRACE_FIELD(data.licence_price_usd_per_token_2024),
           0, 1, "USD/token", "licence price at the start (Reddit-Google ~$60M/yr)").start_only();
    r.real("data.price_adjustment_per_year", AIRACE_FIELD(data.price_adjustment_per_year), 0, 100,
           "1/yr", "speed at which licence prices follow demand");
    r.real("data.price_neutral_demand_share", AIRACE_FIELD(data.price_neutral_demand_share), 0, 100,
           "share", "licence demand, as a share of a provider's closed tokens, at which its price "
           "holds steady (more demand raises it, less lowers it)");
    r.real("data.price_signal_floor", AIRACE_FIELD(data.price_signal_floor), -100, 0, "share",
           "lower bound of the demand signal (demand / closed tokens - neutral share): the fastest "
           "fall of prices is exp(price_adjustment_per_year * floor) a year");
    r.real("data.price_signal_cap", AIRACE_FIELD(data.price_signal_cap), 0, 100, "share",
           "upper bound of the demand signal: the fastest rise of prices is "
           "exp(price_adjustment_per_year * cap) a year");
    r.real("data.licence_budget_share", AIRACE_FIELD(data.licence_budget_share), 0, 1, "share",
           "share of a run's budget labs may spend on licences");
    r.real("data.exclusive_premium", AIRACE_FIELD(data.exclusive_premium), 1, 1000, "x",
           "an exclusive deal costs this multiple of a licence");
    r.real("data.exclusive_min_cash_usd", AIRACE_FIELD(data.exclusive_min_cash_usd), 0, 1e16, "USD",
           "labs with more cash than this seek exclusive deals");
    r.real("data.stock_share_spread", AIRACE_FIELD(data.stock_share_spread), 0, 3, "log-sd",
           "spread across providers of their shares of the human text stock (drawn at the start)")
        .start_only();
    r.real("data.quality_spread", AIRACE_FIELD(data.quality_spread), 0, 3, "log-sd",
           "spread across providers of the mean-one quality weight (better sources close first "
           "and cost more; drawn at the start)")
        .start_only();
    // synthetic data
    r.choice("synthetic.mode", AIRACE_FIELD(synthetic.mode), {"off", "accumulate", "replace"},
             "how labs use synthetic data: off, accumulate (added to human data) or replace "
             "(displacing it)");
    r.real("synthetic.start_year", AIRACE_FIELD(synthetic.start_year), 1900, 2200, "year",
           "first year labs train on synthetic data");
    r.real("synthetic.quality", AIRACE_FIELD(synthetic.quality), 0, 1, "human tokens/token",
           "value of a synthetic token relative to a human one");
    r.real("synthetic.max_share", AIRACE_FIELD(synthetic.max_share), 0, 1, "share",
           "largest synthetic share of effective training tokens");
    r.real("synthetic.collapse_penalty", AIRACE_FIELD(synthetic.collapse_penalty), 0, 10,
           "per unit share", "relative increase of the reducible loss per unit synthetic share per "
           "generation (compounds under replace)");
    r.real("synthetic.replace_share", AIRACE_FIELD(synthetic.replace_share), 0, 1, "share",
           "replace mode: share of the human data displaced by synthetic data");
    // labs and regulation
    r.real("labs.compliance_propensity", AIRACE_FIELD(labs.compliance_propensity), 0, 1, "probability",
           "mean probability that a lab complies with oversight rather than evades").start_only();
    r.real("labs.relocation_cost_share", AIRACE_FIELD(labs.relocation_cost_share), 0, 10, "share",
           "extra cost of training in another jurisdiction");
    r.real("labs.relocation_min_gain", AIRACE_FIELD(labs.relocation_min_gain), 1, 1000, "x",
           "a lab capped at home trains abroad only if the run it can afford there is at least "
           "this multiple of the run allowed at home");
    r.real("labs.safety_share_of_opex", AIRACE_FIELD(labs.safety_share_of_opex), 0, 1, "share",
           "mean share of opex spent on safety (lowers incident hazard)").start_only();
    r.real("labs.lobbying_share_of_opex", AIRACE_FIELD(labs.lobbying_share_of_opex), 0, 1, "share",
           "share of opex spent lobbying the home regulator").start_only();
    for (int i = 0; i < region_count; ++i) region_fields(r, static_cast<Region>(i));
    for (int i = 0; i < region_count; ++i) regulator_fields(r, static_cast<Region>(i));
    // incidents and public concern
    r.real("incidents.base_rate_per_year", AIRACE_FIELD(incidents.base_rate_per_year), 0, 100, "1/yr",
           "incident hazard per lab at the reference capability");
    r.real("incidents.reference_kappa", AIRACE_FIELD(incidents.reference_kappa), 10, 60, "kappa",
           "capability at which the hazard is the base rate");
    r.real("incidents.capability_elasticity", AIRACE_FIELD(incidents.capability_elasticity), 0, 10,
           "log hazard/OOM", "growth of log hazard per OOM of capability");
    r.real("incidents.safety_effect", AIRACE_FIELD(incidents.safety_effect), 0, 1, "share",
           "hazard removed by safety spending at 10% of opex");
    r.real("incidents.concern_per_incident", AIRACE_FIELD(incidents.concern_per_incident), 0, 10,
           "concern", "public concern added in the lab's region by an incident");
    r.real("incidents.concern_spillover", AIRACE_FIELD(incidents.concern_spillover), 0, 1, "share",
           "share of that concern added in the other regions");
    r.real("incidents.concern_decay_per_year", AIRACE_FIELD(incidents.concern_decay_per_year), 0, 100,
           "1/yr", "decay of incident-driven concern");
    r.real("incidents.capability_concern_per_oom", AIRACE_FIELD(incidents.capability_concern_per_oom),
           0, 10, "concern/OOM", "concern per OOM of frontier capability above the reference");
    r.real("incidents.capability_concern_reference",
           AIRACE_FIELD(incidents.capability_concern_reference), 10, 60, "kappa",
           "frontier capability above which capability itself worries the public");
    return r.fields;
}

// Item fields of the list sections, bound to item `index`; setting one grows
// the list to index + 1 items.
std::vector<FieldSpec> build_list_item_fields(const std::string& list, std::size_t index) {
    Registry r;
    const std::string p = fmt::format("{}.{}", list, index);
    if (list == "influencers") {
        auto at = [index](ScenarioConfig& c) -> InfluencerConfig& {
            if (c.influencers.size() <= index) c.influencers.resize(index + 1);
            return c.influencers[index];
        };
#define INF(field) [at](ScenarioConfig& c) -> auto& { return at(c).field; }
        r.string(p + ".name", INF(name), true, "who the influencer is");
        r.real(p + ".stance", INF(stance), -1, 1, "-1..1", "-1 pushes deregulation, +1 restriction");
        r.real(p + ".start_year", INF(start_year), 1900, 2200, "year", "start of the active period");
        r.real(p + ".end_year", INF(end_year), 1900, 2200, "year", "end of the active period");
        for (int k = 0; k < region_count; ++k)
            r.real(fmt::format("{}.weight.{}", p, region_keys[static_cast<std::size_t>(k)]),
                   [at, k](ScenarioConfig& c) -> double& { return at(c).weight[static_cast<std::size_t>(k)]; },
                   0, 1, "index", "stringency moved per unit stance at this regulator");
#undef INF
    } else if (list == "policy_events") {
        auto at = [index](ScenarioConfig& c) -> PolicyEventConfig& {
            if (c.policy_events.size() <= index) c.policy_events.resize(index + 1);
            return c.policy_events[index];
        };
#define EV(field) [at](ScenarioConfig& c) -> auto& { return at(c).field; }
        r.real(p + ".year", EV(year), 1900, 2200, "year", "date it takes effect (decimal year)");
        r.choice(p + ".regulator", EV(regulator), region_keys, "the regulator (us, eu, cn)");
        r.choice(p + ".instrument", EV(instrument), policy_instruments(),
                 "the instrument it sets");
        r.real(p + ".value", EV(value), -1e40, 1e40, "instrument's unit",
               "the instrument's value (FLOP, share, GW/yr, or stringency)");
        r.boolean(p + ".enabled", EV(enabled), "false repeals the instrument");
        r.string(p + ".note", EV(note), false, "what the event is (for people)");
#undef EV
    }
    return r.fields;
}

}  // namespace

const std::vector<std::string>& policy_instruments() {
    static const std::vector<std::string> names = {
        "compute_threshold_flop", "training_cap_flop",   "copyright_usable_share",
        "power_permitting_gw_per_year", "export_control_share", "stringency"};
    return names;
}

const std::vector<FieldSpec>& scenario_fields() {
    static const std::vector<FieldSpec> fields = build_registry();
    return fields;
}

const std::vector<std::string>& list_sections() {
    static const std::vector<std::string> names = {"influencers", "policy_events"};
    return names;
}

std::vector<FieldSpec> list_item_fields(const std::string& list, std::size_t index) {
    return build_list_item_fields(list, index);
}

std::size_t list_size(const ScenarioConfig& config, const std::string& list) {
    if (list == "influencers") return config.influencers.size();
    if (list == "policy_events") return config.policy_events.size();
    return 0;
}

std::optional<FieldSpec> find_field(const std::string& path) {
    for (const auto& spec : scenario_fields())
        if (spec.path == path) return spec;
    for (const auto& list : list_sections()) {
        if (path.compare(0, list.size() + 1, list + ".") != 0) continue;
        const std::size_t dot = path.find('.', list.size() + 1);
        if (dot == std::string::npos) return std::nullopt;
        const std::string digits = path.substr(list.size() + 1, dot - list.size() - 1);
        if (digits.empty() || digits.size() > 6 ||
            digits.find_first_not_of("0123456789") != std::string::npos)
            return std::nullopt;
        for (auto& spec : list_item_fields(list, std::stoul(digits)))
            if (spec.path == path) return spec;
    }
    return std::nullopt;
}

}  // namespace airace
