// agents/investor_deals.cpp: the grouped search chooses exactly what
// scoring every request for every investor chooses, and each weight of the
// deal score (investors.* keys) moves commitments the way it says.

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <tuple>
#include <vector>

#include "agents/investor.hpp"
#include "base/rng.hpp"

using namespace airace;

namespace {

double draw(std::uint64_t seed, std::uint32_t index, std::uint32_t k) {
    return uniform01({seed, 0, AgentKind::investor, index, RngPurpose::init_traits}, k);
}

// A book with ties (equal momentum, equal intercepts, identical requests)
// and an investor table with a spread of slopes, some negative.
void random_world(std::uint64_t seed, std::size_t investors_n, std::size_t requests_n,
                  InvestorTable& investors, std::vector<RequestView>& requests) {
    investors.resize(investors_n);
    for (std::size_t i = 0; i < investors_n; ++i) {
        const auto id = static_cast<std::uint32_t>(i);
        investors.region[i] = static_cast<Region>(i % region_count);
        investors.wow_sensitivity[i] = 0.8 * (0.4 + 1.2 * draw(seed, id, 0));
        investors.sentiment[i] = 6.0 * draw(seed, id, 1) - 3.0;
        investors.budget_usd[i] = 1e6 + 1e9 * draw(seed, id, 2);
    }
    requests.resize(requests_n);
    for (std::size_t j = 0; j < requests_n; ++j) {
        const auto id = static_cast<std::uint32_t>(1000000 + j);
        RequestView& r = requests[j];
        r.lab = static_cast<std::uint32_t>(j);
        r.region = static_cast<Region>((j * 7) % region_count);
        r.amount_usd = 1e8;
        // A third with no release in the last year, some exact duplicates.
        r.momentum = j % 3 == 0 ? 0.0 : 2.0 * draw(seed, id, 0);
        r.frontier_gap = -std::floor(8.0 * draw(seed, id, 1)) * 0.5;
        r.pre_money_usd = 1e8 * (1.0 + 100.0 * draw(seed, id, 2));
        r.revenue_usd = j % 5 == 0 ? 0.0 : 1e7 * draw(seed, id, 3);
        if (j % 11 == 5) r = requests[j - 1], r.lab = static_cast<std::uint32_t>(j);
    }
}

std::size_t same_deals(const std::vector<Deal>& a, const std::vector<Deal>& b) {
    std::size_t same = 0;
    for (std::size_t d = 0; d < a.size(); ++d)
        same += a[d].request == b[d].request &&
                std::memcmp(&a[d].amount_usd, &b[d].amount_usd, sizeof(double)) == 0;
    return same;
}

}  // namespace

TEST_CASE("grouped deal search equals scoring every request", "[agents][investor]") {
    for (const auto& [investors_n, requests_n, deals] :
         std::vector<std::tuple<std::size_t, std::size_t, int>>{
             {3000, 500, 10}, {2000, 37, 10}, {1500, 2000, 3}, {1024, 45, 1}, {4000, 800, 25}}) {
        InvestorTable investors;
        std::vector<RequestView> requests;
        random_world(investors_n * 31 + requests_n, investors_n, requests_n, investors, requests);
        InvestorsConfig config;
        config.deals_per_step = deals;
        RequestBook book;
        prepare_requests(requests, config, book);
        const auto slots = static_cast<std::size_t>(deals);
        std::vector<Deal> plain(investors_n * slots);
        std::vector<Deal> grouped(investors_n * slots);
        decide_deals(investors, config, book, 0, investors_n, plain);
        DealGroups groups;
        group_investors(investors, book, groups);
        decide_deals_grouped(investors, config, book, groups, 0, groups.groups.size(), grouped);
        INFO(investors_n << " investors, " << requests_n << " requests, " << deals << " deals");
        CHECK(same_deals(plain, grouped) == plain.size());
    }
}

TEST_CASE("grouped deal search equals scoring every request at other score weights",
          "[agents][investor]") {
    InvestorTable investors;
    std::vector<RequestView> requests;
    random_world(99, 3000, 600, investors, requests);
    for (const auto& [gap, home, momentum, overvaluation] :
         std::vector<std::tuple<double, double, double, double>>{
             {0.0, 0.0, 0.0, 0.0}, {3.0, 2.0, 1.5, 1.0}, {0.25, 8.0, 0.05, 4.0}}) {
        InvestorsConfig config;
        config.gap_weight = gap;
        config.home_bias = home;
        config.sentiment_momentum_weight = momentum;
        config.overvaluation_weight = overvaluation;
        RequestBook book;
        prepare_requests(requests, config, book);
        const auto slots = static_cast<std::size_t>(config.deals_per_step);
        std::vector<Deal> plain(investors.size() * slots);
        decide_deals(investors, config, book, 0, investors.size(), plain);
        // Binned by the book's weight, or by the default one: the same choices.
        RequestBook default_weight;
        default_weight.sentiment_momentum_weight = InvestorsConfig{}.sentiment_momentum_weight;
        for (const bool by_book : {true, false}) {
            DealGroups groups;
            group_investors(investors, by_book ? book : default_weight, groups);
            std::vector<Deal> grouped(investors.size() * slots);
            decide_deals_grouped(investors, config, book, groups, 0, groups.groups.size(), grouped);
            INFO("weights " << gap << " " << home << " " << momentum << " " << overvaluation
                            << (by_book ? ", binned by the book" : ", binned by the default"));
            CHECK(same_deals(plain, grouped) == plain.size());
        }
    }
}

