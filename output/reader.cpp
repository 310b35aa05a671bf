// Reads schema 1 run files back into a RunRecord.
//
// Run files come from other machines, other versions and half-finished
// copies, so nothing in them is trusted. Before libhdf5 sees the file its
// signature is checked; before any string or array is read, the whole-file
// checksum (/file_checksum, see integrity.hpp), then the format and schema
// version, then every dataset's shape against the `steps` attribute and the
// file's size, so a damaged file gives a clear message instead of a crash or
// a huge allocation (docs/reliability.md). All failures become RunFileError, which
// the command line maps to exit code 2.

#include "output/reader.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <system_error>
#include <type_traits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "output/h5.hpp"
#include "output/integrity.hpp"
#include "output/sweep_identity.hpp"
#include "output/checkpoint_io.hpp"
#include "output/inspect.hpp"
#include "output/schema.hpp"
#include "base/errors.hpp"

namespace airace {
namespace {

constexpr std::int64_t max_steps = 10'000'000;
constexpr std::size_t max_objects_per_group = 1'000'000;
constexpr std::size_t max_labels = 1'000'000;
using integrity::max_compression_ratio;
// The file is readable HDF5 but not a consistent schema 1 run file.
using integrity::Damaged;

struct Context {
    std::string path;  // the run file, for messages
    std::uintmax_t file_size = 0;
    std::size_t steps = 0;
};

std::uintmax_t checked_file_size(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (error || !fs::exists(status)) {
        throw RunFileError(fmt::format("cannot open run file {}: no such file", path));
    }
    if (!fs::is_regular_file(status)) {
        throw RunFileError(fmt::format("cannot open run file {}: not a regular file", path));
    }
    const std::uintmax_t size = fs::file_size(path, error);
    if (error) {
        throw RunFileError(fmt::format("cannot open run file {}: {}", path, error.message()));
    }
    if (!std::ifstream(path, std::ios::binary)) {
        throw RunFileError(fmt::format("cannot open run file {}: {}", path, std::strerror(errno)));
    }
    if (!integrity::has_hdf5_signature(path)) {
        throw RunFileError(fmt::format("{} is not an HDF5 file, so not an airace run file", path));
    }
    return size;
}

// --- typed, shape-checked reads -------------------------------------------------

std::vector<hsize_t> dims_of(const h5::Object& dataset) {
    h5::Handle space(h5::check_id(H5Dget_space(dataset.id()), "H5Dget_space", dataset.path),
                     H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.id());
    if (rank < 0 || rank > H5S_MAX_RANK) h5::fail("H5Sget_simple_extent_ndims", dataset.path);
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    if (rank > 0 && H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr) < 0) {
        h5::fail("H5Sget_simple_extent_dims", dataset.path);
    }
    return dims;
}

h5::Handle type_of(const h5::Object& dataset) {
    return {h5::check_id(H5Dget_type(dataset.id()), "H5Dget_type", dataset.path), H5Tclose};
}

// Fails unless the dataset has exactly `expected` dims and element class.
void expect(const h5::Object& dataset, const std::vector<hsize_t>& expected,
            H5T_class_t type_class) {
    const std::vector<hsize_t> dims = dims_of(dataset);
    if (dims != expected) {
        throw Damaged(fmt::format("{} has shape [{}], expected [{}]", dataset.path,
                                  fmt::join(dims, ", "), fmt::join(expected, ", ")));
    }
    if (H5Tget_class(type_of(dataset).id()) != type_class) {
        throw Damaged(fmt::format("{} has the wrong element type", dataset.path));
    }
}

// Number of elements of `dims`, refusing more than the file could hold.
std::size_t element_count(const Context& context, const std::vector<hsize_t>& dims,
                          std::size_t element_bytes, const std::string& where) {
    return integrity::element_count(context.file_size, dims, element_bytes, where);
}

template <typename T>
std::vector<T> read_numbers(const Context& context, const h5::Object& dataset,
                            const std::vector<hsize_t>& dims, H5T_class_t type_class,
                            hid_t memory_type) {
    expect(dataset, dims, type_class);
    std::vector<T> values(element_count(context, dims, sizeof(T), dataset.path));
    if (!values.empty()) {
        h5::check(H5Dread(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                  "H5Dread", dataset.path);
    }
    return values;
}

std::vector<double> read_doubles(const Context& context, const h5::Object& dataset,
                                 const std::vector<hsize_t>& dims) {
    return read_numbers<double>(context, dataset, dims, H5T_FLOAT, H5T_NATIVE_DOUBLE);
}

// The rows of a 1-D compound table with (at least) the named fields, each
// `row_bytes` in memory, refusing more than the file could hold.
std::size_t table_rows(const Context& context, const h5::Object& dataset, std::span<const char* const> fields,
                       std::size_t row_bytes) {
    const std::vector<hsize_t> dims = dims_of(dataset);
    if (dims.size() != 1) throw Damaged(fmt::format("{} is not a 1-D table", dataset.path));
    const h5::Handle type = type_of(dataset);
    for (const char* field : fields) {
        if (H5Tget_class(type.id()) != H5T_COMPOUND || H5Tget_member_index(type.id(), field) < 0) {
            throw Damaged(fmt::format("{} has no field '{}'", dataset.path, field));
        }
    }
    return element_count(context, dims, row_bytes, dataset.path);
}

// Reads `count` elements from `start` of a dataset of any rank (a row of a
// column, a block of a table) into `buffer`, as `memory_type`.
void read_slab(const h5::Object& dataset, hid_t memory_type, const std::vector<hsize_t>& start,
               const std::vector<hsize_t>& count, void* buffer) {
    h5::Handle file_space(h5::check_id(H5Dget_space(dataset.id()), "H5Dget_space", dataset.path), H5Sclose);
    h5::check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
              "H5Sselect_hyperslab", dataset.path);
    hsize_t elements = 1;
    for (const hsize_t n : count) elements *= n;
    h5::Handle memory_space = h5::simple_space({elements}, {}, dataset.path);
    h5::check(H5Dread(dataset.id(), memory_type, memory_space.id(), file_space.id(), H5P_DEFAULT, buffer),
              "H5Dread", dataset.path);
}

// A 1-D compound table with (at least) the named fields.
template <typename Row, std::size_t N>
std::vector<Row> read_rows(const Context& context, const h5::Object& dataset,
                           const h5::CompoundTypes& types,
                           const std::array<const char*, N>& fields) {
    std::vector<Row> rows(table_rows(context, dataset, fields, sizeof(Row)));
    if (!rows.empty()) {
        h5::check(
            H5Dread(dataset.id(), types.memory.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()),
            "H5Dread", dataset.path);
    }
    return rows;
}

// --- integrity and metadata ---------------------------------------------------------

// Returns false when the file has no /file_checksum (then it is foreign or
// of another schema, which read_meta reports); throws when it does not match.
bool verify_checksum(const Context& context, const h5::Object& root) {
    return integrity::verify_checksum(root, context.path, context.file_size);
}

int int_attr(const h5::Object& root, const char* name, std::int64_t low, std::int64_t high) {
    if (!h5::has_attr(root, name)) {
        throw Damaged(fmt::format("it has no root attribute '{}'", name));
    }
    const std::int64_t value = h5::attr_int(root, name);
    if (value < low || value > high) {
        throw Damaged(
            fmt::format("root attribute '{}' is {}, outside [{}, {}]", name, value, low, high));
    }
    return static_cast<int>(value);
}

std::string string_attr(const h5::Object& root, const char* name) {
    if (!h5::has_attr(root, name)) {
        throw Damaged(fmt::format("it has no root attribute '{}'", name));
    }
    return h5::attr_string(root, name);
}

RunMetadata read_meta(const h5::Object& root, const std::string& path) {
    RunMetadata meta;
    if (!h5::has_attr(root, "format")) {
        throw RunFileError(
            fmt::format("{} is not an airace run file: it has no 'format' attribute", path));
    }
    try {
        meta.format = h5::attr_string(root, "format");
    } catch (const h5::Error&) {
        throw RunFileError(
            fmt::format("{} is not an airace run file: its 'format' is no string", path));
    }
    if (meta.format != run_file_format) {
        throw RunFileError(
            fmt::format("{} is not an airace run file: its format is '{}', expected '{}'", path,
                        meta.format, run_file_format));
    }
    constexpr std::int64_t int_max = std::numeric_limits<int>::max();
    const int version = int_attr(root, "schema_version", -int_max, int_max);
    if (version != run_file_schema_version) {
        throw RunFileError(
            fmt::format("{} uses run file schema version {}; this airace reads schema version {}{}",
                        path, version, run_file_schema_version,
                        version > run_file_schema_version ? " (use a newer airace)" : ""));
    }
    meta.schema_version = version;
    meta.airace_version = string_attr(root, "airace_version");
    meta.git_sha = string_attr(root, "git_sha");
    meta.created_utc = string_attr(root, "created_utc");
    if (!h5::has_attr(root, "seed")) throw Damaged("it has no root attribute 'seed'");
    meta.seed = h5::attr_uint64(root, "seed");
    meta.config_sha256 = string_attr(root, "config_sha256");
    meta.status = string_attr(root, "status");
    meta.scenario_name = string_attr(root, "scenario");
    meta.start_year = int_attr(root, "start_year", -int_max, int_max);
    meta.steps = int_attr(root, "steps", 0, max_steps);
    meta.steps_per_year = int_attr(root, "steps_per_year", 0, int_max);
    meta.hdf5_version = string_attr(root, "hdf5_version");
    meta.tbb_version = string_attr(root, "tbb_version");
    meta.yaml_cpp_version = string_attr(root, "yaml_cpp_version");
    meta.sweep = read_sweep_identity(root);
    return meta;
}

// --- layout ----------------------------------------------------------------------

// Datasets of `group` other than `skip`, read as [steps, cols] columns.
std::vector<Matrix> read_columns(const Context& context, const h5::Object& group, std::size_t cols,
                                 const char* skip, bool values = true) {
    std::vector<Matrix> columns;
    for (const std::string& name : h5::link_names(group, max_objects_per_group)) {
        if (skip != nullptr && name == skip) continue;
        if (h5::is_group(group, name)) {
            throw Damaged(
                fmt::format("{} is a group, expected a column", h5::child_path(group, name)));
        }
        const h5::Object dataset = h5::open_dataset(group, name);
        // Without values: the shape and type checked, nothing read.
        std::vector<double> data;
        if (values)
            data = read_doubles(context, dataset, {context.steps, cols});
        else
            expect(dataset, {context.steps, cols}, H5T_FLOAT);
        columns.push_back({name, h5::attr_string(dataset, "units"), context.steps, cols, std::move(data)});
    }
    return columns;
}

std::vector<std::string> read_static(const h5::Object& statics, const char* field,
                                     std::size_t agents) {
    const h5::Object dataset = h5::open_dataset(statics, field);
    expect(dataset, {agents}, H5T_STRING);
    return h5::read_strings(dataset, agents);
}

// Agent kinds are the root groups with a "static" member; groups a user
// may have added (or a later schema's /checkpoints) are not.
bool is_kind(const h5::Object& root, const std::string& name) {
    return !schema::is_reserved_root_name(name) && h5::has_link(root, name) && h5::is_group(root, name) &&
           h5::has_link(h5::open_group(root, name), "static");
}

// The agents a kind records: the length of its /<kind>/static/name.
std::size_t recorded_agents(const Context& context, const h5::Object& statics) {
    const h5::Object names = h5::open_dataset(statics, "name");
    const std::vector<hsize_t> dims = dims_of(names);
    if (dims.size() != 1) throw Damaged(fmt::format("{} is not 1-D", names.path));
    // A variable-length string takes at least its 16-byte heap reference.
    return element_count(context, dims, 16, names.path);
}

KindRecord read_kind(const Context& context, const h5::Object& root, const std::string& name,
                     bool values = true) {
    const h5::Object group = h5::open_group(root, name);
    const h5::Object statics = h5::open_group(group, "static");
    const std::size_t agents = recorded_agents(context, statics);
    KindRecord kind =
        values ? KindRecord{name, read_static(statics, "name", agents), read_static(statics, "region", agents),
                            read_static(statics, "type", agents), read_columns(context, group, agents, "static")}
               : KindRecord{name, {}, {}, {}, read_columns(context, group, agents, "static", false)};
    // A run recorded with --record-agents: the kind's full size.
    if (h5::has_attr(group, "agents_total")) {
        kind.agents_total = h5::attr_uint64(group, "agents_total");
        if (kind.agents_total <= agents)
            throw Damaged(fmt::format("{} records {} agents of agents_total {}", group.path, agents,
                                      kind.agents_total));
    }
    return kind;
}

// The per-agent and market columns, the events and the graph snapshots;
// without `values`, only their layout: each column's name, units and shape
// (checked), each kind's agents, the event and edge type names.
void read_columns_and_rows(const Context& context, const h5::Object& root, RunRecord& record,
                           bool values = true) {
    for (const std::string& name : h5::link_names(root, max_objects_per_group))
        if (is_kind(root, name)) record.kinds.push_back(read_kind(context, root, name, values));
    const h5::Object markets = h5::open_group(root, "markets");
    for (const std::string& name : h5::link_names(markets, max_objects_per_group)) {
        const h5::Object group = h5::open_group(markets, name);
        std::vector<std::string> labels = h5::attr_strings(group, "labels", max_labels);
        std::vector<Matrix> columns = read_columns(context, group, labels.size(), nullptr, values);
        record.markets.push_back({name, std::move(labels), std::move(columns)});
    }
    const h5::Object events = h5::open_dataset(root, "events");
    if (values) record.events = read_rows<EventRow>(context, events, schema::event_types(), schema::event_fields);
    record.event_types = h5::attr_strings(events, "types", max_labels);
    const h5::Object edges = h5::open_dataset(h5::open_group(root, "network"), "edges");
    if (values) record.edges = read_rows<EdgeRow>(context, edges, schema::edge_types(), schema::edge_fields);
    record.edge_types = h5::attr_strings(edges, "types", max_labels);
    record.network_snapshots = h5::has_attr(edges, "snapshots") ? h5::attr_string(edges, "snapshots") : "yearly";
    if (!snapshots_named(record.network_snapshots))
        throw Damaged(fmt::format("{} has snapshots '{}' (yearly, final or none)", edges.path,
                                  record.network_snapshots));
}

// The bound of every allocation reading a checkpoint: as much as the file
// could hold inflated, in doubles, and a megabyte of slack.
std::uintmax_t checkpoint_max_elements(const Context& context) {
    return context.file_size * max_compression_ratio / sizeof(double) + (1u << 20);
}

// The whole record, or (`whole` false) its summary: everything but the
// per-agent and market columns, events, graph snapshots and checkpoint states.
RunRecord read_record(const Context& context, const h5::Object& root, RunMetadata meta, bool whole) {
    RunRecord record;
    record.meta = std::move(meta);
    const h5::Object config = h5::open_dataset(root, "config");
    expect(config, {}, H5T_STRING);
    record.config_yaml = h5::read_strings(config, 1).front();
    record.time = read_doubles(context, h5::open_dataset(root, "time"), {context.steps});
    const h5::Object aggregates = h5::open_group(root, "aggregates");
    for (const std::string& name : h5::link_names(aggregates, max_objects_per_group)) {
        const h5::Object dataset = h5::open_dataset(aggregates, name);
        std::vector<double> values = read_doubles(context, dataset, {context.steps});
        record.aggregates.push_back({name, h5::attr_string(dataset, "units"), std::move(values)});
    }
    if (whole) read_columns_and_rows(context, root, record);
    record.hashes = read_numbers<std::uint64_t>(context, h5::open_dataset(root, "hashes"),
                                                {context.steps}, H5T_INTEGER, H5T_NATIVE_UINT64);
    checkpoint_io::read(root, checkpoint_max_elements(context), record.checkpoints, record.fork, whole);
    return record;
}

// Runs `read` (reading run file `path`); every failure becomes a
// RunFileError naming the file.
template <typename Read>
auto as_run_file_errors(const std::string& path, Read read) {
    try {
        return read();
    } catch (const RunFileError&) {
        throw;
    } catch (const Damaged& damaged) {
        throw RunFileError(fmt::format("{} is damaged or inconsistent: {}", path, damaged.what()));
    } catch (const h5::Error& error) {
        // A lock held by another program is no damage (output/file_locking.hpp).
        const bool locked = std::string(error.what()).find("unable to lock file") != std::string::npos;
        throw RunFileError(fmt::format("{} {}: {}", path, locked ? "cannot be opened" : "is damaged or unreadable",
                                       error.what()));
    } catch (const std::runtime_error& error) {  // plain I/O while checksumming
        throw RunFileError(fmt::format("cannot read run file {}: {}", path, error.what()));
    }
}

// A run file opened, its checksum, format and schema version checked (and
// context.steps set); throws Damaged, RunFileError or h5::Error.
struct OpenRun {
    h5::Object file;
    h5::Object root;
    RunMetadata meta;
};

OpenRun open_run(const std::string& path, Context& context) {
    OpenRun run;
    run.file = h5::open_file_read_only(path);
    run.root = h5::root_group(run.file);
    const bool verified = verify_checksum(context, run.root);
    run.meta = read_meta(run.root, path);
    if (!verified) throw Damaged("it has no /file_checksum");
    context.steps = static_cast<std::size_t>(run.meta.steps);
    return run;
}

// Opens `path` and checks signature, checksum, format and schema version,
// then returns body(context, root, meta); every failure is a RunFileError.
template <typename Body>
auto with_run_file(const std::string& path, Body body) {
    Context context{path, checked_file_size(path), 0};
    return as_run_file_errors(path, [&] {
        OpenRun run = open_run(path, context);
        return body(context, run.root, std::move(run.meta));
    });
}

// Rows of a 1-D compound table (/events, /network/edges) read a block at a
// time, in order: at most `block_rows` of them in memory.
template <typename Row, std::size_t N>
class TableCursor {
public:
    TableCursor(const Context& context, h5::Object dataset, h5::CompoundTypes types,
                const std::array<const char*, N>& fields)
        : dataset_(std::move(dataset)), types_(std::move(types)),
          total_(table_rows(context, dataset_, fields, sizeof(Row))) {}

