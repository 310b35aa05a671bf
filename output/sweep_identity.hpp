#pragma once
// The root attributes that tie a sweep run's file to its row of the design
// (record.hpp, SweepIdentity; docs/output-schema.md, Root attributes).

#include "output/h5.hpp"
#include "record/record.hpp"

namespace airace {

// Writes sweep_run_id, sweep_index, sweep_point, sweep_replicate and
// sweep_values when identity.run_id is not empty; nothing otherwise.
void write_sweep_identity(const h5::Object& root, const SweepIdentity& identity);

// Reads them back; an empty identity when the file has no sweep_run_id.
// h5::Error when they are there but of the wrong type.
SweepIdentity read_sweep_identity(const h5::Object& root);

}  // namespace airace
