#include "agents/investor.hpp"

#include <algorithm>
#include <cmath>

#include "sim/markets.hpp"

namespace airace {

const char* investor_type_name(InvestorType type) {
    return type == InvestorType::corporate ? "corporate" : "venture";
}

void InvestorTable::resize(std::size_t n) {
    name.resize(n);
    region.resize(n);
    type.resize(n);
    for (auto* column : {&ai_share, &aum_growth, &wow_sensitivity, &aum_usd, &sentiment,
                         &expected_wow, &budget_usd, &invested_usd, &invested_total_usd,
                         &portfolio_value_usd, &paper_roi})
        column->resize(n, 0.0);
}

void decide_budgets(InvestorTable& investors, const InvestorsConfig& config, double dt,
                    std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
        investors.aum_usd[i] *= std::pow(investors.aum_growth[i], dt);
        investors.budget_usd[i] = investors.aum_usd[i] * investors.ai_share[i] *
                                  std::exp(config.sentiment_budget_elasticity *
                                           investors.sentiment[i]) *
                                  dt;
        investors.invested_usd[i] = 0;
    }
}

void decide_commitments(const InvestorTable& investors, const InvestorsConfig& config,
                        std::span<const RequestView> requests, std::size_t begin, std::size_t end,
                        std::span<double> commitments) {
    const std::size_t width = requests.size();
    std::vector<double> scores(width);
    for (std::size_t i = begin; i < end; ++i) {
        // Momentum and rank pull money toward labs whose releases impress;
        // valuation far above revenue pushes it away; home bias is mild.
        for (std::size_t j = 0; j < width; ++j) {
            const RequestView& request = requests[j];
            const double multiple =
                request.pre_money_usd / std::max(request.revenue_usd, 1e6);
            scores[j] = investors.wow_sensitivity[i] * request.momentum +
                        1.0 * request.frontier_gap -
                        0.3 * std::max(0.0, std::log10(multiple / config.target_revenue_multiple)) +
                        (request.region == investors.region[i] ? 0.5 : 0.0) +
                        0.2 * investors.sentiment[i] * request.momentum;
        }
        // Investors join only their best few rounds (ties by request order),
        // spreading the budget by a softmax over those.
        const std::size_t deals = std::min(width, static_cast<std::size_t>(config.deals_per_step));
        std::vector<std::size_t> best(width);
        for (std::size_t j = 0; j < width; ++j) best[j] = j;
        std::partial_sort(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(deals), best.end(),
                          [&](std::size_t a, std::size_t b) {
                              return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
                          });
        std::vector<double> chosen(deals);
        for (std::size_t d = 0; d < deals; ++d) chosen[d] = scores[best[d]];
        const std::vector<double> weights = softmax(chosen, config.softmax_temperature);
        for (std::size_t j = 0; j < width; ++j) commitments[i * width + j] = 0.0;
        for (std::size_t d = 0; d < deals; ++d)
            commitments[i * width + best[d]] = investors.budget_usd[i] * weights[d];
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
            0.5 * portfolio_momentum[i] +
            config.herding * (co_investor[i] - s) - config.sentiment_decay * s;
        investors.sentiment[i] = std::clamp(s + dt * change, -3.0, 3.0);
        investors.expected_wow[i] += dt * config.expectation_adaptation * surprise;
    }
}

}  // namespace airace
