// sim/network.cpp: edges merge per (src, dst, type), typed visits,
// redirection on acquisition and the sorted edge listing.

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

#include "base/errors.hpp"
#include "sim/network.hpp"

using namespace airace;

namespace {

// 3 labs, 2 investors, 2 compute providers, no one else.
Network tiny_network() {
    return Network(std::array<std::size_t, agent_kind_count>{3, 2, 2, 0, 0, 0});
}

struct Visit {
    AgentKind kind;
    std::uint32_t index;
    double weight;
    double stake;
};

// The same edges in the same creation order, with the same values.
void check_same_edges(const Network& one, const Network& other) {
    const auto a = one.snapshot();
    const auto b = other.snapshot();
    REQUIRE(a.size() == b.size());
    for (std::size_t e = 0; e < a.size(); ++e) {
        CHECK(a[e].src_kind == b[e].src_kind);
        CHECK(a[e].src == b[e].src);
        CHECK(a[e].dst_kind == b[e].dst_kind);
        CHECK(a[e].dst == b[e].dst);
        CHECK(a[e].type == b[e].type);
        CHECK(a[e].seq == b[e].seq);
        CHECK(a[e].weight == b[e].weight);
        CHECK(a[e].stake == b[e].stake);
    }
}

std::vector<Visit> visits_in(Network& network, AgentKind kind, std::uint32_t agent, EdgeType type) {
    std::vector<Visit> out;
    network.for_each_in(
        kind, agent, type,
        [&](AgentKind other_kind, std::uint32_t other, double& weight, double& stake) {
            out.push_back({other_kind, other, weight, stake});
        });
    return out;
}

// A small deterministic generator: next(n) is in [0, n).
struct Lcg {
    std::uint64_t state;
    std::uint64_t operator()(std::uint64_t n) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return (state >> 33) % n;
    }
};

}  // namespace

TEST_CASE("adding to the same (src, dst, type) accumulates weight and stake", "[network]") {
    Network network = tiny_network();
    network.add(AgentKind::investor, 0, AgentKind::lab, 1, EdgeType::equity, 10.0, 0.1);
    network.add(AgentKind::investor, 0, AgentKind::lab, 1, EdgeType::equity, 15.0, 0.05);
    REQUIRE(network.edge_count() == 1);
    const auto edges = network.edges();
    REQUIRE(edges.size() == 1);
    CHECK(edges[0].src_kind == AgentKind::investor);
    CHECK(edges[0].src == 0);
    CHECK(edges[0].dst_kind == AgentKind::lab);
    CHECK(edges[0].dst == 1);
    CHECK(edges[0].type == EdgeType::equity);
    CHECK(edges[0].weight == Approx(25.0));
    CHECK(edges[0].stake == Approx(0.15));
}

TEST_CASE("edges of different types between the same agents stay separate", "[network]") {
    Network network = tiny_network();
    network.add(AgentKind::compute_provider, 1, AgentKind::lab, 0, EdgeType::equity, 5.0, 0.2);
    network.add(AgentKind::compute_provider, 1, AgentKind::lab, 0, EdgeType::compute_contract,
                1e24);
    REQUIRE(network.edge_count() == 2);
    const auto edges = network.edges();
    REQUIRE(edges.size() == 2);
    CHECK(edges[0].type == EdgeType::equity);
    CHECK(edges[0].weight == 5.0);
    CHECK(edges[0].stake == 0.2);
    CHECK(edges[1].type == EdgeType::compute_contract);
    CHECK(edges[1].weight == 1e24);
    CHECK(edges[1].stake == 0.0);
}

TEST_CASE("edges to different targets stay separate", "[network]") {
    Network network = tiny_network();
    network.add(AgentKind::investor, 0, AgentKind::lab, 0, EdgeType::equity, 1.0, 0.1);
    network.add(AgentKind::investor, 0, AgentKind::lab, 1, EdgeType::equity, 2.0, 0.2);
    CHECK(network.edge_count() == 2);
}

