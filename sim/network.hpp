#pragma once
// The relationship graph over all agents: a directed graph with at most one
// edge per (src, dst, type). Edges carry a type, a weight (money or FLOP, by
// type) and, for equity, the stake held. Used for herding, dilution,
// acquisitions and concentration, and recorded as yearly snapshots.
//
// Storage: one Boost.Graph adjacency_list per edge type holds the vertices,
// the edges with their properties, and each vertex's in-edges in creation
// order, so sums over a vertex's in-edges add in the same order before and
// after a checkpoint, and a visit of one type's in-edges never steps over
// the others (a lab's millions of equity edges when its licences are
// summed). The graphs are directed and hold each edge reversed (target ->
// source): a vertex's out-list in the graph is its list of in-edges, and
// each edge's properties sit in their own small allocation, 48 bytes an
// edge in all, where a bidirectional graph with an edge list needs 96 (a
// list node and an entry in each of two lists). Since only a target needs
// a vertex (its in-list), each graph has vertices up to the end of the
// last agent kind its edges point to (make_room()): the graphs of edges
// into labs have none for the million investors of the largest worlds
// (those into the regulator, numbered after the investors, still do).
// Beside the graphs an index
// keeps each vertex's out-edges sorted by (type, target): add() finds an
// edge by binary search, and walking the types, then the sources in vertex
// order, then each index gives every edge in the (type, src kind, src, dst
// kind, dst) order that hashes and snapshots need, without sorting
// (docs/performance.md).

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <span>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "base/allocator.hpp"
#include "base/ids.hpp"

namespace airace {

enum class EdgeType : std::int32_t {
    equity = 0,            // investor -> lab: weight = USD invested (cost basis), stake = share owned
    compute_contract = 1,  // compute provider -> lab: weight = FLOP sold, cumulative
    licence = 2,           // data provider -> lab: weight = tokens licensed (summed over terms),
                           //   stake = the year the licence runs to
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
    // A copy rebuilds the graph edge by edge in creation order (the index
    // points into the graph, so the graph cannot be copied as is).
    Network(const Network& other);
    Network& operator=(const Network& other);
    Network(Network&&) noexcept = default;
    Network& operator=(Network&&) noexcept = default;
    ~Network();

    // Adds `weight` and `stake` to the (src, dst, type) edge, creating it.
    // O(log out-degree of src) to find it; a new edge also inserts into the
    // source's sorted index.
    void add(AgentKind src_kind, std::uint32_t src, AgentKind dst_kind, std::uint32_t dst,
             EdgeType type, double weight, double stake = 0);

