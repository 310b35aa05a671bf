#pragma once
// The resource guard of `airace run`, `sweep` and ensembles: a run whose
// estimated peak memory or file size (record/resources.hpp) exceeds what
// the machine has, or --max-memory, is refused before it starts (exit 2)
// with the options that make it smaller. `airace validate` prints the
// estimate.

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "config/config.hpp"
#include "record/resources.hpp"

namespace airace::cli {

// --max-memory SIZE: bytes, or a number with K, M, G, T (powers of 1024,
// "GiB" and "GB" alike); 0 or absent: the machine's available memory only.
void add_max_memory_option(CLI::App* command, std::uint64_t& max_memory);

// Memory this process may still use: MemAvailable, or the cgroup's limit
// less its usage when lower (0 when unknown).
std::uint64_t available_memory_bytes();
// Free space of the filesystem holding `path` (its folder when it does not
// exist yet); 0 when unknown.
std::uint64_t free_disk_bytes(const std::string& path);

// Throws ConfigError (exit 2) when `jobs` runs of `estimate` at once would
// not fit in memory (the machine's, or `max_memory` when given) or their
// files on the disk of `output`. `what` names the run(s) in the message.
void check_resources(const ResourceEstimate& estimate, const ResourceOptions& options,
                     std::uint64_t max_memory, const std::string& output, std::uint64_t jobs,
                     const std::string& what);

// The estimate as `validate` prints it (one line each for memory and file).
std::string describe_estimate(const ResourceEstimate& estimate, const ResourceOptions& options);

}  // namespace airace::cli