TEST_CASE("for_each_in visits only edges of the given type, in insertion order", "[network]") {
    Network network = tiny_network();
    network.add(AgentKind::investor, 1, AgentKind::lab, 0, EdgeType::equity, 7.0, 0.07);
    network.add(AgentKind::compute_provider, 0, AgentKind::lab, 0, EdgeType::compute_contract,
                3e23);
    network.add(AgentKind::investor, 0, AgentKind::lab, 0, EdgeType::equity, 4.0, 0.04);
    network.add(AgentKind::investor, 0, AgentKind::lab, 2, EdgeType::equity, 9.0, 0.09);

    const auto equity = visits_in(network, AgentKind::lab, 0, EdgeType::equity);
    REQUIRE(equity.size() == 2);
    CHECK(equity[0].kind == AgentKind::investor);
    CHECK(equity[0].index == 1);
    CHECK(equity[0].weight == 7.0);
    CHECK(equity[0].stake == 0.07);
    CHECK(equity[1].kind == AgentKind::investor);
    CHECK(equity[1].index == 0);
    CHECK(equity[1].weight == 4.0);

    const auto compute = visits_in(network, AgentKind::lab, 0, EdgeType::compute_contract);
    REQUIRE(compute.size() == 1);
    CHECK(compute[0].kind == AgentKind::compute_provider);
    CHECK(compute[0].index == 0);
    CHECK(compute[0].weight == 3e23);
}

TEST_CASE("const for_each_in visits only edges of the given type", "[network]") {
    Network network = tiny_network();
    network.add(AgentKind::investor, 1, AgentKind::lab, 2, EdgeType::equity, 7.0, 0.07);
    network.add(AgentKind::compute_provider, 1, AgentKind::lab, 2, EdgeType::compute_contract,
                2e23);
    const Network& view = network;
    std::vector<std::pair<AgentKind, std::uint32_t>> seen;
    view.for_each_in(AgentKind::lab, 2, EdgeType::compute_contract,
                     [&](AgentKind kind, std::uint32_t index, double weight, double stake) {
                         CHECK(weight == 2e23);
                         CHECK(stake == 0.0);
                         seen.emplace_back(kind, index);
                     });
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].first == AgentKind::compute_provider);
    CHECK(seen[0].second == 1);
}

TEST_CASE("a visitor's changes to weight and stake are kept", "[network]") {
    Network network = tiny_network();
    network.add(AgentKind::investor, 0, AgentKind::lab, 0, EdgeType::equity, 10.0, 0.2);
    network.for_each_in(AgentKind::lab, 0, EdgeType::equity,
                        [](AgentKind, std::uint32_t, double& weight, double& stake) {
                            weight = 3.0;
                            stake *= 0.5;
                        });
    const auto edges = network.edges();
    REQUIRE(edges.size() == 1);
    CHECK(edges[0].weight == 3.0);
    CHECK(edges[0].stake == Approx(0.1));
}

TEST_CASE("redirect_in moves compute contracts to the new target and merges", "[network]") {
    Network network = tiny_network();
    network.add(AgentKind::compute_provider, 0, AgentKind::lab, 0, EdgeType::compute_contract,
                100.0);
    network.add(AgentKind::compute_provider, 1, AgentKind::lab, 0, EdgeType::compute_contract,
                50.0);
    network.add(AgentKind::compute_provider, 0, AgentKind::lab, 1, EdgeType::compute_contract,
                30.0);
    network.add(AgentKind::investor, 0, AgentKind::lab, 0, EdgeType::equity, 10.0, 0.1);
    REQUIRE(network.edge_count() == 4);

    network.redirect_in(AgentKind::lab, 0, 1, EdgeType::compute_contract);

    CHECK(network.edge_count() == 3);
    CHECK(visits_in(network, AgentKind::lab, 0, EdgeType::compute_contract).empty());
    const auto moved = visits_in(network, AgentKind::lab, 1, EdgeType::compute_contract);
    REQUIRE(moved.size() == 2);
    CHECK(moved[0].kind == AgentKind::compute_provider);
    CHECK(moved[0].index == 0);
    CHECK(moved[0].weight == 130.0);  // merged with the existing cp0 -> lab1 edge
    CHECK(moved[1].kind == AgentKind::compute_provider);
    CHECK(moved[1].index == 1);
    CHECK(moved[1].weight == 50.0);
}

TEST_CASE("redirect_in leaves edges of other types in place", "[network]") {
    Network network = tiny_network();
    network.add(AgentKind::compute_provider, 0, AgentKind::lab, 0, EdgeType::compute_contract,
                100.0);
    network.add(AgentKind::investor, 0, AgentKind::lab, 0, EdgeType::equity, 10.0, 0.1);

    network.redirect_in(AgentKind::lab, 0, 1, EdgeType::compute_contract);

    const auto equity = visits_in(network, AgentKind::lab, 0, EdgeType::equity);
    REQUIRE(equity.size() == 1);
    CHECK(equity[0].kind == AgentKind::investor);
    CHECK(equity[0].index == 0);
    CHECK(equity[0].weight == 10.0);
    CHECK(equity[0].stake == 0.1);
    CHECK(visits_in(network, AgentKind::lab, 1, EdgeType::equity).empty());
}

