#pragma once
// One quarter of the simulated industry. step() zeroes the step's flows
// (begin_step), then runs the phases of sim/phases/ in a fixed order
// (sim/step.cpp): environment, decide, capital market, compute market, data
// market, train and release, product market, regulate, account; run()
// (record/run.hpp) records the step afterwards. Each phase takes a view of
// the World that lists what it reads and writes (sim/phases/phases.hpp).
// Within a phase, agents of a kind decide in parallel from the state at the
// start of the phase, each writing only its own row; markets then settle
// sequentially in a fixed order (price, then id). So the result is a pure
// function of (config, seed, step) whatever the thread count.

#include "sim/world.hpp"

namespace airace {

void step(World& world);

}  // namespace airace