    // add(src_kind, sources[k], dst_kind, targets[k], type, weights[k],
    // stakes[k]) for every k in order, when no (source, target) pair comes
    // twice (the holders of a step's funding rounds): the lookups, and the
    // merges into existing edges, run in parallel; new edges are made in k
    // order, as add() would make them.
    void add_many(AgentKind src_kind, std::span<const std::uint32_t> sources, AgentKind dst_kind,
                  std::span<const std::uint32_t> targets, EdgeType type, std::span<const double> weights,
                  std::span<const double> stakes);

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
        digest_ += visit_in_apart(kind, agent, type, visit);
    }
    // visit_in for several agents at once, one thread per agent (the
    // visits change only the agent's own in-edges): returns the change of
    // the edge digest instead of making it; the caller adds the changes
    // with add_digest_change() (in any order: the digest is a sum).
    template <class Visit>
    [[nodiscard]] std::uint64_t visit_in_apart(AgentKind kind, std::uint32_t agent, EdgeType type,
                                               Visit&& visit) {
        Graph& g = graph(type);
        const Vertex v = vertex(kind, agent);
        if (!has_in_list(g, v)) return 0;
        // The lab's holders are its in-edges from investors, in order.
        Holder* holder = type == EdgeType::equity && kind == AgentKind::lab ? holders_[agent].data() : nullptr;
        const auto in = boost::out_edges(v, g);  // the in-edges (reversed graph)
        const std::uint64_t change = visit_in_range(g, type, v, in.first, in.second, holder, visit);
        if (holder != nullptr) copy_to_holdings(agent);
        return change;
    }
    // A round's dilution of lab `lab`: every equity stake into it times
    // `factor`. The lab's equity scale takes the factor (one multiplication
    // whatever the number of holders); only when the scale would fall below
    // min_equity_scale (or is not a number) do the stored stakes take it and
    // the scale start again at 1, edge by edge as visit_in_apart would (in
    // parallel pieces for a lab with many holders); returns the digest's
    // change (0 but then).
    [[nodiscard]] std::uint64_t dilute_apart(std::uint32_t lab, double factor);
    // Each equity stake into a lab is kept as its edge's stored units times
    // the lab's equity scale (1 until its first dilution; see dilute_apart):
    // every visit, view and EdgeView gives the stake, units times scale;
    // add() and add_many() store a new stake as stake / scale. snapshot()
    // gives the stored units, which with the scales are the graph's state
    // (checkpoints keep both; the world hash covers the scales).
    double equity_scale(std::uint32_t lab) const { return equity_scale_[lab]; }
    const std::vector<double>& equity_scales() const { return equity_scale_; }
    static constexpr double min_equity_scale = 0x1p-600;
    void add_digest_change(std::uint64_t change) { digest_ += change; }
    template <class Visit>
    void visit_in(AgentKind kind, std::uint32_t agent, EdgeType type, Visit&& visit) const {
        const Graph& g = graph(type);
        const Vertex v = vertex(kind, agent);
        if (!has_in_list(g, v)) return;
        const double scale = scale_of(type, v);
        for (const auto& e : boost::make_iterator_range(boost::out_edges(v, g))) {
            const Properties& p = g[e];
            const auto [other_kind, other] = agent_of(boost::target(e, g));
            visit(other_kind, other, p.weight, p.stake * scale);
        }
    }
    // Only the index of the source (when the caller knows its kind).
    template <class Visit>
    void visit_in_index(AgentKind kind, std::uint32_t agent, EdgeType type, Visit&& visit) const {
        const Graph& g = graph(type);
        const Vertex v = vertex(kind, agent);
        if (!has_in_list(g, v)) return;
        const double scale = scale_of(type, v);
        for (const auto& e : boost::make_iterator_range(boost::out_edges(v, g))) {
            const Properties& p = g[e];
            const Vertex u = boost::target(e, g);
            visit(static_cast<std::uint32_t>(u - offsets_[kind_of(u)]), p.weight, p.stake * scale);
        }
    }

    // The edges of `type` out of an agent by destination index (ascending:
    // the index is sorted), when the caller knows the destinations' kind:
    // visit(dst index, weight, stake).
    template <class Visit>
    void visit_out_index(AgentKind kind, std::uint32_t agent, EdgeType type, Visit&& visit) const {
        const auto [first, last] = index_range(vertex(kind, agent), type);
        for (auto it = first; it != last; ++it) {
            const Vertex dst = it->key & vertex_mask;
            visit(static_cast<std::uint32_t>(dst - offsets_[kind_of(dst)]), it->edge->weight,
                  it->edge->stake * scale_of(type, dst));
        }
    }

    // The equity edges from investors to labs again, as compact lists of
    // (other end, stake) that every change of those edges keeps up to date:
    // per lab its holders in creation order (the order of visit_in), per
    // investor its holdings by lab (the order of visit_out_index). The
    // portfolio views walk every holding each step; these lists spare them
    // the graph's scattered edge nodes and add in the same order, so the
    // sums are the same to the bit (docs/performance.md).
    // visit(investor index, stake):
    template <class Visit>
    void visit_holders(std::uint32_t lab, Visit&& visit) const {
        const double scale = equity_scale_[lab];
        for (const Holder& h : holders_[lab]) visit(h.investor, h.stake * scale);
    }
    // visit(lab index, stake), labs ascending:
    template <class Visit>
    void visit_holdings(std::uint32_t investor, Visit&& visit) const {
        for (const Holding& h : holdings_[investor]) visit(h.lab, h.stake * equity_scale_[h.lab]);
    }
    // The same holdings with each stake's stored units (the stake is
    // units times equity_scale(lab), to the bit): visit(lab index, units),
    // for callers that keep the labs' scales beside other per-lab values.
    template <class Visit>
    void visit_holding_units(std::uint32_t investor, Visit&& visit) const {
        for (const Holding& h : holdings_[investor]) visit(h.lab, h.stake);
    }
    // Asks for an investor's holdings ahead of visit_holdings (a hint).
    void prefetch_holdings(std::uint32_t investor) const {
        if (investor < holdings_.size()) __builtin_prefetch(holdings_[investor].data());
    }
    // Whether those lists equal the graph's equity edges from investors to
    // labs (order and stakes), for tests.
    bool holdings_match_graph() const;

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
    std::size_t vertex_count() const { return index_.size(); }
    // A digest of every edge's (type, source, target, weight, stake),
    // independent of order: the sum (mod 2^64) of each edge's XXH3 hash,
    // kept up to date by every change, so the world hash covers the graph
    // without walking it (docs/performance.md).
    std::uint64_t edge_digest() const { return digest_; }
    // The same sum computed edge by edge, for tests.
    std::uint64_t recompute_edge_digest() const;
    std::size_t edge_count() const { return edge_count_; }