TEST_CASE("edges() is sorted by type, src kind, src, dst kind, dst", "[network]") {
    Network network = tiny_network();
    // Added in scrambled order, chosen so that every key decides the order of
    // at least one neighbouring pair: ignoring or reordering any key fails.
    network.add(AgentKind::compute_provider, 1, AgentKind::lab, 0, EdgeType::compute_contract, 1);
    network.add(AgentKind::investor, 0, AgentKind::compute_provider, 0, EdgeType::equity, 2);
    network.add(AgentKind::investor, 1, AgentKind::lab, 0, EdgeType::equity, 3);
    network.add(AgentKind::investor, 0, AgentKind::lab, 2, EdgeType::equity, 4);
    network.add(AgentKind::compute_provider, 0, AgentKind::lab, 2, EdgeType::compute_contract, 5);
    network.add(AgentKind::lab, 2, AgentKind::lab, 0, EdgeType::equity, 6);
    network.add(AgentKind::investor, 0, AgentKind::lab, 1, EdgeType::equity, 7);
    network.add(AgentKind::compute_provider, 1, AgentKind::lab, 1, EdgeType::equity, 8);

    struct Key {
        EdgeType type;
        AgentKind src_kind;
        std::uint32_t src;
        AgentKind dst_kind;
        std::uint32_t dst;
        double weight;
    };
    const std::vector<Key> expected{
        {EdgeType::equity, AgentKind::lab, 2, AgentKind::lab, 0, 6},
        {EdgeType::equity, AgentKind::investor, 0, AgentKind::lab, 1, 7},
        {EdgeType::equity, AgentKind::investor, 0, AgentKind::lab, 2, 4},
        {EdgeType::equity, AgentKind::investor, 0, AgentKind::compute_provider, 0, 2},
        {EdgeType::equity, AgentKind::investor, 1, AgentKind::lab, 0, 3},
        {EdgeType::equity, AgentKind::compute_provider, 1, AgentKind::lab, 1, 8},
        {EdgeType::compute_contract, AgentKind::compute_provider, 0, AgentKind::lab, 2, 5},
        {EdgeType::compute_contract, AgentKind::compute_provider, 1, AgentKind::lab, 0, 1},
    };
    const auto edges = network.edges();
    REQUIRE(edges.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        CAPTURE(i);
        CHECK(edges[i].type == expected[i].type);
        CHECK(edges[i].src_kind == expected[i].src_kind);
        CHECK(edges[i].src == expected[i].src);
        CHECK(edges[i].dst_kind == expected[i].dst_kind);
        CHECK(edges[i].dst == expected[i].dst);
        CHECK(edges[i].weight == expected[i].weight);
    }
}

TEST_CASE("edges() keeps its order through many adds, merges and redirects", "[network]") {
    // 40 labs, 300 investors, 5 compute providers: random edges of three types.
    Network network(std::array<std::size_t, agent_kind_count>{40, 300, 5, 0, 3, 0, 0});
    std::uint64_t state = 12345;
    const auto next = [&](std::uint64_t n) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return (state >> 33) % n;
    };
    for (int k = 0; k < 5000; ++k) {
        const auto lab = static_cast<std::uint32_t>(next(40));
        switch (next(3)) {
            case 0:
                network.add(AgentKind::investor, static_cast<std::uint32_t>(next(300)), AgentKind::lab, lab,
                            EdgeType::equity, 1.0 + static_cast<double>(next(100)), 0.01);
                break;
            case 1:
                network.add(AgentKind::compute_provider, static_cast<std::uint32_t>(next(5)), AgentKind::lab,
                            lab, EdgeType::compute_contract, 2.0);
                break;
            default:
                network.add(AgentKind::lab, lab, AgentKind::regulator, static_cast<std::uint32_t>(next(3)),
                            EdgeType::lobbying, 3.0);
        }
        if (k % 500 == 499)
            network.redirect_in(AgentKind::lab, static_cast<std::uint32_t>(next(40)),
                                static_cast<std::uint32_t>(next(40)), EdgeType::compute_contract);
    }
    const auto edges = network.edges();
    REQUIRE(edges.size() == network.edge_count());
    for (std::size_t e = 1; e < edges.size(); ++e) {
        const auto& l = edges[e - 1];
        const auto& r = edges[e];
        CHECK(std::tie(l.type, l.src_kind, l.src, l.dst_kind, l.dst) <
              std::tie(r.type, r.src_kind, r.src, r.dst_kind, r.dst));
    }
    // A restore from the creation-order snapshot lists the same edges.
    Network copy(std::array<std::size_t, agent_kind_count>{40, 300, 5, 0, 3, 0, 0});
    copy.restore(network.snapshot(), network.next_seq());
    CHECK(copy.edges().size() == edges.size());
    check_same_edges(network, copy);
}

