#pragma once
// Typed agent ids: an index into the agent kind's table, never a pointer.
// Agents are never removed from their table during a run (a bankrupt lab keeps
// its row with status Bankrupt), so an index stays valid for the whole run.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace airace {

enum class AgentKind : std::uint8_t {
    lab = 0,
    investor = 1,
    compute_provider = 2,
    data_provider = 3,
    regulator = 4,
    world = 5,  // events that belong to no agent (environment, markets)
    influencer = 6,  // named actors of the scenario (the "X factor")
};
inline constexpr int agent_kind_count = 7;

std::string_view agent_kind_name(AgentKind kind);       // "labs", "investors", ...
std::string_view agent_kind_singular(AgentKind kind);   // "lab", "investor", ...

template <AgentKind Kind>
struct Id {
    std::uint32_t index = 0;
    friend constexpr bool operator==(Id, Id) = default;
    friend constexpr auto operator<=>(Id, Id) = default;
};

using LabId = Id<AgentKind::lab>;
using InvestorId = Id<AgentKind::investor>;
using ComputeProviderId = Id<AgentKind::compute_provider>;
using DataProviderId = Id<AgentKind::data_provider>;
using RegulatorId = Id<AgentKind::regulator>;
using InfluencerId = Id<AgentKind::influencer>;

// A table index as the 32-bit agent id that network edges and event rows store.
inline std::uint32_t index32(std::size_t i) { return static_cast<std::uint32_t>(i); }

// Jurisdictions and compute regions. One regulator per region.
enum class Region : std::uint8_t { us = 0, eu = 1, cn = 2 };
inline constexpr int region_count = 3;
std::string_view region_name(Region region);  // "US", "EU", "CN"
std::string_view region_key(Region region);   // "us", "eu", "cn" (scenario keys)

}  // namespace airace