namespace {

// One investor's commitments to two requests.
std::array<double, 2> commitments_of(const InvestorsConfig& config, const InvestorTable& investor,
                                     const std::array<RequestView, 2>& requests) {
    std::array<double, 2> out{};
    decide_commitments(investor, config, requests, 0, 1, out);
    return out;
}

InvestorTable one_investor(double wow_sensitivity, double sentiment) {
    InvestorTable investor;
    investor.resize(1);
    investor.region[0] = Region::us;
    investor.budget_usd[0] = 1e9;
    investor.wow_sensitivity[0] = wow_sensitivity;
    investor.sentiment[0] = sentiment;
    return investor;
}

// A request at a revenue multiple of 10 (below the target): no penalty.
RequestView request(std::uint32_t lab, Region region, double momentum, double gap) {
    return RequestView{lab, region, 1e8, 1e9, momentum, gap, 1e8};
}

}  // namespace

TEST_CASE("investors.gap_weight: labs behind the frontier draw less", "[agents][investor]") {
    const InvestorTable investor = one_investor(0.8, 0);
    const std::array<RequestView, 2> requests = {request(0, Region::us, 0, 0),
                                                 request(1, Region::us, 0, -1)};
    InvestorsConfig config;
    auto c = commitments_of(config, investor, requests);
    CHECK(c[0] / c[1] == Approx(std::exp(1.0)));
    config.gap_weight = 0;
    c = commitments_of(config, investor, requests);
    CHECK(c[0] == Approx(c[1]));
    config.gap_weight = 2;
    c = commitments_of(config, investor, requests);
    CHECK(c[0] / c[1] == Approx(std::exp(2.0)));
}

TEST_CASE("investors.home_bias: labs at home draw more", "[agents][investor]") {
    const InvestorTable investor = one_investor(0.8, 0);
    const std::array<RequestView, 2> requests = {request(0, Region::us, 0, 0),
                                                 request(1, Region::eu, 0, 0)};
    InvestorsConfig config;
    auto c = commitments_of(config, investor, requests);
    CHECK(c[0] / c[1] == Approx(std::exp(0.5)));
    config.home_bias = 0;
    c = commitments_of(config, investor, requests);
    CHECK(c[0] == Approx(c[1]));
}

TEST_CASE("investors.sentiment_momentum_weight: bullish investors chase momentum",
          "[agents][investor]") {
    const InvestorTable investor = one_investor(0, 2);  // no wow sensitivity, sentiment 2
    const std::array<RequestView, 2> requests = {request(0, Region::us, 1, 0),
                                                 request(1, Region::us, 0, 0)};
    InvestorsConfig config;
    auto c = commitments_of(config, investor, requests);
    CHECK(c[0] / c[1] == Approx(std::exp(0.2 * 2)));
    config.sentiment_momentum_weight = 0;
    c = commitments_of(config, investor, requests);
    CHECK(c[0] == Approx(c[1]));
}

TEST_CASE("investors.overvaluation_weight and revenue_floor_usd: dear asks draw less",
          "[agents][investor]") {
    const InvestorTable investor = one_investor(0.8, 0);
    std::array<RequestView, 2> requests = {request(0, Region::us, 0, 0), request(1, Region::us, 0, 0)};
    requests[1].pre_money_usd = 3e11;  // 3000x revenue: two OOM above the target of 30
    InvestorsConfig config;
    auto c = commitments_of(config, investor, requests);
    CHECK(c[0] / c[1] == Approx(std::exp(0.3 * 2)));
    config.overvaluation_weight = 0;
    c = commitments_of(config, investor, requests);
    CHECK(c[0] == Approx(c[1]));
    // A lab without revenue: its multiple is taken on the floor.
    config = InvestorsConfig{};
    requests = {request(0, Region::us, 0, 0), request(1, Region::us, 0, 0)};
    requests[1].revenue_usd = 0;
    requests[1].pre_money_usd = 3e7;  // 30x the default floor of $1M: no penalty
    c = commitments_of(config, investor, requests);
    CHECK(c[0] == Approx(c[1]));
    config.revenue_floor_usd = 1e5;  // 300x the floor: one OOM above the target
    c = commitments_of(config, investor, requests);
    CHECK(c[0] / c[1] == Approx(std::exp(0.3 * 1)));
}
