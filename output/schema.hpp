#pragma once
// Names and table types of run file schema 1 (docs/output-schema.md), shared
// by writer.cpp and reader.cpp so the two cannot drift apart. Includes hdf5.h
// through h5.hpp: output/ only.

#include <array>
#include <cstddef>
#include <string_view>

#include "output/h5.hpp"
#include "base/ids.hpp"
#include "record/record.hpp"
#include "sim/kinds.hpp"

namespace airace::schema {

// Root objects that are not agent kinds. "checkpoints" is reserved for
// /checkpoints/step_<k>/, which schema 1 readers skip.
inline constexpr std::array<std::string_view, 10> reserved_root_names = {
    "file_checksum", "config",  "time",   "aggregates", "markets",
    "events",        "network", "hashes", "checkpoints", "fork"};

// Stored as the /events attribute "agent_kinds": name of each AgentKind
// value (the kinds' descriptors, sim/kinds.hpp).
inline constexpr const auto& agent_kind_names = agent_kind_plurals;

inline bool is_reserved_root_name(std::string_view name) {
    for (std::string_view reserved : reserved_root_names) {
        if (name == reserved) return true;
    }
    return false;
}

// /events: one packed little-endian row per EventRow.
inline h5::CompoundTypes event_types() {
    return h5::make_compound(
        {{"step", offsetof(EventRow, step), H5T_STD_I32LE, H5T_NATIVE_INT32},
         {"time", offsetof(EventRow, time), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE},
         {"type", offsetof(EventRow, type), H5T_STD_I32LE, H5T_NATIVE_INT32},
         {"agent_kind", offsetof(EventRow, agent_kind), H5T_STD_I32LE, H5T_NATIVE_INT32},
         {"agent", offsetof(EventRow, agent), H5T_STD_I64LE, H5T_NATIVE_INT64},
         {"other_kind", offsetof(EventRow, other_kind), H5T_STD_I32LE, H5T_NATIVE_INT32},
         {"other", offsetof(EventRow, other), H5T_STD_I64LE, H5T_NATIVE_INT64},
         {"amount", offsetof(EventRow, amount), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE},
         {"value", offsetof(EventRow, value), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE}},
        sizeof(EventRow));
}
inline constexpr std::array<const char*, 9> event_fields = {
    "step", "time", "type", "agent_kind", "agent", "other_kind", "other", "amount", "value"};

// /network/edges: one packed little-endian row per EdgeRow (23 bytes; run
// files of airace 0.2.0 and earlier store kinds and types as int32 and
// agents as int64, which readers convert).
inline h5::CompoundTypes edge_types() {
    return h5::make_compound(
        {{"step", offsetof(EdgeRow, step), H5T_STD_I32LE, H5T_NATIVE_INT32},
         {"src_kind", offsetof(EdgeRow, src_kind), H5T_STD_I8LE, H5T_NATIVE_INT8},
         {"src", offsetof(EdgeRow, src), H5T_STD_I32LE, H5T_NATIVE_INT32},
         {"dst_kind", offsetof(EdgeRow, dst_kind), H5T_STD_I8LE, H5T_NATIVE_INT8},
         {"dst", offsetof(EdgeRow, dst), H5T_STD_I32LE, H5T_NATIVE_INT32},
         {"type", offsetof(EdgeRow, type), H5T_STD_I8LE, H5T_NATIVE_INT8},
         {"weight", offsetof(EdgeRow, weight), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE}},
        sizeof(EdgeRow));
}
inline constexpr std::array<const char*, 7> edge_fields = {"step", "src_kind", "src",   "dst_kind",
                                                           "dst",  "type",     "weight"};

}  // namespace airace::schema
