#pragma once
// The relationship graph over all agents: a directed graph with at most one
// edge per (src, dst, type). Edges carry a type, a weight (money or FLOP, by
// type) and, for equity, the stake held. Used for herding, dilution,
// acquisitions and concentration, and recorded as yearly snapshots.
//
// Why a purpose-built adjacency structure and not Boost.Graph's
// adjacency_list: at a million investors the graph holds tens of millions of
// equity edges, and adjacency_list costs ~100 bytes an edge, finds an edge in
// O(out-degree) and lists edges in no useful order, so the world hash sorted
// all edges every step. Here an edge costs ~46 bytes (columns below plus one
// out-list and one in-list entry), add() finds its edge by binary search in
// the source's out-list, kept sorted by (type, dst), and walking the types,
// then the sources in vertex order, then each out-list gives every edge in
// the (type, src kind, src, dst kind, dst) order that hashes and snapshots
// need, without sorting. In-lists stay in creation order, so sums over a
// vertex's in-edges add in the same order as before and after a checkpoint.

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
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

    // Adds `weight` and `stake` to the (src, dst, type) edge, creating it.
    // O(log out-degree of src) to find it; a new edge also inserts into the
    // source's sorted out-list.
    void add(AgentKind src_kind, std::uint32_t src, AgentKind dst_kind, std::uint32_t dst,
             EdgeType type, double weight, double stake = 0);

    // Visits the edges of `type` into an agent in creation order; the
    // callback may change weight and stake.
    using Visitor = std::function<void(AgentKind other_kind, std::uint32_t other, double& weight,
                                       double& stake)>;
    void for_each_in(AgentKind kind, std::uint32_t agent, EdgeType type, const Visitor& visit);
    void for_each_in(AgentKind kind, std::uint32_t agent, EdgeType type,
                     const std::function<void(AgentKind, std::uint32_t, double, double)>& visit)
        const;
    // Visits the edges of `type` out of an agent, by destination.
    void for_each_out(AgentKind kind, std::uint32_t agent, EdgeType type, const Visitor& visit);

    // The same visits without a std::function per edge, for hot loops:
    // visit(other_kind, other, weight&, stake&).
    template <class Visit>
    void visit_in(AgentKind kind, std::uint32_t agent, EdgeType type, Visit&& visit) {
        for (const std::uint32_t e : in_[vertex(kind, agent)]) {
            if (type_[e] != static_cast<std::uint8_t>(type)) continue;
            const auto [other_kind, other] = agent_of(src_[e]);
            visit(other_kind, other, payload_[e].weight, payload_[e].stake);
        }
    }
    template <class Visit>
    void visit_in(AgentKind kind, std::uint32_t agent, EdgeType type, Visit&& visit) const {
        for (const std::uint32_t e : in_[vertex(kind, agent)]) {
            if (type_[e] != static_cast<std::uint8_t>(type)) continue;
            const auto [other_kind, other] = agent_of(src_[e]);
            visit(other_kind, other, payload_[e].weight, payload_[e].stake);
        }
    }
    // Only the index of the source (when the caller knows its kind).
    template <class Visit>
    void visit_in_index(AgentKind kind, std::uint32_t agent, EdgeType type, Visit&& visit) const {
        for (const std::uint32_t e : in_[vertex(kind, agent)]) {
            if (type_[e] != static_cast<std::uint8_t>(type)) continue;
            visit(static_cast<std::uint32_t>(src_[e] - offsets_[kind_of(src_[e])]), payload_[e].weight,
                  payload_[e].stake);
        }
    }

    // The edges of `type` out of an agent by destination index (ascending:
    // out-lists are sorted), when the caller knows the destinations' kind:
    // visit(dst index, weight, stake).
    template <class Visit>
    void visit_out_index(AgentKind kind, std::uint32_t agent, EdgeType type, Visit&& visit) const {
        const std::vector<OutEntry>& list = out_[vertex(kind, agent)];
        const std::uint32_t low = out_key(type, 0);
        const std::uint32_t high = out_key(type, vertex_mask);
        if (list.empty() || list.front().key > high || list.back().key < low) return;
        auto it = list.begin();
        if (it->key < low)
            it = std::lower_bound(list.begin(), list.end(), low,
                                  [](const OutEntry& entry, std::uint32_t key) { return entry.key < key; });
        for (; it != list.end() && it->key <= high; ++it) {
            const Vertex dst = it->key & vertex_mask;
            visit(static_cast<std::uint32_t>(dst - offsets_[kind_of(dst)]), payload_[it->edge].weight,
                  payload_[it->edge].stake);
        }
    }

    // Moves every edge of `type` ending at `from` to end at `to` (acquisitions).
    void redirect_in(AgentKind kind, std::uint32_t from, std::uint32_t to, EdgeType type);

    // All edges, sorted by (type, src kind, src, dst kind, dst).
    std::vector<EdgeView> edges() const;
    // The same order without building a vector: visit(const EdgeView&).
    template <class Visit>
    void for_each_sorted(Visit&& visit) const {
        for (int t = 0; t < edge_type_count; ++t)
            for_each_sorted(static_cast<EdgeType>(t), 0, vertex_count(), visit);
    }
    // One piece of that order: the edges of `type` out of the vertices
    // [first, last) (vertices number the agents kind by kind, in AgentKind
    // order), and how many there are, so pieces can be visited in parallel.
    template <class Visit>
    void for_each_sorted(EdgeType type, std::size_t first, std::size_t last, Visit&& visit) const;
    std::size_t count_sorted(EdgeType type, std::size_t first, std::size_t last) const;
    std::size_t vertex_count() const { return out_.size(); }
    std::size_t edge_count() const { return live_; }

    // Every edge in creation order, and the inverse (replaces all edges).
    std::vector<EdgeState> snapshot() const;
    void restore(const std::vector<EdgeState>& edges, std::uint64_t next_seq);
    std::uint64_t next_seq() const { return next_seq_; }
    // Whether (kind, index) names an agent of this graph.
    bool valid(AgentKind kind, std::uint32_t index) const;
    // Bytes held by the graph (capacity, not size), for profiles.
    std::size_t memory_bytes() const;

