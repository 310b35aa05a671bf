#pragma once
// Investors: AI budgets from sentiment, commitments to funding requests, and
// sentiment that follows the "wow" of releases, revenue against valuations,
// and co-investors (docs/model.md section 5).

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "base/ids.hpp"

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
    std::vector<double> sentiment;           // 0 neutral; within +-investors.max_sentiment
    std::vector<double> expected_wow;        // expected yearly frontier kappa gain (OOM)
    std::vector<double> budget_usd;          // this step's AI budget (new money + dry powder)
    std::vector<double> dry_powder_usd;      // budget not invested: carried (capped) into the next step
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
        visit("dry_powder_usd", self.dry_powder_usd);
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

// Per-investor budget for this step: AUM * ai_share * exp(elasticity * sentiment) * dt
// plus the dry powder, last step's budget not invested (dry_powder_usd, set
// by the capital market) capped at investors.dry_powder_years of yearly
// budget.
void decide_budgets(InvestorTable& investors, const InvestorsConfig& config, double dt,
                    std::size_t begin, std::size_t end);

// Commitments of investors [begin, end) to the requests: row i of `commitments`
// (requests.size() wide) is investor i's budget spread by a softmax of scores.
// A dense [investors x requests] view of decide_deals, for small books and tests.
void decide_commitments(const InvestorTable& investors, const InvestorsConfig& config,
                        std::span<const RequestView> requests, std::size_t begin, std::size_t end,
                        std::span<double> commitments);

// One commitment of an investor to a request.
struct Deal {
    std::uint32_t request = no_request;  // index into the requests; no_request: unused slot
    double amount_usd = 0;
    static constexpr std::uint32_t no_request = 0xffffffffu;
};

// The requests as every investor scores them, prepared once a step: an
// investor's score for request j is
//   s_j = v * momentum_j + gap_j - penalty_j + (same region ? home_bias : 0)
//         + sentiment_momentum_weight * sentiment * momentum_j
// with v its wow sensitivity, gap_j = gap_weight * (kappa_j - kappa_frontier)
// and penalty_j = overvaluation_weight * max(0, log10(multiple_j / target
// multiple)), multiple_j = pre-money / max(revenue last year, revenue floor)
// (weights: investors.gap_weight, home_bias, sentiment_momentum_weight,
// overvaluation_weight, revenue_floor_usd, target_revenue_multiple). The
// per-request parts are computed once, and an index over (momentum, gap -
// penalty) lets each investor find its best few requests without scoring
// them all (agents/investor_deals.cpp).
struct RequestBook {
    std::vector<double> momentum;
    std::vector<double> gap;      // gap_weight * (lab kappa - frontier kappa)
    std::vector<double> penalty;  // overvaluation_weight * max(0, log10(multiple / target))
    std::vector<Region> region;
    double home_bias = 0;                  // score added for a lab in the investor's region
    double sentiment_momentum_weight = 0;  // momentum weight added per unit of sentiment
    std::size_t size() const { return momentum.size(); }

    // The index: per region, requests cut by momentum into slices, each slice
    // sorted by gap - penalty (best first). Within a slice an investor's
    // score is at most (gap - penalty) + max(a * m_low, a * m_high) + bonus,
    // a = wow sensitivity + sentiment_momentum_weight * sentiment, so slices
    // can be read best-first and left as soon as nothing in them can enter
    // the investor's best few.
    struct Slice {
        Region region = Region::us;
        double momentum_low = 0;
        double momentum_high = 0;
        std::uint32_t begin = 0;  // into `order`
        std::uint32_t end = 0;
    };
    std::vector<Slice> slices;
    std::vector<std::uint32_t> order;  // request indices, slice by slice
    std::vector<double> intercept;     // gap - penalty, in `order`'s order
    double max_momentum = 0;           // largest |momentum|
    double max_intercept = 0;          // largest |gap - penalty|
};
void prepare_requests(std::span<const RequestView> requests, const InvestorsConfig& config,
                      RequestBook& book);

// Investors [begin, end) choose their best min(deals_per_step, requests)
// requests (score, then request order) and spread their budget over them by
// a softmax of the scores: slot d of investor i is deals[i * deals_per_step + d],
// best first; unused slots have request == Deal::no_request. Scores every
// request for every investor: for small books and as the reference.
void decide_deals(const InvestorTable& investors, const InvestorsConfig& config,
                  const RequestBook& book, std::size_t begin, std::size_t end,
                  std::span<Deal> deals);

// The same choices for a whole table without scoring every request for
// every investor (agents/investor_deals.cpp): investors are grouped by home
// region and by a = wow sensitivity + sentiment_momentum_weight * sentiment
// (the slope of their score in a request's momentum); for each group, the
// requests that could
// enter any member's best few are found from the book's index, and only
// those are scored, with the same expression. The choices are identical to
// decide_deals' (tests/agents/investor_deals_test.cpp).
struct DealGroups {
    struct Group {
        std::uint32_t begin = 0;  // into `investors`
        std::uint32_t end = 0;
        Region region = Region::us;
    };
    std::vector<std::uint32_t> investors;  // investor indices, group by group
    std::vector<Group> groups;
    std::vector<std::uint32_t> bin_counts;  // scratch
    std::vector<std::uint32_t> bin_of;      // scratch, per investor
};
// Groups by a with the book's weight (call after prepare_requests). The
// choices do not depend on how investors are grouped (each group is bounded
// with the book's weights when it decides), only the speed.
void group_investors(const InvestorTable& investors, const RequestBook& book, DealGroups& groups);
// Groups [begin, end) of `groups` decide (each group's investors write only
// their own slots).
void decide_deals_grouped(const InvestorTable& investors, const InvestorsConfig& config,
                          const RequestBook& book, const DealGroups& groups, std::size_t begin,
                          std::size_t end, std::span<Deal> deals);

// World-level signals every investor observes at the end of a step.
struct MarketSignals {
    double observed_wow = 0;       // frontier kappa gain over the last year (OOM)
    double revenue_growth = 0;     // log of AI revenue growth over the last year
    double valuation_gap = 0;      // log10(valuations / (revenue * target multiple)), either sign
    double market_return = 0;      // log(revenue * return multiple / capital raised), bounded
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
