#pragma once
// /checkpoints and /fork of a run file (docs/output-schema.md). Each
// checkpoint packs its columns into one float64 and one int64 dataset, with
// a directory of names, kinds, offsets and lengths, so a checkpoint of
// hundreds of columns costs a handful of objects.

#include <cstdint>
#include <vector>

#include "output/chunk_queue.hpp"
#include "output/h5.hpp"
#include "record/record.hpp"

namespace airace::checkpoint_io {

// Queues the checkpoints' chunked datasets (in write's order), then writes
// them (their chunks from the queue).
void queue(storage::ChunkQueue& queue, const std::vector<Checkpoint>& checkpoints);
void write(const h5::Object& root, const std::vector<Checkpoint>& checkpoints, const ForkInfo& fork,
           storage::ChunkQueue& queue);

// One checkpoint as <group>/step_<k> (a streamed run writes each as it is
// taken into its /checkpoints group); the same objects as write's.
void write_one(const h5::Object& group, const Checkpoint& checkpoint);

// Reads them back; `max_elements` bounds every allocation (from the file size).
// Without `columns`, each checkpoint is only its step (what a replay needs to
// know where a partial run's record ends), and the world states stay unread.
void read(const h5::Object& root, std::uintmax_t max_elements, std::vector<Checkpoint>& checkpoints,
          ForkInfo& fork, bool columns = true);

// The one checkpoint of `step`, state and all; false when there is none.
bool read_at(const h5::Object& root, std::uintmax_t max_elements, std::int32_t step, Checkpoint& checkpoint);

}  // namespace airace::checkpoint_io
