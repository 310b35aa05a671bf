#include "base/ids.hpp"

#include <array>

namespace airace {

std::string_view region_name(Region region) {
    constexpr std::array<std::string_view, region_count> names{"US", "EU", "CN"};
    return names[static_cast<int>(region)];
}

std::string_view region_key(Region region) {
    constexpr std::array<std::string_view, region_count> keys{"us", "eu", "cn"};
    return keys[static_cast<int>(region)];
}

}  // namespace airace