TEST_CASE("the edge digest follows every change and equals a recount from scratch", "[network]") {
    const std::array<std::size_t, agent_kind_count> counts{30, 200, 4, 0, 2, 0, 0};
    Network network(counts);
    CHECK(network.edge_digest() == 0);
    std::uint64_t state = 777;
    const auto next = [&](std::uint64_t n) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return (state >> 33) % n;
    };
    for (int k = 0; k < 3000; ++k) {
        const auto lab = static_cast<std::uint32_t>(next(30));
        switch (next(5)) {
            case 0:
            case 1:
                network.add(AgentKind::investor, static_cast<std::uint32_t>(next(200)), AgentKind::lab, lab,
                            EdgeType::equity, 1.0 + static_cast<double>(next(50)), 0.02);
                break;
            case 2:  // dilution, as a closed round does it
                network.visit_in(AgentKind::lab, lab, EdgeType::equity,
                                 [](AgentKind, std::uint32_t, double&, double& stake) { stake *= 0.9; });
                break;
            case 3:
                network.add(AgentKind::compute_provider, static_cast<std::uint32_t>(next(4)), AgentKind::lab, lab,
                            EdgeType::compute_contract, 2.0);
                break;
            default:
                network.for_each_out(AgentKind::investor, static_cast<std::uint32_t>(next(200)), EdgeType::equity,
                                     [](AgentKind, std::uint32_t, double& weight, double&) { weight += 1; });
        }
        if (k % 300 == 299)
            network.redirect_in(AgentKind::lab, lab, static_cast<std::uint32_t>(next(30)),
                                k % 600 == 599 ? EdgeType::equity : EdgeType::compute_contract);
        if (k % 250 == 0) REQUIRE(network.edge_digest() == network.recompute_edge_digest());
    }
    REQUIRE(network.edge_digest() == network.recompute_edge_digest());
    // A restored copy has the same digest; one changed stake changes it.
    const Network copy = network;
    CHECK(copy.edge_digest() == network.edge_digest());
    const std::uint64_t before = network.edge_digest();
    bool changed = false;
    network.visit_in(AgentKind::lab, 0, EdgeType::equity, [&](AgentKind, std::uint32_t, double&, double& stake) {
        if (!changed) stake *= 1.0000001;
        changed = true;
    });
    REQUIRE(changed);
    CHECK(network.edge_digest() != before);
    CHECK(network.edge_digest() == network.recompute_edge_digest());
}