    // Calls visit(row) for every row not yet given, a block at a time.
    template <typename Visit>
    void each(Visit visit) {
        while (next_ < total_ || at_ < block_.size()) {
            if (at_ == block_.size()) read_block();
            for (; at_ < block_.size(); ++at_) visit(block_[at_]);
        }
    }

    // Appends the rows of steps up to `step` that no earlier call gave, at
    // most `max_rows` of them.
    void through(std::int32_t step, std::vector<Row>& out, std::size_t max_rows) {
        for (std::size_t given = 0; given < max_rows; ++given) {
            if (at_ == block_.size()) {
                if (next_ >= total_) return;
                read_block();
            }
            if (block_[at_].step > step) return;
            out.push_back(block_[at_++]);
        }
    }

private:
    static constexpr std::size_t block_rows = 1 << 16;

    void read_block() {
        const std::size_t count = std::min(block_rows, total_ - next_);
        block_.resize(count);
        at_ = 0;
        read_slab(dataset_, types_.memory.id(), {next_}, {count}, block_.data());
        next_ += count;
    }

    h5::Object dataset_;
    h5::CompoundTypes types_;
    std::size_t total_ = 0, next_ = 0, at_ = 0;
    std::vector<Row> block_;
};

// A run file as a RunPrefix (record/run_prefix.hpp): the summary is read at
// once (read_run_summary), the rest as a continued run asks for it, a row
// or a block of table rows at a time, through one open file.
class FilePrefix final : public RunPrefix {
public:
    // The file stays open from its checksum to the last row read from it, so
    // what is read is what was checked.
    explicit FilePrefix(const std::string& path) : context_{path, checked_file_size(path), 0} {
        guarded([&] {
            OpenRun run = open_run(path, context_);
            file_ = std::move(run.file);
            root_ = std::move(run.root);
            summary_ = read_record(context_, root_, std::move(run.meta), false);
            events_.emplace(context_, h5::open_dataset(root_, "events"), schema::event_types(), schema::event_fields);
            edges_.emplace(context_, h5::open_dataset(h5::open_group(root_, "network"), "edges"),
                           schema::edge_types(), schema::edge_fields);
            return 0;
        });
    }