    // Every edge in creation order, with its stored stake (see
    // equity_scale), and the inverse (replaces all edges and sets the labs'
    // equity scales: all 1 when `equity_scales` is empty, as in checkpoints
    // written before the scales were kept).
    std::vector<EdgeState> snapshot() const;
    void restore(const std::vector<EdgeState>& edges, std::uint64_t next_seq,
                 std::vector<double> equity_scales = {});
    std::uint64_t next_seq() const { return next_seq_; }
    // Whether (kind, index) names an agent of this graph.
    bool valid(AgentKind kind, std::uint32_t index) const;

private:
    struct Properties {
        double weight = 0;
        double stake = 0;
        std::uint64_t seq = 0;  // creation number
    };
    // Each edge reversed, from its target to its source (see the top of
    // this file): boost::out_edges(v) are v's in-edges in creation order and
    // boost::target(e) is the edge's source. A directed adjacency_list keeps
    // each edge's properties behind a pointer, so they never move when a
    // list grows: the index can point at them.
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS,
                                        boost::no_property, Properties, boost::no_property,
                                        boost::vecS>;
    using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
    // An index entry: key = type << type_shift | target vertex, and the
    // edge's properties; packed to 12 bytes (one per edge: 4 bytes of
    // padding each would be 80 MB at 20 million edges).
    struct [[gnu::packed, gnu::aligned(4)]] IndexEntry {
        std::uint32_t key;
        Properties* edge;
    };
    static_assert(sizeof(IndexEntry) == 12);
    using Index = ScalableVector<IndexEntry>;
    static constexpr int type_shift = 28;
    static constexpr std::uint32_t vertex_mask = (1u << type_shift) - 1;
    static std::uint32_t index_key(EdgeType type, Vertex dst) {
        return static_cast<std::uint32_t>(type) << type_shift | static_cast<std::uint32_t>(dst);
    }

