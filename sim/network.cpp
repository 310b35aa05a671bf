#include "sim/network.hpp"

#include <algorithm>
#include <tuple>

#include <boost/graph/adjacency_list.hpp>

#include "sim/errors.hpp"

namespace airace {

const char* edge_type_name(EdgeType type) {
    switch (type) {
        case EdgeType::equity: return "equity";
        case EdgeType::compute_contract: return "compute_contract";
        case EdgeType::licence: return "licence";
        case EdgeType::exclusive: return "exclusive";
        case EdgeType::lobbying: return "lobbying";
        case EdgeType::influence: return "influence";
    }
    return "unknown";
}

namespace {

struct EdgeProperties {
    EdgeType type = EdgeType::equity;
    double weight = 0;
    double stake = 0;
    std::uint64_t seq = 0;  // creation number
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS,
                                    boost::no_property, EdgeProperties>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;

}  // namespace

struct Network::Impl {
    Graph graph;
    std::array<std::size_t, agent_kind_count> offsets{};
    std::array<std::size_t, agent_kind_count> counts{};
    std::uint64_t next_seq = 0;

    Vertex vertex(AgentKind kind, std::uint32_t index) const {
        AIRACE_ASSERT(index < counts[static_cast<int>(kind)]);
        return offsets[static_cast<int>(kind)] + index;
    }
    std::pair<AgentKind, std::uint32_t> agent(Vertex v) const {
        for (int k = agent_kind_count - 1; k >= 0; --k)
            if (v >= offsets[k] && counts[k] > 0)
                return {static_cast<AgentKind>(k), static_cast<std::uint32_t>(v - offsets[k])};
        return {AgentKind::world, 0};
    }
};

Network::Network(const std::array<std::size_t, agent_kind_count>& counts)
    : impl_(std::make_unique<Impl>()) {
    std::size_t total = 0;
    for (int k = 0; k < agent_kind_count; ++k) {
        impl_->offsets[k] = total;
        impl_->counts[k] = counts[k];
        total += counts[k];
    }
    impl_->graph = Graph(total);
}

Network::~Network() = default;
Network::Network(Network&&) noexcept = default;
Network& Network::operator=(Network&&) noexcept = default;

void Network::add(AgentKind src_kind, std::uint32_t src, AgentKind dst_kind, std::uint32_t dst,
                  EdgeType type, double weight, double stake) {
    Graph& g = impl_->graph;
    const Vertex u = impl_->vertex(src_kind, src);
    const Vertex v = impl_->vertex(dst_kind, dst);
    for (auto [it, end] = boost::out_edges(u, g); it != end; ++it) {
        if (boost::target(*it, g) == v && g[*it].type == type) {
            g[*it].weight += weight;
            g[*it].stake += stake;
            return;
        }
    }
    boost::add_edge(u, v, EdgeProperties{type, weight, stake, impl_->next_seq++}, g);
}

void Network::for_each_in(AgentKind kind, std::uint32_t agent, EdgeType type,
                          const Visitor& visit) {
    Graph& g = impl_->graph;
    for (auto [it, end] = boost::in_edges(impl_->vertex(kind, agent), g); it != end; ++it) {
        if (g[*it].type != type) continue;
        const auto [other_kind, other] = impl_->agent(boost::source(*it, g));
        visit(other_kind, other, g[*it].weight, g[*it].stake);
    }
}

void Network::for_each_in(
    AgentKind kind, std::uint32_t agent, EdgeType type,
    const std::function<void(AgentKind, std::uint32_t, double, double)>& visit) const {
    const Graph& g = impl_->graph;
    for (auto [it, end] = boost::in_edges(impl_->vertex(kind, agent), g); it != end; ++it) {
        if (g[*it].type != type) continue;
        const auto [other_kind, other] = impl_->agent(boost::source(*it, g));
        visit(other_kind, other, g[*it].weight, g[*it].stake);
    }
}

void Network::for_each_out(AgentKind kind, std::uint32_t agent, EdgeType type,
                           const Visitor& visit) {
    Graph& g = impl_->graph;
    for (auto [it, end] = boost::out_edges(impl_->vertex(kind, agent), g); it != end; ++it) {
        if (g[*it].type != type) continue;
        const auto [other_kind, other] = impl_->agent(boost::target(*it, g));
        visit(other_kind, other, g[*it].weight, g[*it].stake);
    }
}

void Network::redirect_in(AgentKind kind, std::uint32_t from, std::uint32_t to, EdgeType type) {
    Graph& g = impl_->graph;
    const Vertex old_target = impl_->vertex(kind, from);
    std::vector<std::pair<Vertex, EdgeProperties>> moved;
    for (auto [it, end] = boost::in_edges(old_target, g); it != end; ++it)
        if (g[*it].type == type) moved.emplace_back(boost::source(*it, g), g[*it]);
    boost::remove_in_edge_if(
        old_target, [&](const auto& e) { return g[e].type == type; }, g);
    for (const auto& [source, properties] : moved) {
        const auto [src_kind, src] = impl_->agent(source);
        add(src_kind, src, kind, to, type, properties.weight, properties.stake);
    }
}

std::vector<EdgeView> Network::edges() const {
    const Graph& g = impl_->graph;
    std::vector<EdgeView> out;
    out.reserve(boost::num_edges(g));
    for (auto [it, end] = boost::edges(g); it != end; ++it) {
        const auto [sk, s] = impl_->agent(boost::source(*it, g));
        const auto [dk, d] = impl_->agent(boost::target(*it, g));
        out.push_back({sk, s, dk, d, g[*it].type, g[*it].weight, g[*it].stake});
    }
    std::sort(out.begin(), out.end(), [](const EdgeView& l, const EdgeView& r) {
        return std::tie(l.type, l.src_kind, l.src, l.dst_kind, l.dst) <
               std::tie(r.type, r.src_kind, r.src, r.dst_kind, r.dst);
    });
    return out;
}

std::size_t Network::edge_count() const { return boost::num_edges(impl_->graph); }

std::vector<EdgeState> Network::snapshot() const {
    const Graph& g = impl_->graph;
    std::vector<EdgeState> out;
    out.reserve(boost::num_edges(g));
    for (auto [it, end] = boost::edges(g); it != end; ++it) {
        const auto [sk, s] = impl_->agent(boost::source(*it, g));
        const auto [dk, d] = impl_->agent(boost::target(*it, g));
        out.push_back({sk, s, dk, d, g[*it].type, g[*it].weight, g[*it].stake, g[*it].seq});
    }
    std::sort(out.begin(), out.end(),
              [](const EdgeState& l, const EdgeState& r) { return l.seq < r.seq; });
    return out;
}

void Network::restore(const std::vector<EdgeState>& edges, std::uint64_t next_seq) {
    Graph& g = impl_->graph;
    const std::size_t vertices = boost::num_vertices(g);
    g = Graph(vertices);
    for (const EdgeState& e : edges)
        boost::add_edge(impl_->vertex(e.src_kind, e.src), impl_->vertex(e.dst_kind, e.dst),
                        EdgeProperties{e.type, e.weight, e.stake, e.seq}, g);
    impl_->next_seq = next_seq;
}

std::uint64_t Network::next_seq() const { return impl_->next_seq; }

bool Network::valid(AgentKind kind, std::uint32_t index) const {
    const auto k = static_cast<int>(kind);
    return k >= 0 && k < agent_kind_count && index < impl_->counts[k];
}

}  // namespace airace