TEST_CASE("add_many equals add() entry by entry", "[network]") {
    const std::array<std::size_t, agent_kind_count> counts{6, 5000, 0, 0, 0, 0, 0};
    Network one_by_one(counts);
    Network many(counts);
    std::uint64_t state = 99;
    const auto next = [&](std::uint64_t n) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return (state >> 33) % n;
    };
    for (int step = 0; step < 20; ++step) {
        // A step's rounds: per lab, distinct investors, some already
        // holders, some in several labs' rounds, in no order.
        std::vector<std::uint32_t> sources, targets;
        std::vector<double> weights, stakes;
        for (std::uint32_t lab = 0; lab < 6; ++lab) {
            if (next(3) == 0) continue;
            const auto start = static_cast<std::uint32_t>(next(5000));
            const std::size_t count = 1 + next(4000);  // several of add_many's chunks
            for (std::size_t k = 0; k < count; ++k) {
                sources.push_back(static_cast<std::uint32_t>((start + 7 * k) % 5000));
                targets.push_back(lab);
                weights.push_back(1.0 + static_cast<double>(next(100)));
                stakes.push_back(1e-4 * static_cast<double>(1 + next(9)));
            }
        }
        // Every other step in no order at all: a lab's entries interleaved
        // with the others' (several runs into one lab, in several chunks).
        if (step % 2 == 1)
            for (std::size_t k = sources.size(); k > 1; --k) {
                const std::size_t j = next(k);
                std::swap(sources[k - 1], sources[j]);
                std::swap(targets[k - 1], targets[j]);
                std::swap(weights[k - 1], weights[j]);
                std::swap(stakes[k - 1], stakes[j]);
            }
        for (std::size_t k = 0; k < sources.size(); ++k)
            one_by_one.add(AgentKind::investor, sources[k], AgentKind::lab, targets[k], EdgeType::equity,
                           weights[k], stakes[k]);
        many.add_many(AgentKind::investor, sources, AgentKind::lab, targets, EdgeType::equity, weights, stakes);
    }
    REQUIRE(many.edge_count() == one_by_one.edge_count());
    CHECK(many.next_seq() == one_by_one.next_seq());
    CHECK(many.edge_digest() == one_by_one.edge_digest());
    CHECK(many.edge_digest() == many.recompute_edge_digest());
    check_same_edges(one_by_one, many);
    // Each lab's in-edges (the order of its sums) and its holders, in
    // creation order; a step's new edges come in chunks made in parallel.
    for (std::uint32_t lab = 0; lab < 6; ++lab) {
        std::vector<std::pair<std::uint32_t, double>> in_a, in_b, held_b;
        one_by_one.visit_in_index(AgentKind::lab, lab, EdgeType::equity,
                                  [&](std::uint32_t src, double, double stake) { in_a.emplace_back(src, stake); });
        many.visit_in_index(AgentKind::lab, lab, EdgeType::equity,
                            [&](std::uint32_t src, double, double stake) { in_b.emplace_back(src, stake); });
        many.visit_holders(lab, [&](std::uint32_t investor, double stake) { held_b.emplace_back(investor, stake); });
        CHECK(in_a == in_b);
        CHECK(held_b == in_b);
    }
    CHECK(many.holdings_match_graph());
}

TEST_CASE("the holders and holdings lists follow every change of the equity edges", "[network]") {
    Network network(std::array<std::size_t, agent_kind_count>{30, 200, 4, 0, 2, 0, 0});
    Lcg next{4242};
    for (int k = 0; k < 3000; ++k) {
        const auto lab = static_cast<std::uint32_t>(next(30));
        switch (next(6)) {
            case 0:
                network.add(AgentKind::investor, static_cast<std::uint32_t>(next(200)), AgentKind::lab, lab,
                            EdgeType::equity, 1.0 + static_cast<double>(next(50)), 0.02);
                break;
            case 1: {  // a step's new holdings, some merging into existing ones
                std::vector<std::uint32_t> sources, targets;
                std::vector<double> weights, stakes;
                const auto start = static_cast<std::uint32_t>(next(200));
                const auto count = static_cast<std::uint32_t>(1 + next(40));
                for (std::uint32_t i = 0; i < count; ++i) {
                    sources.push_back((start + 3 * i) % 200);
                    targets.push_back(lab);
                    weights.push_back(2.0);
                    stakes.push_back(0.001 * static_cast<double>(1 + next(9)));
                }
                network.add_many(AgentKind::investor, sources, AgentKind::lab, targets, EdgeType::equity,
                                 weights, stakes);
                break;
            }
            case 2: {  // dilution, as a closed round does it
                const std::uint64_t change = network.visit_in_apart(
                    AgentKind::lab, lab, EdgeType::equity,
                    [](AgentKind, std::uint32_t, double&, double& stake) { stake *= 0.9; });
                network.add_digest_change(change);
                break;
            }
            case 3:  // equity from or to another kind is not a holding
                network.add(AgentKind::compute_provider, static_cast<std::uint32_t>(next(4)), AgentKind::lab, lab,
                            EdgeType::equity, 2.0, 0.01);
                network.add(AgentKind::investor, static_cast<std::uint32_t>(next(200)), AgentKind::compute_provider,
                            static_cast<std::uint32_t>(next(4)), EdgeType::equity, 2.0, 0.01);
                break;
            case 4:
                network.for_each_out(AgentKind::investor, static_cast<std::uint32_t>(next(200)), EdgeType::equity,
                                     [](AgentKind, std::uint32_t, double&, double& stake) { stake += 0.001; });
                break;
            default:
                network.visit_in(AgentKind::lab, lab, EdgeType::equity,
                                 [](AgentKind, std::uint32_t, double&, double& stake) { stake *= 1.1; });
        }
        if (k % 400 == 399)
            network.redirect_in(AgentKind::lab, lab, static_cast<std::uint32_t>(next(30)), EdgeType::equity);
        if (k % 250 == 0) REQUIRE(network.holdings_match_graph());
    }
    REQUIRE(network.holdings_match_graph());
    // The lists give the graph's sums to the bit, in its orders.
    for (std::uint32_t lab = 0; lab < 30; ++lab) {
        double from_graph = 0, from_list = 0;
        network.visit_in_index(AgentKind::lab, lab, EdgeType::equity, [&](std::uint32_t, double, double stake) {
            from_graph += stake;
        });
        network.visit_holders(lab, [&](std::uint32_t, double stake) { from_list += stake; });
        if (from_graph != from_list) {  // only when another kind holds equity in this lab
            double investors_only = 0;
            network.for_each_in(AgentKind::lab, lab, EdgeType::equity,
                                [&](AgentKind kind, std::uint32_t, double, double stake) {
                                    if (kind == AgentKind::investor) investors_only += stake;
                                });
            CHECK(from_list == investors_only);
        }
    }
    for (std::uint32_t investor = 0; investor < 200; ++investor) {
        std::vector<std::pair<std::uint32_t, double>> a, b;
        network.for_each_out(AgentKind::investor, investor, EdgeType::equity,
                             [&](AgentKind kind, std::uint32_t lab, double&, double& stake) {
                                 if (kind == AgentKind::lab) a.emplace_back(lab, stake);
                             });
        network.visit_holdings(investor, [&](std::uint32_t lab, double stake) { b.emplace_back(lab, stake); });
        CHECK(a == b);
    }
    // A copy (rebuilt from the creation-order snapshot) has the same lists.
    const Network copy = network;
    CHECK(copy.holdings_match_graph());
}

