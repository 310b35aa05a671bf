#pragma once
// An agent kind's descriptor, and what the engine derives from it.
//
// A descriptor is a struct of static members that says, in one place,
// everything the engine needs to know about an agent kind apart from its
// behaviour: its names, what a run file records of it (with units), which
// columns the world hash and the finite check read, and whether a fork may
// add agents of it. Its table (agents/) lists its state once, in the
// static `columns(self, visit)` visitor. Checkpoints, the finite check, the
// world hash and the recorder are the templates below (and
// record/kind_record.hpp), instantiated for each kind of the World by
// for_each_kind (sim/kinds.hpp), so none of them names a kind.
//
// A descriptor has (see LabKind in sim/kinds.hpp, docs/extending.md):
//   using Table = ...;                         the structure-of-arrays table
//   static constexpr AgentKind kind;           its id in events and in the graph
//   static constexpr std::string_view plural;  run file group, checkpoint and
//                                              finite-check prefix ("labs")
//   static constexpr std::string_view singular;                    ("lab")
//   static constexpr bool fork_may_add;        a fork may add agents after the
//                                              parent's (checkpoints and runs to
//                                              continue may have fewer of them)
//   static std::string_view region(const Table&, std::size_t i);  /<plural>/static/region
//   static std::string_view type(const Table&, std::size_t i);    /<plural>/static/type
//   static std::span<const RecordColumn<Table>> recorded();       /<plural>/<column>
//   template <class Self, class Visit>
//   static void hashed(Self& table, Visit&& visit);  visit(pass, column): see hash_kind
// and optionally
//   template <class Self, class Visit>
//   static void checked(Self& table, Visit&& visit);  visit("column", column):
//                                              what the finite check reads when it
//                                              is not the state (Table::columns)
// The table has `name` (one string per agent), size() and the static
// `columns(self, visit)` visitor: visit("column", vector) for every column
// of its state but the name, the checkpoint's columns in their order.

#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "base/errors.hpp"
#include "base/ids.hpp"
#include "sim/checkpoint.hpp"

