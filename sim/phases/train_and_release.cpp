// Phase 6, train and release: research moves algorithmic efficiency; runs that are
// done (or overdue) release a model, with synthetic data where the scenario
// allows it; an evading run may be fined; the frontier, the data wall, the
// largest run's power draw; incidents (sim/phases/regulate.cpp).

#include <algorithm>
#include <cmath>

#include "base/parallel.hpp"
#include "base/rng.hpp"
#include "sim/phases/phases.hpp"
#include "sim/scaling.hpp"

namespace airace {
namespace {

// A run counts as complete at this share of its target: the compute bought
// for it is a sum of trades of varying size, which may fall short of the
// target by rounding; a numerical tolerance, not a choice of the model.
constexpr double run_complete_share = 0.999;

// Algorithmic efficiency: each lab's own research moves it (research
// spending, a share of its opex of the last step, and research compute,
// which scales with its training: the deployed model's compute), and
// spill-overs close part of its gap to the best lab at the start of the
// step, the field's frontier.
// ln A gained over a step from own research at `rate` (its value at the
// start of the step), the input held for the step: d ln A/dt = g A^-phi
// integrates exactly to A^phi rising by phi g dt, so the gain does not
// depend on the step's length (a first-order step would overshoot at long
// steps); at phi = 0 it is rate * dt.
double own_log_gain(const AlgorithmsConfig& config, double rate, double dt) {
    const double phi = config.ideas_harder_exponent;
    return phi > 0 ? std::log1p(phi * rate * dt) / phi : rate * dt;
}

void advance_efficiency(const AlgorithmsConfig& config, double dt, LabTable& labs) {
    const double best_log = std::log(best_efficiency(labs));
    parallel_for(labs.size(), agent_grain, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
            if (!labs.active(i)) continue;
            const double research_usd = labs.opex_usd[i] / dt * config.rd_share_of_opex;
            const double input = research_input(config, research_usd, labs.model_flop[i]);
            const double own = own_research_rate(config, input, labs.efficiency[i]);
            const double log_a = std::log(labs.efficiency[i]);
            const double spill = config.diffusion_per_year * std::max(0.0, best_log - log_a);
            labs.efficiency[i] = std::exp(log_a + own_log_gain(config, own, dt) + dt * spill);
        }
    });
}

// How lab `lab` may use synthetic data in the run it releases now.
SyntheticPlan synthetic_plan(const SyntheticConfig& config, double year, const LabTable& labs,
                             std::size_t lab) {
    SyntheticPlan plan;
    plan.mode = year >= config.start_year ? synthetic_mode(config.mode) : SyntheticMode::off;
    plan.quality = config.quality;
    plan.max_share = config.max_share;
    plan.replace_share = config.replace_share;
    plan.penalty_per_share = config.collapse_penalty;
    plan.max_generation_share = config.max_generation_share;
    plan.accumulate_penalty_share = config.accumulate_penalty_share;
    plan.collapse_decay = config.collapse_decay_per_generation;
    plan.previous_penalty = labs.collapse_penalty[lab];
    plan.generator_params = labs.model_params[lab];
    return plan;
}

// What a finished run yields: its training outcome, the kappa its compute,
// efficiency and data predict (reasoning included), and the kappa it turns
// out to have, the expected one plus a normal draw of sd
// scaling.generation_noise_sd (docs/model.md section 4, "Realised and
// expected capability"). `draw` tells a held-back model's second try (1)
// from the first (0).
struct Generation {
    TrainingOutcome outcome;
    double expected_kappa = 0;
    double realised_kappa = 0;
};

Generation train_generation(const TrainAndReleaseIO& io, const ScalingLaw& law, double intensity,
                            std::size_t i, std::uint32_t draw) {
    const ScalingConfig& scaling = io.config.scaling;
    const LabTable& labs = io.labs;
    Generation g;
    // The lab uses its best tokens first: what it may use of the stock is
    // worth less than its count the deeper it reaches (data.quality_decay);
    // new text it paid for counts in full.
    const double unique = unique_human_tokens(labs.usable_tokens[i], labs.produced_tokens[i],
                                              io.env.human_stock_tokens, io.config.data.quality_decay);
    g.outcome = train_with_synthetic(law, labs.run_done_flop[i], labs.efficiency[i], unique,
                                     synthetic_plan(io.config.synthetic, io.env.year, labs, i));
    g.expected_kappa = g.outcome.kappa + reasoning_gain(intensity, scaling.reasoning_kappa_per_log10,
                                                        scaling.reasoning_max_kappa);
    const RngKey key{io.seed, io.step, AgentKind::lab, index32(i), RngPurpose::generation};
    g.realised_kappa = g.expected_kappa + scaling.generation_noise_sd * standard_normal(key, draw);
    return g;
}

