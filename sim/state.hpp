#pragma once
// Checkpoints: the whole world state as named columns (sim/checkpoint.hpp),
// and back: each kind's table columns (sim/kinds.hpp), the world's scalars,
// the graph. With the run's config and seed a checkpoint is enough to
// continue a run bitwise identically: random numbers depend only on (seed,
// step), and the graph is restored in edge-creation order.

#include "sim/checkpoint.hpp"
#include "sim/world.hpp"

namespace airace {

Checkpoint save_world(const World& world);

// Overwrites the state of `world` (built from the same agent counts) with a
// checkpoint. Throws RunFileError when a column is missing or has the wrong
// size, naming it.
void restore_world(World& world, const Checkpoint& checkpoint);

}  // namespace airace
