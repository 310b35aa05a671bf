// sim/scaling.cpp: the Chinchilla loss with the Epoch (Besiroglu et al. 2024)
// coefficients, the compute-optimal split, kappa, the data wall, Muennighoff
// repetition, the capability score and the reasoning gain. Expected numbers
// are computed by hand (python3) from the formulas, not by the code under test.

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <limits>

#include "config/config.hpp"
#include "sim/scaling.hpp"

using namespace airace;

namespace {

// Epoch coefficients, written out so a change of defaults is also caught.
ScalingLaw epoch_law() {
    ScalingLaw law;
    law.e = 1.8172;
    law.a = 482.01;
    law.b = 2085.43;
    law.alpha = 0.3478;
    law.beta = 0.3658;
    law.repetition_rstar = 15.0;
    return law;
}

constexpr double no_data_limit = std::numeric_limits<double>::infinity();

}  // namespace

TEST_CASE("loss is E + A/N^alpha + B/D^beta with the Epoch coefficients", "[scaling]") {
    const ScalingLaw law = epoch_law();
    // python3: 1.8172 + 482.01/1e9**0.3478 + 2085.43/2e10**0.3658
    CHECK(law.loss(1e9, 2e10) == Approx(2.530050323678703).epsilon(1e-10));
    // python3: 1.8172 + 482.01/7e10**0.3478 + 2085.43/1.4e12**0.3658
    CHECK(law.loss(7e10, 1.4e12) == Approx(1.9738818631585637).epsilon(1e-10));
}

TEST_CASE("default ScalingLaw and ScalingConfig carry the Epoch coefficients", "[scaling]") {
    const ScalingLaw from_defaults;
    const ScalingLaw from_config = ScalingLaw::from(ScalingConfig{});
    CHECK(from_defaults.loss(1e9, 2e10) == Approx(2.530050323678703).epsilon(1e-10));
    CHECK(from_config.loss(1e9, 2e10) == Approx(2.530050323678703).epsilon(1e-10));
    CHECK(from_config.repetition_rstar == 15.0);
}

TEST_CASE("G is (alpha A / (beta B))^(1/(alpha+beta))", "[scaling]") {
    // python3: (0.3478*482.01/(0.3658*2085.43))**(1/(0.3478+0.3658))
    CHECK(epoch_law().g() == Approx(0.11962984977039547).epsilon(1e-10));
}

TEST_CASE("the optimal split spends exactly the compute: 6 N D = C", "[scaling]") {
    const ScalingLaw law = epoch_law();
    for (const double compute_flop : {1e18, 3.5e21, 1e24, 2e26}) {
        const double params = law.optimal_params(compute_flop);
        const double tokens = law.optimal_tokens(compute_flop);
        CHECK(6.0 * params * tokens == Approx(compute_flop).epsilon(1e-12));
    }
}

TEST_CASE("optimal_params follows G (C/6)^(beta/(alpha+beta))", "[scaling]") {
    // python3: G*(1e24/6)**(0.3658/(0.3478+0.3658)), D = C/(6N)
    const ScalingLaw law = epoch_law();
    CHECK(law.optimal_params(1e24) == Approx(95860654045.68231).epsilon(1e-9));
    CHECK(law.optimal_tokens(1e24) == Approx(1738634774881.0664).epsilon(1e-9));
}

TEST_CASE("the optimal split minimises loss at fixed compute", "[scaling]") {
    const ScalingLaw law = epoch_law();
    const double compute_flop = 1e24;
    const double best_params = law.optimal_params(compute_flop);
    const double best_loss = law.optimal_loss(compute_flop);
    CHECK(best_loss == Approx(law.loss(best_params, law.optimal_tokens(compute_flop))));
    for (const double factor : {0.5, 0.8, 0.95, 1.05, 1.25, 2.0}) {
        const double params = best_params * factor;
        const double tokens = compute_flop / (6.0 * params);
        CAPTURE(factor);
        CHECK(law.loss(params, tokens) > best_loss);
    }
}

