#include "sim/state.hpp"

#include <type_traits>

#include <fmt/format.h>

#include "base/errors.hpp"

namespace airace {
namespace {

template <class T>
constexpr bool is_integer_column = std::is_integral_v<T> || std::is_enum_v<T>;

template <class T>
void put(Checkpoint& out, const std::string& name, const std::vector<T>& values) {
    StateColumn column;
    column.name = name;
    if constexpr (is_integer_column<T>) {
        column.integer = true;
        column.whole.reserve(values.size());
        for (const T& v : values) column.whole.push_back(static_cast<std::int64_t>(v));
    } else {
        column.real.assign(values.begin(), values.end());
    }
    out.columns.push_back(std::move(column));
}

template <class T>
void take(const Checkpoint& in, const std::string& name, std::vector<T>& values) {
    const StateColumn* column = in.find(name);
    if (!column)
        throw RunFileError(fmt::format("checkpoint at step {} lacks column '{}'", in.step, name));
    const std::size_t size = column->integer ? column->whole.size() : column->real.size();
    if (size != values.size() || column->integer != is_integer_column<T>)
        throw RunFileError(fmt::format(
            "checkpoint at step {}: column '{}' has {} values, the world needs {}", in.step, name,
            size, values.size()));
    for (std::size_t i = 0; i < size; ++i) {
        if constexpr (is_integer_column<T>)
            values[i] = static_cast<T>(column->whole[i]);
        else
            values[i] = column->real[i];
    }
}

template <class Table>
void save_table(Checkpoint& out, const std::string& kind, const Table& table) {
    Table::columns(table, [&](const char* name, const auto& values) {
        put(out, kind + "/" + name, values);
    });
}

template <class Table>
void restore_table(const Checkpoint& in, const std::string& kind, Table& table) {
    Table::columns(table, [&](const char* name, auto& values) { take(in, kind + "/" + name, values); });
}

// World-level scalars and small arrays, listed once for both directions.
template <class Self, class Visit>
void world_scalars(Self& w, Visit&& visit) {
    visit("step", w.step);
    visit("frontier_kappa", w.frontier_kappa);
    visit("frontier_gain_year", w.frontier_gain_year);
    visit("data_wall_year", w.data_wall_year);
    visit("cumulative_bankruptcies", w.cumulative_bankruptcies);
    visit("cumulative_acquisitions", w.cumulative_acquisitions);
    visit("cumulative_incidents", w.cumulative_incidents);
    visit("adoption", w.env.adoption);
    visit("open_tokens", w.env.open_tokens);
}

template <class Self, class Visit>
void world_arrays(Self& w, Visit&& visit) {
    visit("frontier_kappa_history", w.frontier_kappa_history);
    visit("revenue_history", w.revenue_history);
    visit("compute_price", w.compute_market.price);
    visit("compute_quantity", w.compute_market.quantity);
    visit("compute_capacity", w.compute_market.capacity);
    visit("compute_lab_demand", w.compute_market.lab_demand);
    visit("compute_demand", w.compute_market.demand);
    visit("power_ceiling", w.compute_market.power_ceiling);
}

}  // namespace

Checkpoint save_world(const World& world) {
    Checkpoint out;
    out.step = world.step;
    save_table(out, "labs", world.labs);
    save_table(out, "investors", world.investors);
    save_table(out, "compute_providers", world.compute_providers);
    save_table(out, "data_providers", world.data_providers);
    save_table(out, "regulators", world.regulators);
    put(out, "influencers/linked", world.influencers.linked);
    world_scalars(world, [&](const char* name, const auto& value) {
        put(out, std::string("world/") + name,
            std::vector<std::decay_t<decltype(value)>>{value});
    });
    world_arrays(world, [&](const char* name, const auto& values) {
        put(out, std::string("world/") + name, std::vector<double>(values.begin(), values.end()));
    });
    // The graph, in creation order.
    const std::vector<EdgeState> edges = world.network.snapshot();
    std::vector<std::int64_t> src_kind, src, dst_kind, dst, type, seq;
    std::vector<double> weight, stake;
    for (const EdgeState& e : edges) {
        src_kind.push_back(static_cast<std::int64_t>(e.src_kind));
        src.push_back(e.src);
        dst_kind.push_back(static_cast<std::int64_t>(e.dst_kind));
        dst.push_back(e.dst);
        type.push_back(static_cast<std::int64_t>(e.type));
        seq.push_back(static_cast<std::int64_t>(e.seq));
        weight.push_back(e.weight);
        stake.push_back(e.stake);
    }
    put(out, "network/src_kind", src_kind);
    put(out, "network/src", src);
    put(out, "network/dst_kind", dst_kind);
    put(out, "network/dst", dst);
    put(out, "network/type", type);
    put(out, "network/seq", seq);
    put(out, "network/weight", weight);
    put(out, "network/stake", stake);
    put(out, "network/next_seq",
        std::vector<std::int64_t>{static_cast<std::int64_t>(world.network.next_seq())});
    return out;
}

void restore_world(World& world, const Checkpoint& in) {
    restore_table(in, "labs", world.labs);
    restore_table(in, "investors", world.investors);
    restore_table(in, "compute_providers", world.compute_providers);
    restore_table(in, "data_providers", world.data_providers);
    restore_table(in, "regulators", world.regulators);
    // A fork may add influencers: restore the parent's, the rest start unlinked.
    if (const StateColumn* linked = in.find("influencers/linked")) {
        if (linked->whole.size() > world.influencers.size())
            throw RunFileError(fmt::format(
                "checkpoint at step {} has {} influencers; the scenario has {} (a fork may add "
                "influencers after the parent's, not remove them)",
                in.step, linked->whole.size(), world.influencers.size()));
        for (std::size_t k = 0; k < linked->whole.size(); ++k)
            world.influencers.linked[k] = static_cast<std::uint8_t>(linked->whole[k]);
    }
    world_scalars(world, [&](const char* name, auto& value) {
        std::vector<std::decay_t<decltype(value)>> one(1);
        take(in, std::string("world/") + name, one);
        value = one[0];
    });
    world_arrays(world, [&](const char* name, auto& values) {
        std::vector<double> copy(values.size());
        take(in, std::string("world/") + name, copy);
        std::copy(copy.begin(), copy.end(), values.begin());
    });
    std::vector<std::int64_t> next(1);
    take(in, "network/next_seq", next);
    const StateColumn* src = in.find("network/src");
    if (!src) throw RunFileError(fmt::format("checkpoint at step {} lacks the graph", in.step));
    const std::size_t n = src->whole.size();
    std::vector<std::int64_t> src_kind(n), src_index(n), dst_kind(n), dst(n), type(n), seq(n);
    std::vector<double> weight(n), stake(n);
    take(in, "network/src_kind", src_kind);
    take(in, "network/src", src_index);
    take(in, "network/dst_kind", dst_kind);
    take(in, "network/dst", dst);
    take(in, "network/type", type);
    take(in, "network/seq", seq);
    take(in, "network/weight", weight);
    take(in, "network/stake", stake);
    std::vector<EdgeState> edges(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (src_kind[i] < 0 || src_kind[i] >= agent_kind_count || dst_kind[i] < 0 ||
            dst_kind[i] >= agent_kind_count || type[i] < 0 || type[i] >= edge_type_count ||
            src_index[i] < 0 || dst[i] < 0)
            throw RunFileError(fmt::format("checkpoint at step {}: edge {} is malformed", in.step, i));
        edges[i] = {static_cast<AgentKind>(src_kind[i]), static_cast<std::uint32_t>(src_index[i]),
                    static_cast<AgentKind>(dst_kind[i]), static_cast<std::uint32_t>(dst[i]),
                    static_cast<EdgeType>(type[i]), weight[i], stake[i],
                    static_cast<std::uint64_t>(seq[i])};
        if (!world.network.valid(edges[i].src_kind, edges[i].src) ||
            !world.network.valid(edges[i].dst_kind, edges[i].dst))
            throw RunFileError(fmt::format(
                "checkpoint at step {}: edge {} names an agent the world does not have", in.step, i));
    }
    world.network.restore(edges, static_cast<std::uint64_t>(next[0]));
}

}  // namespace airace
