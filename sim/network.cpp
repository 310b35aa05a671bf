#include "sim/network.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <stdexcept>
#include <cstring>
#include <iterator>
#include <string>

#include <xxhash.h>

#include "base/errors.hpp"
#include "base/parallel.hpp"

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
auto index_position(List& list, std::uint32_t key) {
    return std::lower_bound(list.begin(), list.end(), key,
                            [](const auto& entry, std::uint32_t k) { return entry.key < k; });
}

}  // namespace

Network::Network(const std::array<std::size_t, agent_kind_count>& counts) {
    std::size_t total = 0;
    for (int k = 0; k < agent_kind_count; ++k) {
        offsets_[k] = total;
        counts_[k] = counts[k];
        total += counts[k];
    }
    // Index keys hold the target vertex in 28 bits; the largest world the
    // scenario schema allows has about 1.2e8 agents.
    if (total > vertex_mask)
        throw std::length_error("the relationship graph holds at most " +
                                std::to_string(vertex_mask) + " agents");
    // Each graph gets vertices once an edge of its type needs them (see
    // make_room()): the investors, a million in the largest worlds, are
    // targets of no edge type, so the graphs whose edges point to labs stop
    // before them (lobbying and influence point to the regulator, numbered
    // after the investors, and still have a vertex for every agent).
    for (auto& g : graphs_) g = std::make_unique<Graph>();
    index_.resize(total);
    holders_.resize(counts_[static_cast<std::size_t>(AgentKind::lab)]);
    equity_scale_.assign(holders_.size(), 1.0);
    holdings_.resize(counts_[static_cast<std::size_t>(AgentKind::investor)]);
}

Network::Network(const Network& other)
    : offsets_(other.offsets_),
      counts_(other.counts_),
      index_(other.vertex_count()),
      holders_(other.holders_.size()),
      holdings_(other.holdings_.size()) {
    for (auto& g : graphs_) g = std::make_unique<Graph>();
    restore(other.snapshot(), other.next_seq_, other.equity_scale_);
}

Network& Network::operator=(const Network& other) {
    if (this != &other) *this = Network(other);
    return *this;
}

Network::~Network() = default;

void Network::make_room(EdgeType type, int kind) {
    const std::size_t end = offsets_[kind] + counts_[kind];
    Graph& g = graph(type);
    if (boost::num_vertices(g) >= end) return;
    if (boost::num_vertices(g) == 0) {
        graphs_[static_cast<std::size_t>(type)] = std::make_unique<Graph>(end);
        return;
    }
    while (boost::num_vertices(g) < end) boost::add_vertex(g);
}

Network::Vertex Network::vertex(AgentKind kind, std::uint32_t index) const {
    AIRACE_ASSERT(index < counts_[static_cast<int>(kind)]);
    return static_cast<Vertex>(offsets_[static_cast<int>(kind)] + index);
}

std::uint64_t Network::digest_of(EdgeType type, Vertex u, Vertex v, const Properties& p) {
    const std::uint32_t ids[3] = {static_cast<std::uint32_t>(type), static_cast<std::uint32_t>(u),
                                  static_cast<std::uint32_t>(v)};
    unsigned char bytes[sizeof ids + 2 * sizeof(double)];
    std::memcpy(bytes, ids, sizeof ids);
    std::memcpy(bytes + sizeof ids, &p.weight, sizeof(double));
    std::memcpy(bytes + sizeof ids + sizeof(double), &p.stake, sizeof(double));
    return XXH3_64bits(bytes, sizeof bytes);
}

std::uint64_t Network::recompute_edge_digest() const {
    std::uint64_t sum = 0;
    for (int t = 0; t < edge_type_count; ++t) {
        const Graph& g = graph(static_cast<EdgeType>(t));
        // Each edge is held reversed: its source is the graph's target.
        for (const auto& e : boost::make_iterator_range(boost::edges(g)))
            sum += digest_of(static_cast<EdgeType>(t), boost::target(e, g), boost::source(e, g), g[e]);
    }
    return sum;
}