TEST_CASE("kappa_from_loss inverts optimal_loss: kappa = log10 C", "[scaling]") {
    const ScalingLaw law = epoch_law();
    for (const double compute_flop : {1e18, 1e21, 3e23, 1e24, 5e25, 1e28}) {
        CAPTURE(compute_flop);
        CHECK(law.kappa_from_loss(law.optimal_loss(compute_flop)) ==
              Approx(std::log10(compute_flop)).margin(1e-9));
    }
}

TEST_CASE("train without a data limit reaches kappa = log10(efficiency C)", "[scaling]") {
    const ScalingLaw law = epoch_law();
    for (const double efficiency : {1.0, 3.0, 40.0}) {
        const double compute_flop = 1e24;
        const TrainingOutcome outcome = train(law, compute_flop, efficiency, no_data_limit);
        CAPTURE(efficiency);
        CHECK_FALSE(outcome.data_limited);
        CHECK(outcome.kappa == Approx(std::log10(efficiency * compute_flop)).margin(1e-9));
        CHECK(outcome.params == Approx(law.optimal_params(compute_flop)));
        CHECK(outcome.tokens_seen == Approx(law.optimal_tokens(compute_flop)));
        CHECK(outcome.effective_tokens == Approx(outcome.tokens_seen));
    }
}

TEST_CASE("train with ample unique data is not data limited", "[scaling]") {
    const ScalingLaw law = epoch_law();
    const double compute_flop = 1e24;
    const double unique_tokens = 2.0 * law.optimal_tokens(compute_flop);
    const TrainingOutcome outcome = train(law, compute_flop, 2.0, unique_tokens);
    CHECK_FALSE(outcome.data_limited);
    CHECK(outcome.kappa == Approx(std::log10(2.0 * compute_flop)).margin(1e-9));
}

TEST_CASE("train with unique tokens far below D_opt hits the data wall", "[scaling]") {
    const ScalingLaw law = epoch_law();
    const double compute_flop = 1e25;
    const double efficiency = 4.0;
    const double unique_tokens = law.optimal_tokens(compute_flop) / 100.0;
    const TrainingOutcome outcome = train(law, compute_flop, efficiency, unique_tokens);
    CHECK(outcome.data_limited);
    CHECK(outcome.kappa < std::log10(efficiency * compute_flop) - 0.01);
    // It repeats data (sees more than U) but never more than the optimal D.
    CHECK(outcome.tokens_seen >= unique_tokens);
    CHECK(outcome.tokens_seen <= law.optimal_tokens(compute_flop) * (1 + 1e-9));
    CHECK(outcome.effective_tokens < outcome.tokens_seen);
    CHECK(6.0 * outcome.params * outcome.tokens_seen == Approx(compute_flop).epsilon(1e-12));
}

TEST_CASE("behind the data wall, train repeats data as far as it lowers the loss", "[scaling]") {
    // At efficiency 1 the run's loss is L(C / 6D, D'(U, D)); the chosen D must
    // beat nearby choices and beat seeing each unique token only once.
    const ScalingLaw law = epoch_law();
    const double compute_flop = 1e25;
    const double unique_tokens = law.optimal_tokens(compute_flop) / 100.0;
    const TrainingOutcome outcome = train(law, compute_flop, 1.0, unique_tokens);
    REQUIRE(outcome.data_limited);
    const auto loss_seeing = [&](double tokens_seen) {
        return law.loss(compute_flop / (6.0 * tokens_seen),
                        repeated_data_value(unique_tokens, tokens_seen, law.repetition_rstar));
    };
    CHECK(outcome.loss == Approx(loss_seeing(outcome.tokens_seen)).epsilon(1e-12));
    CHECK(outcome.effective_tokens ==
          Approx(repeated_data_value(unique_tokens, outcome.tokens_seen, 15.0)));
    for (const double factor : {0.8, 0.9, 1.1, 1.25}) {
        CAPTURE(factor);
        CHECK(loss_seeing(outcome.tokens_seen * factor) > outcome.loss);
    }
    CHECK(loss_seeing(unique_tokens) > outcome.loss + 0.1);
}

