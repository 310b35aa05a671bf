// agents/investor.cpp: investors' sentiment reads its scenario keys.

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "agents/investor.hpp"

using namespace airace;

namespace {

// One investor whose expectations match what it sees (no surprise).
InvestorTable calm_investor() {
    InvestorTable investors;
    investors.resize(1);
    investors.wow_sensitivity[0] = 0.8;
    investors.expected_wow[0] = 0.5;
    return investors;
}

double sentiment_after(const InvestorsConfig& config, InvestorTable investors, double observed_wow,
                       double portfolio_momentum) {
    MarketSignals signals;
    signals.observed_wow = observed_wow;
    const std::vector<double> co = {0.0};
    const std::vector<double> momentum = {portfolio_momentum};
    update_sentiment(investors, config, 0.25, signals, co, momentum, 0, 1);
    return investors.sentiment[0];
}

}  // namespace

TEST_CASE("investors.portfolio_momentum_sensitivity: labs held that pull ahead lift sentiment",
          "[agents][investor]") {
    InvestorsConfig config;
    CHECK(sentiment_after(config, calm_investor(), 0.5, 1.0) == Approx(0.25 * 0.5));
    config.portfolio_momentum_sensitivity = 0;
    CHECK(sentiment_after(config, calm_investor(), 0.5, 1.0) == 0);
    config.portfolio_momentum_sensitivity = 2;
    CHECK(sentiment_after(config, calm_investor(), 0.5, -1.0) == Approx(-0.25 * 2));
}

TEST_CASE("investors.max_sentiment bounds sentiment both ways", "[agents][investor]") {
    InvestorsConfig config;
    // A surprise of 100 OOM would move sentiment by 20 in a quarter.
    CHECK(sentiment_after(config, calm_investor(), 100.5, 0) == 3.0);
    CHECK(sentiment_after(config, calm_investor(), -99.5, 0) == -3.0);
    config.max_sentiment = 1.5;
    CHECK(sentiment_after(config, calm_investor(), 100.5, 0) == 1.5);
    CHECK(sentiment_after(config, calm_investor(), -99.5, 0) == -1.5);
}

TEST_CASE("investors.dry_powder_years: unspent budget is carried over, within the cap",
          "[agents][investor]") {
    // An investor with $100 a year of budget (neutral sentiment) spent $10
    // of last step's $100.
    const auto budget_after = [](double years) {
        InvestorsConfig config;
        config.dry_powder_years = years;
        InvestorTable investors;
        investors.resize(1);
        investors.aum_usd[0] = 1000;
        investors.aum_growth[0] = 1;
        investors.ai_share[0] = 0.1;
        investors.dry_powder_usd[0] = 90;  // $100 budgeted, $10 invested
        decide_budgets(investors, config, 0.25, 0, 1);
        CHECK(investors.invested_usd[0] == 0);
        CHECK(investors.budget_usd[0] == Approx(25 + investors.dry_powder_usd[0]));
        return investors.dry_powder_usd[0];
    };
    CHECK(budget_after(2) == Approx(90));
    CHECK(budget_after(0.5) == Approx(50));  // half a year of a $100/yr budget
    CHECK(budget_after(0) == 0);
}

TEST_CASE("investors.portfolio_return_sensitivity: paper gains lift sentiment, losses sink it",
          "[agents][investor]") {
    const auto with_roi = [](double roi, double sensitivity) {
        InvestorsConfig config;
        config.portfolio_return_sensitivity = sensitivity;
        config.portfolio_momentum_sensitivity = 0;
        InvestorTable investors = calm_investor();
        investors.invested_total_usd[0] = 100;
        investors.paper_roi[0] = roi;
        return sentiment_after(config, investors, 0.5, 0.0);
    };
    // Portfolio worth e times its cost: log return 1 (the default limit).
    CHECK(with_roi(std::exp(1.0) - 1, 0.3) == Approx(0.25 * 0.3));
    CHECK(with_roi(std::exp(-0.5) - 1, 0.3) == Approx(-0.25 * 0.3 * 0.5));
    CHECK(with_roi(-1, 0.3) == Approx(-0.25 * 0.3));  // written off: the limit
    CHECK(with_roi(std::exp(1.0) - 1, 0) == 0);
}

TEST_CASE("investors.market_return_sensitivity: the market's return moves sentiment",
          "[agents][investor]") {
    InvestorsConfig config;
    MarketSignals signals;
    signals.observed_wow = 0.5;
    signals.market_return = -0.8;
    const std::vector<double> co = {0.0};
    const std::vector<double> momentum = {0.0};
    InvestorTable investors = calm_investor();
    update_sentiment(investors, config, 0.25, signals, co, momentum, 0, 1);
    CHECK(investors.sentiment[0] == Approx(-0.25 * config.market_return_sensitivity * 0.8));
    // A negative valuation gap (labs cheap against revenue) lifts it.
    investors = calm_investor();
    signals.market_return = 0;
    signals.valuation_gap = -1;
    update_sentiment(investors, config, 0.25, signals, co, momentum, 0, 1);
    CHECK(investors.sentiment[0] == Approx(0.25 * config.valuation_sensitivity));
}
