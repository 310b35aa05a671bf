#include "sim/state.hpp"

#include <type_traits>

#include <fmt/format.h>

#include "base/errors.hpp"
#include "sim/kinds.hpp"

namespace airace {
namespace {

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
    for_each_kind(world, [&](auto kind, const auto& table) { save_kind<decltype(kind)>(out, table); });
    world_scalars(world, [&](const char* name, const auto& value) {
        put_column(out, std::string("world/") + name,
                   std::vector<std::decay_t<decltype(value)>>{value});
    });
    world_arrays(world, [&](const char* name, const auto& values) {
        put_column(out, std::string("world/") + name, std::vector<double>(values.begin(), values.end()));
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
    put_column(out, "network/src_kind", src_kind);
    put_column(out, "network/src", src);
    put_column(out, "network/dst_kind", dst_kind);
    put_column(out, "network/dst", dst);
    put_column(out, "network/type", type);
    put_column(out, "network/seq", seq);
    put_column(out, "network/weight", weight);
    put_column(out, "network/stake", stake);
    put_column(out, "network/next_seq",
        std::vector<std::int64_t>{static_cast<std::int64_t>(world.network.next_seq())});
    return out;
}

void restore_world(World& world, const Checkpoint& in) {
    for_each_kind(world, [&](auto kind, auto& table) { restore_kind<decltype(kind)>(in, table); });
    world_scalars(world, [&](const char* name, auto& value) {
        std::vector<std::decay_t<decltype(value)>> one(1);
        take_column(in, std::string("world/") + name, one);
        value = one[0];
    });
    world_arrays(world, [&](const char* name, auto& values) {
        std::vector<double> copy(values.size());
        take_column(in, std::string("world/") + name, copy);
        std::copy(copy.begin(), copy.end(), values.begin());
    });
    std::vector<std::int64_t> next(1);
    take_column(in, "network/next_seq", next);
    const StateColumn* src = in.find("network/src");
    if (!src) throw RunFileError(fmt::format("checkpoint at step {} lacks the graph", in.step));
    const std::size_t n = src->whole.size();
    std::vector<std::int64_t> src_kind(n), src_index(n), dst_kind(n), dst(n), type(n), seq(n);
    std::vector<double> weight(n), stake(n);
    take_column(in, "network/src_kind", src_kind);
    take_column(in, "network/src", src_index);
    take_column(in, "network/dst_kind", dst_kind);
    take_column(in, "network/dst", dst);
    take_column(in, "network/type", type);
    take_column(in, "network/seq", seq);
    take_column(in, "network/weight", weight);
    take_column(in, "network/stake", stake);
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
