#pragma once
// The World's agent kinds, each declared once by its descriptor (sim/kind.hpp
// says what a descriptor holds), and for_each_kind, through which the world's
// build, checkpoints, the finite check, the world hash and the recorder visit
// them. Besides what sim/kind.hpp lists, a kind of the World has:
//   static constexpr Table World::*table;            where the World keeps it
//   static std::size_t count(const ScenarioConfig&); its agents at the start
//   static void build(World&);                       fills the table (resized
//                                                    to count) from the config
//   static constexpr int build_stage;                0, or 1 when its build
//                                                    reads tables of stage 0
// Adding a kind: docs/extending.md.

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include "sim/kind.hpp"
#include "sim/world.hpp"

namespace airace {

struct LabKind {
    using Table = LabTable;
    static constexpr AgentKind kind = AgentKind::lab;
    static constexpr std::string_view plural = "labs";
    static constexpr std::string_view singular = "lab";
    static constexpr bool fork_may_add = false;
    static constexpr Table World::*table = &World::labs;
    static constexpr int build_stage = 1;  // labs start with the open data the providers hold
    static std::size_t count(const ScenarioConfig& config);
    static void build(World& world);
    static std::string_view region(const Table& t, std::size_t i) { return region_name(t.region[i]); }
    static std::string_view type(const Table& t, std::size_t i) { return lab_type_name(t.type[i]); }
    static std::span<const RecordColumn<Table>> recorded();
    template <class Self, class Visit>
    static void hashed(Self& t, Visit&& visit) {
        visit(0, t.cash_usd);
        visit(0, t.valuation_usd);
        visit(0, t.efficiency);
        visit(0, t.model_flop);
        visit(0, t.model_kappa);
        visit(0, t.run_target_flop);
        visit(0, t.run_done_flop);
        visit(0, t.revenue_usd);
        visit(0, t.revenue_share);
        visit(0, t.status);
        visit(0, t.run_start_step);
        visit(1, t.usable_tokens);
        visit(1, t.collapse_penalty);
    }
};

struct InvestorKind {
    using Table = InvestorTable;
    static constexpr AgentKind kind = AgentKind::investor;
    static constexpr std::string_view plural = "investors";
    static constexpr std::string_view singular = "investor";
    static constexpr bool fork_may_add = false;
    static constexpr Table World::*table = &World::investors;
    static constexpr int build_stage = 0;
    static std::size_t count(const ScenarioConfig& config);
    static void build(World& world);
    static std::string_view region(const Table& t, std::size_t i) { return region_name(t.region[i]); }
    static std::string_view type(const Table& t, std::size_t i) { return investor_type_name(t.type[i]); }
    static std::span<const RecordColumn<Table>> recorded();
    template <class Self, class Visit>
    static void hashed(Self& t, Visit&& visit) {
        visit(0, t.aum_usd);
        visit(0, t.sentiment);
        visit(0, t.expected_wow);
        visit(0, t.invested_total_usd);
        visit(0, t.portfolio_value_usd);
    }
};

struct ComputeProviderKind {
    using Table = ComputeProviderTable;
    static constexpr AgentKind kind = AgentKind::compute_provider;
    static constexpr std::string_view plural = "compute_providers";
    static constexpr std::string_view singular = "compute_provider";
    static constexpr bool fork_may_add = false;
    static constexpr Table World::*table = &World::compute_providers;
    static constexpr int build_stage = 0;
    static std::size_t count(const ScenarioConfig& config);
    static void build(World& world);
    static std::string_view region(const Table& t, std::size_t i) { return region_name(t.region[i]); }
    static std::string_view type(const Table&, std::size_t) { return "cloud"; }
    static std::span<const RecordColumn<Table>> recorded();
    template <class Self, class Visit>
    static void hashed(Self& t, Visit&& visit) {
        visit(0, t.capacity_flop);
        visit(0, t.sold_flop);
    }
};

struct DataProviderKind {
    using Table = DataProviderTable;
    static constexpr AgentKind kind = AgentKind::data_provider;
    static constexpr std::string_view plural = "data_providers";
    static constexpr std::string_view singular = "data_provider";
    static constexpr bool fork_may_add = false;
    static constexpr Table World::*table = &World::data_providers;
    static constexpr int build_stage = 0;
    static std::size_t count(const ScenarioConfig& config);
    static void build(World& world);  // also sets the environment's open tokens
    static std::string_view region(const Table& t, std::size_t i) { return region_name(t.region[i]); }
    static std::string_view type(const Table&, std::size_t) { return "publisher"; }
    static std::span<const RecordColumn<Table>> recorded();
    template <class Self, class Visit>
    static void hashed(Self& t, Visit&& visit) {
        visit(1, t.openness);
        visit(1, t.licence_price);
    }
};

struct RegulatorKind {
    using Table = RegulatorTable;
    static constexpr AgentKind kind = AgentKind::regulator;
    static constexpr std::string_view plural = "regulators";
    static constexpr std::string_view singular = "regulator";
    static constexpr bool fork_may_add = false;
    static constexpr Table World::*table = &World::regulators;
    static constexpr int build_stage = 0;
    static std::size_t count(const ScenarioConfig&) { return region_count; }  // one per region
    static void build(World& world);
    static std::string_view region(const Table& t, std::size_t i) { return region_name(t.region[i]); }
    static std::string_view type(const Table&, std::size_t) { return singular; }
    static std::span<const RecordColumn<Table>> recorded();
    template <class Self, class Visit>
    static void hashed(Self& t, Visit&& visit) {
        visit(0, t.stringency);
        visit(0, t.active);
        visit(0, t.power_gw);
    }
};

// Influencers act from the current config (update_influencers in sim/phases/environment.cpp);
// their state is whether each has linked to the regulators yet. A fork may
// add influencers after the parent's (record/run.cpp builds room for them).
struct InfluencerKind {
    using Table = InfluencerTable;
    static constexpr AgentKind kind = AgentKind::influencer;
    static constexpr std::string_view plural = "influencers";
    static constexpr std::string_view singular = "influencer";
    static constexpr bool fork_may_add = true;
    static constexpr Table World::*table = &World::influencers;
    static constexpr int build_stage = 0;
    static std::size_t count(const ScenarioConfig& config) { return config.influencers.size(); }
    static void build(World& world);
    static std::string_view region(const Table&, std::size_t) { return "world"; }
    static std::string_view type(const Table&, std::size_t) { return singular; }
    static std::span<const RecordColumn<Table>> recorded();
    template <class Self, class Visit>
    static void hashed(Self&, Visit&&) {}
    template <class Self, class Visit>
    static void checked(Self& t, Visit&& visit) {
        visit("stance", t.stance);
        visit("weight", t.weight);
    }
};

// A list of descriptors; each(f) calls f(Kind{}) for each, in order.
template <KindDescriptor... Kinds>
struct KindList {
    static constexpr std::size_t size = sizeof...(Kinds);
    template <class F>
    static constexpr void each(F&& f) {
        (f(Kinds{}), ...);
    }
};

// The World's kinds in AgentKind order: the order of run file groups,
// checkpoint columns, the finite check and the hash.
using WorldKinds = KindList<LabKind, InvestorKind, ComputeProviderKind, DataProviderKind,
                            RegulatorKind, InfluencerKind>;

// f(kind, table) for each kind of the World, in WorldKinds order: `kind` is
// the descriptor (an empty struct: decltype(kind) is its type), `table` the
// World's table (const when the world is).
template <class W, class F>
    requires std::same_as<std::remove_const_t<W>, World>
void for_each_kind(W& world, F&& f) {
    WorldKinds::each([&](auto kind) { f(kind, world.*decltype(kind)::table); });
}

// What code that meets kinds as names (run files) needs to know of them.
struct KindInfo {
    AgentKind kind = AgentKind::world;
    std::string_view plural;
    std::string_view singular;
    bool fork_may_add = false;
};

inline constexpr std::array<KindInfo, WorldKinds::size> world_kinds = [] {
    std::array<KindInfo, WorldKinds::size> out{};
    std::size_t k = 0;
    WorldKinds::each([&](auto kind) {
        using Kind = decltype(kind);
        out[k++] = {Kind::kind, Kind::plural, Kind::singular, Kind::fork_may_add};
    });
    return out;
}();

// The kind of the World called `plural`, or nullptr.
constexpr const KindInfo* find_kind(std::string_view plural) {
    for (const KindInfo& info : world_kinds)
        if (info.plural == plural) return &info;
    return nullptr;
}

// The plural name of each AgentKind value, "world" for the events that
// belong to no agent (the /events attribute "agent_kinds").
inline constexpr std::array<std::string_view, agent_kind_count> agent_kind_plurals = [] {
    std::array<std::string_view, agent_kind_count> names{};
    names[static_cast<std::size_t>(AgentKind::world)] = "world";
    for (const KindInfo& info : world_kinds) names[static_cast<std::size_t>(info.kind)] = info.plural;
    return names;
}();

static_assert(
    [] {
        // Every AgentKind value but world has one descriptor, listed in AgentKind order.
        for (std::size_t k = 0; k < world_kinds.size(); ++k)
            if (world_kinds[k].kind == AgentKind::world ||
                (k > 0 && world_kinds[k].kind <= world_kinds[k - 1].kind))
                return false;
        return world_kinds.size() + 1 == static_cast<std::size_t>(agent_kind_count);
    }(),
    "WorldKinds must list one descriptor per AgentKind value (but world), in AgentKind order");

// The agents of each kind a world built from `config` starts with, by AgentKind.
std::array<std::size_t, agent_kind_count> agent_counts(const ScenarioConfig& config);

}  // namespace airace