    Graph& graph(EdgeType type) { return *graphs_[static_cast<std::size_t>(type)]; }
    // A graph's vertices run up to the end of the last kind any of its
    // edges has pointed to (an edge type's targets are one or two kinds);
    // a vertex past them has no in-edges of that type.
    static bool has_in_list(const Graph& g, Vertex v) { return v < boost::num_vertices(g); }
    // Asks for the middle of u's index ahead of a search in it (a hint).
    void prefetch_index(Vertex u) const {
        const Index& list = index_[u];
        __builtin_prefetch(list.data() + list.size() / 2);
    }
    // Gives the graph of `type` vertices up to the end of agent kind `kind`
    // (all of it at once; the graph is made anew while it has none).
    // References to the graph, or to its vertices' in-lists, taken before
    // are invalid after it: no visit of a graph may add edges to it.
    void make_room(EdgeType type, int kind);
    const Graph& graph(EdgeType type) const { return *graphs_[static_cast<std::size_t>(type)]; }
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
    // The index entries of `type` out of `u`.
    std::pair<Index::const_iterator, Index::const_iterator> index_range(Vertex u, EdgeType type) const {
        const Index& list = index_[u];
        const std::uint32_t low = index_key(type, 0);
        const std::uint32_t high = index_key(type, vertex_mask);
        if (list.empty() || list.front().key > high || list.back().key < low)
            return {list.end(), list.end()};
        auto begin = list.begin();
        if (begin->key < low)
            begin = std::lower_bound(begin, list.end(), low,
                                     [](const IndexEntry& entry, std::uint32_t key) { return entry.key < key; });
        auto end = list.end();
        if (list.back().key > high)
            end = std::upper_bound(begin, end, high,
                                   [](std::uint32_t key, const IndexEntry& entry) { return key < entry.key; });
        return {begin, end};
    }
    static std::uint64_t digest_of(EdgeType type, Vertex u, Vertex v, const Properties& p);
    // The holdings lists (see visit_holders): a holder of a lab, in creation
    // order; a holding of an investor, with its place in the lab's holders.
    struct [[gnu::packed, gnu::aligned(4)]] Holder {  // 12 bytes, as IndexEntry
        std::uint32_t investor;
        double stake;
    };
    static_assert(sizeof(Holder) == 12);
    struct Holding {
        std::uint32_t lab;
        std::uint32_t position;  // in holders_[lab]
        double stake;
    };
    // visit_in_apart's walk over the in-edges [it, end) of v, whose held
    // ones are the holders from `holder` on (nullptr: not a lab's equity);
    // returns the digest's change.
    template <class InEdge, class Visit>
    std::uint64_t visit_in_range(Graph& g, EdgeType type, Vertex v, InEdge it, InEdge end, Holder* holder,
                                 Visit&& visit) {
        std::uint64_t change = 0;
        const double scale = scale_of(type, v);
        constexpr std::ptrdiff_t ahead = 8;  // the edges' properties are scattered: ask early
        for (; it != end; ++it) {
            if (end - it > ahead) __builtin_prefetch(&g[*(it + ahead)]);
            const auto e = *it;
            Properties& p = g[e];
            const Vertex u = boost::target(e, g);  // the source (reversed graph)
            const std::pair<AgentKind, std::uint32_t> other = agent_of(u);  // (captured below: no structured binding)
            const std::uint64_t before = digest_of(type, u, v, p);
            visit_scaled(p, scale,
                         [&](double& weight, double& stake) { visit(other.first, other.second, weight, stake); });
            change += digest_of(type, u, v, p) - before;
            if (holder != nullptr && held(type, u, v)) (holder++)->stake = p.stake;
        }
        return change;
    }
    // The factor from an edge's stored stake to its stake: the lab's equity
    // scale for an equity edge into a lab, else 1.
    double scale_of(EdgeType type, Vertex v) const {
        const auto lab = static_cast<std::size_t>(AgentKind::lab);
        return type == EdgeType::equity && v - offsets_[lab] < counts_[lab] ? equity_scale_[v - offsets_[lab]] : 1.0;
    }
    // visit(weight&, stake&) on an edge's properties, the stake given
    // times `scale` and, when the visit changes it, stored divided by it.
    template <class Visit>
    static void visit_scaled(Properties& p, double scale, Visit&& visit) {
        if (scale == 1.0) return visit(p.weight, p.stake);
        const double given = p.stake * scale;
        double stake = given;
        visit(p.weight, stake);
        if (std::memcmp(&stake, &given, sizeof stake) != 0) p.stake = stake / scale;
    }
    // Whether an edge u -> v of `type` is in those lists.
    bool held(EdgeType type, Vertex u, Vertex v) const {
        const auto investor = static_cast<std::size_t>(AgentKind::investor);
        const auto lab = static_cast<std::size_t>(AgentKind::lab);
        return type == EdgeType::equity && u - offsets_[investor] < counts_[investor] &&
               v - offsets_[lab] < counts_[lab];
    }
    std::uint32_t investor_of(Vertex u) const {
        return static_cast<std::uint32_t>(u - offsets_[static_cast<std::size_t>(AgentKind::investor)]);
    }
    std::uint32_t lab_of(Vertex v) const {
        return static_cast<std::uint32_t>(v - offsets_[static_cast<std::size_t>(AgentKind::lab)]);
    }
    // A new holder at the end of the lab's list; returns its position.
    std::uint32_t append_holder(Vertex u, Vertex v, double stake);
    // The investor's holding of that holder, in lab order.
    void insert_holding(Vertex u, Vertex v, std::uint32_t position, double stake);
    // An existing holding's stake changed to `stake` (both copies).
    void set_holding(Vertex u, Vertex v, double stake);
    // The lab's holders' stakes into their holdings (holders [begin, end)).
    void copy_to_holdings(std::uint32_t lab);
    void copy_to_holdings(std::uint32_t lab, std::size_t begin, std::size_t end);
    // The lists from the graph (after edges of the lists were removed).
    void rebuild_holdings();
    // Creates the edge (it must not exist) at `position` of u's index.
    void create_edge(Vertex u, Vertex v, EdgeType type, double weight, double stake,
                     std::uint64_t seq, Index::const_iterator position);