TEST_CASE("more unique tokens give higher kappa behind the data wall", "[scaling]") {
    const ScalingLaw law = epoch_law();
    const double compute_flop = 1e25;
    const double optimal_tokens = law.optimal_tokens(compute_flop);
    double previous_kappa = -std::numeric_limits<double>::infinity();
    for (const double fraction : {0.001, 0.01, 0.05, 0.2, 0.5}) {
        const TrainingOutcome outcome = train(law, compute_flop, 1.0, fraction * optimal_tokens);
        CAPTURE(fraction);
        REQUIRE(outcome.data_limited);
        CHECK(outcome.kappa > previous_kappa);
        CHECK(outcome.kappa < std::log10(compute_flop));
        previous_kappa = outcome.kappa;
    }
}

TEST_CASE("repeated_data_value is the tokens seen when none repeat", "[scaling]") {
    CHECK(repeated_data_value(1e9, 5e8, 15.0) == 5e8);
    CHECK(repeated_data_value(1e9, 1e9, 15.0) == 1e9);
}

TEST_CASE("repeated_data_value follows Muennighoff eq. 5 when data repeat", "[scaling]") {
    // python3: U + U*R*(1 - exp(-(D/U - 1)/R)) with U=1e9, D=4e9, R=15
    CHECK(repeated_data_value(1e9, 4e9, 15.0) == Approx(3719038703.8302727).epsilon(1e-10));
}

TEST_CASE("repeated_data_value is bounded by U (1 + R*)", "[scaling]") {
    const double unique_tokens = 1e9;
    const double rstar = 15.0;
    const double bound = unique_tokens * (1.0 + rstar);
    double previous = 0;
    for (const double epochs : {2.0, 10.0, 100.0, 1e4}) {
        const double value = repeated_data_value(unique_tokens, epochs * unique_tokens, rstar);
        CAPTURE(epochs);
        CHECK(value <= bound);
        CHECK(value > previous);
        previous = value;
    }
    CHECK(previous == Approx(bound).epsilon(1e-9));
}

TEST_CASE("capability_score is 50 at k50", "[scaling]") {
    CHECK(capability_score(25.5, 25.5, 1.0) == 50.0);
    CHECK(capability_score(22.0, 22.0, 0.3) == 50.0);
}

TEST_CASE("capability_score is symmetric about k50", "[scaling]") {
    // python3: 100/(1+exp(-(26.5-25.5)/1.0))
    CHECK(capability_score(26.5, 25.5, 1.0) == Approx(73.10585786300048).epsilon(1e-12));
    for (const double offset : {0.1, 0.7, 2.0, 5.0}) {
        CAPTURE(offset);
        CHECK(capability_score(25.5 + offset, 25.5, 0.8) +
                  capability_score(25.5 - offset, 25.5, 0.8) ==
              Approx(100.0).epsilon(1e-12));
    }
}

TEST_CASE("capability_score's width sets how fast it rises", "[scaling]") {
    // python3: 100/(1+exp(-(26.0-25.5)/0.25))
    CHECK(capability_score(26.0, 25.5, 0.25) == Approx(88.07970779778823).epsilon(1e-12));
    CHECK(capability_score(26.0, 25.5, 0.25) > capability_score(26.0, 25.5, 1.0));
}

TEST_CASE("capability_score rises with kappa and stays in (0, 100)", "[scaling]") {
    double previous = 0;
    for (const double kappa : {20.0, 23.0, 25.0, 25.5, 26.0, 28.0, 31.0}) {
        const double score = capability_score(kappa, 25.5, 1.0);
        CAPTURE(kappa);
        CHECK(score > previous);
        CHECK(score < 100.0);
        previous = score;
    }
}

TEST_CASE("reasoning_gain is zero at intensity one or below", "[scaling]") {
    CHECK(reasoning_gain(1.0, 0.4, 1.15) == 0.0);
    CHECK(reasoning_gain(0.5, 0.4, 1.15) == 0.0);
    CHECK(reasoning_gain(0.0, 0.4, 1.15) == 0.0);
}

TEST_CASE("reasoning_gain is r log10(m) below the cap", "[scaling]") {
    CHECK(reasoning_gain(10.0, 0.4, 1.15) == Approx(0.4).epsilon(1e-12));
    // python3: 0.4*math.log10(5)
    CHECK(reasoning_gain(5.0, 0.4, 1.15) == Approx(0.27958800173440757).epsilon(1e-12));
}

