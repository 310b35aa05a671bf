// The field registry: the single list of scenario keys with their type, range,
// unit and meaning. Validation, --set, --print, the config hash and
// configs/README.md (`airace keys --markdown`) are all derived from it.

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "sim/config.hpp"

namespace airace {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

class Registry {
public:
    template <class Access>
    void real(std::string path, Access access, double min, double max, std::string unit,
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
    }

    template <class Access>
    void integer(std::string path, Access access, double min, double max, std::string unit,
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
    }

    template <class Access>
    void string(std::string path, Access access, bool required, std::string doc) {
        FieldSpec spec = base(std::move(path), FieldType::string, 0, 0, "", std::move(doc));
        spec.required = required;
        spec.set = [access](ScenarioConfig& c, const FieldValue& v) {
            access(c) = std::get<std::string>(v);
        };
        spec.get = [access](const ScenarioConfig& c) {
            return FieldValue(access(const_cast<ScenarioConfig&>(c)));
        };
        fields.push_back(std::move(spec));
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
           "FLOP", "training compute of the model each lab has deployed at the start");
    r.real(prefix + ".initial_cash_usd",
           [at](ScenarioConfig& c) -> double& { return at(c).initial_cash_usd; }, 0, 1e15, "USD",
           "cash at the start");
    r.real(prefix + ".ambition_per_generation",
           [at](ScenarioConfig& c) -> double& { return at(c).ambition_per_generation; }, 1, 1000,
           "x", "next run's target compute as a multiple of the previous run");
    r.real(prefix + ".generation_interval_quarters",
           [at](ScenarioConfig& c) -> double& { return at(c).generation_interval_quarters; }, 1,
           40, "quarters", "quarters between the starts of successive training runs");
    r.real(prefix + ".opex_usd_per_quarter",
           [at](ScenarioConfig& c) -> double& { return at(c).opex_usd_per_quarter; }, 0, 1e13,
           "USD/quarter", "staff and overhead at the start");
    r.real(prefix + ".opex_growth_per_year",
           [at](ScenarioConfig& c) -> double& { return at(c).opex_growth_per_year; }, 0.5, 10,
           "x/yr", "yearly growth factor of opex");
    r.real(prefix + ".budget_share",
           [at](ScenarioConfig& c) -> double& { return at(c).budget_share; }, 0.01, 1, "share",
           "share of cash plus expected funding one training run may take");
}

void investor_type_fields(Registry& r, const std::string& prefix,
                          InvestorTypeConfig InvestorsConfig::*member) {
    auto at = [member](ScenarioConfig& c) -> InvestorTypeConfig& { return c.investors.*member; };
    r.real(prefix + ".aum_usd", [at](ScenarioConfig& c) -> double& { return at(c).aum_usd; }, 0,
           1e16, "USD", "assets under management (or yearly investable cash flow) at the start");
    r.real(prefix + ".aum_growth_per_year",
           [at](ScenarioConfig& c) -> double& { return at(c).aum_growth_per_year; }, 0.5, 3,
           "x/yr", "yearly growth factor of assets");
    r.real(prefix + ".ai_share", [at](ScenarioConfig& c) -> double& { return at(c).ai_share; }, 0,
           1, "share/yr", "share of assets put into AI per year at neutral sentiment");
}

void region_fields(Registry& r, Region region) {
    const std::string prefix = fmt::format("regions.{}", region_key(region));
    auto at = [region](ScenarioConfig& c) -> RegionConfig& { return c.regions[region]; };
    r.real(prefix + ".lab_share", [at](ScenarioConfig& c) -> double& { return at(c).lab_share; },
           0, 1, "share", "share of labs headquartered in the region");
    r.real(prefix + ".compute_share",
           [at](ScenarioConfig& c) -> double& { return at(c).compute_share; }, 0, 1, "share",
           "share of compute providers' capacity located in the region");
    r.real(prefix + ".investor_share",
           [at](ScenarioConfig& c) -> double& { return at(c).investor_share; }, 0, 1, "share",
           "share of investors based in the region");
    r.real(prefix + ".base_stringency",
           [at](ScenarioConfig& c) -> double& { return at(c).base_stringency; }, 0, 1, "index",
           "regulator's stringency when nothing pushes it");
}

std::vector<FieldSpec> build_registry() {
    Registry r;
    // scenario
    r.string("scenario.name", AIRACE_FIELD(scenario.name), true,
             "short identifier of the scenario (required)");
    r.string("scenario.description", AIRACE_FIELD(scenario.description), false,
             "the question the scenario asks");
    r.integer("scenario.seed", AIRACE_FIELD(scenario.seed), 0, 9.0e15, "",
              "default run seed; --seed overrides");
    // time
    r.integer("time.start_year", AIRACE_FIELD(time.start_year), 2000, 2100, "year",
              "first simulated year");
    r.integer("time.end_year", AIRACE_FIELD(time.end_year), 2001, 2200, "year",
              "year the run stops (exclusive)");
    r.integer("time.steps_per_year", AIRACE_FIELD(time.steps_per_year), 1, 12, "steps/yr",
              "steps per year (4: quarters)");
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
           "start-ups' algorithmic efficiency relative to the field at the start");
    r.real("algorithms.diffusion_per_year", AIRACE_FIELD(algorithms.diffusion_per_year), 0, 10,
           "1/yr", "share of the log-gap to the field's efficiency closed per year");
    r.real("algorithms.rd_share_of_opex", AIRACE_FIELD(algorithms.rd_share_of_opex), 0, 1, "share",
           "share of opex spent on R&D");
    r.real("algorithms.rd_boost_per_log10_usd", AIRACE_FIELD(algorithms.rd_boost_per_log10_usd), 0,
           1, "share", "share of the field's efficiency growth a lab gains per log10 of its R&D spend above $100M/yr (half the field's rate at $100M/yr)");
    // compute
    r.integer("compute.providers", AIRACE_FIELD(compute.providers), 1, 1e6, "agents",
              "number of compute providers");
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
           "capacity of all modelled providers at the start");
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
    r.real("compute.capacity_headroom", AIRACE_FIELD(compute.capacity_headroom), 0, 5, "share",
           "capacity providers build above last quarter's demand");
    // labs
    r.integer("labs.count", AIRACE_FIELD(labs.count), 1, 1e7, "agents", "number of labs");
    r.integer("labs.frontier_count", AIRACE_FIELD(labs.frontier_count), 0, 1e7, "agents",
              "how many of the labs are frontier labs (the rest are start-ups)");
    lab_type_fields(r, "labs.frontier", &LabsConfig::frontier);
    lab_type_fields(r, "labs.startup", &LabsConfig::startup);
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
    // investors
    r.integer("investors.count", AIRACE_FIELD(investors.count), 1, 1e8, "agents",
              "number of investors");
    r.integer("investors.corporate_count", AIRACE_FIELD(investors.corporate_count), 0, 1e8,
              "agents", "how many investors are big-tech corporates (the rest are venture funds)");
    investor_type_fields(r, "investors.corporate", &InvestorsConfig::corporate);
    investor_type_fields(r, "investors.venture", &InvestorsConfig::venture);
    r.real("investors.sentiment_budget_elasticity",
           AIRACE_FIELD(investors.sentiment_budget_elasticity), 0, 10, "1/sentiment",
           "AI budget multiplies by exp(elasticity * sentiment)");
    r.real("investors.initial_expected_wow", AIRACE_FIELD(investors.initial_expected_wow), 0, 10,
           "OOM/yr", "expected yearly gain of frontier capability at the start");
    r.real("investors.wow_sensitivity", AIRACE_FIELD(investors.wow_sensitivity), 0, 10,
           "1/OOM", "sentiment change per OOM of capability surprise");
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
    r.real("investors.softmax_temperature", AIRACE_FIELD(investors.softmax_temperature), 0.01, 100,
           "", "temperature of the softmax over funding requests");
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
           "adoption at the start");
    r.real("product.share_temperature", AIRACE_FIELD(product.share_temperature), 0.01, 100,
           "score points", "score difference for an e-fold in revenue share (logit)");
    r.real("product.tokens_per_quarter_full_adoption_2024",
           AIRACE_FIELD(product.tokens_per_quarter_full_adoption_2024), 0, 1e25, "tokens/quarter",
           "tokens served per quarter at full adoption in 2024");
    r.real("product.token_growth_per_year", AIRACE_FIELD(product.token_growth_per_year), 0.5, 100,
           "x/yr", "growth of token use per adopter");
    // data
    r.integer("data.providers", AIRACE_FIELD(data.providers), 0, 1e7, "agents",
              "number of data providers");
    r.real("data.human_stock_tokens_2024", AIRACE_FIELD(data.human_stock_tokens_2024), 1e9, 1e20,
           "tokens", "stock of public human text in 2024 (Villalobos et al. 2024)");
    r.real("data.stock_growth_per_year", AIRACE_FIELD(data.stock_growth_per_year), 0, 1, "share/yr",
           "yearly growth of the human text stock");
    r.real("data.open_share", AIRACE_FIELD(data.open_share), 0, 1, "share",
           "share of the stock crawlable without a licence");
    for (int i = 0; i < region_count; ++i) region_fields(r, static_cast<Region>(i));
    return r.fields;
}

}  // namespace

const std::vector<FieldSpec>& scenario_fields() {
    static const std::vector<FieldSpec> fields = build_registry();
    return fields;
}

const FieldSpec* find_field(const std::string& path) {
    for (const auto& spec : scenario_fields())
        if (spec.path == path) return &spec;
    return nullptr;
}

}  // namespace airace
