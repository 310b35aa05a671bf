#pragma once
// One quarter of the simulated industry, in the fixed phase order of
// ARCHITECTURE.md: environment, decide, capital market, compute market, data
// market, train and release, product market, regulate, account (record is
// done by run()). Within a phase, agents of a kind decide in parallel from the
// state at the start of the phase, each writing only its own row; markets then
// settle sequentially in a fixed order (price, then id). So the result is a
// pure function of (config, seed, step) whatever the thread count.

#include "sim/world.hpp"

namespace airace {

void step(World& world);

// The phases, exposed for tests of one mechanism at a time.
void phase_environment(World& world);
void phase_decide(World& world);
void phase_capital_market(World& world);
void phase_compute_market(World& world);
void phase_data_market(World& world);
void phase_train_and_release(World& world);
void phase_product_market(World& world);
void phase_regulate(World& world);
void phase_account(World& world);

}  // namespace airace