    std::array<std::size_t, agent_kind_count> offsets_{};
    std::array<std::size_t, agent_kind_count> counts_{};
    std::uint64_t next_seq_ = 0;
    std::size_t edge_count_ = 0;
    std::uint64_t digest_ = 0;  // see edge_digest()
    // add_many's work: whether entry k merged into an edge, each new edge's
    // properties once made, and, by chunks of entries, the new edges (their
    // entries) by blocks of sources and by runs of one target.
    std::vector<std::uint8_t> add_merged_;
    std::vector<Properties*> add_properties_;
    using StoredEdge = std::remove_reference_t<decltype(std::declval<Graph&>().out_edge_list(0))>::value_type;
    static constexpr std::size_t add_chunk_size = 4096;
    static constexpr std::size_t add_blocks = 64;
    // A run of a chunk's new edges into one target, and where they go in its
    // in-list and (for holdings) its lab's holders.
    struct TargetRun {
        Vertex target;
        std::size_t first;  // in the chunk's made
        std::size_t count;
        std::size_t in_at;
        std::size_t holder_at;
    };
    struct AddChunk {
        std::uint64_t first_seq = 0;       // the first new edge's creation number
        std::vector<std::uint32_t> made;   // the new edges' entries, in order
        std::vector<TargetRun> runs;
        std::array<std::vector<std::uint32_t>, add_blocks> by_source;  // block: source / (vertices / add_blocks)
    };
    // A target's list lengths once a step's new edges are in.
    struct GrownTarget {
        std::size_t in_edges = 0;
        std::size_t holders = 0;
    };
    std::unordered_map<Vertex, GrownTarget> add_targets_;
    std::vector<std::pair<Vertex, GrownTarget>> add_grown_;
    std::vector<AddChunk> add_chunks_;
    // One graph per edge type, on the heap: moving a Network keeps the
    // index's pointers valid.
    std::array<std::unique_ptr<Graph>, edge_type_count> graphs_;
    std::vector<Index> index_;  // per vertex, sorted by key
    std::vector<std::vector<Holder>> holders_;    // per lab, creation order
    std::vector<double> equity_scale_;            // per lab (see equity_scale)
    std::vector<ScalableVector<Holding>> holdings_;  // per investor, by lab
    std::vector<std::uint32_t> add_positions_;    // add_many's new holders' positions
};

template <class Visit>
void Network::for_each_sorted(EdgeType type, std::size_t first, std::size_t last, Visit&& visit) const {
    for (std::size_t u = first; u < last; ++u) {
        const auto [begin, end] = index_range(static_cast<Vertex>(u), type);
        if (begin == end) continue;
        const int src_kind = kind_of(static_cast<Vertex>(u));
        const auto src = static_cast<std::uint32_t>(u - offsets_[src_kind]);
        // The properties are scattered (creation order): ask for them early.
        constexpr std::ptrdiff_t ahead = 8;
        for (auto p = begin; p != end && p - begin < ahead; ++p) __builtin_prefetch(p->edge);
        for (auto it = begin; it != end; ++it) {
            if (end - it > ahead) __builtin_prefetch((it + ahead)->edge);
            const Vertex v = it->key & vertex_mask;
            const auto [dst_kind, dst] = agent_of(v);
            visit(EdgeView{static_cast<AgentKind>(src_kind), src, dst_kind, dst, type, it->edge->weight,
                           it->edge->stake * scale_of(type, v)});
        }
    }
}

}  // namespace airace
