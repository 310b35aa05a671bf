// check_finite (finite_check.hpp): one pass over the world's real-valued
// state after each step. Each kind's descriptor says which columns it reads
// (its table's state, the visitor checkpoints use: sim/kinds.hpp), so a
// column or a kind added to the World is checked without touching this file.

#include "sim/finite_check.hpp"

#include <atomic>
#include <cmath>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "base/errors.hpp"
#include "base/parallel.hpp"
#include "sim/kinds.hpp"

namespace airace {

void throw_not_finite(std::int32_t step, double year, std::string_view table,
                      std::string_view column, const std::string& who, double value) {
    throw RuntimeFailure(fmt::format(
        "step {} (year {:.2f}): {}.{}{} is {}: a value overflowed or was undefined "
        "(0/0, inf-inf). The scenario's rates or sizes are too extreme for this many "
        "years; lower them or shorten time.end_year",
        step, year, table, column, who, value));
}

namespace {

// The world's values outside the agent tables.
class Checker {
public:
    explicit Checker(const World& world) : world_(world) {}

    void values(const char* table, const char* column, const double* begin, std::size_t count) {
        if (all_finite(begin, count)) return;
        for (std::size_t i = 0; i < count; ++i)
            if (!std::isfinite(begin[i]))
                throw_not_finite(world_.step, world_.env.year, table, column,
                                 count > 1 ? fmt::format(" (entry {})", i) : std::string(), begin[i]);
    }
    void value(const char* table, const char* column, double v) { values(table, column, &v, 1); }

private:
    const World& world_;
};

}  // namespace

void check_finite(const World& world) {
    // Every agent column at once, in parallel (a large world's step has
    // millions of values); only when one holds a bad value are the kinds
    // checked again in order, for the first bad value's message.
    std::vector<std::span<const double>> columns;
    for_each_kind(world, [&](auto kind, const auto& table) {
        visit_checked<decltype(kind)>(table, [&](const char*, const auto& values) {
            using Value = typename std::decay_t<decltype(values)>::value_type;
            if constexpr (std::is_floating_point_v<Value>) columns.emplace_back(values.data(), values.size());
        });
    });
    std::atomic<bool> bad{false};
    parallel_for(columns.size(), 1, [&](std::size_t begin, std::size_t end) {
        for (std::size_t c = begin; c < end; ++c)
            if (!all_finite(columns[c].data(), columns[c].size())) bad.store(true, std::memory_order_relaxed);
    });
    if (bad.load())
        for_each_kind(world, [&](auto kind, const auto& table) {
            check_finite_kind<decltype(kind)>(table, world.step, world.env.year);
        });
    Checker check(world);
    const Environment& env = world.env;
    check.value("environment", "hardware_usd_per_flop", env.costs.hardware_usd_per_flop);
    check.value("environment", "energy_usd_per_flop", env.costs.energy_usd_per_flop);
    check.value("environment", "flop_per_joule", env.flop_per_joule);
    check.value("environment", "training_flop_per_hardware_flop", env.training_flop_per_hardware_flop);
    check.value("environment", "adoption", env.adoption);
    check.value("environment", "addressable_spend_usd_per_year", env.addressable_spend_usd_per_year);
    check.value("environment", "value_usd_per_token", env.value_usd_per_token);
    check.value("environment", "human_stock_tokens", env.human_stock_tokens);
    check.value("environment", "open_tokens", env.open_tokens);
    check.value("environment", "external_demand_flop", env.external_demand_flop);
    const ComputeMarketState& market = world.compute_market;
    check.values("compute_market", "price", market.price.data(), market.price.size());
    check.values("compute_market", "quantity", market.quantity.data(), market.quantity.size());
    check.values("compute_market", "capacity", market.capacity.data(), market.capacity.size());
    check.values("compute_market", "demand", market.demand.data(), market.demand.size());
    const std::vector<double>& scales = world.network.equity_scales();
    check.values("network", "equity_scale", scales.data(), scales.size());
    check.value("world", "frontier_kappa", world.frontier_kappa);
    check.value("world", "frontier_gain_year", world.frontier_gain_year);
    check.value("world", "data_wall_year", world.data_wall_year);
    const StepTotals& totals = world.totals;
    check.value("totals", "investment_usd", totals.investment_usd);
    check.value("totals", "ai_revenue_usd", totals.ai_revenue_usd);
    check.value("totals", "training_flop", totals.training_flop);
    check.value("totals", "compute_spend_usd", totals.compute_spend_usd);
    check.value("totals", "energy_joules", totals.energy_joules);
}

}  // namespace airace