// Lab i's finished run becomes its deployed model, at its realised kappa (the
// loss is the predictable part: it stays the expected one). A release far
// below its expected kappa disappoints.
void release_model(const TrainAndReleaseIO& io, double intensity, std::size_t i,
                   const Generation& g) {
    const ScalingConfig& scaling = io.config.scaling;
    LabTable& labs = io.labs;
    const double flop = labs.run_done_flop[i];
    const double kappa = g.realised_kappa;
    const double shortfall = g.expected_kappa - kappa;
    if (shortfall > io.config.labs.disappointing_shortfall_oom) {
        io.events.emit(EventType::generation_disappointing, AgentKind::lab, index32(i),
                       AgentKind::world, -1, g.expected_kappa - labs.model_kappa[i],
                       kappa - labs.model_kappa[i]);
        io.totals.generations_disappointing += 1;
    }
    io.totals.generation_shortfall += shortfall;
    // A lab's first model (an entrant's) is where its momentum counts from:
    // its year-ago capability is that model's until a year has passed.
    if (!labs.has_model(i))
        for (std::size_t k = 0; k < labs.year.width; ++k)
            labs.kappa_history[labs.year.first(i) + k] = kappa;
    const TrainingOutcome& outcome = g.outcome;
    labs.model_flop[i] = flop;
    labs.model_params[i] = outcome.params;
    labs.model_tokens[i] = outcome.tokens_seen;
    labs.model_loss[i] = outcome.loss;
    labs.model_kappa[i] = kappa;
    labs.model_score[i] = capability_score(kappa, scaling.score_k50, scaling.score_width);
    labs.model_cost_usd[i] = labs.run_spend_usd[i];
    labs.model_efficiency[i] = labs.efficiency[i];
    labs.model_data_limited[i] = outcome.data_limited ? 1 : 0;
    labs.model_synthetic_share[i] = outcome.synthetic_share;
    labs.collapse_penalty[i] = outcome.collapse_penalty;
    labs.reasoning_intensity[i] = intensity;
    io.events.emit(EventType::release, AgentKind::lab, index32(i), AgentKind::world, -1, flop, kappa);
    io.totals.releases += 1;
}

// A model whose realised gain over the deployed one falls short of a share of
// its expected gain is held back: the run stays open (buying nothing more)
// while the lab works on it, until `held_until_step`. Returns whether it was.
bool hold_back(const TrainAndReleaseIO& io, std::size_t i, const Generation& g) {
    const LabsConfig& config = io.config.labs;
    LabTable& labs = io.labs;
    const std::int32_t delay = io.config.quarters_to_steps(config.release_delay_quarters);
    const double expected_gain = g.expected_kappa - labs.model_kappa[i];
    const double realised_gain = g.realised_kappa - labs.model_kappa[i];
    if (delay <= 0 || !(expected_gain > 0) ||
        !(realised_gain < config.release_min_gain_share * expected_gain))
        return false;
    labs.held_until_step[i] = io.step + delay;
    labs.run_target_flop[i] = labs.run_done_flop[i];
    io.events.emit(EventType::generation_delayed, AgentKind::lab, index32(i), AgentKind::world, -1,
                   expected_gain, realised_gain);
    io.totals.generations_delayed += 1;
    return true;
}

void close_run(LabTable& labs, std::size_t i) {
    labs.run_start_step[i] = -1;
    labs.held_until_step[i] = -1;
    labs.run_target_flop[i] = 0;
    labs.run_done_flop[i] = 0;
    labs.run_spend_usd[i] = 0;
    labs.run_evading[i] = 0;
}