namespace airace {

// A recorded column, /<kind>/<name>: float64 [steps, agents] with units;
// fill writes one step's row for the first n agents (a plain loop over the
// table's column, no call per agent).
template <class Table>
struct RecordColumn {
    const char* name;
    const char* units;
    void (*fill)(const Table& table, double* row, std::size_t n);
};

template <class Member>
struct member_class;
template <class Class, class Value>
struct member_class<Value Class::*> {
    using type = Class;
};

// The fill of a column recorded as it is: {"cash", "USD", fill_column<&LabTable::cash_usd>}.
template <auto Column>
void fill_column(const typename member_class<decltype(Column)>::type& table, double* row,
                 std::size_t n) {
    const auto& values = table.*Column;
    for (std::size_t i = 0; i < n; ++i) row[i] = static_cast<double>(values[i]);
}

template <class Kind>
concept KindDescriptor = requires(const typename Kind::Table& table, std::size_t i) {
    { Kind::kind } -> std::convertible_to<AgentKind>;
    { Kind::plural } -> std::convertible_to<std::string_view>;
    { Kind::singular } -> std::convertible_to<std::string_view>;
    { Kind::fork_may_add } -> std::convertible_to<bool>;
    { Kind::region(table, i) } -> std::convertible_to<std::string_view>;
    { Kind::type(table, i) } -> std::convertible_to<std::string_view>;
    { Kind::recorded() } -> std::convertible_to<std::span<const RecordColumn<typename Kind::Table>>>;
    { table.size() } -> std::convertible_to<std::size_t>;
    { table.name[i] } -> std::convertible_to<std::string_view>;
};

// --- Checkpoints: "<plural>/<column>" for each column of Table::columns ---

template <class T>
inline constexpr bool is_integer_column = std::is_integral_v<T> || std::is_enum_v<T>;

// Appends a column to a checkpoint: integers and enums as int64, the rest as float64.
template <class T>
void put_column(Checkpoint& out, std::string name, const std::vector<T>& values) {
    StateColumn column;
    column.name = std::move(name);
    if constexpr (is_integer_column<T>) {
        column.integer = true;
        column.whole.reserve(values.size());
        for (const T& v : values) column.whole.push_back(static_cast<std::int64_t>(v));
    } else {
        column.real.assign(values.begin(), values.end());
    }
    out.columns.push_back(std::move(column));
}

// The same for a column already in the checkpoint's representation, moved
// rather than copied (the graph's columns: one value per edge).
inline void put_column(Checkpoint& out, std::string name, std::vector<std::int64_t>&& values) {
    StateColumn column;
    column.name = std::move(name);
    column.integer = true;
    column.whole = std::move(values);
    out.columns.push_back(std::move(column));
}
inline void put_column(Checkpoint& out, std::string name, std::vector<double>&& values) {
    StateColumn column;
    column.name = std::move(name);
    column.real = std::move(values);
    out.columns.push_back(std::move(column));
}

// Reads a column of a checkpoint into `values` (already of the world's
// size). With `prefix`, the checkpoint may hold fewer values (the rest keep
// theirs) or lack the column. Throws RunFileError naming the column.
template <class T>
void take_column(const Checkpoint& in, const std::string& name, std::vector<T>& values,
                 bool prefix = false) {
    const StateColumn* column = in.find(name);
    if (!column) {
        if (prefix) return;
        throw RunFileError(fmt::format("checkpoint at step {} lacks column '{}'", in.step, name));
    }
    const std::size_t size = column->integer ? column->whole.size() : column->real.size();
    if ((prefix ? size > values.size() : size != values.size()) ||
        column->integer != is_integer_column<T>)
        throw RunFileError(fmt::format(
            "checkpoint at step {}: column '{}' has {} values, the world needs {}", in.step, name,
            size, values.size()));
    for (std::size_t i = 0; i < size; ++i) {
        if constexpr (is_integer_column<T>)
            values[i] = static_cast<T>(column->whole[i]);
        else
            values[i] = column->real[i];
    }
}

template <KindDescriptor Kind>
void save_kind(Checkpoint& out, const typename Kind::Table& table) {
    Kind::Table::columns(table, [&](const char* column, const auto& values) {
        put_column(out, std::string(Kind::plural) + "/" + column, values);
    });
}

// Restores a kind's columns. A kind a fork may add to keeps its later agents
// as built (the parent's agents come first) but may not lose any.
template <KindDescriptor Kind>
void restore_kind(const Checkpoint& in, typename Kind::Table& table) {
    Kind::Table::columns(table, [&](const char* column, auto& values) {
        const std::string name = std::string(Kind::plural) + "/" + column;
        if constexpr (Kind::fork_may_add) {
            const StateColumn* saved = in.find(name);
            const std::size_t size =
                saved ? (saved->integer ? saved->whole.size() : saved->real.size()) : 0;
            if (size > values.size()) {
                const std::size_t per_agent =
                    table.size() > 0 && values.size() >= table.size() ? values.size() / table.size() : 1;
                throw RunFileError(fmt::format(
                    "checkpoint at step {} has {} {}; the scenario has {} (a fork may add {} after "
                    "the parent's, not remove them)",
                    in.step, size / per_agent, Kind::plural, table.size(), Kind::plural));
            }
        }
        take_column(in, name, values, Kind::fork_may_add);
    });
}

// --- The finite check: every real value a kind's `checked` (default: its state) reads ---

// Throws RuntimeFailure: "step S (year Y): <table>.<column><who> is <value>: ...".
[[noreturn]] void throw_not_finite(std::int32_t step, double year, std::string_view table,
                                   std::string_view column, const std::string& who, double value);

// Whether all `count` values are finite: an OR of whether each value's
// exponent bits are all set (inf or NaN), with no branch per value, so the
// compiler vectorises it; the caller looks for the first bad value only
// when there is one.
inline bool all_finite(const double* values, std::size_t count) {
    constexpr std::uint64_t exponent = 0x7ff0000000000000ull;
    std::uint64_t bad = 0;
    for (std::size_t i = 0; i < count; ++i) {
        std::uint64_t bits;
        std::memcpy(&bits, values + i, sizeof bits);
        bad |= static_cast<std::uint64_t>((bits & exponent) == exponent);
    }
    return bad == 0;
}

// `visit(name, values)` for every column the finite check reads: the
// kind's `checked` columns, or else its table's state.
template <KindDescriptor Kind, class Visit>
void visit_checked(const typename Kind::Table& table, Visit&& visit) {
    if constexpr (requires { Kind::checked(table, visit); })
        Kind::checked(table, visit);
    else
        Kind::Table::columns(table, visit);
}

// A column may hold several values per agent ([agent * k + j], e.g. the
// 4-step rings), so the agent is index / k.
template <KindDescriptor Kind>
void check_finite_kind(const typename Kind::Table& table, std::int32_t step, double year) {
    const std::size_t agents = table.size();
    const auto check = [&](const char* column, const auto& values) {
        using Value = typename std::decay_t<decltype(values)>::value_type;
        if constexpr (std::is_floating_point_v<Value>) {
            static_assert(std::is_same_v<Value, double>);
            if (all_finite(values.data(), values.size())) return;
            for (std::size_t i = 0; i < values.size(); ++i) {
                if (std::isfinite(values[i])) continue;
                const std::size_t per_agent =
                    agents > 0 && values.size() % agents == 0 ? values.size() / agents : 0;
                if (per_agent == 0)
                    throw_not_finite(step, year, Kind::plural, column, fmt::format(" (entry {})", i),
                                     values[i]);
                const std::size_t agent = i / per_agent;
                throw_not_finite(
                    step, year, Kind::plural, column,
                    fmt::format(" of agent {} ('{}'){}", agent, table.name[agent],
                                per_agent > 1 ? fmt::format(", entry {}", i % per_agent) : ""),
                    values[i]);
            }
        }
    };
    visit_checked<Kind>(table, check);
}

// --- The world hash ---

// The hash reads the columns of every kind's pass 0, then of every kind's
// pass 1. Two passes keep the byte order the hash has always had (the labs'
// and data providers' data-market columns come after the regulators'), so
// the hashes in existing run files, and tests/golden/world_hashes.txt, stay
// valid. A new kind may hash its columns in either pass.
inline constexpr int hash_passes = 2;

// Feeds `sink.bytes(data, size)` with the raw bytes of the kind's hashed
// columns of `pass`, in the order `hashed` visits them.
template <KindDescriptor Kind, class Sink>
void hash_kind(const typename Kind::Table& table, int pass, Sink& sink) {
    Kind::hashed(table, [&](int column_pass, const auto& values) {
        if (column_pass == pass && !values.empty())
            sink.bytes(values.data(), values.size() * sizeof(values[0]));
    });
}

}  // namespace airace
