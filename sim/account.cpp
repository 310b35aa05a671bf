// Phase 9 (account): opex, valuations, bankruptcies and acquisitions, and
// investors' portfolios and sentiment; then the rolling histories that the
// next step's decisions read. Also step(), the one entry point per quarter.

#include <algorithm>
#include <cmath>

#include "sim/parallel.hpp"
#include "sim/profile.hpp"
#include "sim/step.hpp"

namespace airace {
namespace {

std::uint32_t u32(std::size_t i) { return static_cast<std::uint32_t>(i); }

// A lab with negative cash is bankrupt; the active lab with the most cash
// that can cover the shortfall 1.5 times over acquires it (its compute
// contracts and staff, i.e. algorithmic know-how), else it just closes.
void settle_bankruptcies(World& world) {
    LabTable& labs = world.labs;
    for (std::size_t j = 0; j < labs.size(); ++j) {
        if (!labs.active(j) || labs.cash_usd[j] >= 0) continue;
        const double shortfall = -labs.cash_usd[j];
        emit(world, EventType::bankruptcy, AgentKind::lab, u32(j), AgentKind::world, -1, shortfall,
             labs.model_kappa[j]);
        world.totals.bankruptcies += 1;
        std::size_t acquirer = labs.size();
        for (std::size_t k = 0; k < labs.size(); ++k) {
            if (k == j || !labs.active(k) || labs.cash_usd[k] < 1.5 * shortfall) continue;
            if (acquirer == labs.size() || labs.cash_usd[k] > labs.cash_usd[acquirer]) acquirer = k;
        }
        labs.valuation_usd[j] = 0;
        labs.run_start_step[j] = -1;
        labs.run_target_flop[j] = 0;
        if (acquirer == labs.size()) {
            labs.status[j] = LabStatus::bankrupt;
            continue;
        }
        labs.status[j] = LabStatus::acquired;
        labs.cash_usd[acquirer] -= shortfall;
        labs.cash_usd[j] = 0;
        labs.efficiency[acquirer] = std::max(labs.efficiency[acquirer], labs.efficiency[j]);
        world.network.redirect_in(AgentKind::lab, u32(j), u32(acquirer), EdgeType::compute_contract);
        emit(world, EventType::acquisition, AgentKind::lab, u32(acquirer), AgentKind::lab,
             static_cast<std::int64_t>(j), shortfall, labs.model_kappa[j]);
        world.totals.acquisitions += 1;
    }
}

MarketSignals market_signals(const World& world) {
    const ScenarioConfig& config = world.config;
    const LabTable& labs = world.labs;
    const auto slot = static_cast<std::size_t>(world.step % 4);
    MarketSignals signals;
    // Ring slots still hold the values of one year ago until record time.
    signals.observed_wow = world.frontier_kappa - world.frontier_kappa_history[slot];
    const double revenue_now = world.totals.ai_revenue_usd;
    const double revenue_year_ago = world.revenue_history[slot];
    if (revenue_now > 0 && revenue_year_ago > 0)
        signals.revenue_growth = std::clamp(std::log(revenue_now / revenue_year_ago), -1.0, 1.0);
    double valuations = 0;
    double revenue_year = 0;
    for (std::size_t i = 0; i < labs.size(); ++i) {
        if (!labs.active(i)) continue;
        valuations += labs.valuation_usd[i];
        revenue_year += labs.revenue_last_year(i) - labs.revenue_history[4 * i + slot] +
                        labs.revenue_usd[i];
    }
    const double fundamental =
        std::max(revenue_year, 1e8) * config.investors.target_revenue_multiple;
    signals.valuation_gap = std::max(0.0, std::log10(valuations / fundamental));
    return signals;
}

// Portfolio marks, co-investor sentiment and portfolio momentum per investor,
// from the equity edges visited lab by lab (a fixed order).
void portfolio_views(World& world) {
    const LabTable& labs = world.labs;
    InvestorTable& investors = world.investors;
    const std::size_t n = investors.size();
    auto& co = world.scratch.co_investor;
    auto& momentum = world.scratch.portfolio_momentum;
    co.assign(n, 0.0);
    momentum.assign(n, 0.0);
    std::vector<double> co_weight(n, 0.0);
    std::vector<double> momentum_weight(n, 0.0);
    std::fill(investors.portfolio_value_usd.begin(), investors.portfolio_value_usd.end(), 0.0);
    const double frontier_gain =
        world.frontier_kappa - world.frontier_kappa_history[static_cast<std::size_t>(world.step % 4)];
    for (std::size_t j = 0; j < labs.size(); ++j) {
        double weighted = 0;
        double weight = 0;
        world.network.for_each_in(AgentKind::lab, u32(j), EdgeType::equity,
                                  [&](AgentKind, std::uint32_t k, double, double stake) {
                                      weighted += stake * investors.sentiment[k];
                                      weight += stake;
                                  });
        const double lab_momentum =
            labs.model_kappa[j] - labs.kappa_year_ago(j, world.step) - frontier_gain;
        world.network.for_each_in(
            AgentKind::lab, u32(j), EdgeType::equity,
            [&](AgentKind, std::uint32_t k, double, double stake) {
                investors.portfolio_value_usd[k] += stake * labs.valuation_usd[j];
                co[k] += stake * (weighted - stake * investors.sentiment[k]);
                co_weight[k] += stake * (weight - stake);
                momentum[k] += stake * (labs.active(j) ? lab_momentum : -1.0);
                momentum_weight[k] += stake;
            });
    }
    for (std::size_t k = 0; k < n; ++k) {
        co[k] = co_weight[k] > 0 ? co[k] / co_weight[k] : investors.sentiment[k];
        momentum[k] = momentum_weight[k] > 0 ? momentum[k] / momentum_weight[k] : 0.0;
        investors.paper_roi[k] = investors.invested_total_usd[k] > 0
                                     ? investors.portfolio_value_usd[k] / investors.invested_total_usd[k] - 1.0
                                     : 0.0;
    }
}

void roll_histories(World& world) {
    LabTable& labs = world.labs;
    const auto slot = static_cast<std::size_t>(world.step % 4);
    for (std::size_t i = 0; i < labs.size(); ++i) {
        labs.kappa_history[4 * i + slot] = labs.model_kappa[i];
        labs.revenue_history[4 * i + slot] = labs.revenue_usd[i];
    }
    ComputeProviderTable& providers = world.compute_providers;
    for (std::size_t p = 0; p < providers.size(); ++p)
        providers.demand_last_year[4 * p + slot] = providers.demand_flop[p];
    world.frontier_kappa_history[slot] = world.frontier_kappa;
    world.revenue_history[slot] = world.totals.ai_revenue_usd;
}

}  // namespace

void phase_account(World& world) {
    const ScenarioConfig& config = world.config;
    LabTable& labs = world.labs;
    const double years = world.env.years_elapsed;
    for (std::size_t i = 0; i < labs.size(); ++i) {
        if (!labs.active(i)) {
            labs.opex_usd[i] = 0;
            continue;
        }
        labs.opex_usd[i] = lab_opex(labs, i, years, config.dt_years()) +
                           config.labs.opex_revenue_share * labs.revenue_usd[i];
        labs.cash_usd[i] -= labs.opex_usd[i];
        // Between rounds a lab is marked at least at its revenue multiple.
        const double revenue_year = labs.revenue_last_year(i) -
                                    labs.revenue_history[4 * i + static_cast<std::size_t>(world.step % 4)] +
                                    labs.revenue_usd[i];
        labs.valuation_usd[i] = std::max(labs.valuation_usd[i],
                                         revenue_year * config.investors.target_revenue_multiple);
    }
    settle_bankruptcies(world);
    world.cumulative_bankruptcies += world.totals.bankruptcies;
    world.cumulative_acquisitions += world.totals.acquisitions;
    world.cumulative_incidents += world.totals.incidents;
    update_frontier(world);
    const MarketSignals signals = market_signals(world);
    world.frontier_gain_year = signals.observed_wow;
    portfolio_views(world);
    parallel_for(world.investors.size(), 256, [&](std::size_t b, std::size_t e) {
        update_sentiment(world.investors, config.investors, config.dt_years(), signals,
                         world.scratch.co_investor, world.scratch.portfolio_momentum, b, e);
    });
    roll_histories(world);
}

void step(World& world) {
    // The phases of ARCHITECTURE.md, each timed when a profiler is attached.
    struct Phase {
        const char* name;
        void (*run)(World&);
    };
    static constexpr Phase phases[] = {
        {"1 environment", phase_environment},
        {"2 decide", phase_decide},
        {"3 capital market", phase_capital_market},
        {"4 compute market", phase_compute_market},
        {"5 data market", phase_data_market},
        {"6 train and release", phase_train_and_release},
        {"7 product market", phase_product_market},
        {"8 regulate", phase_regulate},
        {"9 account", phase_account},
    };
    for (const Phase& phase : phases) {
        const ProfileScope scope(world.profiler, phase.name);
        phase.run(world);
    }
    ++world.step;
}

}  // namespace airace