TEST_CASE("a round's dilution scales its lab's stakes at once, and a scale too small goes into the stored "
          "stakes, in parallel pieces, as edge by edge", "[network]") {
    // A lab with more holders than one piece (16384) holds, equity from
    // compute providers (not holdings) among them, and a small lab.
    constexpr std::uint32_t investors = 40000;
    Network network(std::array<std::size_t, agent_kind_count>{2, investors, 3, 0, 0, 0, 0});
    Lcg next{99};
    for (std::uint32_t i = 0; i < investors; ++i) {
        network.add(AgentKind::investor, i, AgentKind::lab, 0, EdgeType::equity, 1.0,
                    1e-5 * static_cast<double>(1 + next(100)));
        if (i % 5000 == 17)
            network.add(AgentKind::compute_provider, static_cast<std::uint32_t>(next(3)), AgentKind::lab, 0,
                        EdgeType::equity, 2.0, 0.01);
        if (i % 3 == 0) network.add(AgentKind::investor, i, AgentKind::lab, 1, EdgeType::equity, 1.0, 1e-4);
    }
    using Stakes = std::vector<std::tuple<AgentKind, std::uint32_t, double>>;
    const auto stakes_in = [](const Network& n, std::uint32_t lab) {
        Stakes out;
        n.for_each_in(AgentKind::lab, lab, EdgeType::equity,
                      [&](AgentKind kind, std::uint32_t other, double, double stake) {
                          out.emplace_back(kind, other, stake);
                      });
        return out;
    };
    const auto holders_of = [](const Network& n, std::uint32_t lab) {
        std::vector<std::pair<std::uint32_t, double>> out;
        n.visit_holders(lab, [&](std::uint32_t investor, double stake) { out.emplace_back(investor, stake); });
        return out;
    };
    const auto holdings_of = [](const Network& n, std::uint32_t investor) {
        std::vector<std::pair<std::uint32_t, double>> out;
        n.visit_holdings(investor, [&](std::uint32_t lab, double stake) { out.emplace_back(lab, stake); });
        return out;
    };
    Network edge_by_edge = network;

    // Lab 1: its scale takes the factor; every stake, holder and holding
    // reads diluted, while the stored stakes (and the digest) stay.
    const Stakes before = stakes_in(network, 1);
    const auto holders_before = holders_of(network, 1);
    const std::uint64_t digest = network.edge_digest();
    network.add_digest_change(network.dilute_apart(1, 0.8125));
    CHECK(network.equity_scale(1) == 0.8125);
    CHECK(network.equity_scale(0) == 1.0);
    CHECK(network.edge_digest() == digest);
    const Stakes after = stakes_in(network, 1);
    REQUIRE(after.size() == before.size());
    for (std::size_t i = 0; i < after.size(); ++i) CHECK(std::get<2>(after[i]) == std::get<2>(before[i]) * 0.8125);
    const auto holders_after = holders_of(network, 1);
    REQUIRE(holders_after.size() == holders_before.size());
    for (std::size_t i = 0; i < holders_after.size(); ++i)
        CHECK(holders_after[i].second == holders_before[i].second * 0.8125);
    CHECK(holdings_of(network, 3) == std::vector<std::pair<std::uint32_t, double>>{
                                         {0, holdings_of(edge_by_edge, 3)[0].second}, {1, 1e-4 * 0.8125}});
    // A stake bought after the round is stored in units of the scale and
    // reads back as bought; so does one added to an existing stake.
    network.add(AgentKind::investor, 1, AgentKind::lab, 1, EdgeType::equity, 1.0, 0.003);
    network.add(AgentKind::investor, 3, AgentKind::lab, 1, EdgeType::equity, 1.0, 0.003);
    CHECK(holdings_of(network, 1)[1].second == Approx(0.003).epsilon(1e-15));
    CHECK(holdings_of(network, 3)[1].second == Approx(1e-4 * 0.8125 + 0.003).epsilon(1e-15));
    CHECK(network.holdings_match_graph());
    CHECK(network.edge_digest() == network.recompute_edge_digest());

    // The same on the copy, then lab 0: a factor that takes its scale below
    // min_equity_scale goes into the stored stakes (in parallel pieces: more
    // holders than a piece) and the scale starts again at 1, with the same
    // stakes, holders, holdings and digest as a dilution edge by edge.
    edge_by_edge.add_digest_change(edge_by_edge.dilute_apart(1, 0.8125));
    edge_by_edge.add(AgentKind::investor, 1, AgentKind::lab, 1, EdgeType::equity, 1.0, 0.003);
    edge_by_edge.add(AgentKind::investor, 3, AgentKind::lab, 1, EdgeType::equity, 1.0, 0.003);
    constexpr double tiny = 0x1p-700;
    static_assert(tiny < Network::min_equity_scale);
    network.add_digest_change(network.dilute_apart(0, tiny));
    CHECK(network.equity_scale(0) == 1.0);
    CHECK(network.edge_digest() != digest);
    edge_by_edge.add_digest_change(edge_by_edge.visit_in_apart(
        AgentKind::lab, 0, EdgeType::equity, [&](AgentKind, std::uint32_t, double&, double& stake) { stake *= tiny; }));
    CHECK(network.edge_digest() == edge_by_edge.edge_digest());
    CHECK(network.edge_digest() == network.recompute_edge_digest());
    CHECK(network.holdings_match_graph());
    CHECK(std::get<2>(stakes_in(network, 0)[0]) > 0);
    for (const std::uint32_t lab : {0u, 1u}) {
        CHECK(stakes_in(network, lab) == stakes_in(edge_by_edge, lab));
        CHECK(holders_of(network, lab) == holders_of(edge_by_edge, lab));
    }
    for (std::uint32_t investor = 0; investor < investors; investor += 997)
        CHECK(holdings_of(network, investor) == holdings_of(edge_by_edge, investor));
    // A copy keeps the scales; a restore from the stored stakes and the
    // scales gives every stake back.
    const Network copy = network;
    CHECK(copy.equity_scale(1) == 0.8125);
    CHECK(stakes_in(copy, 1) == stakes_in(network, 1));
    Network restored(std::array<std::size_t, agent_kind_count>{2, investors, 3, 0, 0, 0, 0});
    restored.restore(network.snapshot(), network.next_seq(), network.equity_scales());
    CHECK(stakes_in(restored, 1) == stakes_in(network, 1));
    CHECK(restored.edge_digest() == network.edge_digest());
    CHECK_THROWS_AS(restored.restore(network.snapshot(), network.next_seq(), {1.0, 0.0}), RunFileError);
    CHECK_THROWS_AS(restored.restore(network.snapshot(), network.next_seq(), {1.0}), RunFileError);
}