std::uint32_t Network::append_holder(Vertex u, Vertex v, double stake) {
    std::vector<Holder>& holders = holders_[lab_of(v)];
    holders.push_back({investor_of(u), stake});
    return static_cast<std::uint32_t>(holders.size() - 1);
}

void Network::insert_holding(Vertex u, Vertex v, std::uint32_t position, double stake) {
    auto& holdings = holdings_[investor_of(u)];
    const std::uint32_t lab = lab_of(v);
    const auto it = std::lower_bound(holdings.begin(), holdings.end(), lab,
                                     [](const Holding& h, std::uint32_t l) { return h.lab < l; });
    holdings.insert(it, Holding{lab, position, stake});
}

void Network::set_holding(Vertex u, Vertex v, double stake) {
    auto& holdings = holdings_[investor_of(u)];
    const std::uint32_t lab = lab_of(v);
    const auto it = std::lower_bound(holdings.begin(), holdings.end(), lab,
                                     [](const Holding& h, std::uint32_t l) { return h.lab < l; });
    AIRACE_ASSERT(it != holdings.end() && it->lab == lab);
    it->stake = stake;
    holders_[lab][it->position].stake = stake;
}

void Network::copy_to_holdings(std::uint32_t lab) { copy_to_holdings(lab, 0, holders_[lab].size()); }

void Network::copy_to_holdings(std::uint32_t lab, std::size_t begin, std::size_t end) {
    const std::vector<Holder>& holders = holders_[lab];
    // Each holding is in another investor's list: ask for the lists, then
    // their entries, ahead of the search (a lab has up to millions of holders).
    constexpr std::size_t ahead = 16;
    for (std::size_t i = begin; i < end; ++i) {
        if (i + 2 * ahead < end) __builtin_prefetch(&holdings_[holders[i + 2 * ahead].investor]);
        if (i + ahead < end) __builtin_prefetch(holdings_[holders[i + ahead].investor].data());
        auto& holdings = holdings_[holders[i].investor];
        const auto it = std::lower_bound(holdings.begin(), holdings.end(), lab,
                                         [](const Holding& h, std::uint32_t l) { return h.lab < l; });
        AIRACE_ASSERT(it != holdings.end() && it->lab == lab && it->position == i);
        it->stake = holders[i].stake;
    }
}

std::uint64_t Network::dilute_apart(std::uint32_t lab, double factor) {
    double& lab_scale = equity_scale_[lab];
    const double next = lab_scale * factor;
    if (next >= min_equity_scale) {
        lab_scale = next;
        return 0;
    }
    // The stored stakes take the whole scale (stakes divided by a smaller
    // one could overflow), and it starts again at 1.
    lab_scale = 1.0;
    factor = next;
    const auto scale = [factor](AgentKind, std::uint32_t, double&, double& stake) { stake *= factor; };
    Graph& g = graph(EdgeType::equity);
    const Vertex v = vertex(AgentKind::lab, lab);
    if (!has_in_list(g, v)) return 0;
    const auto in = boost::out_edges(v, g);  // the in-edges (reversed graph)
    const auto first = in.first;  // named: lambdas below capture it (no structured binding)
    const auto n = static_cast<std::size_t>(in.second - in.first);
    constexpr std::size_t piece = std::size_t{1} << 14;
    if (n < 2 * piece) return visit_in_apart(AgentKind::lab, lab, EdgeType::equity, scale);
    // Pieces of the in-edges: each piece's holders start after those of the
    // pieces before it. Each edge, each holder and each holding is one
    // piece's alone; the digest's change is a sum (any order).
    const std::size_t pieces = (n + piece - 1) / piece;
    std::vector<std::size_t> holders_before(pieces + 1, 0);
    parallel_for(pieces, 1, [&](std::size_t b, std::size_t e) {
        for (std::size_t p = b; p < e; ++p) {
            std::size_t count = 0;
            for (auto it = first + static_cast<std::ptrdiff_t>(p * piece),
                      end = first + static_cast<std::ptrdiff_t>(std::min(n, (p + 1) * piece));
                 it != end; ++it)
                count += held(EdgeType::equity, boost::target(*it, g), v) ? 1 : 0;
            holders_before[p + 1] = count;
        }
    });
    for (std::size_t p = 0; p < pieces; ++p) holders_before[p + 1] += holders_before[p];
    std::vector<Holder>& holders = holders_[lab];
    AIRACE_ASSERT(holders_before[pieces] == holders.size());
    std::vector<std::uint64_t> changes(pieces, 0);
    parallel_for(pieces, 1, [&](std::size_t b, std::size_t e) {
        for (std::size_t p = b; p < e; ++p) {
            changes[p] = visit_in_range(g, EdgeType::equity, v, first + static_cast<std::ptrdiff_t>(p * piece),
                                        first + static_cast<std::ptrdiff_t>(std::min(n, (p + 1) * piece)),
                                        holders.data() + holders_before[p], scale);
            copy_to_holdings(lab, holders_before[p], holders_before[p + 1]);
        }
    });
    std::uint64_t change = 0;
    for (const std::uint64_t c : changes) change += c;
    return change;
}