    const RunRecord& summary() const override { return summary_; }

    void release() override {
        events_.reset();
        edges_.reset();
        columns_.clear();
        root_ = h5::Object{};
        file_ = h5::Object{};
    }

    Checkpoint checkpoint(std::int32_t step) override {
        return guarded([&] {
            Checkpoint checkpoint;
            if (!checkpoint_io::read_at(root_, checkpoint_max_elements(context_), step, checkpoint))
                throw RunFileError(fmt::format("the run file has no checkpoint at step {}", step));
            return checkpoint;
        });
    }

    bool has_kind(const std::string& kind) override {
        return guarded([&] { return is_kind(root_, kind); });
    }

    std::vector<std::string> market_columns(const std::string& market) override {
        return guarded([&] {
            std::vector<std::string> names;
            if (!h5::has_link(root_, "markets")) return names;
            const h5::Object markets = h5::open_group(root_, "markets");
            if (!h5::has_link(markets, market) || !h5::is_group(markets, market)) return names;
            return h5::link_names(h5::open_group(markets, market), max_objects_per_group);
        });
    }

    long long width(const std::string& group, const std::string& name) override {
        return guarded([&]() -> long long {
            const Column* column = find(group, name);
            return column ? static_cast<long long>(column->width) : -1;
        });
    }