// Runs finish when their compute is bought, or give up waiting: a run
// stalled two quarters past plan releases what it has if that beats the
// deployed model, and is abandoned otherwise. A finished model may be held
// back (hold_back); at the end of its delay it is trained out again at the
// lab's efficiency then, with a second draw, and released if it beats the
// deployed model, else abandoned.
void finish_runs(const TrainAndReleaseIO& io) {
    const ScenarioConfig& config = io.config;
    LabTable& labs = io.labs;
    const ScalingLaw law = ScalingLaw::from(config.scaling);
    const double intensity = io.env.reasoning_available ? config.scaling.reasoning_intensity : 1.0;
    for (std::size_t i = 0; i < labs.size(); ++i) {
        if (!labs.active(i) || labs.run_start_step[i] < 0) continue;
        if (labs.held_until_step[i] >= 0) {
            if (io.step < labs.held_until_step[i]) continue;
            const Generation g = train_generation(io, law, intensity, i, 1);
            if (g.realised_kappa > labs.model_kappa[i]) release_model(io, intensity, i, g);
            close_run(labs, i);
            continue;
        }
        const std::int32_t elapsed = io.step - labs.run_start_step[i] + 1;
        const bool complete = labs.run_done_flop[i] >= run_complete_share * labs.run_target_flop[i];
        const bool overdue = elapsed >= config.run_steps() +
                                            config.quarters_to_steps(config.labs.run_grace_quarters);
        if (!complete && !overdue) continue;
        const double flop = labs.run_done_flop[i];
        if (flop * labs.efficiency[i] > labs.model_flop[i] * labs.model_efficiency[i]) {
            check_evasion(io, i, flop);
            const Generation g = train_generation(io, law, intensity, i, 0);
            if (hold_back(io, i, g)) continue;
            release_model(io, intensity, i, g);
        }
        close_run(labs, i);
    }
}

// The data wall: the first time the frontier model trained on all the
// human data its lab may use.
void check_data_wall(const TrainAndReleaseIO& io) {
    if (io.data_wall_year >= 0) return;
    const LabTable& labs = io.labs;
    for (std::size_t i = 0; i < labs.size(); ++i)
        if (labs.active(i) && labs.model_kappa[i] >= io.frontier_kappa && labs.model_data_limited[i]) {
            io.data_wall_year = io.env.year + io.config.dt_years();
            io.events.emit(EventType::data_wall, AgentKind::lab, index32(i), AgentKind::world, -1,
                           labs.usable_tokens[i], io.data_wall_year);
            break;
        }
}

// The largest run's power draw this step.
void largest_run_power(const LabTable& labs, const Environment& env, double dt, StepTotals& totals) {
    const double seconds = seconds_per_year * dt;
    for (std::size_t i = 0; i < labs.size(); ++i)
        totals.largest_run_power_w = std::max(
            totals.largest_run_power_w, labs.training_flop_bought[i] / seconds / env.flop_per_joule);
}

}  // namespace

void check_evasion(const TrainAndReleaseIO& io, std::size_t lab, double run_flop) {
    LabTable& labs = io.labs;
    if (!labs.run_evading[lab]) return;
    const auto host = static_cast<std::size_t>(labs.run_region[lab]);
    const RegulatorConfig& config = io.config.regulators[labs.run_region[lab]];
    const RngKey key{io.seed, io.step, AgentKind::lab, index32(lab), RngPurpose::detection};
    if (uniform01(key) >= config.detection_probability) return;
    // EU AI Act Art. 101: a share of world revenue, with a floor.
    const double fine = std::max(config.fine_floor_usd,
                                 config.fine_share_of_revenue * labs.revenue_last_year(lab));
    labs.cash_usd[lab] -= fine;
    labs.fines_usd[lab] += fine;
    io.regulators.fines_usd[host] += fine;
    io.totals.fines_usd += fine;
    io.events.emit(EventType::fine, AgentKind::lab, index32(lab), AgentKind::regulator,
                   static_cast<std::int64_t>(host), fine, run_flop);
}

void phase_train_and_release(const TrainAndReleaseIO& io) {
    const double dt = io.config.dt_years();
    advance_efficiency(io.config.algorithms, dt, io.labs);
    finish_runs(io);
    update_frontier(io.labs, io.frontier_kappa);
    check_data_wall(io);
    largest_run_power(io.labs, io.env, dt, io.totals);
    settle_incidents(io);
}

}  // namespace airace
