// Keys of the product market, data and synthetic data, regions, regulation
// and incidents (registration order is the registry's order).

#include <fmt/format.h>

#include "config/schema_registry.hpp"

namespace airace::schema {
namespace {

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
    r.real(prefix + ".power_lead_time_years",
           [at](ScenarioConfig& c) -> double& { return at(c).power_lead_time_years; }, 0.25, 30,
           "years", "time constant with which power for AI data centres follows what they want "
           "(grid connections, generation, permits)");
}

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
    r.real(p + ".law_repeal_stringency", REG(law_repeal_stringency), 0, 1, "index",
           "a law in force (an instrument a policy event set and holds) is repealed once "
           "stringency has stayed below this for the legislative delay (0: laws hold)");
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
    r.boolean(p + ".training_cap_effective", REG(training_cap_effective),
              "the training cap counts effective compute (a run's FLOP times its lab's algorithmic "
              "efficiency), so the FLOP it allows shrink as algorithms improve");
    r.real(p + ".compliance_stringency_slope", REG(compliance_stringency_slope), 0, 100,
           "per unit stringency", "compliance cost and approval delay are multiplied by 1 + this "
           "times how far stringency is above the compute threshold's switch-on level");
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

void product_fields(Registry& r) {
    r.real("product.addressable_spend_usd_2020", AIRACE_FIELD(product.addressable_spend_usd_2020),
           0, 1e16, "USD/yr",
           "yearly spend on the tasks AI could do in 2020, were every firm to adopt it and every task doable");
    r.real("product.addressable_growth_per_year", AIRACE_FIELD(product.addressable_growth_per_year),
           0.5, 3, "x/yr", "growth of the addressable spend");
    r.real("product.bass_p", AIRACE_FIELD(product.bass_p), 0, 10, "1/yr",
           "Bass innovation coefficient");
    r.real("product.bass_q", AIRACE_FIELD(product.bass_q), 0, 10, "1/yr",
           "Bass imitation coefficient");
    r.real("product.max_adoption", AIRACE_FIELD(product.max_adoption), 0, 1, "share",
           "adoption ceiling once the tasks firms start with are all doable");
    r.real("product.initial_adoption", AIRACE_FIELD(product.initial_adoption), 0, 1, "share",
           "adoption at the start").start_only();
    r.real("product.adoption_kappa_lead", AIRACE_FIELD(product.adoption_kappa_lead), 0, 20, "OOM",
           "how much easier than the median task the tasks are for which firms first adopt AI");
    r.real("product.share_kappa_temperature", AIRACE_FIELD(product.share_kappa_temperature), 0.01,
           10, "OOM", "capability difference for an e-fold in revenue share (logit)");
    r.real("product.share_switching_years", AIRACE_FIELD(product.share_switching_years), 0, 100,
           "years", "e-folding time of users' move from the labs they use to the shares capability earns (0: at once)");
    r.real("product.incident_demand_loss", AIRACE_FIELD(product.incident_demand_loss), 0, 100,
           "e-folds per unit concern", "demand lost to incidents: pool times exp(-loss * mean incident concern)");
    r.real("product.stringency_adoption_drag", AIRACE_FIELD(product.stringency_adoption_drag), 0, 1,
           "share", "share of adoption speed lost at full mean stringency (compliance friction)");
    r.real("product.value_usd_per_token_2024", AIRACE_FIELD(product.value_usd_per_token_2024),
           1e-300, 1, "USD/token", "mean value to its user of the work a plain (non-reasoning) model "
           "does in one token, in 2024; it grows with product.addressable_growth_per_year. A task "
           "is served when its value covers its serving cost, so this sets the tokens demanded");
    r.real("product.value_log_sd", AIRACE_FIELD(product.value_log_sd), 0.01, 10, "ln",
           "log-sd of tasks' values around the mean: how gradually demand falls as the serving "
           "cost per task rises (assumed)");
}

void data_fields(Registry& r) {
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
    r.real("data.legal_pressure_per_stringency", AIRACE_FIELD(data.legal_pressure_per_stringency),
           0, 10, "per stringency", "legal pressure to close on the providers of a region per unit "
           "of its regulator's stringency (with AI pressure, capped at 1)");
    r.real("data.copyright_legal_pressure", AIRACE_FIELD(data.copyright_legal_pressure), 0, 1,
           "pressure", "legal pressure to close added on the providers of a region whose strict "
           "copyright regime is on");
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
    r.real("data.licence_max_cash_share", AIRACE_FIELD(data.licence_max_cash_share), 0, 1, "share",
           "labs spend at most this share of their cash on licences in a step");
    r.real("data.licence_years", AIRACE_FIELD(data.licence_years), 0.25, 100, "years",
           "a licence covers this many years and costs price * tokens * years up front; then it "
           "expires and the lab loses the tokens unless it renews (reported deals: 2-5 years)");
    r.integer("data.max_licensees", AIRACE_FIELD(data.max_licensees), 1, 1e6, "labs",
              "a provider licenses at most this many labs at once (licences are rival)");
    r.real("data.produced_cost_usd_per_token", AIRACE_FIELD(data.produced_cost_usd_per_token), 1e-9,
           10, "USD/token", "cost of a token of new human text written or transcribed to order "
           "(expert writing, annotation): labs buy it when licences run out, and no licence "
           "costs more per token-year than this over data.licence_years (assumed from reported "
           "pay rates)");
    r.real("data.production_tokens_per_year", AIRACE_FIELD(data.production_tokens_per_year), 0, 1e18,
           "tokens/yr", "tokens of new human text the world's writers and annotators can produce "
           "to order in a year before any are bought (assumed)");
    r.real("data.production_growth_per_year", AIRACE_FIELD(data.production_growth_per_year), 0, 10,
           "1/yr", "capacity to produce human text added per year per token produced to date: "
           "supply grows with spending, at most this rate when fully used (assumed)");
    r.real("data.exclusive_premium", AIRACE_FIELD(data.exclusive_premium), 1, 1000, "x",
           "an exclusive deal costs this multiple of a licence");
    r.real("data.exclusive_min_cash_usd", AIRACE_FIELD(data.exclusive_min_cash_usd), 0, 1e16, "USD",
           "labs with more cash than this seek exclusive deals");
    r.real("data.exclusive_premium_per_licensee",
           AIRACE_FIELD(data.exclusive_premium_per_licensee), 0, 100, "x per licensee",
           "a provider accepts an exclusive deal only if exclusive_premium is at least 1 + this * "
           "its licensees (it gives up more by going exclusive the more labs licence it)");
    r.real("data.exclusive_max_cash_share", AIRACE_FIELD(data.exclusive_max_cash_share), 0, 1,
           "share", "a lab makes an exclusive deal only if it costs at most this share of its cash");
    r.real("data.stock_share_spread", AIRACE_FIELD(data.stock_share_spread), 0, 3, "log-sd",
           "spread across providers of their shares of the human text stock (drawn at the start)")
        .start_only();
    r.real("data.quality_spread", AIRACE_FIELD(data.quality_spread), 0, 3, "log-sd",
           "spread across providers of the mean-one quality weight (better sources close first "
           "and cost more; drawn at the start)")
        .start_only();
    r.real("data.quality_decay", AIRACE_FIELD(data.quality_decay), 0, 20, "per stock",
           "hardness of the data wall: a lab uses its best tokens first and the quality of the "
           "token at share x of the human stock is exp(-quality_decay x), so its effective unique "
           "tokens are (H / k)(1 - exp(-k U / H)); 0: every token is worth one (assumed, swept)");
}

void synthetic_fields(Registry& r) {
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
    r.real("synthetic.max_generation_share", AIRACE_FIELD(synthetic.max_generation_share), 0, 0.99,
           "share", "largest share of a run's compute that generating synthetic data may take "
           "(below 1: the run keeps compute to train)");
    r.real("synthetic.accumulate_penalty_share", AIRACE_FIELD(synthetic.accumulate_penalty_share),
           0, 1, "share", "accumulate mode: each generation trained on synthetic data closes this "
           "share of the gap between the lab's carried collapse penalty and the penalty of one "
           "replace generation, so the penalty converges to that bound and does not compound");
    r.real("synthetic.collapse_decay_per_generation",
           AIRACE_FIELD(synthetic.collapse_decay_per_generation), 0, 1, "share",
           "share of a lab's carried collapse penalty that a generation trained without synthetic "
           "data sheds (the penalty never resets while synthetic data stay in the mix)");
}

}  // namespace

