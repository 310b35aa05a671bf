#include "base/ids.hpp"

#include <array>

namespace airace {

std::string_view agent_kind_name(AgentKind kind) {
    switch (kind) {
        case AgentKind::lab: return "labs";
        case AgentKind::investor: return "investors";
        case AgentKind::compute_provider: return "compute_providers";
        case AgentKind::data_provider: return "data_providers";
        case AgentKind::regulator: return "regulators";
        case AgentKind::world: return "world";
        case AgentKind::influencer: return "influencers";
    }
    return "unknown";
}

std::string_view agent_kind_singular(AgentKind kind) {
    switch (kind) {
        case AgentKind::lab: return "lab";
        case AgentKind::investor: return "investor";
        case AgentKind::compute_provider: return "compute_provider";
        case AgentKind::data_provider: return "data_provider";
        case AgentKind::regulator: return "regulator";
        case AgentKind::world: return "world";
        case AgentKind::influencer: return "influencer";
    }
    return "unknown";
}

std::string_view region_name(Region region) {
    constexpr std::array<std::string_view, region_count> names{"US", "EU", "CN"};
    return names[static_cast<int>(region)];
}

std::string_view region_key(Region region) {
    constexpr std::array<std::string_view, region_count> keys{"us", "eu", "cn"};
    return keys[static_cast<int>(region)];
}

}  // namespace airace