    const double* row(const std::string& group, const std::string& name, std::size_t row) override {
        return guarded([&] {
            const Column* column = find(group, name);
            if (!column) throw RunFileError(fmt::format("the run to continue lacks /{}/{}", group, name));
            if (row >= context_.steps) throw RunFileError("the run to continue has fewer steps than its checkpoint");
            row_.resize(column->width);
            if (column->width > 0)
                read_slab(column->dataset, H5T_NATIVE_DOUBLE, {row, 0}, {1, column->width}, row_.data());
            return static_cast<const double*>(row_.data());
        });
    }

    void events_through(std::int32_t step, std::vector<EventRow>& out, std::size_t max_rows) override {
        guarded([&] {
            events_->through(step, out, max_rows);
            return 0;
        });
    }

    void edges_through(std::int32_t step, std::vector<EdgeRow>& out, std::size_t max_rows) override {
        guarded([&] {
            edges_->through(step, out, max_rows);
            return 0;
        });
    }

    // Read from the open file when first asked for: what is read is what
    // was checked.
    const RunRecord& layout() override {
        if (!layout_) {
            guarded([&] {
                RunRecord layout = summary_;
                read_columns_and_rows(context_, root_, layout, false);
                layout_ = std::move(layout);
                return 0;
            });
        }
        return *layout_;
    }

private:
    struct Column {
        h5::Object dataset;
        std::size_t width = 0;
    };

