// check_finite (finite_check.hpp): one pass over the world's real-valued
// state after each step. The tables list their columns once (the same
// visitor that checkpoints use), so a column added to a table is checked
// without touching this file.

#include "sim/finite_check.hpp"

#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "base/errors.hpp"

namespace airace {
namespace {

class Checker {
public:
    explicit Checker(const World& world) : world_(world) {}

    // A table of `agents` rows; a column may hold several values per agent
    // ([agent * k + j], e.g. the 4-step rings), so the agent is idx / k.
    template <class Table>
    void table(const char* kind, const Table& t) {
        const std::size_t agents = t.name.size();
        Table::columns(t, [&](const char* column, const auto& values) {
            using Value = typename std::decay_t<decltype(values)>::value_type;
            if constexpr (std::is_floating_point_v<Value>) {
                for (std::size_t i = 0; i < values.size(); ++i) {
                    if (std::isfinite(values[i])) continue;
                    const std::size_t per_agent =
                        agents > 0 && values.size() % agents == 0 ? values.size() / agents : 0;
                    if (per_agent == 0) fail(kind, column, fmt::format(" (entry {})", i), values[i]);
                    const std::size_t agent = i / per_agent;
                    fail(kind, column,
                         fmt::format(" of agent {} ('{}'){}", agent, t.name[agent],
                                     per_agent > 1 ? fmt::format(", entry {}", i % per_agent) : ""),
                         values[i]);
                }
            }
        });
    }

    void values(const char* kind, const char* column, const double* begin, std::size_t count) {
        for (std::size_t i = 0; i < count; ++i)
            if (!std::isfinite(begin[i]))
                fail(kind, column, count > 1 ? fmt::format(" (entry {})", i) : std::string(), begin[i]);
    }
    void value(const char* kind, const char* column, double v) { values(kind, column, &v, 1); }

private:
    [[noreturn]] void fail(const char* kind, const char* column, const std::string& who,
                           double value) const {
        throw RuntimeFailure(fmt::format(
            "step {} (year {:.2f}): {}.{}{} is {}: a value overflowed or was undefined "
            "(0/0, inf-inf). The scenario's rates or sizes are too extreme for this many "
            "years; lower them or shorten time.end_year",
            world_.step, world_.env.year, kind, column, who, value));
    }

    const World& world_;
};

}  // namespace

void check_finite(const World& world) {
    Checker check(world);
    check.table("labs", world.labs);
    check.table("investors", world.investors);
    check.table("compute_providers", world.compute_providers);
    check.table("data_providers", world.data_providers);
    check.table("regulators", world.regulators);
    const InfluencerTable& inf = world.influencers;
    check.values("influencers", "stance", inf.stance.data(), inf.stance.size());
    check.values("influencers", "weight", inf.weight.data(), inf.weight.size());
    const Environment& env = world.env;
    check.value("environment", "hardware_usd_per_flop", env.costs.hardware_usd_per_flop);
    check.value("environment", "energy_usd_per_flop", env.costs.energy_usd_per_flop);
    check.value("environment", "flop_per_joule", env.flop_per_joule);
    check.value("environment", "field_efficiency", env.field_efficiency);
    check.value("environment", "adoption", env.adoption);
    check.value("environment", "addressable_spend_usd_per_year", env.addressable_spend_usd_per_year);
    check.value("environment", "tokens_per_step_full_adoption", env.tokens_per_step_full_adoption);
    check.value("environment", "human_stock_tokens", env.human_stock_tokens);
    check.value("environment", "open_tokens", env.open_tokens);
    check.value("environment", "external_demand_flop", env.external_demand_flop);
    const ComputeMarketState& market = world.compute_market;
    check.values("compute_market", "price", market.price.data(), market.price.size());
    check.values("compute_market", "quantity", market.quantity.data(), market.quantity.size());
    check.values("compute_market", "capacity", market.capacity.data(), market.capacity.size());
    check.values("compute_market", "demand", market.demand.data(), market.demand.size());
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
