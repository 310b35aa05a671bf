#include "agents/investor.hpp"

#include <algorithm>
#include <cmath>


namespace airace {

const char* investor_type_name(InvestorType type) {
    return type == InvestorType::corporate ? "corporate" : "venture";
}

void InvestorTable::resize(std::size_t n) {
    name.resize(n);
    region.resize(n);
    type.resize(n);
    for (auto* column : {&ai_share, &aum_growth, &wow_sensitivity, &aum_usd, &sentiment,
                         &expected_wow, &budget_usd, &dry_powder_usd, &invested_usd, &invested_total_usd,
                         &portfolio_value_usd, &paper_roi})
        column->resize(n, 0.0);
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

void update_sentiment(InvestorTable& investors, const InvestorsConfig& config, double dt,
                      const MarketSignals& signals, std::span<const double> co_investor,
                      std::span<const double> portfolio_momentum, std::size_t begin,
                      std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
        const double surprise = signals.observed_wow - investors.expected_wow[i];
        const double s = investors.sentiment[i];
        const double change =
            investors.wow_sensitivity[i] * surprise +
            config.revenue_sensitivity * signals.revenue_growth -
            config.valuation_sensitivity * signals.valuation_gap +
            config.portfolio_momentum_sensitivity * portfolio_momentum[i] +
            config.herding * (co_investor[i] - s) - config.sentiment_decay * s;
        investors.sentiment[i] =
            std::clamp(s + dt * change, -config.max_sentiment, config.max_sentiment);
        investors.expected_wow[i] += dt * config.expectation_adaptation * surprise;
    }
}

}  // namespace airace
