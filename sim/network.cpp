#include "sim/network.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

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

template <class List>
auto out_position(List& list, std::uint32_t key) {
    return std::lower_bound(list.begin(), list.end(), key,
                            [](const auto& entry, std::uint32_t k) { return entry.key < k; });
}

template <class T>
std::size_t capacity_bytes(const std::vector<T>& v) {
    return v.capacity() * sizeof(T);
}

}  // namespace

Network::Network(const std::array<std::size_t, agent_kind_count>& counts) {
    std::size_t total = 0;
    for (int k = 0; k < agent_kind_count; ++k) {
        offsets_[k] = total;
        counts_[k] = counts[k];
        total += counts[k];
    }
    // Out-list keys hold the destination vertex in 28 bits; the largest
    // world the scenario schema allows has about 1.2e8 agents.
    if (total > vertex_mask)
        throw std::length_error("the relationship graph holds at most " +
                                std::to_string(vertex_mask) + " agents");
    out_.resize(total);
    in_.resize(total);
}

Network::Vertex Network::vertex(AgentKind kind, std::uint32_t index) const {
    AIRACE_ASSERT(index < counts_[static_cast<int>(kind)]);
    return static_cast<Vertex>(offsets_[static_cast<int>(kind)] + index);
}

void Network::append_edge(Vertex u, Vertex v, EdgeType type, double weight, double stake,
                          std::uint64_t seq, std::size_t position) {
    if (src_.size() >= 0xffffffffu) throw std::length_error("the relationship graph is full");
    const auto e = static_cast<std::uint32_t>(src_.size());
    src_.push_back(u);
    dst_.push_back(v);
    type_.push_back(static_cast<std::uint8_t>(type));
    payload_.push_back({weight, stake});
    seq_.push_back(seq);
    alive_.push_back(1);
    ++live_;
    std::vector<OutEntry>& out = out_[u];
    out.insert(out.begin() + static_cast<std::ptrdiff_t>(position), OutEntry{out_key(type, v), e});
    in_[v].push_back(e);
}

void Network::add(AgentKind src_kind, std::uint32_t src, AgentKind dst_kind, std::uint32_t dst,
                  EdgeType type, double weight, double stake) {
    const Vertex u = vertex(src_kind, src);
    const Vertex v = vertex(dst_kind, dst);
    std::vector<OutEntry>& out = out_[u];
    const std::uint32_t key = out_key(type, v);
    const auto it = out_position(out, key);
    if (it != out.end() && it->key == key) {
        payload_[it->edge].weight += weight;
        payload_[it->edge].stake += stake;
        return;
    }
    append_edge(u, v, type, weight, stake, next_seq_++, static_cast<std::size_t>(it - out.begin()));
}

void Network::for_each_in(AgentKind kind, std::uint32_t agent, EdgeType type,
                          const Visitor& visit) {
    visit_in(kind, agent, type, visit);
}

void Network::for_each_in(
    AgentKind kind, std::uint32_t agent, EdgeType type,
    const std::function<void(AgentKind, std::uint32_t, double, double)>& visit) const {
    visit_in(kind, agent, type,
             [&](AgentKind other_kind, std::uint32_t other, double weight, double stake) {
                 visit(other_kind, other, weight, stake);
             });
}

void Network::for_each_out(AgentKind kind, std::uint32_t agent, EdgeType type,
                           const Visitor& visit) {
    const std::vector<OutEntry>& out = out_[vertex(kind, agent)];
    for (auto it = out_position(out, out_key(type, 0));
         it != out.end() && it->key <= out_key(type, vertex_mask); ++it) {
        const std::uint32_t e = it->edge;
        const auto [other_kind, other] = agent_of(dst_[e]);
        visit(other_kind, other, payload_[e].weight, payload_[e].stake);
    }
}

