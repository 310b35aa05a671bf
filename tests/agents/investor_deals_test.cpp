// agents/investor_deals.cpp: the grouped search chooses exactly what
// scoring every request for every investor chooses.

#include <catch2/catch.hpp>

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
        group_investors(investors, groups);
        decide_deals_grouped(investors, config, book, groups, 0, groups.groups.size(), grouped);
        std::size_t same = 0;
        for (std::size_t d = 0; d < plain.size(); ++d)
            same += plain[d].request == grouped[d].request &&
                    std::memcmp(&plain[d].amount_usd, &grouped[d].amount_usd, sizeof(double)) == 0;
        INFO(investors_n << " investors, " << requests_n << " requests, " << deals << " deals");
        CHECK(same == plain.size());
    }
}
