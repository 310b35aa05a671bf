// Phase 9, account: opex, valuations, bankruptcies and acquisitions, and
// investors' portfolios and sentiment; then the rolling histories that the
// next step's decisions read.

#include <algorithm>
#include <cmath>
#include <utility>

#include "base/parallel.hpp"
#include "base/profile.hpp"
#include "sim/phases/phases.hpp"

namespace airace {
namespace {

// Labs pay opex (a base growing over time plus a share of revenue); a lab
// stays marked at its last post-money between rounds. A closed lab's opex
// is 0.
void pay_opex(const ScenarioConfig& config, double years_elapsed, LabTable& labs) {
    for (std::size_t i = 0; i < labs.size(); ++i) {
        if (!labs.active(i)) {
            labs.opex_usd[i] = 0;
            continue;
        }
        labs.opex_usd[i] = lab_opex(labs, i, years_elapsed, config.dt_years()) +
                           config.labs.opex_revenue_share * labs.revenue_usd[i];
        labs.cash_usd[i] -= labs.opex_usd[i];
    }
}

// A lab with negative cash is bankrupt; the active lab with the most cash,
// if it has labs.acquisition_cash_multiple times the shortfall, acquires it
// (its compute contracts and staff, i.e. algorithmic know-how), else it just
// closes.
//
// The acquirer is the richest active lab (the lowest index among equals):
// labs that can pay are kept in a heap by cash (built in linear time the
// first time a lab goes bankrupt in a step), so each bankruptcy costs
// O(log labs) instead of a scan of all labs.
void settle_bankruptcies(const AccountIO& io) {
    LabTable& labs = io.labs;
    // Richest first, then lowest index: a strict order (indices differ), so
    // the heap's top is the same whatever its layout. Only labs with cash
    // >= 0 can pay anything; a bankrupt lab (cash < 0) never can.
    using Payer = std::pair<double, std::uint32_t>;
    const auto poorer = [](const Payer& l, const Payer& r) {
        return l.first != r.first ? l.first < r.first : l.second > r.second;
    };
    std::vector<Payer>& payers = io.acquirers.heap;
    const double cash_multiple = io.config.labs.acquisition_cash_multiple;
    bool built = false;
    for (std::size_t j = 0; j < labs.size(); ++j) {
        if (!labs.active(j) || labs.cash_usd[j] >= 0) continue;
        if (!built) {
            payers.clear();
            for (std::size_t k = 0; k < labs.size(); ++k)
                if (labs.active(k) && labs.cash_usd[k] >= 0)
                    payers.emplace_back(labs.cash_usd[k], index32(k));
            std::make_heap(payers.begin(), payers.end(), poorer);
            built = true;
        }
        const double shortfall = -labs.cash_usd[j];
        io.events.emit(EventType::bankruptcy, AgentKind::lab, index32(j), AgentKind::world, -1,
                       shortfall, labs.model_kappa[j]);
        io.totals.bankruptcies += 1;
        std::size_t acquirer = labs.size();
        if (!payers.empty() && payers.front().first >= cash_multiple * shortfall)
            acquirer = payers.front().second;
        labs.valuation_usd[j] = 0;
        labs.run_start_step[j] = -1;
        labs.held_until_step[j] = -1;
        labs.run_target_flop[j] = 0;
        if (acquirer == labs.size()) {
            labs.status[j] = LabStatus::bankrupt;
            continue;
        }
        labs.status[j] = LabStatus::acquired;
        std::pop_heap(payers.begin(), payers.end(), poorer);
        labs.cash_usd[acquirer] -= shortfall;
        payers.back() = {labs.cash_usd[acquirer], index32(acquirer)};
        std::push_heap(payers.begin(), payers.end(), poorer);
        labs.cash_usd[j] = 0;
        labs.efficiency[acquirer] = std::max(labs.efficiency[acquirer], labs.efficiency[j]);
        io.network.redirect_in(AgentKind::lab, index32(j), index32(acquirer), EdgeType::compute_contract);
        io.events.emit(EventType::acquisition, AgentKind::lab, index32(acquirer), AgentKind::lab,
                       static_cast<std::int64_t>(j), shortfall, labs.model_kappa[j]);
        io.totals.acquisitions += 1;
    }
}

// What every investor observes at the end of the step: the frontier's gain
// over a year, AI revenue growth (within investors.revenue_growth_limit), how
// far valuations run ahead of (or behind) revenue, and what the capital
// raised by labs, lost capital included, has earned: revenue over the year
// at the target multiple against it (within investors.return_signal_limit).
// Revenue counts at least investors.market_revenue_floor_usd.
MarketSignals market_signals(const AccountIO& io) {
    const InvestorsConfig& config = io.config.investors;
    const LabTable& labs = io.labs;
    const std::size_t slot = io.year.slot(io.step);
    MarketSignals signals;
    // Ring slots still hold the values of one year ago until record time.
    signals.observed_wow = io.frontier_kappa - io.frontier_kappa_history[slot];
    const double revenue_now = io.totals.ai_revenue_usd;
    const double revenue_year_ago = io.revenue_history[slot];
    if (revenue_now > 0 && revenue_year_ago > 0)
        signals.revenue_growth = std::clamp(std::log(revenue_now / revenue_year_ago),
                                            -config.revenue_growth_limit, config.revenue_growth_limit);
    double valuations = 0;
    double revenue_year = 0;
    double raised = 0;
    for (std::size_t i = 0; i < labs.size(); ++i) {
        raised += labs.raised_total_usd[i];
        if (!labs.active(i)) continue;
        valuations += labs.valuation_usd[i];
        revenue_year += labs.revenue_last_year(i) - labs.revenue_history[labs.year.at(i, io.step)] +
                        labs.revenue_usd[i];
    }
    const double fundamental =
        std::max(revenue_year, config.market_revenue_floor_usd) * config.target_revenue_multiple;
    if (valuations > 0) signals.valuation_gap = std::log10(valuations / fundamental);
    const double earned =
        std::max(revenue_year, config.market_revenue_floor_usd) * config.return_revenue_multiple;
    if (raised > 0)
        signals.market_return = std::clamp(std::log(earned / raised), -config.return_signal_limit,
                                           config.return_signal_limit);
    return signals;
}

// Per lab: the stake-weighted sentiment of its holders, their stakes, and
// its momentum against the frontier (or -1 once it is gone). The sums over
// holders run in the order the stakes were bought (the graph's holders
// lists, kept up to date as stakes change); labs in parallel.
void lab_views(const LabTable& labs, const InvestorTable& investors, const Network& network,
               std::int32_t step, double frontier_gain, PortfolioViews& views) {
    views.labs.resize(labs.size());
    // Chunks of 64 labs: each visits all its holders' edges (a grain of
    // work, not behaviour: the sums run in the same order in any chunking).
    parallel_for(labs.size(), 64, [&](std::size_t b, std::size_t e) {
        for (std::size_t j = b; j < e; ++j) {
            double sum = 0;
            double stakes = 0;
            network.visit_holders(index32(j), [&](std::uint32_t k, double stake) {
                sum += stake * investors.sentiment[k];
                stakes += stake;
            });
            LabView& view = views.labs[j];
            view.equity_scale = network.equity_scale(index32(j));
            view.valuation_usd = labs.valuation_usd[j];
            view.weighted_sentiment = sum;
            view.stakes = stakes;
            view.momentum = labs.active(j) ? labs.model_kappa[j] - labs.kappa_year_ago(j, step) - frontier_gain
                                           : -1.0;
        }
    });
}

// Per investor, from the lab views: its portfolio marked at the labs'
// valuations, its co-investors' mean sentiment and its labs' mean momentum.
// Each investor's sums run over its labs in lab order (its out-edges are
// sorted by lab); investors in parallel.
void investor_views(const Network& network, InvestorTable& investors,
                    PortfolioViews& views) {
    const std::size_t n = investors.size();
    auto& co = views.co_investor;
    auto& momentum = views.portfolio_momentum;
    co.resize(n);
    momentum.resize(n);
    const std::vector<LabView>& lab = views.labs;
    parallel_for(n, investor_grain, [&](std::size_t b, std::size_t e) {
        for (std::size_t k = b; k < e; ++k) {
            double value = 0, co_sum = 0, co_weight = 0, momentum_sum = 0, momentum_weight = 0;
            const double sentiment = investors.sentiment[k];
            network.prefetch_holdings(index32(k + 4));
            network.visit_holding_units(index32(k), [&](std::uint32_t j, double units) {
                const LabView& view = lab[j];
                const double stake = units * view.equity_scale;
                value += stake * view.valuation_usd;
                co_sum += stake * (view.weighted_sentiment - stake * sentiment);
                co_weight += stake * (view.stakes - stake);
                momentum_sum += stake * view.momentum;
                momentum_weight += stake;
            });
            investors.portfolio_value_usd[k] = value;
            co[k] = co_weight > 0 ? co_sum / co_weight : sentiment;
            momentum[k] = momentum_weight > 0 ? momentum_sum / momentum_weight : 0.0;
            investors.paper_roi[k] =
                investors.invested_total_usd[k] > 0
                    ? investors.portfolio_value_usd[k] / investors.invested_total_usd[k] - 1.0
                    : 0.0;
        }
    });
}

// This step's capability, revenue and compute demand go into the rings of
// the last year's steps, which the next steps' decisions read, and
// providers' earnings into their yearly average.
void roll_histories(const AccountIO& io) {
    LabTable& labs = io.labs;
    const std::int32_t step = io.step;
    for (std::size_t i = 0; i < labs.size(); ++i) {
        labs.kappa_history[labs.year.at(i, step)] = labs.model_kappa[i];
        labs.revenue_history[labs.year.at(i, step)] = labs.revenue_usd[i];
    }
    ComputeProviderTable& providers = io.compute_providers;
    for (std::size_t p = 0; p < providers.size(); ++p)
        providers.demand_last_year[providers.year.at(p, step)] = providers.demand_flop[p];
    update_earnings(providers, io.config.compute, io.compute_market.costs(io.env.costs),
                    io.config.dt_years(), 0, providers.size());
    const std::size_t slot = io.year.slot(step);
    io.frontier_kappa_history[slot] = io.frontier_kappa;
    io.revenue_history[slot] = io.totals.ai_revenue_usd;
}

}  // namespace

void phase_account(const AccountIO& io) {
    const ScenarioConfig& config = io.config;
    pay_opex(config, io.env.years_elapsed, io.labs);
    ProfileScope bankruptcies(io.profiler, "9 account / bankruptcies and acquisitions");
    settle_bankruptcies(io);
    bankruptcies.stop();
    io.cumulative_bankruptcies += io.totals.bankruptcies;
    io.cumulative_acquisitions += io.totals.acquisitions;
    io.cumulative_incidents += io.totals.incidents;
    io.cumulative_entries += io.totals.entries;
    update_frontier(io.labs, io.frontier_kappa);
    const MarketSignals signals = market_signals(io);
    io.frontier_gain_year = signals.observed_wow;
    ProfileScope views(io.profiler, "9 account / portfolio views");
    PortfolioViews& portfolios = io.portfolios;
    const double frontier_gain = io.frontier_kappa - io.frontier_kappa_history[io.year.slot(io.step)];
    lab_views(io.labs, io.investors, io.network, io.step, frontier_gain, portfolios);
    investor_views(io.network, io.investors, portfolios);
    views.stop();
    parallel_for(io.investors.size(), investor_grain, [&](std::size_t b, std::size_t e) {
        update_sentiment(io.investors, config.investors, config.dt_years(), signals,
                         portfolios.co_investor, portfolios.portfolio_momentum, b, e);
    });
    roll_histories(io);
}

}  // namespace airace