void Network::rebuild_holdings() {
    for (auto& holders : holders_) holders.clear();
    for (auto& holdings : holdings_) holdings.clear();
    const Graph& g = graph(EdgeType::equity);
    // Each lab's holders in the order of its in-edges (creation order); the
    // holdings are kept sorted by lab whatever the order of insertion.
    for (std::uint32_t lab = 0; lab < holders_.size(); ++lab) {
        const Vertex v = vertex(AgentKind::lab, lab);
        if (!has_in_list(g, v)) continue;
        for (const auto& e : boost::make_iterator_range(boost::out_edges(v, g))) {
            const Vertex u = boost::target(e, g);
            if (!held(EdgeType::equity, u, v)) continue;
            insert_holding(u, v, append_holder(u, v, g[e].stake), g[e].stake);
        }
    }
}

bool Network::holdings_match_graph() const {
    const Graph& g = graph(EdgeType::equity);
    for (std::uint32_t lab = 0; lab < holders_.size(); ++lab) {
        const Vertex v = vertex(AgentKind::lab, lab);
        std::size_t h = 0;
        if (!has_in_list(g, v)) {
            if (!holders_[lab].empty()) return false;
            continue;
        }
        for (const auto& e : boost::make_iterator_range(boost::out_edges(v, g))) {
            const Vertex u = boost::target(e, g);
            if (!held(EdgeType::equity, u, v)) continue;
            if (h >= holders_[lab].size() || holders_[lab][h].investor != investor_of(u) ||
                holders_[lab][h].stake != g[e].stake)
                return false;
            ++h;
        }
        if (h != holders_[lab].size()) return false;
    }
    for (std::uint32_t investor = 0; investor < holdings_.size(); ++investor) {
        const Vertex u = vertex(AgentKind::investor, investor);
        const auto [first, last] = index_range(u, EdgeType::equity);
        std::size_t h = 0;
        for (auto it = first; it != last; ++it) {
            const Vertex v = it->key & vertex_mask;
            if (!held(EdgeType::equity, u, v)) continue;
            if (h >= holdings_[investor].size()) return false;
            const Holding& holding = holdings_[investor][h];
            if (holding.lab != lab_of(v) || holding.stake != it->edge->stake ||
                holding.position >= holders_[holding.lab].size() ||
                holders_[holding.lab][holding.position].investor != investor)
                return false;
            ++h;
        }
        if (h != holdings_[investor].size()) return false;
    }
    return true;
}