    template <typename Read>
    std::invoke_result_t<Read> guarded(Read read) {
        return as_run_file_errors(context_.path, read);
    }

    // The open column /group/name, its shape checked ([steps, width] float64);
    // nullptr when the file has none.
    const Column* find(const std::string& group, const std::string& name) {
        const std::string key = group + "/" + name;
        const auto it = columns_.find(key);
        if (it != columns_.end()) return &it->second;
        h5::Object parent = h5::root_group(file_);
        std::size_t from = 0;
        for (std::size_t slash = group.find('/'); ; slash = group.find('/', from)) {
            const std::string part = group.substr(from, slash == std::string::npos ? std::string::npos : slash - from);
            if (!h5::has_link(parent, part) || !h5::is_group(parent, part)) return nullptr;
            parent = h5::open_group(parent, part);
            if (slash == std::string::npos) break;
            from = slash + 1;
        }
        if (!h5::has_link(parent, name) || h5::is_group(parent, name)) return nullptr;
        Column column{h5::open_dataset(parent, name), 0};
        const std::vector<hsize_t> dims = dims_of(column.dataset);
        if (dims.size() != 2 || dims[0] != context_.steps)
            throw Damaged(fmt::format("{} has shape [{}], expected [{}, agents]", column.dataset.path,
                                      fmt::join(dims, ", "), context_.steps));
        if (H5Tget_class(type_of(column.dataset).id()) != H5T_FLOAT)
            throw Damaged(fmt::format("{} has the wrong element type", column.dataset.path));
        // The whole column, as read_run_file bounds it: a chunk is never
        // larger than its dataset, so reading one row cannot make libhdf5
        // inflate more than the file could hold.
        (void)element_count(context_, dims, sizeof(double), column.dataset.path);
        column.width = static_cast<std::size_t>(dims[1]);
        return &columns_.emplace(key, std::move(column)).first->second;
    }

