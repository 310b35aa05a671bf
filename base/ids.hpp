#pragma once
// Agent kinds and regions. An agent is (kind, index into its kind's table),
// never a pointer: agents are never removed from their table during a run (a
// bankrupt lab keeps its row with status Bankrupt), so an index stays valid
// for the whole run. Each kind's names live in its descriptor (sim/kinds.hpp).

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

// A table index as the 32-bit agent id that network edges and event rows store.
inline std::uint32_t index32(std::size_t i) { return static_cast<std::uint32_t>(i); }

// Jurisdictions and compute regions. One regulator per region.
enum class Region : std::uint8_t { us = 0, eu = 1, cn = 2 };
inline constexpr int region_count = 3;
std::string_view region_name(Region region);  // "US", "EU", "CN"
std::string_view region_key(Region region);   // "us", "eu", "cn" (scenario keys)

}  // namespace airace