TEST_CASE("reasoning_gain is capped at max_gain", "[scaling]") {
    // 0.4 * log10(1e6) = 2.4 > 1.15
    CHECK(reasoning_gain(1e6, 0.4, 1.15) == 1.15);
    CHECK(reasoning_gain(1e12, 0.4, 1.15) == 1.15);
}

TEST_CASE("synthetic data: generation takes at most its share of the run", "[scaling][synthetic]") {
    const ScalingLaw law = ScalingLaw::from(ScalingConfig{});
    SyntheticPlan plan;
    plan.mode = SyntheticMode::replace;
    plan.penalty_per_share = 0.3;
    plan.generator_params = 1e13;  // a dear generator: generation hits the cap
    const double compute = 1e25;
    const double unique = 1e12;
    const TrainingOutcome half = train_with_synthetic(law, compute, 1.0, unique, plan);
    REQUIRE(half.synthetic_tokens > 0);
    CHECK(half.generation_flop == Approx(0.5 * compute));
    plan.max_generation_share = 0.1;
    const TrainingOutcome tenth = train_with_synthetic(law, compute, 1.0, unique, plan);
    CHECK(tenth.generation_flop == Approx(0.1 * compute));
    CHECK(tenth.synthetic_tokens == Approx(0.2 * half.synthetic_tokens));
}

TEST_CASE("synthetic data: accumulating costs a share of one generation's collapse penalty",
          "[scaling][synthetic]") {
    const ScalingLaw law = ScalingLaw::from(ScalingConfig{});
    SyntheticPlan plan;
    plan.mode = SyntheticMode::accumulate;
    plan.penalty_per_share = 0.3;
    plan.generator_params = 1e9;
    const double compute = 1e28;
    const double unique = 1e12;
    const TrainingOutcome quarter = train_with_synthetic(law, compute, 1.0, unique, plan);
    REQUIRE(quarter.synthetic_tokens > 0);
    CHECK(quarter.collapse_penalty == Approx(0.25 * 0.3 * quarter.synthetic_share));
    plan.accumulate_penalty_share = 0.5;
    const TrainingOutcome half = train_with_synthetic(law, compute, 1.0, unique, plan);
    REQUIRE(half.synthetic_tokens > 0);
    CHECK(half.collapse_penalty == Approx(0.5 * 0.3 * half.synthetic_share));
    CHECK(half.kappa < quarter.kappa);
}

TEST_CASE("a run with no usable data has a finite, very high loss", "[scaling]") {
    const ScalingLaw law = epoch_law();
    const TrainingOutcome none = train(law, 1e24, 1.0, 0.0);
    CHECK(std::isfinite(none.loss));
    CHECK(std::isfinite(none.kappa));
    CHECK(none.data_limited);
    CHECK(none.loss > train(law, 1e24, 1.0, 1e9).loss);
}

TEST_CASE("quality_adjusted_tokens: the deeper into the stock, the less a token is worth",
          "[scaling][data]") {
    const double stock = 1e14;
    CHECK(quality_adjusted_tokens(3e13, stock, 0.0) == 3e13);  // no decay: a token is a token
    // U_eff = (H / k)(1 - exp(-k U / H))
    CHECK(quality_adjusted_tokens(3e13, stock, 2.0) == Approx(stock / 2 * (1 - std::exp(-0.6))));
    // Concave: the second half of the stock adds less than the first.
    const double half = quality_adjusted_tokens(0.5 * stock, stock, 2.0);
    const double whole = quality_adjusted_tokens(stock, stock, 2.0);
    CHECK(half < 0.5 * stock);
    CHECK(whole - half < half);
    // A small share of the stock is worth about its count (the best sources).
    CHECK(quality_adjusted_tokens(1e-4 * stock, stock, 2.0) == Approx(1e-4 * stock).epsilon(1e-3));
}

TEST_CASE("human_tokens_for inverts quality_adjusted_tokens, at most the whole stock",
          "[scaling][data]") {
    const double stock = 1e14;
    for (const double decay : {0.0, 0.5, 2.0, 5.0}) {
        const double used = 0.4 * stock;
        CHECK(human_tokens_for(quality_adjusted_tokens(used, stock, decay), stock, decay) ==
              Approx(used));
    }
    // Worth at most H (1 - e^-k) / k: more than that takes the whole stock.
    CHECK(human_tokens_for(0.6 * stock, stock, 2.0) == stock);
}