void Network::create_edge(Vertex u, Vertex v, EdgeType type, double weight, double stake,
                          std::uint64_t seq, Index::const_iterator position) {
    make_room(type, kind_of(v));
    // Into v's in-list (the graph held reversed) as boost::add_edge(v, u)
    // would put it, without making room for u: sources need no vertex.
    auto& in_edges = graph(type).out_edge_list(v);
    in_edges.emplace_back(u, Properties{weight, stake, seq});
    Properties& edge = in_edges.back().get_property();
    ++edge_count_;
    index_[u].insert(position, IndexEntry{index_key(type, v), &edge});
    digest_ += digest_of(type, u, v, edge);
    if (held(type, u, v)) insert_holding(u, v, append_holder(u, v, stake), stake);
}

void Network::add(AgentKind src_kind, std::uint32_t src, AgentKind dst_kind, std::uint32_t dst,
                  EdgeType type, double weight, double stake) {
    const Vertex u = vertex(src_kind, src);
    const Vertex v = vertex(dst_kind, dst);
    stake /= scale_of(type, v);  // stored as units of the lab's scale (see equity_scale)
    const Index& index = index_[u];
    const std::uint32_t key = index_key(type, v);
    const auto it = index_position(index, key);
    if (it != index.end() && it->key == key) {
        const std::uint64_t before = digest_of(type, u, v, *it->edge);
        it->edge->weight += weight;
        it->edge->stake += stake;
        digest_ += digest_of(type, u, v, *it->edge) - before;
        if (held(type, u, v)) set_holding(u, v, it->edge->stake);
        return;
    }
    create_edge(u, v, type, weight, stake, next_seq_++, it);
}

