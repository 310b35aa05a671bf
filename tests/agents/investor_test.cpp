// agents/investor.cpp: investors' sentiment reads its scenario keys.

#include <catch2/catch.hpp>

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

