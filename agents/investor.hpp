#pragma once
// Investors: AI budgets from sentiment, commitments to funding requests, and
// sentiment that follows the "wow" of releases, revenue against valuations,
// and co-investors (MODEL.md "Investors").

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/config.hpp"
#include "sim/ids.hpp"

namespace airace {

enum class InvestorType : std::uint8_t { corporate = 0, venture = 1 };
const char* investor_type_name(InvestorType type);

struct InvestorTable {
    std::vector<std::string> name;
    std::vector<Region> region;
    std::vector<InvestorType> type;
    // traits
    std::vector<double> ai_share;            // share of AUM per year at neutral sentiment
    std::vector<double> aum_growth;          // x/yr
    std::vector<double> wow_sensitivity;     // 1/OOM
    // state
    std::vector<double> aum_usd;
    std::vector<double> sentiment;           // 0 neutral; clamped to [-3, 3]
    std::vector<double> expected_wow;        // expected yearly frontier kappa gain (OOM)
    std::vector<double> budget_usd;          // this step's AI budget
    std::vector<double> invested_usd;        // paid into rounds this step
    std::vector<double> invested_total_usd;  // cost basis of all stakes
    std::vector<double> portfolio_value_usd; // stakes marked at labs' valuations
    std::vector<double> paper_roi;           // portfolio value / cost basis - 1

    std::size_t size() const { return name.size(); }
    void resize(std::size_t n);

    // Every column but the name, for checkpoints: visit("column", vector).
    template <class Self, class Visit>
    static void columns(Self& self, Visit&& visit) {
        visit("region", self.region);
        visit("type", self.type);
        visit("ai_share", self.ai_share);
        visit("aum_growth", self.aum_growth);
        visit("wow_sensitivity", self.wow_sensitivity);
        visit("aum_usd", self.aum_usd);
        visit("sentiment", self.sentiment);
        visit("expected_wow", self.expected_wow);
        visit("budget_usd", self.budget_usd);
        visit("invested_usd", self.invested_usd);
        visit("invested_total_usd", self.invested_total_usd);
        visit("portfolio_value_usd", self.portfolio_value_usd);
        visit("paper_roi", self.paper_roi);
    }
};

// One open funding request, as investors see it.
struct RequestView {
    std::uint32_t lab = 0;
    Region region = Region::us;
    double amount_usd = 0;
    double pre_money_usd = 0;
    double momentum = 0;        // lab's kappa gain over the last year (OOM)
    double frontier_gap = 0;    // lab kappa - frontier kappa (<= 0)
    double revenue_usd = 0;     // last year's revenue
};

// Per-investor budget for this step: AUM * ai_share * exp(elasticity * sentiment) * dt.
void decide_budgets(InvestorTable& investors, const InvestorsConfig& config, double dt,
                    std::size_t begin, std::size_t end);

// Commitments of investors [begin, end) to the requests: row i of `commitments`
// (requests.size() wide) is investor i's budget spread by a softmax of scores.
void decide_commitments(const InvestorTable& investors, const InvestorsConfig& config,
                        std::span<const RequestView> requests, std::size_t begin, std::size_t end,
                        std::span<double> commitments);

// World-level signals every investor observes at the end of a step.
struct MarketSignals {
    double observed_wow = 0;       // frontier kappa gain over the last year (OOM)
    double revenue_growth = 0;     // log of AI revenue growth over the last year
    double valuation_gap = 0;      // max(0, log10(valuations / (revenue * target multiple)))
};

// Updates sentiment and expected wow of investors [begin, end). `co_investor`
// holds each investor's stake-weighted mean sentiment of its co-investors
// (its own sentiment when it has none); `portfolio_momentum` the mean
// momentum of the labs it holds relative to the frontier.
void update_sentiment(InvestorTable& investors, const InvestorsConfig& config, double dt,
                      const MarketSignals& signals, std::span<const double> co_investor,
                      std::span<const double> portfolio_momentum, std::size_t begin,
                      std::size_t end);

}  // namespace airace