private:
    using Vertex = std::uint32_t;
    // An out-list entry: key = type << type_shift | dst vertex, and the edge.
    struct OutEntry {
        std::uint32_t key;
        std::uint32_t edge;
    };
    static constexpr int type_shift = 28;
    static constexpr std::uint32_t vertex_mask = (1u << type_shift) - 1;
    static std::uint32_t out_key(EdgeType type, Vertex dst) {
        return static_cast<std::uint32_t>(type) << type_shift | dst;
    }

    Vertex vertex(AgentKind kind, std::uint32_t index) const;
    int kind_of(Vertex v) const {
        for (int k = agent_kind_count - 1; k > 0; --k)
            if (counts_[k] > 0 && v >= offsets_[k]) return k;
        return 0;
    }
    std::pair<AgentKind, std::uint32_t> agent_of(Vertex v) const {
        const int k = kind_of(v);
        return {static_cast<AgentKind>(k), static_cast<std::uint32_t>(v - offsets_[k])};
    }
    void append_edge(Vertex u, Vertex v, EdgeType type, double weight, double stake,
                     std::uint64_t seq, std::size_t out_position);
    void compact();

    std::array<std::size_t, agent_kind_count> offsets_{};
    std::array<std::size_t, agent_kind_count> counts_{};
    std::uint64_t next_seq_ = 0;
    // Edge columns, in creation order (dead edges stay until compaction).
    std::vector<Vertex> src_;
    std::vector<Vertex> dst_;
    std::vector<std::uint8_t> type_;  // EdgeType
    struct Payload {
        double weight;
        double stake;
    };
    std::vector<Payload> payload_;  // weight and stake side by side: one cache line per visit
    std::vector<std::uint64_t> seq_;
    std::vector<std::uint8_t> alive_;
    std::size_t live_ = 0;
    std::vector<std::vector<OutEntry>> out_;      // per vertex, sorted by key
    std::vector<std::vector<std::uint32_t>> in_;  // per vertex, creation order
};

template <class Visit>
void Network::for_each_sorted(EdgeType type, std::size_t first, std::size_t last, Visit&& visit) const {
    const std::uint32_t low = out_key(type, 0);
    const std::uint32_t high = out_key(type, vertex_mask);
    for (std::size_t u = first; u < last; ++u) {
        const std::vector<OutEntry>& list = out_[u];
        if (list.empty() || list.front().key > high || list.back().key < low) continue;
        const int src_kind = kind_of(static_cast<Vertex>(u));
        const auto src = static_cast<std::uint32_t>(u - offsets_[src_kind]);
        auto it = list.begin();
        if (it->key < low)
            it = std::lower_bound(list.begin(), list.end(), low,
                                  [](const OutEntry& entry, std::uint32_t key) { return entry.key < key; });
        const auto stop = std::upper_bound(it, list.end(), high,
                                           [](std::uint32_t key, const OutEntry& entry) { return key < entry.key; });
        // The payloads are scattered (creation order): ask for them early.
        constexpr std::ptrdiff_t ahead = 8;
        for (auto p = it; p != stop && p - it < ahead; ++p) __builtin_prefetch(&payload_[p->edge]);
        for (; it != stop; ++it) {
            if (stop - it > ahead) __builtin_prefetch(&payload_[(it + ahead)->edge]);
            const Payload& payload = payload_[it->edge];
            const auto [dst_kind, dst] = agent_of(it->key & vertex_mask);
            visit(EdgeView{static_cast<AgentKind>(src_kind), src, dst_kind, dst, type, payload.weight,
                           payload.stake});
        }
    }
}

}  // namespace airace
