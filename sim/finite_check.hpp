#pragma once
// Non-finite values are caught at the step where they arise.
//
// Why: a growth rate at the top of its allowed range compounded over two
// centuries, or a division by a balance that reached zero, turns a column
// into inf or NaN; from there it spreads through markets and aggregates and
// the run file ends up full of NaN (or a comparison with NaN quietly takes
// the wrong branch) with no hint of where it began. run() calls
// check_finite after every step: one pass over the world's real-valued
// state (a few thousand doubles for the baseline, far less than a step's
// work), throwing at the first non-finite value with the step, the year, the
// table, the column and the agent.

#include "sim/world.hpp"

namespace airace {

// Throws RuntimeFailure naming step, year, table, column, agent and value
// when any real-valued column of the world's state is inf or NaN.
void check_finite(const World& world);

}  // namespace airace
