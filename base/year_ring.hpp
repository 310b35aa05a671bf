#pragma once
// Rings that hold one simulated year of per-step values: `width` slots, one
// per step of a year (time.steps_per_year), the value of step s in slot
// s % width. Read before step s is rolled in, slot s % width still holds the
// value of step s - width, exactly one year earlier, at any steps per year.

#include <cstddef>
#include <cstdint>

namespace airace {

struct YearRing {
    std::size_t width = 4;  // steps per simulated year

    std::size_t slot(std::int32_t step) const { return static_cast<std::size_t>(step) % width; }
    // Index of agent i's slot for `step` in a per-agent ring column [n * width].
    std::size_t at(std::size_t i, std::int32_t step) const { return i * width + slot(step); }
    std::size_t first(std::size_t i) const { return i * width; }
};

}  // namespace airace