TEST_CASE("quality decay makes the data wall harder: the same tokens give less capability",
          "[scaling][data]") {
    const ScalingLaw law = epoch_law();
    const double stock = 1e14;
    const double used = 5e13;  // half the stock, far below D_opt at 1e30 FLOP
    const TrainingOutcome flat = train(law, 1e30, 1.0, quality_adjusted_tokens(used, stock, 0.0));
    const TrainingOutcome steep = train(law, 1e30, 1.0, quality_adjusted_tokens(used, stock, 2.0));
    REQUIRE(flat.data_limited);
    CHECK(steep.kappa < flat.kappa - 0.05);
}

namespace {

// The collapse penalty after `generations` data-limited runs of a lab that
// carries its penalty from one model to the next.
double carried_penalty(SyntheticMode mode, int generations, double* first = nullptr) {
    const ScalingLaw law = epoch_law();
    SyntheticPlan plan;
    plan.mode = mode;
    plan.penalty_per_share = 0.3;
    plan.generator_params = 1e9;
    for (int g = 0; g < generations; ++g) {
        const TrainingOutcome out = train_with_synthetic(law, 1e28, 1.0, 1e12, plan);
        CHECK(out.synthetic_share > 0);  // synthetic data stays in the mix
        if (g == 0 && first) *first = out.collapse_penalty;
        plan.previous_penalty = out.collapse_penalty;
    }
    return plan.previous_penalty;
}

}  // namespace

TEST_CASE("collapse penalty accumulates across generations: bounded when accumulating, "
          "growing when replacing", "[scaling][synthetic]") {
    double first = 0;
    const double after_three = carried_penalty(SyntheticMode::accumulate, 3, &first);
    const double after_forty = carried_penalty(SyntheticMode::accumulate, 40);
    CHECK(after_three > first * 1.5);       // not a fraction of this generation's only
    CHECK(after_forty > after_three);
    CHECK(after_forty <= 0.3 * 0.5 + 1e-9);  // bounded by lambda * max share
    CHECK(carried_penalty(SyntheticMode::accumulate, 41) == Approx(after_forty).epsilon(1e-3));
    // Replacing compounds: it keeps growing, past any bound.
    CHECK(carried_penalty(SyntheticMode::replace, 40) > 10 * after_forty);
}

TEST_CASE("the collapse penalty decays only when a lab trains without synthetic data",
          "[scaling][synthetic]") {
    const ScalingLaw law = epoch_law();
    SyntheticPlan plan;
    plan.mode = SyntheticMode::accumulate;
    plan.penalty_per_share = 0.3;
    plan.generator_params = 1e9;
    plan.previous_penalty = 0.2;
    plan.collapse_decay = 0.5;
    // Ample human data: no synthetic data, the penalty halves, it does not reset.
    const TrainingOutcome clean = train_with_synthetic(law, 1e24, 1.0, no_data_limit, plan);
    CHECK(clean.synthetic_share == 0);
    CHECK(clean.collapse_penalty == Approx(0.1));
    CHECK(clean.kappa < train(law, 1e24, 1.0, no_data_limit).kappa);
    plan.collapse_decay = 0;
    CHECK(train_with_synthetic(law, 1e24, 1.0, no_data_limit, plan).collapse_penalty == Approx(0.2));
    plan.collapse_decay = 1;
    CHECK(train_with_synthetic(law, 1e24, 1.0, no_data_limit, plan).collapse_penalty == 0);
}

TEST_CASE("unique_human_tokens: new text a lab paid for counts in full, the stock's lose quality",
          "[sim][scaling][data]") {
    const double stock = 1e14;
    const double stock_only = unique_human_tokens(5e13, 0, stock, 2.0);
    CHECK(stock_only == Approx(quality_adjusted_tokens(5e13, stock, 2.0)));
    // Of the same usable tokens, 1e13 produced: worth more than from the stock.
    CHECK(unique_human_tokens(5e13, 1e13, stock, 2.0) ==
          Approx(quality_adjusted_tokens(4e13, stock, 2.0) + 1e13));
    CHECK(unique_human_tokens(5e13, 1e13, stock, 2.0) > stock_only);
}