TEST_CASE("a snapshot lists edges in creation order when creation numbers are sparse, and a restore "
          "refuses repeated or too large ones", "[network]") {
    // Sparse numbers (as after many acquisitions moved edges) take the
    // snapshot's sort instead of its counting pass: the same order.
    std::vector<EdgeState> edges{
        {AgentKind::investor, 1, AgentKind::lab, 2, EdgeType::equity, 5.0, 0.1, 7},
        {AgentKind::investor, 0, AgentKind::lab, 2, EdgeType::equity, 3.0, 0.2, 150000},
        {AgentKind::compute_provider, 1, AgentKind::lab, 0, EdgeType::compute_contract, 9.0, 0.0, 90000},
    };
    Network network = tiny_network();
    network.restore(edges, 200000);
    const auto snapshot = network.snapshot();
    REQUIRE(snapshot.size() == 3);
    CHECK(snapshot[0].seq == 7);
    CHECK(snapshot[1].seq == 90000);
    CHECK(snapshot[1].type == EdgeType::compute_contract);
    CHECK(snapshot[1].src_kind == AgentKind::compute_provider);
    CHECK(snapshot[1].dst == 0);
    CHECK(snapshot[2].seq == 150000);
    CHECK(snapshot[2].src == 0);
    CHECK(snapshot[2].weight == 3.0);
    CHECK(network.edge_count() == 3);
    // A checkpoint's creation numbers must each come once, below the next.
    Network bad = tiny_network();
    CHECK_THROWS_AS(bad.restore(edges, 150000), RunFileError);
    edges[2].seq = 7;
    CHECK_THROWS_AS(bad.restore(edges, 200000), RunFileError);
}