void Network::redirect_in(AgentKind kind, std::uint32_t from, std::uint32_t to, EdgeType type) {
    const Vertex old_target = vertex(kind, from);
    struct Moved {
        Vertex source;
        double weight;
        double stake;
    };
    std::vector<Moved> moved;
    std::vector<std::uint32_t>& in = in_[old_target];
    // Remove the edges (in creation order, kept for the others).
    std::size_t kept = 0;
    for (const std::uint32_t e : in) {
        if (type_[e] != static_cast<std::uint8_t>(type)) {
            in[kept++] = e;
            continue;
        }
        moved.push_back({src_[e], payload_[e].weight, payload_[e].stake});
        std::vector<OutEntry>& out = out_[src_[e]];
        const auto it = out_position(out, out_key(type, old_target));
        AIRACE_ASSERT(it != out.end() && it->edge == e);
        out.erase(it);
        alive_[e] = 0;
        --live_;
    }
    in.resize(kept);
    for (const Moved& m : moved) {
        const auto [src_kind, src] = agent_of(m.source);
        add(src_kind, src, kind, to, type, m.weight, m.stake);
    }
    if (src_.size() - live_ > std::max<std::size_t>(1024, live_)) compact();
}

std::size_t Network::count_sorted(EdgeType type, std::size_t first, std::size_t last) const {
    const std::uint32_t low = out_key(type, 0);
    const std::uint32_t high = out_key(type, vertex_mask);
    std::size_t count = 0;
    for (std::size_t u = first; u < last; ++u) {
        const std::vector<OutEntry>& list = out_[u];
        if (list.empty() || list.front().key > high || list.back().key < low) continue;
        const auto begin = out_position(list, low);
        const auto end = std::upper_bound(begin, list.end(), high,
                                          [](std::uint32_t key, const OutEntry& entry) { return key < entry.key; });
        count += static_cast<std::size_t>(end - begin);
    }
    return count;
}

std::vector<EdgeView> Network::edges() const {
    std::vector<EdgeView> out;
    out.reserve(live_);
    for_each_sorted([&](const EdgeView& edge) { out.push_back(edge); });
    return out;
}

std::vector<EdgeState> Network::snapshot() const {
    std::vector<EdgeState> out;
    out.reserve(live_);
    // Columns are in creation order, which is seq order (restore keeps it).
    for (std::size_t e = 0; e < src_.size(); ++e) {
        if (!alive_[e]) continue;
        const auto [sk, s] = agent_of(src_[e]);
        const auto [dk, d] = agent_of(dst_[e]);
        out.push_back({sk, s, dk, d, static_cast<EdgeType>(type_[e]), payload_[e].weight, payload_[e].stake, seq_[e]});
    }
    return out;
}

void Network::restore(const std::vector<EdgeState>& edges, std::uint64_t next_seq) {
    const std::vector<EdgeState>* ordered = &edges;
    std::vector<EdgeState> sorted;
    if (!std::is_sorted(edges.begin(), edges.end(),
                        [](const EdgeState& l, const EdgeState& r) { return l.seq < r.seq; })) {
        sorted = edges;
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const EdgeState& l, const EdgeState& r) { return l.seq < r.seq; });
        ordered = &sorted;
    }
    for (auto& list : out_) list.clear();
    for (auto& list : in_) list.clear();
    for (auto* column : {&src_, &dst_}) column->clear();
    type_.clear();
    payload_.clear();
    seq_.clear();
    alive_.clear();
    live_ = 0;
    for (const EdgeState& e : *ordered) {
        const Vertex u = vertex(e.src_kind, e.src);
        const Vertex v = vertex(e.dst_kind, e.dst);
        std::vector<OutEntry>& out = out_[u];
        const std::uint32_t key = out_key(e.type, v);
        const auto it = out_position(out, key);
        if (it != out.end() && it->key == key)
            throw RunFileError("checkpoint: two edges of the graph share (src, dst, type)");
        append_edge(u, v, e.type, e.weight, e.stake, e.seq, static_cast<std::size_t>(it - out.begin()));
    }
    next_seq_ = next_seq;
}

void Network::compact() {
    const std::vector<EdgeState> live = snapshot();
    const std::uint64_t next = next_seq_;
    src_.shrink_to_fit();
    restore(live, next);
}

bool Network::valid(AgentKind kind, std::uint32_t index) const {
    const auto k = static_cast<int>(kind);
    return k >= 0 && k < agent_kind_count && index < counts_[k];
}

std::size_t Network::memory_bytes() const {
    std::size_t bytes = capacity_bytes(src_) + capacity_bytes(dst_) + capacity_bytes(type_) +
                        capacity_bytes(payload_) + capacity_bytes(seq_) +
                        capacity_bytes(alive_) + capacity_bytes(out_) + capacity_bytes(in_);
    for (const auto& list : out_) bytes += capacity_bytes(list);
    for (const auto& list : in_) bytes += capacity_bytes(list);
    return bytes;
}

}  // namespace airace