void product_and_data_keys(Registry& r) {
    product_fields(r);
    data_fields(r);
    synthetic_fields(r);
}

void regulation_keys(Registry& r) {
    r.real("labs.compliance_propensity", AIRACE_FIELD(labs.compliance_propensity), 0, 1, "probability",
           "mean probability that a lab complies with oversight rather than evades").start_only();
    r.real("labs.relocation_cost_share", AIRACE_FIELD(labs.relocation_cost_share), 0, 10, "share",
           "extra cost of training in another jurisdiction");
    r.real("labs.relocation_min_gain", AIRACE_FIELD(labs.relocation_min_gain), 1, 1000, "x",
           "a lab capped at home trains abroad only if the run it can afford there is at least "
           "this multiple of the run allowed at home");
    r.real("labs.relocation_fixed_usd", AIRACE_FIELD(labs.relocation_fixed_usd), 0, 1e13, "USD",
           "one-off cost of setting up a run abroad (site, staff, legal), paid when it starts");
    r.real("labs.relocation_delay_quarters", AIRACE_FIELD(labs.relocation_delay_quarters), 0, 40,
           "quarters", "a run moved abroad starts this much later");
    r.real("labs.safety_share_of_opex", AIRACE_FIELD(labs.safety_share_of_opex), 0, 1, "share",
           "mean share of opex spent on safety (lowers incident hazard)").start_only();
    r.real("labs.lobbying_share_of_opex", AIRACE_FIELD(labs.lobbying_share_of_opex), 0, 1, "share",
           "share of opex spent lobbying the home regulator").start_only();
    for (int i = 0; i < region_count; ++i) region_fields(r, static_cast<Region>(i));
    for (int i = 0; i < region_count; ++i) regulator_fields(r, static_cast<Region>(i));
}

void incident_keys(Registry& r) {
    r.real("incidents.base_rate_per_year", AIRACE_FIELD(incidents.base_rate_per_year), 0, 100, "1/yr",
           "incident hazard per lab at the reference capability");
    r.real("incidents.reference_kappa", AIRACE_FIELD(incidents.reference_kappa), 10, 60, "kappa",
           "capability at which the hazard is the base rate");
    r.real("incidents.capability_elasticity", AIRACE_FIELD(incidents.capability_elasticity), 0, 10,
           "log hazard/OOM", "growth of log hazard per OOM of capability");
    r.real("incidents.safety_effect", AIRACE_FIELD(incidents.safety_effect), 0, 1, "share",
           "hazard removed by full safety spending (incidents.full_safety_share_of_opex)");
    r.real("incidents.full_safety_share_of_opex", AIRACE_FIELD(incidents.full_safety_share_of_opex),
           0.01, 1, "share", "share of opex spent on safety at which its effect is full: a lab "
           "spending s cuts its hazard by safety_effect * min(1, s / this)");
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
}

}  // namespace airace::schema