void Network::add_many(AgentKind src_kind, std::span<const std::uint32_t> sources, AgentKind dst_kind,
                       std::span<const std::uint32_t> targets, EdgeType type, std::span<const double> weights,
                       std::span<const double> stakes) {
    const std::size_t n = sources.size();
    AIRACE_ASSERT(targets.size() == n && weights.size() == n && stakes.size() == n);
    if (n == 0) return;
    add_merged_.assign(n, 0);
    // In parallel: each entry's lookup in its source's index, and the merge
    // into its edge when there is one (no pair twice: one task per edge).
    std::atomic<std::uint64_t> changes{0};  // a sum: the same in any order
    parallel_for(n, 256, [&](std::size_t b, std::size_t e) {
        std::uint64_t change = 0;
        // By batches of entries, in two passes: the searches, which ask for
        // each found edge's properties and holding; then the merges, by
        // when those have come (three scattered reads an entry, overlapped
        // instead of one after another).
        constexpr std::size_t batch = 64;
        std::array<IndexEntry*, batch> found;
        std::array<Holding*, batch> holding_of;
        for (std::size_t at = b; at < e; at += batch) {
            const std::size_t end = std::min(e, at + batch);
            // Each entry reads another source's index: ask for the indexes,
            // then their entries, ahead of the searches.
            constexpr std::size_t ahead = 8;
            for (std::size_t k = at; k < end; ++k) {
                if (k + 2 * ahead < e) {
                    const Vertex later = vertex(src_kind, sources[k + 2 * ahead]);
                    __builtin_prefetch(&index_[later]);
                    if (held(type, later, vertex(dst_kind, targets[k + 2 * ahead])))
                        __builtin_prefetch(&holdings_[investor_of(later)]);
                }
                if (k + ahead < e) prefetch_index(vertex(src_kind, sources[k + ahead]));
                const Vertex u = vertex(src_kind, sources[k]);
                const Vertex v = vertex(dst_kind, targets[k]);
                const std::uint32_t key = index_key(type, v);
                Index& index = index_[u];
                const auto it = index_position(index, key);
                found[k - at] = nullptr;
                holding_of[k - at] = nullptr;
                if (it == index.end() || it->key != key) continue;
                found[k - at] = &*it;
                __builtin_prefetch(it->edge, 1);
                // An investor whose index holds only its holdings (all of
                // them, in the model) has the holding at the index entry's
                // place.
                if (!held(type, u, v)) continue;
                auto& holdings = holdings_[investor_of(u)];
                if (holdings.size() != index.size()) continue;
                holding_of[k - at] = &holdings[static_cast<std::size_t>(it - index.begin())];
                __builtin_prefetch(holding_of[k - at], 1);
            }
            constexpr std::size_t holder_ahead = 4;
            for (std::size_t k = at; k < end; ++k) {
                if (k + holder_ahead < end && holding_of[k + holder_ahead - at] != nullptr) {
                    const Holding& later = *holding_of[k + holder_ahead - at];
                    __builtin_prefetch(&holders_[later.lab][later.position], 1);
                }
                IndexEntry* entry = found[k - at];
                if (entry == nullptr) continue;
                const Vertex u = vertex(src_kind, sources[k]);
                const Vertex v = vertex(dst_kind, targets[k]);
                Properties& edge = *entry->edge;
                change -= digest_of(type, u, v, edge);
                edge.weight += weights[k];
                edge.stake += stakes[k] / scale_of(type, v);
                change += digest_of(type, u, v, edge);
                // Each pair once: each holding, and its holder, is this entry's alone.
                if (Holding* holding = holding_of[k - at]; holding != nullptr) {
                    AIRACE_ASSERT(holding->lab == lab_of(v));
                    holding->stake = edge.stake;
                    holders_[holding->lab][holding->position].stake = edge.stake;
                } else if (held(type, u, v)) {
                    set_holding(u, v, edge.stake);
                }
                add_merged_[k] = 1;
            }
        }
        changes.fetch_add(change, std::memory_order_relaxed);
    });
    digest_ += changes.load();
    // The new edges, in k order: creation order is part of the state (every
    // vertex's in-list and the labs' holders follow it, and the creation
    // numbers). Each chunk of entries lists its new edges by runs of one
    // target and by blocks of sources, in parallel; the chunks' creation
    // numbers follow in chunk order; then every target's in-list takes its
    // new edges (made there, with their properties) in k order, chunk by
    // chunk in parallel, and every source's index block by block: the same
    // graph as add() edge by edge, whatever the thread count.
    make_room(type, static_cast<int>(dst_kind));
    Graph& g = graph(type);
    const std::size_t chunks = (n + add_chunk_size - 1) / add_chunk_size;
    if (add_chunks_.size() < chunks) add_chunks_.resize(chunks);
    const auto chunk_range = [&](std::size_t c) {
        return std::pair{c * add_chunk_size, std::min(n, (c + 1) * add_chunk_size)};
    };
    const std::size_t per_block = (index_.size() + add_blocks - 1) / add_blocks;
    parallel_for(chunks, 1, [&](std::size_t b, std::size_t e) {
        for (std::size_t c = b; c < e; ++c) {
            AddChunk& chunk = add_chunks_[c];
            for (auto& block : chunk.by_source) block.clear();
            chunk.made.clear();
            chunk.runs.clear();
            const auto [first, last] = chunk_range(c);
            for (std::size_t k = first; k < last; ++k) {
                if (add_merged_[k]) continue;
                const Vertex u = vertex(src_kind, sources[k]);
                const Vertex v = vertex(dst_kind, targets[k]);
                const auto entry = static_cast<std::uint32_t>(k);
                chunk.by_source[u / per_block].push_back(entry);
                if (chunk.runs.empty() || chunk.runs.back().target != v)
                    chunk.runs.push_back({v, chunk.made.size(), 0, 0, 0});
                chunk.runs.back().count += 1;
                chunk.made.push_back(entry);
            }
        }
    });
    std::uint64_t made = 0;
    for (std::size_t c = 0; c < chunks; ++c) {
        add_chunks_[c].first_seq = next_seq_ + made;
        made += add_chunks_[c].made.size();
    }
    next_seq_ += made;
    edge_count_ += made;
    // The targets' in-lists and the labs' holders: a run of new edges into
    // one target (a round's holders) takes the next places of its lists, in
    // chunk and run order; the lists grow once per target, then every chunk
    // writes its runs' places in parallel ...
    const bool holdings = held(type, vertex(src_kind, sources[0]), vertex(dst_kind, targets[0]));
    add_targets_.clear();
    for (std::size_t c = 0; c < chunks; ++c)
        for (TargetRun& run : add_chunks_[c].runs) {
            auto [at, fresh] = add_targets_.try_emplace(run.target, GrownTarget{});
            GrownTarget& grown = at->second;
            if (fresh) {
                grown.in_edges = g.out_edge_list(run.target).size();
                if (holdings) grown.holders = holders_[lab_of(run.target)].size();
            }
            run.in_at = grown.in_edges;
            run.holder_at = grown.holders;
            grown.in_edges += run.count;
            if (holdings) grown.holders += run.count;
        }
    add_grown_.assign(add_targets_.begin(), add_targets_.end());
    // (a target's two lists in two tasks: a frontier lab's lists are long,
    // and growing one is a copy into new memory)
    parallel_for(2 * add_grown_.size(), 1, [&](std::size_t b, std::size_t e) {
        for (std::size_t t = b; t < e; ++t) {
            const auto& [v, grown] = add_grown_[t / 2];
            if (t % 2 == 0)
                g.out_edge_list(v).resize(grown.in_edges);
            else if (holdings)
                holders_[lab_of(v)].resize(grown.holders);
        }
    });
    add_positions_.resize(n);
    add_properties_.resize(n);
    // (each new edge's share of the digest while its properties are at hand)
    changes = 0;
    parallel_for(chunks, 1, [&](std::size_t b, std::size_t e) {
        std::uint64_t change = 0;
        for (std::size_t c = b; c < e; ++c) {
            const AddChunk& chunk = add_chunks_[c];
            for (const TargetRun& run : chunk.runs) {
                auto& in_edges = g.out_edge_list(run.target);
                Holder* holder = holdings ? holders_[lab_of(run.target)].data() + run.holder_at : nullptr;
                const double scale = scale_of(type, run.target);
                for (std::size_t i = 0; i < run.count; ++i) {
                    const std::uint32_t k = chunk.made[run.first + i];
                    const Vertex u = vertex(src_kind, sources[k]);
                    StoredEdge& stored = in_edges[run.in_at + i];
                    const double units = stakes[k] / scale;
                    stored = StoredEdge(u, Properties{weights[k], units, chunk.first_seq + run.first + i});
                    add_properties_[k] = &stored.get_property();
                    change += digest_of(type, u, run.target, stored.get_property());
                    if (holder == nullptr) continue;
                    holder[i] = Holder{investor_of(u), units};
                    add_positions_[k] = static_cast<std::uint32_t>(run.holder_at + i);
                }
            }
        }
        changes.fetch_add(change, std::memory_order_relaxed);
    });
    digest_ += changes.load();
    // ... then the sources' indexes and holdings (both sorted, so the order
    // of insertions into them is moot).
    parallel_for(add_blocks, 1, [&](std::size_t b, std::size_t e) {
        for (std::size_t block = b; block < e; ++block)
            for (std::size_t c = 0; c < chunks; ++c) {
                const std::vector<std::uint32_t>& entries = add_chunks_[c].by_source[block];
                // Each entry inserts into another source's lists: ask for
                // them ahead, as the lookups above do.
                constexpr std::size_t ahead = 8;
                for (std::size_t q = 0; q < entries.size(); ++q) {
                    if (q + ahead < entries.size()) {
                        const Vertex later = vertex(src_kind, sources[entries[q + ahead]]);
                        prefetch_index(later);
                        if (holdings) __builtin_prefetch(holdings_[investor_of(later)].data());
                    }
                    const std::uint32_t k = entries[q];
                    const Vertex u = vertex(src_kind, sources[k]);
                    const Vertex v = vertex(dst_kind, targets[k]);
                    const std::uint32_t key = index_key(type, v);
                    Index& index = index_[u];
                    const auto at = index.insert(index_position(index, key), IndexEntry{key, add_properties_[k]});
                    if (!holdings) continue;
                    const double units = stakes[k] / scale_of(type, v);
                    // An investor whose index held only its holdings has the
                    // new holding at the new entry's place (as the lookups use).
                    auto& held_list = holdings_[investor_of(u)];
                    if (held_list.size() + 1 == index.size())
                        held_list.insert(held_list.begin() + (at - index.begin()),
                                         Holding{lab_of(v), add_positions_[k], units});
                    else
                        insert_holding(u, v, add_positions_[k], units);
                }
            }
    });
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
    const auto [first, last] = index_range(vertex(kind, agent), type);
    const Vertex u = vertex(kind, agent);
    for (auto it = first; it != last; ++it) {
        const Vertex v = it->key & vertex_mask;
        const std::pair<AgentKind, std::uint32_t> other = agent_of(v);  // (captured below: no structured binding)
        const std::uint64_t before = digest_of(type, u, v, *it->edge);
        visit_scaled(*it->edge, scale_of(type, v),
                     [&](double& weight, double& stake) { visit(other.first, other.second, weight, stake); });
        digest_ += digest_of(type, u, v, *it->edge) - before;
        if (held(type, u, v)) set_holding(u, v, it->edge->stake);
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
    // Out of the sources' indexes first, in creation order; then out of the
    // graph, which keeps the other edges' order in every list.
    Graph& g = graph(type);
    if (!has_in_list(g, old_target)) return;
    for (const auto& e : boost::make_iterator_range(boost::out_edges(old_target, g))) {
        const Properties& p = g[e];
        const Vertex u = boost::target(e, g);  // the source (reversed graph)
        moved.push_back({u, p.weight, p.stake * scale_of(type, old_target)});  // add() stores it anew
        digest_ -= digest_of(type, u, old_target, p);
        Index& index = index_[u];
        const auto it = index_position(index, index_key(type, old_target));
        AIRACE_ASSERT(it != index.end() && it->edge == &p);
        index.erase(it);
    }
    boost::clear_out_edges(old_target, g);  // the in-edges (reversed graph)
    edge_count_ -= moved.size();
    for (const Moved& m : moved) {
        const auto [src_kind, src] = agent_of(m.source);
        add(src_kind, src, kind, to, type, m.weight, m.stake);
    }
    // Holders left a lab's list (rare: acquisitions move compute contracts).
    if (type == EdgeType::equity && kind == AgentKind::lab) rebuild_holdings();
}

std::size_t Network::count_sorted(EdgeType type, std::size_t first, std::size_t last) const {
    std::size_t count = 0;
    for (std::size_t u = first; u < last; ++u) {
        const auto [begin, end] = index_range(static_cast<Vertex>(u), type);
        count += static_cast<std::size_t>(end - begin);
    }
    return count;
}

std::vector<EdgeView> Network::edges() const {
    std::vector<EdgeView> out;
    out.reserve(edge_count());
    for_each_sorted([&](const EdgeView& edge) { out.push_back(edge); });
    return out;
}

namespace {

bool by_seq(const EdgeState& l, const EdgeState& r) { return l.seq < r.seq; }

}  // namespace

std::vector<EdgeState> Network::snapshot() const {
    const auto each_edge = [&](auto&& visit) {
        for (int t = 0; t < edge_type_count; ++t) {
            const Graph& g = graph(static_cast<EdgeType>(t));
            for (const auto& e : boost::make_iterator_range(boost::edges(g)))
                visit(static_cast<EdgeType>(t), e, g);
        }
    };
    const auto state_of = [&](EdgeType type, const auto& e, const Graph& g) {
        const Properties& p = g[e];
        const auto [sk, s] = agent_of(boost::target(e, g));  // reversed graph
        const auto [dk, d] = agent_of(boost::source(e, g));
        return EdgeState{sk, s, dk, d, type, p.weight, p.stake, p.seq};
    };
    // Creation numbers are all different and below next_seq_ (restore()
    // checks a checkpoint's). When they are dense, an edge's place in
    // creation order is how many edges have a smaller one (a counting
    // pass); otherwise (many edges moved by acquisitions) a sort.
    std::vector<EdgeState> out;
    if (next_seq_ > 2 * edge_count_ + 65536) {
        out.reserve(edge_count_);
        each_edge([&](EdgeType type, const auto& e, const Graph& g) { out.push_back(state_of(type, e, g)); });
        std::sort(out.begin(), out.end(), by_seq);
        return out;
    }
    std::vector<std::size_t> place(next_seq_ + 1, 0);
    each_edge([&](EdgeType, const auto& e, const Graph& g) { place[g[e].seq + 1] = 1; });
    for (std::size_t q = 0; q < next_seq_; ++q) place[q + 1] += place[q];
    out.resize(edge_count_);
    each_edge([&](EdgeType type, const auto& e, const Graph& g) { out[place[g[e].seq]] = state_of(type, e, g); });
    AIRACE_ASSERT(std::is_sorted(out.begin(), out.end(), by_seq));
    return out;
}

void Network::restore(const std::vector<EdgeState>& edges, std::uint64_t next_seq,
                      std::vector<double> equity_scales) {
    if (equity_scales.empty()) equity_scales.assign(holders_.size(), 1.0);
    if (equity_scales.size() != holders_.size())
        throw RunFileError("checkpoint: the labs' equity scales are not one per lab");
    for (const double scale : equity_scales)
        if (!(scale >= min_equity_scale) || !std::isfinite(scale))
            throw RunFileError("checkpoint: a lab's equity scale is not a positive finite number");
    const std::vector<EdgeState>* ordered = &edges;
    std::vector<EdgeState> sorted;
    if (!std::is_sorted(edges.begin(), edges.end(), by_seq)) {
        sorted = edges;
        std::stable_sort(sorted.begin(), sorted.end(), by_seq);
        ordered = &sorted;
    }
    // Every creation number once, below the next one (snapshot() and the
    // order of every vertex's in-edges rely on it).
    for (std::size_t i = 0; i < ordered->size(); ++i) {
        const std::uint64_t seq = (*ordered)[i].seq;
        if (i > 0 && seq == (*ordered)[i - 1].seq)
            throw RunFileError("checkpoint: two edges of the graph share a creation number");
        if (seq >= next_seq)
            throw RunFileError("checkpoint: an edge's creation number is not below the graph's next one");
    }
    for (auto& g : graphs_) g = std::make_unique<Graph>();
    for (Index& index : index_) index.clear();
    for (auto& holders : holders_) holders.clear();
    for (auto& holdings : holdings_) holdings.clear();
    digest_ = 0;
    edge_count_ = 0;
    for (const EdgeState& e : *ordered) {
        const Vertex u = vertex(e.src_kind, e.src);
        const Vertex v = vertex(e.dst_kind, e.dst);
        const Index& index = index_[u];
        const std::uint32_t key = index_key(e.type, v);
        const auto it = index_position(index, key);
        if (it != index.end() && it->key == key)
            throw RunFileError("checkpoint: two edges of the graph share (src, dst, type)");
        create_edge(u, v, e.type, e.weight, e.stake, e.seq, it);
    }
    next_seq_ = next_seq;
    equity_scale_ = std::move(equity_scales);
}

bool Network::valid(AgentKind kind, std::uint32_t index) const {
    const auto k = static_cast<int>(kind);
    return k >= 0 && k < agent_kind_count && index < counts_[k];
}

}  // namespace airace
