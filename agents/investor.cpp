#include "agents/investor.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "base/parallel.hpp"

namespace airace {

const char* investor_type_name(InvestorType type) {
    return type == InvestorType::corporate ? "corporate" : "venture";
}

void InvestorTable::resize(std::size_t n) {
    // The columns side by side (base/parallel.hpp side_by_side).
    std::vector<std::function<void()>> columns{[this, n] { name.resize(n); },
                                               [this, n] { region.resize(n); },
                                               [this, n] { type.resize(n); }};
    for (auto* column : {&ai_share, &aum_growth, &wow_sensitivity, &aum_usd, &sentiment,
                         &expected_wow, &budget_usd, &dry_powder_usd, &invested_usd, &invested_total_usd,
                         &portfolio_value_usd, &paper_roi})
        columns.emplace_back([column, n] { column->resize(n, 0.0); });
    side_by_side(columns);
}

void decide_budgets(InvestorTable& investors, const InvestorsConfig& config, double dt,
                    std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
        investors.aum_usd[i] *= std::pow(investors.aum_growth[i], dt);
        const double per_year = investors.aum_usd[i] * investors.ai_share[i] *
                                std::exp(config.sentiment_budget_elasticity * investors.sentiment[i]);
        // What was not invested last step (carried by the capital market)
        // stays available, up to investors.dry_powder_years of budget.
        investors.dry_powder_usd[i] =
            std::min(investors.dry_powder_usd[i], config.dry_powder_years * per_year);
        investors.budget_usd[i] = per_year * dt + investors.dry_powder_usd[i];
        investors.invested_usd[i] = 0;
    }
}

namespace {

// How an investor's stakes have done: the log of portfolio value over cost
// basis (paper ROI), within +-limit; nothing before it holds anything.
double portfolio_return(const InvestorTable& investors, std::size_t i, double limit) {
    if (investors.invested_total_usd[i] <= 0) return 0.0;
    const double ratio = 1.0 + investors.paper_roi[i];
    return ratio > 0 ? std::clamp(std::log(ratio), -limit, limit) : -limit;
}

}  // namespace

void update_sentiment(InvestorTable& investors, const InvestorsConfig& config, double dt,
                      const MarketSignals& signals, std::span<const double> co_investor,
                      std::span<const double> portfolio_momentum, std::size_t begin,
                      std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
        const double surprise = signals.observed_wow - investors.expected_wow[i];
        const double s = investors.sentiment[i];
        const double returns =
            config.portfolio_return_sensitivity *
                portfolio_return(investors, i, config.return_signal_limit) +
            config.market_return_sensitivity * signals.market_return;
        const double change =
            investors.wow_sensitivity[i] * surprise +
            config.revenue_sensitivity * signals.revenue_growth -
            config.valuation_sensitivity * signals.valuation_gap + returns +
            config.portfolio_momentum_sensitivity * portfolio_momentum[i] +
            config.herding * (co_investor[i] - s) - config.sentiment_decay * s;
        investors.sentiment[i] =
            std::clamp(s + dt * change, -config.max_sentiment, config.max_sentiment);
        investors.expected_wow[i] += dt * config.expectation_adaptation * surprise;
    }
}

}  // namespace airace
