// base/parallel.hpp side_by_side, and the tables whose resize uses it: every
// column of a resized lab or investor table has its rows, each new row its
// start value, and the old rows are kept, on 1, 2 and 8 threads.

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <type_traits>
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

namespace {

// The value row i of a column holds, as a double (enums by their number).
template <class T>
double as_number(const T& value) {
    if constexpr (std::is_enum_v<T>)
        return static_cast<double>(static_cast<std::underlying_type_t<T>>(value));
    else
        return static_cast<double>(value);
}

// How many of rows [first, last) of `values` differ from `fill`.
template <class Column>
std::size_t rows_not(const Column& values, std::size_t first, std::size_t last, double fill) {
    std::size_t wrong = 0;
    for (std::size_t i = first; i < last; ++i) wrong += as_number(values[i]) == fill ? 0 : 1;
    return wrong;
}

// The start value of each lab column that does not start at 0.
double lab_fill(const std::string& column) {
    static const std::map<std::string, double> fills = {
        {"last_round_step", -1.0}, {"run_start_step", -1.0},   {"held_until_step", -1.0},
        {"last_run_start_step", -1.0}, {"served_param_share", 1.0}};
    const auto it = fills.find(column);
    return it == fills.end() ? 0.0 : it->second;
}

}  // namespace

TEST_CASE("a resized table has every column at its rows and start values", "[base][parallel]") {
    for (const int threads : {1, 2, 8}) {
        const ThreadLimit limit(threads);
        LabTable labs;
        labs.year.width = 5;  // not the default: the histories hold width rows per lab
        labs.resize(3000);
        std::size_t visited = 0;
        const auto check_labs = [&](std::size_t first, std::size_t rows) {
            LabTable::columns(labs, [&](const std::string& column, const auto& values) {
                ++visited;
                const std::size_t per_lab =
                    column == "kappa_history" || column == "revenue_history" ? 5 : 1;
                INFO(column);
                CHECK(values.size() == per_lab * rows);
                CHECK(rows_not(values, per_lab * first, values.size(), lab_fill(column)) == 0);
            });
        };
        check_labs(0, 3000);
        CHECK(visited > 40);
        CHECK(labs.size() == 3000);
        // Growing keeps the rows there were and starts the new ones.
        labs.cash_usd[10] = 5.0;
        labs.last_round_step[10] = 7;
        labs.kappa_history[5 * 10 + 4] = 2.0;
        labs.resize(4000);
        check_labs(3000, 4000);
        CHECK(labs.cash_usd[10] == 5.0);
        CHECK(labs.last_round_step[10] == 7);
        CHECK(labs.kappa_history[5 * 10 + 4] == 2.0);

        InvestorTable investors;
        investors.resize(5000);
        CHECK(investors.size() == 5000);
        InvestorTable::columns(investors, [&](const std::string& column, const auto& values) {
            INFO(column);
            CHECK(values.size() == 5000);
            CHECK(rows_not(values, 0, values.size(), 0.0) == 0);
        });
        investors.sentiment[10] = 0.5;
        investors.resize(6000);
        CHECK(investors.sentiment[10] == 0.5);
        CHECK(investors.sentiment[5999] == 0.0);
        CHECK(investors.name.size() == 6000);
    }
}