TEST_CASE("a graph gets vertices only for the kinds its edges point to, and stays whole as it grows",
          "[network]") {
    // Labs, investors, compute providers, data providers, a regulator, no
    // world agents, an influencer: the regulator and the influencer are
    // numbered after everyone else.
    const std::array<std::size_t, agent_kind_count> counts{4, 50, 2, 2, 1, 0, 1};
    Network network(counts);
    // Nothing points anywhere yet: every visit is empty, in any graph.
    CHECK(visits_in(network, AgentKind::lab, 3, EdgeType::equity).empty());
    CHECK(visits_in(network, AgentKind::regulator, 0, EdgeType::lobbying).empty());
    CHECK(visits_in(network, AgentKind::investor, 49, EdgeType::equity).empty());
    CHECK(network.dilute_apart(2, 0.5) == 0);
    // Equity into labs first, then (outside the model, allowed by the
    // graph) into the regulator, a kind numbered after the investors: the
    // equity graph grows past its labs while it holds edges.
    network.add(AgentKind::investor, 7, AgentKind::lab, 1, EdgeType::equity, 10.0, 0.1);
    network.add(AgentKind::investor, 49, AgentKind::lab, 1, EdgeType::equity, 20.0, 0.2);
    CHECK(visits_in(network, AgentKind::regulator, 0, EdgeType::equity).empty());
    network.add(AgentKind::lab, 2, AgentKind::regulator, 0, EdgeType::equity, 5.0, 0.05);
    network.add(AgentKind::influencer, 0, AgentKind::regulator, 0, EdgeType::influence, -1.0);
    const std::vector<std::uint32_t> sources{3, 49, 8};
    const std::vector<std::uint32_t> targets{1, 3, 3};
    const std::vector<double> weights{1.0, 2.0, 3.0};
    const std::vector<double> stakes{0.01, 0.02, 0.03};
    network.add_many(AgentKind::investor, sources, AgentKind::lab, targets, EdgeType::equity, weights,
                     stakes);
    const auto into_lab1 = visits_in(network, AgentKind::lab, 1, EdgeType::equity);
    REQUIRE(into_lab1.size() == 3);
    CHECK(into_lab1[0].index == 7);
    CHECK(into_lab1[1].index == 49);
    CHECK(into_lab1[2].index == 3);
    const auto into_regulator = visits_in(network, AgentKind::regulator, 0, EdgeType::equity);
    REQUIRE(into_regulator.size() == 1);
    CHECK(into_regulator[0].kind == AgentKind::lab);
    CHECK(into_regulator[0].index == 2);
    CHECK(visits_in(network, AgentKind::regulator, 0, EdgeType::influence).size() == 1);
    CHECK(network.edge_count() == 7);
    CHECK(network.edge_digest() == network.recompute_edge_digest());
    CHECK(network.holdings_match_graph());
    // A copy (rebuilt from the creation-ordered snapshot) is the same graph.
    const Network copy(network);
    CHECK(copy.edge_digest() == network.edge_digest());
    check_same_edges(network, copy);
    // Moving a lab's equity to another lab, and the contracts of a provider
    // in a graph that has no vertices yet (nothing to move).
    network.redirect_in(AgentKind::lab, 1, 0, EdgeType::equity);
    CHECK(visits_in(network, AgentKind::lab, 1, EdgeType::equity).empty());
    CHECK(visits_in(network, AgentKind::lab, 0, EdgeType::equity).size() == 3);
    network.redirect_in(AgentKind::compute_provider, 1, 0, EdgeType::compute_contract);
    CHECK(network.holdings_match_graph());
    CHECK(network.edge_digest() == network.recompute_edge_digest());
}
