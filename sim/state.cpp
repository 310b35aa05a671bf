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
    visit("cumulative_entries", w.cumulative_entries);
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
    visit("energy_price_multiplier", w.compute_market.energy_price_multiplier);
}

// The graph's columns (one value per edge), named once for both directions.
struct EdgeColumns {
    std::vector<std::int64_t> src_kind, src, dst_kind, dst, type, seq;
    std::vector<double> weight, stake;
};

template <class Self, class Visit>
void edge_columns(Self& c, Visit&& visit) {
    visit("src_kind", c.src_kind);
    visit("src", c.src);
    visit("dst_kind", c.dst_kind);
    visit("dst", c.dst);
    visit("type", c.type);
    visit("seq", c.seq);
    visit("weight", c.weight);
    visit("stake", c.stake);
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
    EdgeColumns columns;
    edge_columns(columns, [&](const char*, auto& values) { values.reserve(edges.size()); });
    for (const EdgeState& e : edges) {
        columns.src_kind.push_back(static_cast<std::int64_t>(e.src_kind));
        columns.src.push_back(e.src);
        columns.dst_kind.push_back(static_cast<std::int64_t>(e.dst_kind));
        columns.dst.push_back(e.dst);
        columns.type.push_back(static_cast<std::int64_t>(e.type));
        columns.seq.push_back(static_cast<std::int64_t>(e.seq));
        columns.weight.push_back(e.weight);
        columns.stake.push_back(e.stake);
    }
    edge_columns(columns, [&](const char* name, auto& values) {
        put_column(out, std::string("network/") + name, std::move(values));
    });
    put_column(out, "network/next_seq",
        std::vector<std::int64_t>{static_cast<std::int64_t>(world.network.next_seq())});
    // The labs' equity scales: with the stored stakes above, every stake.
    put_column(out, "network/equity_scale", world.network.equity_scales());
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
    EdgeColumns c;
    edge_columns(c, [&](const char* name, auto& values) {
        values.resize(n);
        take_column(in, std::string("network/") + name, values);
    });
    std::vector<EdgeState> edges(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (c.src_kind[i] < 0 || c.src_kind[i] >= agent_kind_count || c.dst_kind[i] < 0 ||
            c.dst_kind[i] >= agent_kind_count || c.type[i] < 0 || c.type[i] >= edge_type_count ||
            c.src[i] < 0 || c.dst[i] < 0 || c.seq[i] < 0)
            throw RunFileError(fmt::format("checkpoint at step {}: edge {} is malformed", in.step, i));
        edges[i] = {static_cast<AgentKind>(c.src_kind[i]), static_cast<std::uint32_t>(c.src[i]),
                    static_cast<AgentKind>(c.dst_kind[i]), static_cast<std::uint32_t>(c.dst[i]),
                    static_cast<EdgeType>(c.type[i]), c.weight[i], c.stake[i],
                    static_cast<std::uint64_t>(c.seq[i])};
        if (!world.network.valid(edges[i].src_kind, edges[i].src) ||
            !world.network.valid(edges[i].dst_kind, edges[i].dst))
            throw RunFileError(fmt::format(
                "checkpoint at step {}: edge {} names an agent the world does not have", in.step, i));
    }
    if (next[0] < 0)
        throw RunFileError(fmt::format("checkpoint at step {}: the graph's next creation number is negative", in.step));
    // (a checkpoint written before the scales were kept holds every stake
    // whole: all scales 1)
    std::vector<double> scales;
    if (in.find("network/equity_scale") != nullptr) {
        scales.resize(world.network.equity_scales().size());
        take_column(in, "network/equity_scale", scales);
    }
    world.network.restore(edges, static_cast<std::uint64_t>(next[0]), std::move(scales));
}

}  // namespace airace
