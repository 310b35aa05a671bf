#pragma once
// Labs: the structure-of-arrays table and the decisions a lab takes each
// quarter (docs/model.md section 4): plan the next training run, bid for compute,
// ask investors for money. Decisions read the table and write one intent row.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "base/ids.hpp"
#include "base/year_ring.hpp"

namespace airace {

// dormant: a slot for a new lab that has not entered yet (labs.entrant_slots).
enum class LabStatus : std::uint8_t { active = 0, bankrupt = 1, acquired = 2, dormant = 3 };
enum class LabType : std::uint8_t { frontier = 0, startup = 1, entrant = 2 };
const char* lab_type_name(LabType type);

struct LabTable {
    // cold: identity
    std::vector<std::string> name;
    std::vector<Region> region;
    std::vector<LabType> type;
    std::vector<LabStatus> status;
    // traits (fixed at build)
    std::vector<double> ambition;                  // x per generation
    std::vector<double> generation_interval;       // steps between run starts
    std::vector<double> budget_share;              // share of means one run may take
    std::vector<double> opex_base_usd;             // USD/quarter at the start
    std::vector<double> opex_growth;               // x/yr
    // hot: money
    std::vector<double> cash_usd;
    std::vector<double> valuation_usd;             // last post-money or mark
    std::vector<double> raised_total_usd;
    std::vector<std::int32_t> last_round_step;     // -1: never
    // hot: technology
    std::vector<double> efficiency;                // algorithmic efficiency A (field 2020 = 1)
    std::vector<double> model_flop;                // deployed model's training compute
    std::vector<double> model_params;
    std::vector<double> model_tokens;
    std::vector<double> model_loss;
    std::vector<double> model_kappa;               // capability incl. reasoning (log10 eff. FLOP)
    std::vector<double> model_score;               // 0..100
    std::vector<double> model_cost_usd;            // what the deployed model's run cost
    std::vector<double> model_efficiency;          // algorithmic efficiency it was trained with
    std::vector<std::uint8_t> model_data_limited;  // 1 when its run was short of human data
    std::vector<double> reasoning_intensity;       // tokens per task multiplier m (serving FLOP)
    std::vector<double> served_param_share;         // parameters it serves / the trained model's (1: full)
    std::vector<double> task_cost_ratio;            // serving cost of a task / the mean task's value
    std::vector<double> kappa_history;             // [n * year.width]: kappa at the end of the last year's steps
    // hot: the run in progress
    std::vector<double> run_target_flop;           // 0 when idle
    std::vector<double> run_done_flop;
    std::vector<double> run_spend_usd;
    std::vector<std::int32_t> run_start_step;      // -1 when idle
    std::vector<std::int32_t> last_run_start_step;
    std::vector<std::uint8_t> postponed;           // 1 once a due run was postponed
    std::vector<Region> run_region;                // where the run in progress trains
    std::vector<std::uint8_t> run_evading;         // 1: skipped compliance (risks a fine)
    std::vector<std::int32_t> held_until_step;     // a finished model held back until then; -1: none
    // regulation and data
    std::vector<double> compliance_propensity;     // trait: probability of complying
    std::vector<double> safety_share;              // trait: share of opex on safety
    std::vector<double> lobbying_share;            // trait: share of opex on lobbying
    std::vector<double> licence_spend_usd;         // this step
    std::vector<double> compliance_usd;            // this step
    std::vector<double> fines_usd;                 // this step
    std::vector<double> usable_tokens;             // human tokens it may train on (open allowed + licensed)
    std::vector<double> licensed_tokens;           // licensed + exclusive
    std::vector<double> produced_tokens;           // new human text it paid for (its own, for good)
    std::vector<double> model_synthetic_share;     // of the deployed model's effective tokens
    std::vector<double> collapse_penalty;          // relative increase of reducible loss (synthetic data)
    // hot: this step's flows
    std::vector<double> training_flop_bought;
    std::vector<double> inference_flop_bought;
    std::vector<double> inference_flop_wanted;     // serving compute this step's tokens need
    std::vector<double> compute_spend_usd;
    std::vector<double> revenue_usd;
    std::vector<double> revenue_share;
    std::vector<double> tokens_served;
    std::vector<double> opex_usd;
    std::vector<double> funding_usd;
    std::vector<double> revenue_history;           // [n * year.width]: revenue of the last year's steps

    YearRing year;  // the histories' slots: one per step of a year (set before resize)

