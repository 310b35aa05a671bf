#include "agents/lab.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "base/parallel.hpp"
#include "base/rng.hpp"

namespace airace {
namespace {

// A dense transformer's forward pass costs 2 FLOP per parameter per token
// (Kaplan et al. 2020): the cost of serving, not a choice.
constexpr double forward_flop_per_param = 2.0;

// The run a lab has in progress or is about to start.
struct RunPlan {
    double target = 0;
    double done = 0;
    std::int32_t start = -1;  // step; -1 when idle
    Region region = Region::us;
};

// A run of `planned` FLOP above the home training cap: train abroad at a cost
// where that allows a run relocation_min_gain times bigger and export
// controls do not bar it, else shrink to the cap. Returns the run's size and
// sets `region` to where it trains.
double place_capped_run(const LabContext& context, std::span<const double> caps, std::size_t home,
                        double wanted, double budget, Region& region) {
    const LabsConfig& lc = context.config->labs;
    double best = caps[home];
    for (int host = 0; host < region_count; ++host) {
        if (host == static_cast<int>(home) || context.barred[home][static_cast<std::size_t>(host)])
            continue;
        const double cost =
            context.training_price(static_cast<std::size_t>(host)) * (1.0 + lc.relocation_cost_share);
        // Setting up abroad costs a fixed sum first.
        const double candidate = std::min(
            {wanted, std::max(0.0, budget - lc.relocation_fixed_usd) / cost,
             caps[static_cast<std::size_t>(host)]});
        if (candidate > lc.relocation_min_gain * best) {
            best = candidate;
            region = static_cast<Region>(host);
        }
    }
    return best;
}

// Lab i, idle with its next run due, sizes that run from `means` (cash less
// the planning reserve plus the raise it counts on), places it, and complies
// with oversight or evades; or postpones it when it would not beat the
// deployed model by enough.
void plan_next_run(const LabTable& labs, const LabContext& context, std::size_t i, double means,
                   LabIntent& intent, RunPlan& run) {
    const LabsConfig& lc = context.config->labs;
    const auto r = static_cast<std::size_t>(labs.region[i]);
    // A lab with no model yet (an entrant) sets out to match the largest
    // model deployed.
    const double wanted = labs.has_model(i) ? labs.model_flop[i] * labs.ambition[i]
                                            : context.largest_model_flop;
    intent.run_wanted_flop = wanted;
    const double budget = labs.budget_share[i] * std::max(0.0, means);
    const Region home = labs.region[i];
    Region train_region = home;
    double planned = std::min(wanted, budget / context.training_price(r));
    // One run trains at one site, whose power bounds it.
    if (planned > context.site_run_flop) {
        planned = context.site_run_flop;
        intent.site_limited = true;
    }
    // Training caps in FLOP: an effective-compute cap allows fewer FLOP the
    // more efficient the lab.
    std::array<double, region_count> caps = context.training_cap;
    for (std::size_t c = 0; c < caps.size(); ++c)
        if (context.cap_effective[c]) caps[c] /= labs.efficiency[i];
    if (planned > caps[r]) {
        planned = place_capped_run(context, caps, r, wanted, budget, train_region);
        intent.relocated = train_region != home;
        if (intent.relocated) {
            intent.relocation_usd = lc.relocation_fixed_usd;
            intent.start_delay += context.config->quarters_to_steps(lc.relocation_delay_quarters);
        }
    }
    run.region = train_region;
    // Worth it when the new run's effective compute (FLOP times the lab's
    // efficiency now) beats the deployed model's enough; so a lab held at a
    // training cap still trains as algorithms improve.
    if (!(planned > 0) || !(planned * labs.efficiency[i] >=
                            labs.model_flop[i] * labs.model_efficiency[i] * lc.min_generation_gain)) {
        intent.postpone = true;
        return;
    }
    intent.start_run = true;
    intent.run_target_flop = planned;
    intent.run_region = train_region;
    const auto host = static_cast<std::size_t>(train_region);
    if (planned > context.threshold[host]) {
        // Oversight: comply (pay, wait for approval) or evade.
        const RngKey key{context.seed, context.step, AgentKind::lab, static_cast<std::uint32_t>(i),
                         RngPurpose::compliance};
        if (uniform01(key) < labs.compliance_propensity[i]) {
            intent.compliance_usd = context.compliance_fixed[host] +
                                    context.compliance_share[host] * planned *
                                        context.training_price(host);
            intent.start_delay += static_cast<std::int32_t>(std::lround(context.approval_delay[host]));
        } else {
            intent.evade = true;
        }
    }
    run.target = planned;
    run.done = 0;
    run.start = context.step + intent.start_delay;
}

// A lab's horizons, reserves and the run's length in steps, and the largest
// share of the company a round sells; the same for every lab of a step.
struct DecisionTerms {
    // A round sells at most this share of the company, so a lab can expect to
    // raise up to valuation * dilution / (1 - dilution).
    double dilution = 0;
    double planning_reserve_steps = 0;
    double training_reserve_steps = 0;
    double horizon_steps = 0;
    double runway_steps = 0;
    std::int32_t run_steps = 0;
    std::int32_t round_gap_steps = 0;
};

// Reserves, horizons, the run's length and the gap between rounds are given
// in quarters; running cost and time in decide_labs are per step (a unit
// conversion, exact at 4 steps per year).
DecisionTerms decision_terms(const ScenarioConfig& config) {
    const LabsConfig& lc = config.labs;
    const double steps_per_quarter = config.steps_per_quarter();
    DecisionTerms terms;
    terms.dilution = lc.max_round_dilution;
    terms.planning_reserve_steps = lc.planning_reserve_quarters * steps_per_quarter;
    terms.training_reserve_steps = lc.training_reserve_quarters * steps_per_quarter;
    terms.horizon_steps = lc.funding_horizon_quarters * steps_per_quarter;
    terms.runway_steps = lc.runway_target_quarters * steps_per_quarter;
    terms.run_steps = config.run_steps();
    terms.round_gap_steps = config.quarters_to_steps(lc.min_round_gap_quarters);
    return terms;
}

// Distillation is chosen on a grid of quarter orders of magnitude of the
// served parameters (a resolution, not a behaviour).
constexpr double distillation_grid_per_oom = 4.0;

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// Serving (docs/model.md section 3, Serving). A task of lab i's model costs
// m * 2 N q FLOP per plain token at `price`, the expected price in its
// region; its users buy the tasks whose value covers that cost. The lab
// distils to the share q of the parameters that maximises what it keeps
// (value served less serving cost) times the revenue share its served
// capability earns, and bids for the compute its expected tasks need,
// buying no more than its cash pays for; serving must happen, so the limit
// is far above cost.
void serving_bid(const LabTable& labs, const LabContext& context, std::size_t i, double price,
                 LabIntent& intent) {
    const ScenarioConfig& config = *context.config;
    const LabsConfig& lc = config.labs;
    const double log_sd = config.product.value_log_sd;
    const double value = context.value_usd_per_token;
    const double m = labs.reasoning_intensity[i];
    const double flop_per_token = forward_flop_per_param * labs.model_params[i] * m;
    const double full_ratio = value > 0 ? flop_per_token * price / value : 0.0;
    // Revenue share lost per OOM distilled away (the share's e-fold per
    // share_kappa_temperature of capability).
    const double share_loss =
        lc.distillation_kappa_loss_per_oom / config.product.share_kappa_temperature;
    const int grid =
        static_cast<int>(std::floor(-std::log10(lc.min_distillation_share) * distillation_grid_per_oom + 1e-9));
    double best_oom = 0;
    double best_kept = -std::numeric_limits<double>::infinity();
    for (int k = 0; k <= grid; ++k) {
        const double oom = k / distillation_grid_per_oom;
        const double ratio = full_ratio * std::pow(10.0, -oom);
        const ServedTasks tasks = served_tasks(ratio, log_sd);
        const double kept = std::exp(-share_loss * oom) * (tasks.value_share - tasks.task_share * ratio);
        if (kept > best_kept) {
            best_kept = kept;
            best_oom = oom;
        }
    }
    const double q = std::pow(10.0, -best_oom);
    intent.served_param_share = q;
    intent.task_cost_ratio = full_ratio * q;
    // Last step's share, moved by the change in served capability.
    const double share = std::min(
        1.0, labs.revenue_share[i] *
                 std::exp(share_loss * (std::log10(labs.served_param_share[i]) + best_oom)));
    const ServedTasks tasks = served_tasks(intent.task_cost_ratio, log_sd);
    const double tokens = value > 0 ? share * context.revenue_pool_usd / value * tasks.task_share * m : 0.0;
    intent.inference_flop_needed = tokens * forward_flop_per_param * labs.model_params[i] * q;
    intent.inference_bid_flop =
        std::min(intent.inference_flop_needed, std::max(0.0, labs.cash_usd[i]) / price);
    const auto r = static_cast<std::size_t>(labs.region[i]);
    intent.inference_bid_price = context.unit_cost[r] * lc.serving_bid_cost_multiple;
}

// Training bid: spread what is left of a started run over its planned steps;
// pay only from cash that is not needed to keep the lights on.
void training_bid(const LabTable& labs, const LabContext& context, std::size_t i,
                  const RunPlan& run, const DecisionTerms& terms, double running_cost,
                  LabIntent& intent) {
    if (!(run.start >= 0 && context.step >= run.start && run.target > run.done)) return;
    const LabsConfig& lc = context.config->labs;
    const double train_price = context.expected_price[static_cast<std::size_t>(run.region)];
    const std::int32_t steps_in = context.step - run.start;
    const double steps_left = std::max(1, terms.run_steps - steps_in);
    const double limit = train_price * (1.0 + lc.bid_premium);
    const double spendable = labs.cash_usd[i] - terms.training_reserve_steps * running_cost;
    // The bid is in hardware FLOP: each trains training_flop_per_hardware_flop.
    const double wanted =
        (run.target - run.done) / steps_left / context.training_flop_per_hardware_flop;
    intent.training_bid_flop = std::clamp((spendable - intent.compliance_usd) / limit, 0.0, wanted);
    intent.training_bid_price = limit;
}

// Funding: ask when cash covers less than the runway target of what the run
// in progress (or the next one) and running costs over the horizon need.
void funding_request(const LabTable& labs, const LabContext& context, std::size_t i,
                     const RunPlan& run, const DecisionTerms& terms, double price,
                     double running_cost, LabIntent& intent) {
    const ScenarioConfig& config = *context.config;
    double remaining_run_cost = 0;
    const double train_price = context.training_price(static_cast<std::size_t>(run.region));
    if (run.start >= 0 && run.target > run.done)
        remaining_run_cost = (run.target - run.done) * train_price;
    const double next_run_cost = run.start >= 0 ? 0.0
                                                 : labs.model_flop[i] * labs.ambition[i] * price /
                                                       context.training_flop_per_hardware_flop;
    const double need = remaining_run_cost + next_run_cost + running_cost * terms.horizon_steps;
    const bool cooled_down = labs.last_round_step[i] < 0 ||
                             context.step - labs.last_round_step[i] >= terms.round_gap_steps;
    if (cooled_down && labs.cash_usd[i] < need * terms.runway_steps / terms.horizon_steps) {
        const double dilution = terms.dilution;
        intent.funding_request_usd = need - labs.cash_usd[i];
        intent.pre_money_usd =
            std::max({labs.valuation_usd[i],
                      intent.funding_request_usd * (1.0 - dilution) / dilution,
                      labs.revenue_last_year(i) * config.investors.target_revenue_multiple});
    }
}

// A dormant slot attempts a founding round with probability
// context.entry_probability: it asks for labs.entrant_round_usd times a
// mean-one log-normal factor, selling at most the share d of the company.
void founding_request(const LabContext& context, std::size_t i, const DecisionTerms& terms,
                      LabIntent& intent) {
    const LabsConfig& lc = context.config->labs;
    const RngKey key{context.seed, context.step, AgentKind::lab, static_cast<std::uint32_t>(i),
                     RngPurpose::entry};
    if (!(uniform01(key, 0) < context.entry_probability)) return;
    const double sigma = lc.entrant_round_spread;
    intent.funding_request_usd =
        lc.entrant_round_usd * std::exp(sigma * standard_normal(key, 1) - 0.5 * sigma * sigma);
    intent.pre_money_usd = intent.funding_request_usd * (1.0 - terms.dilution) / terms.dilution;
}

}  // namespace

const char* lab_type_name(LabType type) {
    switch (type) {
        case LabType::frontier: return "frontier";
        case LabType::startup: return "startup";
        case LabType::entrant: return "entrant";
    }
    return "unknown";
}

void LabTable::resize(std::size_t n) {
    // The columns side by side (base/parallel.hpp side_by_side).
    std::vector<std::function<void()>> columns{
        [this, n] { name.resize(n); },
        [this, n] { region.resize(n); },
        [this, n] { type.resize(n); },
        [this, n] { status.resize(n, LabStatus::active); },
        [this, n] {
            model_data_limited.resize(n, 0);
            postponed.resize(n, 0);
            run_evading.resize(n, 0);
            run_region.resize(n, Region::us);
        },
        [this, n] {
            for (auto* column : {&last_round_step, &run_start_step, &held_until_step, &last_run_start_step})
                column->resize(n, -1);
        },
        [this, n] { served_param_share.resize(n, 1.0); },
        [this, n] { kappa_history.resize(year.width * n, 0.0); },
        [this, n] { revenue_history.resize(year.width * n, 0.0); }};
    for (auto* column : {&ambition, &generation_interval, &budget_share, &opex_base_usd,
                         &opex_growth, &cash_usd, &valuation_usd, &raised_total_usd, &efficiency,
                         &model_flop, &model_params, &model_tokens, &model_loss, &model_kappa,
                         &model_score, &model_cost_usd, &model_efficiency, &reasoning_intensity, &run_target_flop, &run_done_flop,
                         &run_spend_usd, &training_flop_bought, &inference_flop_bought, &inference_flop_wanted,
                         &compute_spend_usd, &revenue_usd, &revenue_share, &tokens_served,
                         &opex_usd, &funding_usd, &task_cost_ratio, &compliance_propensity, &safety_share,
                         &lobbying_share, &licence_spend_usd, &compliance_usd, &fines_usd, &usable_tokens,
                         &licensed_tokens, &produced_tokens, &model_synthetic_share, &collapse_penalty})
        columns.emplace_back([column, n] { column->resize(n, 0.0); });
    side_by_side(columns);
}

double LabTable::revenue_last_year(std::size_t i) const {
    double sum = 0;
    for (std::size_t k = 0; k < year.width; ++k) sum += revenue_history[year.first(i) + k];
    return sum;
}

double LabTable::kappa_year_ago(std::size_t i, std::int32_t step) const {
    // First year: the model the lab started with.
    if (static_cast<std::size_t>(step) < year.width) return kappa_history[year.first(i)];
    return kappa_history[year.at(i, step)];
}

ServedTasks served_tasks(double cost_ratio, double log_sd) {
    if (!(cost_ratio > 0)) return {};
    // ln(value) ~ N(-log_sd^2 / 2, log_sd^2): mean value 1.
    const double z = -std::log(cost_ratio) / log_sd;
    return {normal_cdf(z + 0.5 * log_sd), normal_cdf(z - 0.5 * log_sd)};
}

double served_kappa(const LabTable& labs, const LabsConfig& config, std::size_t i) {
    return labs.model_kappa[i] +
           config.distillation_kappa_loss_per_oom * std::log10(labs.served_param_share[i]);
}

double lab_opex(const LabTable& labs, std::size_t i, double years_elapsed, double dt) {
    (void)dt;
    return labs.opex_base_usd[i] * std::pow(labs.opex_growth[i], years_elapsed);
}

double research_input(const AlgorithmsConfig& config, double research_usd_per_year,
                      double research_flop) {
    const double w = config.research_compute_weight;
    return std::pow(research_usd_per_year / config.rd_reference_usd_per_year, 1.0 - w) *
           std::pow(research_flop / config.research_reference_flop, w);
}

double own_research_rate(const AlgorithmsConfig& config, double input, double efficiency) {
    return config.research_rate_per_year * std::pow(input, config.parallelisation_penalty) *
           std::pow(efficiency, -config.ideas_harder_exponent);
}

double best_efficiency(const LabTable& labs) {
    double best = 0;
    for (std::size_t i = 0; i < labs.size(); ++i)
        if (labs.active(i)) best = std::max(best, labs.efficiency[i]);
    return best;
}

double entry_probability(const LabsConfig& config, double mean_sentiment, double dt, std::size_t dormant_slots) {
    if (dormant_slots == 0) return 0.0;
    const double rate =
        config.entry_rate_per_year * std::exp(config.entry_sentiment_elasticity * mean_sentiment);
    return -std::expm1(-rate * dt / static_cast<double>(dormant_slots));
}

double field_efficiency(const LabTable& labs) {
    const double best = best_efficiency(labs);
    if (best > 0) return best;
    double known = 0;
    for (std::size_t i = 0; i < labs.size(); ++i)
        if (!labs.dormant(i)) known = std::max(known, labs.efficiency[i]);
    return known;
}

void enter_lab(LabTable& labs, const ScenarioConfig& config, std::size_t i, double field,
               double raised_usd, std::int32_t step) {
    labs.status[i] = LabStatus::active;
    labs.efficiency[i] = config.labs.entrant_efficiency_share * field;
    labs.model_efficiency[i] = labs.efficiency[i];
    // Opex is given per quarter: 4 dt quarters a step (a unit conversion).
    // lab_opex grows it from the start of the run, so the base is set back
    // to then.
    const double dt = config.dt_years();
    const double opex_at_entry = config.labs.entrant_opex_round_share * raised_usd * 4.0 * dt;
    const double years_elapsed = static_cast<double>(step) * dt;
    labs.opex_base_usd[i] = opex_at_entry / std::pow(labs.opex_growth[i], years_elapsed);
    // Its first run is due at once.
    labs.last_run_start_step[i] =
        step - static_cast<std::int32_t>(std::lround(labs.generation_interval[i]));
}

void decide_labs(const LabTable& labs, const LabContext& context, std::size_t begin,
                 std::size_t end, std::span<LabIntent> intents) {
    const ScenarioConfig& config = *context.config;
    const double years_elapsed = context.year - config.time.start_year;
    const DecisionTerms terms = decision_terms(config);
    for (std::size_t i = begin; i < end; ++i) {
        LabIntent intent;
        if (labs.dormant(i)) {
            founding_request(context, i, terms, intent);
            intents[i] = intent;
            continue;
        }
        if (!labs.active(i)) {
            intents[i] = intent;
            continue;
        }
        const auto r = static_cast<std::size_t>(labs.region[i]);
        const double price = context.expected_price[r];
        const double opex = lab_opex(labs, i, years_elapsed, config.dt_years());

        serving_bid(labs, context, i, price, intent);
        const double inference_cost = intent.inference_bid_flop * price;
        const double running_cost = opex + inference_cost;

        // Plan the next run when idle and the generation interval has passed.
        const bool idle = labs.run_start_step[i] < 0;
        const bool due = context.step - labs.last_run_start_step[i] >=
                         static_cast<std::int32_t>(std::lround(labs.generation_interval[i]));
        RunPlan run{labs.run_target_flop[i], labs.run_done_flop[i], labs.run_start_step[i],
                    labs.run_region[i]};
        const double expected_raise =
            labs.valuation_usd[i] * terms.dilution / (1.0 - terms.dilution);
        if (idle && due) {
            const double means =
                labs.cash_usd[i] - terms.planning_reserve_steps * running_cost + expected_raise;
            plan_next_run(labs, context, i, means, intent, run);
        }

        training_bid(labs, context, i, run, terms, running_cost, intent);
        funding_request(labs, context, i, run, terms, price, running_cost, intent);
        intents[i] = intent;
    }
}

}  // namespace airace
