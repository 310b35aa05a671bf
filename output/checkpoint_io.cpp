#include "output/checkpoint_io.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "output/storage.hpp"
#include "base/errors.hpp"

namespace airace::checkpoint_io {
namespace {

constexpr std::size_t max_checkpoints = 100000;

// A compressed 1-D dataset (chunked; an empty one stays contiguous), its
// chunks filtered in advance by the queue.
hsize_t packed_chunk(std::size_t size, std::size_t element_bytes) {
    return std::clamp<hsize_t>(storage::chunk_target_bytes / element_bytes, 1, size);
}

void write_packed(const h5::Object& parent, const std::string& name, hid_t file_type, std::size_t size,
                  std::size_t element_bytes, storage::ChunkQueue& queue) {
    const std::string where = h5::child_path(parent, name);
    h5::Handle dcpl = h5::dataset_create_plist(where);
    if (size > 0) storage::compress(dcpl, {packed_chunk(size, element_bytes)}, where);
    h5::Object dataset = h5::create_dataset(parent, name, file_type, h5::simple_space({size}, {}, where), dcpl);
    if (size > 0) queue.write_next(dataset);
    dataset.handle.close(dataset.path);
}

// A checkpoint's column directory: names, kinds, and where each column's
// values lie in its pool (real or whole).
struct Pools {
    std::vector<std::string> names;
    std::vector<std::int64_t> integer, offsets, lengths;
    std::size_t real_size = 0;
    std::size_t whole_size = 0;
    // The whole pool is stored in the narrowest signed integer type that
    // holds every value (1, 2, 4 or 8 bytes; readers convert it to int64):
    // most integer state is agent indices and enums, and deflating a
    // checkpoint's integers at 8 bytes each was a sixth of a run's work.
    std::size_t whole_bytes = sizeof(std::int64_t);
};

std::size_t narrowest_bytes(std::int64_t low, std::int64_t high) {
    for (const std::size_t bytes : {std::size_t{1}, std::size_t{2}, std::size_t{4}}) {
        const std::int64_t limit = std::int64_t{1} << (8 * bytes - 1);
        if (low >= -limit && high < limit) return bytes;
    }
    return sizeof(std::int64_t);
}

Pools pools(const Checkpoint& checkpoint) {
    Pools p;
    std::int64_t low = 0, high = 0;
    for (const StateColumn& column : checkpoint.columns) {
        p.names.push_back(column.name);
        p.integer.push_back(column.integer ? 1 : 0);
        const std::size_t length = column.integer ? column.whole.size() : column.real.size();
        std::size_t& pool = column.integer ? p.whole_size : p.real_size;
        p.offsets.push_back(static_cast<std::int64_t>(pool));
        p.lengths.push_back(static_cast<std::int64_t>(length));
        pool += length;
        if (column.integer)
            for (const std::int64_t v : column.whole) {
                low = std::min(low, v);
                high = std::max(high, v);
            }
    }
    p.whole_bytes = narrowest_bytes(low, high);
    return p;
}

hid_t whole_file_type(std::size_t bytes) {
    switch (bytes) {
        case 1: return H5T_STD_I8LE;
        case 2: return H5T_STD_I16LE;
        case 4: return H5T_STD_I32LE;
        default: return H5T_STD_I64LE;
    }
}

// Appends `values` to `out` as little-endian signed integers of `bytes` each
// (every value fits: pools() chose the width).
template <typename Narrow>
void pack_as(const std::vector<std::int64_t>& values, unsigned char* out) {
    for (const std::int64_t v : values) {
        const auto narrow = static_cast<Narrow>(v);
        std::memcpy(out, &narrow, sizeof(Narrow));  // a store, on this little-endian machine
        out += sizeof(Narrow);
    }
}

void pack_integers(const std::vector<std::int64_t>& values, std::size_t bytes, unsigned char* out) {
    if constexpr (std::endian::native == std::endian::little) {
        switch (bytes) {
            case 1: return pack_as<std::int8_t>(values, out);
            case 2: return pack_as<std::int16_t>(values, out);
            case 4: return pack_as<std::int32_t>(values, out);
            default: std::memcpy(out, values.data(), values.size() * bytes); return;
        }
    }
    for (const std::int64_t v : values) {
        const auto u = static_cast<std::uint64_t>(v);
        for (std::size_t b = 0; b < bytes; ++b) *out++ = static_cast<unsigned char>(u >> (8 * b));
    }
}

template <typename T>
std::vector<T> read_1d(const h5::Object& parent, const std::string& name, std::uintmax_t max_elements,
                       hid_t memory_type) {
    const h5::Object dataset = h5::open_dataset(parent, name);
    h5::Handle space(h5::check_id(H5Dget_space(dataset.id()), "H5Dget_space", dataset.path), H5Sclose);
    if (H5Sget_simple_extent_ndims(space.id()) != 1)
        throw RunFileError(fmt::format("{} is not a 1-D dataset", dataset.path));
    hsize_t size = 0;
    h5::check(H5Sget_simple_extent_dims(space.id(), &size, nullptr) < 0 ? -1 : 0,
              "H5Sget_simple_extent_dims", dataset.path);
    if (size > max_elements)
        throw RunFileError(fmt::format("{} claims {} values, more than the file can hold", dataset.path, size));
    std::vector<T> values(static_cast<std::size_t>(size));
    if (!values.empty())
        h5::check(H5Dread(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                  "H5Dread", dataset.path);
    return values;
}

// The whole pool's bytes, packed straight from the checkpoint's columns (a
// checkpoint of a huge world is GBs: no copy of the columns in between).
void queue_whole(storage::ChunkQueue& queue, const std::string& path, const Checkpoint& checkpoint,
                 const Pools& p) {
    if (p.whole_size == 0) return;
    const std::size_t width = p.whole_bytes;
    std::vector<unsigned char> bytes(p.whole_size * width);
    unsigned char* at = bytes.data();
    for (const StateColumn& column : checkpoint.columns) {
        if (!column.integer) continue;
        pack_integers(column.whole, width, at);
        at += column.whole.size() * width;
    }
    const unsigned char* data = queue.keep(std::move(bytes));
    // No fill value is set: the library's default, zero bytes.
    queue.add(path + "whole", data, width, {p.whole_size}, {packed_chunk(p.whole_size, width)},
              std::vector<unsigned char>(width, 0), storage::active_deflate_level());
}

}  // namespace

void queue(storage::ChunkQueue& queue, const std::vector<Checkpoint>& checkpoints) {
    for (const Checkpoint& checkpoint : checkpoints)
        queue_whole(queue, fmt::format("/checkpoints/step_{}/", checkpoint.step), checkpoint, pools(checkpoint));
}

namespace {

void write_step(const h5::Object& group, const Checkpoint& checkpoint, const Pools& p,
                storage::ChunkQueue& queue) {
    h5::Object step = h5::create_group(group, fmt::format("step_{}", checkpoint.step));
    h5::set_attr_int32(step, "step", checkpoint.step);
    storage::write_strings(step, "names", p.names);
    storage::write_vector(step, "integer", H5T_STD_I64LE, H5T_NATIVE_INT64, p.integer.size(), p.integer.data());
    storage::write_vector(step, "offsets", H5T_STD_I64LE, H5T_NATIVE_INT64, p.offsets.size(), p.offsets.data());
    storage::write_vector(step, "lengths", H5T_STD_I64LE, H5T_NATIVE_INT64, p.lengths.size(), p.lengths.data());
    {
        // Real state (money, shares, weights) deflates by only about a
        // sixth, at a third of a checkpoint's writing: stored contiguous,
        // unfiltered.
        std::vector<double> real;
        real.reserve(p.real_size);
        for (const StateColumn& column : checkpoint.columns)
            if (!column.integer) real.insert(real.end(), column.real.begin(), column.real.end());
        storage::write_vector(step, "real", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, real.size(), real.data());
    }
    write_packed(step, "whole", whole_file_type(p.whole_bytes), p.whole_size, p.whole_bytes, queue);
}

}  // namespace

void write_one(const h5::Object& group, const Checkpoint& checkpoint) {
    storage::ChunkQueue queue;
    const Pools p = pools(checkpoint);
    queue_whole(queue, fmt::format("{}/step_{}/", group.path, checkpoint.step), checkpoint, p);
    write_step(group, checkpoint, p, queue);
}

void write(const h5::Object& root, const std::vector<Checkpoint>& checkpoints, const ForkInfo& fork,
           storage::ChunkQueue& queue) {
    if (!checkpoints.empty()) {
        h5::Object group = h5::create_group(root, "checkpoints");
        for (const Checkpoint& checkpoint : checkpoints) write_step(group, checkpoint, pools(checkpoint), queue);
    }
    if (fork.is_fork) {
        h5::Object group = h5::create_group(root, "fork");
        h5::set_attr_string(group, "parent_file", fork.parent_file);
        h5::set_attr_string(group, "parent_sha256", fork.parent_sha256);
        h5::set_attr_int32(group, "fork_step", fork.fork_step);
        h5::set_attr_string(group, "overrides", fork.overrides);
        storage::write_string_scalar(group, "parent_config", fork.parent_config_yaml);
    }
}

namespace {

// Checkpoint group `step` (its step and, with `columns`, its state).
Checkpoint read_step(const h5::Object& step, std::uintmax_t max_elements, bool columns) {
    Checkpoint checkpoint;
    checkpoint.step = static_cast<std::int32_t>(h5::attr_int(step, "step"));
    if (!columns) return checkpoint;
    const auto integer = read_1d<std::int64_t>(step, "integer", max_elements, H5T_NATIVE_INT64);
    const auto offsets = read_1d<std::int64_t>(step, "offsets", max_elements, H5T_NATIVE_INT64);
    const auto lengths = read_1d<std::int64_t>(step, "lengths", max_elements, H5T_NATIVE_INT64);
    const auto real = read_1d<double>(step, "real", max_elements, H5T_NATIVE_DOUBLE);
    const auto whole = read_1d<std::int64_t>(step, "whole", max_elements, H5T_NATIVE_INT64);
    const std::vector<std::string> names = h5::read_strings(h5::open_dataset(step, "names"), integer.size());
    if (offsets.size() != names.size() || lengths.size() != names.size())
        throw RunFileError(fmt::format("{} has an inconsistent column directory", step.path));
    for (std::size_t c = 0; c < names.size(); ++c) {
        StateColumn column;
        column.name = names[c];
        column.integer = integer[c] != 0;
        const auto offset = static_cast<std::uint64_t>(offsets[c]);
        const auto length = static_cast<std::uint64_t>(lengths[c]);
        const std::size_t pool = column.integer ? whole.size() : real.size();
        if (offsets[c] < 0 || lengths[c] < 0 || offset + length > pool)
            throw RunFileError(fmt::format("{}: column '{}' lies outside its data", step.path, column.name));
        const auto first = static_cast<std::ptrdiff_t>(offset);
        const auto last = static_cast<std::ptrdiff_t>(offset + length);
        if (column.integer)
            column.whole.assign(whole.begin() + first, whole.begin() + last);
        else
            column.real.assign(real.begin() + first, real.begin() + last);
        checkpoint.columns.push_back(std::move(column));
    }
    return checkpoint;
}

}  // namespace

bool read_at(const h5::Object& root, std::uintmax_t max_elements, std::int32_t step, Checkpoint& checkpoint) {
    if (!h5::has_link(root, "checkpoints")) return false;
    const h5::Object group = h5::open_group(root, "checkpoints");
    for (const std::string& name : h5::link_names(group, max_checkpoints)) {
        const h5::Object at = h5::open_group(group, name);
        if (h5::attr_int(at, "step") != step) continue;
        checkpoint = read_step(at, max_elements, true);
        return true;
    }
    return false;
}

void read(const h5::Object& root, std::uintmax_t max_elements, std::vector<Checkpoint>& checkpoints,
          ForkInfo& fork, bool columns) {
    checkpoints.clear();
    if (h5::has_link(root, "checkpoints")) {
        const h5::Object group = h5::open_group(root, "checkpoints");
        for (const std::string& name : h5::link_names(group, max_checkpoints))
            checkpoints.push_back(read_step(h5::open_group(group, name), max_elements, columns));
        std::sort(checkpoints.begin(), checkpoints.end(),
                  [](const Checkpoint& a, const Checkpoint& b) { return a.step < b.step; });
    }
    fork = ForkInfo{};
    if (h5::has_link(root, "fork")) {
        const h5::Object group = h5::open_group(root, "fork");
        fork.is_fork = true;
        fork.parent_file = h5::attr_string(group, "parent_file");
        fork.parent_sha256 = h5::attr_string(group, "parent_sha256");
        fork.fork_step = static_cast<std::int32_t>(h5::attr_int(group, "fork_step"));
        fork.overrides = h5::attr_string(group, "overrides");
        fork.parent_config_yaml = h5::read_strings(h5::open_dataset(group, "parent_config"), 1).front();
    }
}

}  // namespace airace::checkpoint_io