    std::size_t size() const { return name.size(); }
    void resize(std::size_t n);
    bool active(std::size_t i) const { return status[i] == LabStatus::active; }
    bool dormant(std::size_t i) const { return status[i] == LabStatus::dormant; }
    // Whether lab i has a deployed model (an entrant has none until its first release).
    bool has_model(std::size_t i) const { return model_flop[i] > 0; }
    double revenue_last_year(std::size_t i) const;
    // Kappa at the end of step `step - year.width`, one year earlier (call
    // before this step is rolled into the history).
    double kappa_year_ago(std::size_t i, std::int32_t step) const;

    // Every column but the name, for checkpoints: visit("column", vector).
    template <class Self, class Visit>
    static void columns(Self& self, Visit&& visit) {
        visit("region", self.region);
        visit("type", self.type);
        visit("status", self.status);
        visit("ambition", self.ambition);
        visit("generation_interval", self.generation_interval);
        visit("budget_share", self.budget_share);
        visit("opex_base_usd", self.opex_base_usd);
        visit("opex_growth", self.opex_growth);
        visit("cash_usd", self.cash_usd);
        visit("valuation_usd", self.valuation_usd);
        visit("raised_total_usd", self.raised_total_usd);
        visit("last_round_step", self.last_round_step);
        visit("efficiency", self.efficiency);
        visit("model_flop", self.model_flop);
        visit("model_params", self.model_params);
        visit("model_tokens", self.model_tokens);
        visit("model_loss", self.model_loss);
        visit("model_kappa", self.model_kappa);
        visit("model_score", self.model_score);
        visit("model_cost_usd", self.model_cost_usd);
        visit("model_efficiency", self.model_efficiency);
        visit("model_data_limited", self.model_data_limited);
        visit("reasoning_intensity", self.reasoning_intensity);
        visit("served_param_share", self.served_param_share);
        visit("task_cost_ratio", self.task_cost_ratio);
        visit("kappa_history", self.kappa_history);
        visit("run_target_flop", self.run_target_flop);
        visit("run_done_flop", self.run_done_flop);
        visit("run_spend_usd", self.run_spend_usd);
        visit("run_start_step", self.run_start_step);
        visit("last_run_start_step", self.last_run_start_step);
        visit("postponed", self.postponed);
        visit("run_region", self.run_region);
        visit("run_evading", self.run_evading);
        visit("held_until_step", self.held_until_step);
        visit("compliance_propensity", self.compliance_propensity);
        visit("safety_share", self.safety_share);
        visit("lobbying_share", self.lobbying_share);
        visit("licence_spend_usd", self.licence_spend_usd);
        visit("compliance_usd", self.compliance_usd);
        visit("fines_usd", self.fines_usd);
        visit("usable_tokens", self.usable_tokens);
        visit("licensed_tokens", self.licensed_tokens);
        visit("produced_tokens", self.produced_tokens);
        visit("model_synthetic_share", self.model_synthetic_share);
        visit("collapse_penalty", self.collapse_penalty);
        visit("training_flop_bought", self.training_flop_bought);
        visit("inference_flop_bought", self.inference_flop_bought);
        visit("inference_flop_wanted", self.inference_flop_wanted);
        visit("compute_spend_usd", self.compute_spend_usd);
        visit("revenue_usd", self.revenue_usd);
        visit("revenue_share", self.revenue_share);
        visit("tokens_served", self.tokens_served);
        visit("opex_usd", self.opex_usd);
        visit("funding_usd", self.funding_usd);
        visit("revenue_history", self.revenue_history);
    }
};

// What a lab decided this step (one row per lab, written in parallel).
struct LabIntent {
    bool start_run = false;
    Region run_region = Region::us;  // where the new run trains
    bool relocated = false;          // moved training abroad (training cap at home)
    bool evade = false;              // skips compliance with the compute threshold
    double compliance_usd = 0;       // paid now when complying
    double relocation_usd = 0;       // paid now when training abroad
    std::int32_t start_delay = 0;    // steps of approval before the run may buy compute
    bool postpone = false;          // wanted a run but could not pay for a big enough one
    bool site_limited = false;      // the run was cut to what the largest site's power allows
    double run_wanted_flop = 0;     // the run the lab wanted before budget, power and caps
    double run_target_flop = 0;
    double training_bid_flop = 0;
    double training_bid_price = 0;  // USD/FLOP limit
    double inference_bid_flop = 0;
    double inference_bid_price = 0;
    double inference_flop_needed = 0; // serving compute its expected tokens need (>= the bid)
    double served_param_share = 1;   // distilled to this share of the parameters (labs.distillation_*)
    double task_cost_ratio = 0;      // serving cost of a task / the mean task's value
    double funding_request_usd = 0;
    double pre_money_usd = 0;
};

// Read-only view of the world a lab decides from.
struct LabContext {
    const ScenarioConfig* config = nullptr;
    std::int32_t step = 0;
    double year = 0;
    std::array<double, region_count> expected_price{};  // USD/FLOP, last clearing or unit cost
    std::array<double, region_count> unit_cost{};       // USD/FLOP
    double value_usd_per_token = 0;                      // mean value of a plain token's work
    double revenue_pool_usd = 0;                         // revenue per step at current adoption
    double site_run_flop = 0;  // the largest run one site's power allows over a run's length
    double training_flop_per_hardware_flop = 1;  // what one FLOP bought trains (Environment)
    // USD per FLOP of training in region r: the price of hardware FLOP over
    // what each trains.
    double training_price(std::size_t r) const {
        return expected_price[r] / training_flop_per_hardware_flop;
    }
    std::uint64_t seed = 0;
    // Regulation by jurisdiction where a run would train.
    std::array<double, region_count> training_cap{};      // +inf when off
    std::array<bool, region_count> cap_effective{};       // the cap counts FLOP x efficiency
    std::array<double, region_count> threshold{};         // +inf when off
    std::array<double, region_count> compliance_fixed{};
    std::array<double, region_count> compliance_share{};
    std::array<double, region_count> approval_delay{};    // steps
    std::array<std::array<bool, region_count>, region_count> barred{};  // [home][host]
    double entry_probability = 0;  // a dormant slot's chance of a founding attempt this step
    double largest_model_flop = 0;  // the largest model an active lab has deployed (an entrant's first aim)
};

void decide_labs(const LabTable& labs, const LabContext& context, std::size_t begin,
                 std::size_t end, std::span<LabIntent> intents);

// Opex of lab i at decimal year `year` (USD per step).
double lab_opex(const LabTable& labs, std::size_t i, double years_elapsed, double dt);

// Tasks' values are log-normal with mean 1 and ln-sd `log_sd`; a task is
// served when its value covers its cost, `cost_ratio` times the mean value.
// value_share: the share of all tasks' value served; task_share: the share
// of the tasks (hence of the tokens) served. Both are 1 at zero cost.
struct ServedTasks {
    double value_share = 1;
    double task_share = 1;
};
ServedTasks served_tasks(double cost_ratio, double log_sd);

// Capability of the model lab i serves: its deployed model's, less
// labs.distillation_kappa_loss_per_oom per OOM of parameters distilled away.
double served_kappa(const LabTable& labs, const LabsConfig& config, std::size_t i);

// Research (docs/model.md section 4). A lab's research input combines its
// research spending and its compute (its training scale), each relative to
// its reference: X = (R / R_0)^(1 - w) (K / K_0)^w.
double research_input(const AlgorithmsConfig& config, double research_usd_per_year,
                      double research_flop);

// Growth rate of ln(efficiency) from the lab's own research:
// theta X^lambda A^-phi (diminishing returns to input, ideas harder to find).
double own_research_rate(const AlgorithmsConfig& config, double input, double efficiency);

// The field's frontier: the best active lab's algorithmic efficiency (0 when
// no lab is active).
double best_efficiency(const LabTable& labs);

// Entry (docs/model.md section 4, "Entry"). The chance that a dormant slot
// attempts a founding round in a step of dt years:
// 1 - exp(-rate * exp(elasticity * mean_sentiment) * dt).
// A dormant slot's chance of a founding attempt this step: the field's
// attempts, labs.entry_rate_per_year * exp(elasticity * mean_sentiment) a
// year, shared among the `dormant_slots` slots still dormant, so the number
// of attempts does not depend on how many slots the tables hold (until
// they run out). 0 when no slot is dormant.
double entry_probability(const LabsConfig& config, double mean_sentiment, double dt, std::size_t dormant_slots);
// The know-how founders take with them: the best active lab's efficiency, or,
// when no lab is active, the best efficiency any lab that entered reached.
double field_efficiency(const LabTable& labs);
// Dormant slot i enters at `step` with its founding round of `raised_usd`
// already paid in: active, efficiency labs.entrant_efficiency_share *
// `field`, opex per quarter labs.entrant_opex_round_share * `raised_usd`
// from now, no model, its first run due.
void enter_lab(LabTable& labs, const ScenarioConfig& config, std::size_t i, double field,
               double raised_usd, std::int32_t step);

}  // namespace airace
