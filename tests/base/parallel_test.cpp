// base/parallel.hpp side_by_side, and the tables whose resize uses it: every
// column of a resized table has its rows and their start values, on any
// thread count.

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "agents/investor.hpp"
#include "agents/lab.hpp"
#include "base/parallel.hpp"

using namespace airace;

TEST_CASE("side_by_side runs every task once", "[base][parallel]") {
    for (const int threads : {1, 2, 8}) {
        const ThreadLimit limit(threads);
        std::vector<int> ran(100, 0);
        std::atomic<int> calls{0};
        std::vector<std::function<void()>> tasks;
        for (std::size_t t = 0; t < ran.size(); ++t)
            tasks.emplace_back([&ran, &calls, t] {
                ran[t] += 1;
                calls.fetch_add(1);
            });
        side_by_side(tasks);
        CHECK(calls.load() == 100);
        CHECK(std::count(ran.begin(), ran.end(), 1) == 100);
        side_by_side({});  // nothing to run
    }
}

TEST_CASE("a resized table has every column at its rows and start values", "[base][parallel]") {
    for (const int threads : {1, 2}) {
        const ThreadLimit limit(threads);
        LabTable labs;
        labs.year.width = 4;
        labs.resize(3000);
        std::size_t visited = 0;
        LabTable::columns(labs, [&](const std::string& column, const auto& values) {
            ++visited;
            const bool history = column == "kappa_history" || column == "revenue_history";
            INFO(column);
            CHECK(values.size() == (history ? 4 * 3000 : 3000));
        });
        CHECK(visited > 40);
        CHECK(labs.size() == 3000);
        CHECK(labs.active(2999));
        CHECK(labs.last_round_step[2999] == -1);
        CHECK(labs.last_run_start_step[0] == -1);
        CHECK(labs.served_param_share[1234] == 1.0);
        CHECK(labs.cash_usd[2999] == 0.0);
        CHECK(labs.collapse_penalty[2999] == 0.0);
        CHECK(labs.run_region[7] == Region::us);

        InvestorTable investors;
        investors.resize(5000);
        CHECK(investors.size() == 5000);
        InvestorTable::columns(investors, [&](const std::string& column, const auto& values) {
            INFO(column);
            CHECK(values.size() == 5000);
        });
        CHECK(investors.paper_roi[4999] == 0.0);
        // Growing keeps the rows there were.
        investors.sentiment[10] = 0.5;
        investors.resize(6000);
        CHECK(investors.sentiment[10] == 0.5);
        CHECK(investors.sentiment[5999] == 0.0);
    }
}