    RunRecord summary_;
    std::optional<RunRecord> layout_;  // layout(), once asked for
    Context context_;
    h5::Object file_;
    h5::Object root_;
    std::map<std::string, Column> columns_;
    std::vector<double> row_;
    std::optional<TableCursor<EventRow, schema::event_fields.size()>> events_;
    std::optional<TableCursor<EdgeRow, schema::edge_fields.size()>> edges_;
};

}  // namespace

RunRecord read_run_file(const std::string& path) {
    return with_run_file(path,
                         [](const Context& context, const h5::Object& root, RunMetadata meta) {
                             return read_record(context, root, std::move(meta), true);
                         });
}

std::unique_ptr<RunPrefix> open_run_prefix(const std::string& path) {
    return std::make_unique<FilePrefix>(path);
}

RunRecord read_run_layout(const std::string& path) {
    return with_run_file(path, [](const Context& context, const h5::Object& root, RunMetadata meta) {
        RunRecord record = read_record(context, root, std::move(meta), false);
        read_columns_and_rows(context, root, record, false);
        return record;
    });
}

RunOverview read_run_overview(const std::string& path) {
    return with_run_file(path, [](const Context& context, const h5::Object& root, RunMetadata meta) {
        RunOverview overview;
        overview.summary = read_record(context, root, std::move(meta), false);
        for (const std::string& name : h5::link_names(root, max_objects_per_group))
            if (is_kind(root, name))
                overview.agents.emplace_back(
                    name, recorded_agents(context, h5::open_group(h5::open_group(root, name), "static")));
        h5::Object events = h5::open_dataset(root, "events");
        overview.summary.event_types = h5::attr_strings(events, "types", max_labels);
        TableCursor<EventRow, schema::event_fields.size()> rows(context, std::move(events),
                                                                schema::event_types(), schema::event_fields);
        rows.each([&](const EventRow& event) {
            ++overview.events_by_type[event.type];
            ++overview.events;
        });
        return overview;
    });
}

RunRecord read_run_summary(const std::string& path) {
    return with_run_file(path,
                         [](const Context& context, const h5::Object& root, RunMetadata meta) {
                             return read_record(context, root, std::move(meta), false);
                         });
}

RunMetadata read_run_metadata(const std::string& path) {
    return with_run_file(path,
                         [](const Context&, const h5::Object&, RunMetadata meta) { return meta; });
}

std::vector<double> read_aggregate(const std::string& path, const std::string& name) {
    return with_run_file(
        path, [&](const Context& context, const h5::Object& root, const RunMetadata&) {
            const h5::Object aggregates = h5::open_group(root, "aggregates");
            if (name.empty() || name.find('/') != std::string::npos ||
                !h5::has_link(aggregates, name)) {
                throw RunFileError(fmt::format("{} has no aggregate '{}'", path, name));
            }
            return read_doubles(context, h5::open_dataset(aggregates, name), {context.steps});
        });
}

}  // namespace airace
