#pragma once
// The relationship graph over all agents, a Boost.Graph directed multigraph
// (only network.cpp includes Boost.Graph). Edges carry a type, a weight (money
// or FLOP, by type) and, for equity, the stake held. Used for herding,
// dilution, acquisitions and concentration, and recorded as yearly snapshots.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "sim/ids.hpp"

namespace airace {

enum class EdgeType : std::int32_t {
    equity = 0,            // investor -> lab: weight = USD invested (cost basis), stake = share owned
    compute_contract = 1,  // compute provider -> lab: weight = FLOP sold, cumulative
    licence = 2,           // data provider -> lab: weight = tokens licensed (non-rival)
    exclusive = 3,         // data provider -> lab: weight = USD paid for exclusivity
    lobbying = 4,          // lab -> regulator: weight = USD spent, cumulative
    influence = 5,         // influencer -> regulator: weight = stance * weight (signed)
};
inline constexpr int edge_type_count = 6;
const char* edge_type_name(EdgeType type);

struct EdgeView {
    AgentKind src_kind;
    std::uint32_t src;
    AgentKind dst_kind;
    std::uint32_t dst;
    EdgeType type;
    double weight;
    double stake;
};

// An edge with its creation number, for checkpoints: restoring edges in
// creation order reproduces every vertex's edge order, so sums over a
// vertex's edges stay bitwise identical after a restore.
struct EdgeState {
    AgentKind src_kind;
    std::uint32_t src;
    AgentKind dst_kind;
    std::uint32_t dst;
    EdgeType type;
    double weight;
    double stake;
    std::uint64_t seq;
};

class Network {
public:
    explicit Network(const std::array<std::size_t, agent_kind_count>& counts);
    ~Network();
    Network(Network&&) noexcept;
    Network& operator=(Network&&) noexcept;

    // Adds `weight` and `stake` to the (src, dst, type) edge, creating it.
    void add(AgentKind src_kind, std::uint32_t src, AgentKind dst_kind, std::uint32_t dst,
             EdgeType type, double weight, double stake = 0);

    // Visits the edges of `type` into / out of an agent in insertion order;
    // the callback may change weight and stake.
    using Visitor = std::function<void(AgentKind other_kind, std::uint32_t other, double& weight,
                                       double& stake)>;
    void for_each_in(AgentKind kind, std::uint32_t agent, EdgeType type, const Visitor& visit);
    void for_each_out(AgentKind kind, std::uint32_t agent, EdgeType type, const Visitor& visit);
    void for_each_in(AgentKind kind, std::uint32_t agent, EdgeType type,
                     const std::function<void(AgentKind, std::uint32_t, double, double)>& visit)
        const;

    // Moves every edge of `type` ending at `from` to end at `to` (acquisitions).
    void redirect_in(AgentKind kind, std::uint32_t from, std::uint32_t to, EdgeType type);

    // All edges, sorted by (type, src kind, src, dst kind, dst).
    std::vector<EdgeView> edges() const;
    std::size_t edge_count() const;

    // Every edge in creation order, and the inverse (replaces all edges).
    std::vector<EdgeState> snapshot() const;
    void restore(const std::vector<EdgeState>& edges, std::uint64_t next_seq);
    std::uint64_t next_seq() const;
    // Whether (kind, index) names an agent of this graph.
    bool valid(AgentKind kind, std::uint32_t index) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace airace
