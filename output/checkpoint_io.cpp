#include "output/checkpoint_io.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <type_traits>

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

// A checkpoint's columns, concatenated by kind of value.
struct Pools {
    std::vector<std::string> names;
    std::vector<std::int64_t> integer, offsets, lengths;
    std::vector<double> real;
    std::vector<std::int64_t> whole;
    std::size_t real_size = 0;
    std::size_t whole_size = 0;
};

Pools pools(const Checkpoint& checkpoint, bool with_values) {
    Pools p;
    std::size_t reals = 0;
    std::size_t wholes = 0;
    for (const StateColumn& column : checkpoint.columns) {
        p.names.push_back(column.name);
        p.integer.push_back(column.integer ? 1 : 0);
        const std::size_t length = column.integer ? column.whole.size() : column.real.size();
        std::size_t& pool = column.integer ? wholes : reals;
        p.offsets.push_back(static_cast<std::int64_t>(pool));
        p.lengths.push_back(static_cast<std::int64_t>(length));
        pool += length;
        if (!with_values) continue;
        if (column.integer)
            p.whole.insert(p.whole.end(), column.whole.begin(), column.whole.end());
        else
            p.real.insert(p.real.end(), column.real.begin(), column.real.end());
    }
    p.real_size = reals;
    p.whole_size = wholes;
    return p;
}

template <class T>
void queue_pool(storage::ChunkQueue& queue, const std::string& path, const std::vector<T>& values) {
    if (values.empty()) return;
    std::vector<unsigned char> bytes(values.size() * sizeof(T));
    std::memcpy(bytes.data(), values.data(), bytes.size());
    const unsigned char* data = queue.keep(std::move(bytes));
    // No fill value is set: the library's default, zero bytes.
    queue.add(path, data, sizeof(T), {values.size()}, {packed_chunk(values.size(), sizeof(T))},
              std::vector<unsigned char>(sizeof(T), 0), storage::active_deflate_level());
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

}  // namespace

void queue(storage::ChunkQueue& queue, const std::vector<Checkpoint>& checkpoints) {
    for (const Checkpoint& checkpoint : checkpoints) {
        const Pools p = pools(checkpoint, true);
        const std::string group = fmt::format("/checkpoints/step_{}/", checkpoint.step);
        queue_pool(queue, group + "real", p.real);
        queue_pool(queue, group + "whole", p.whole);
    }
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
    write_packed(step, "real", H5T_IEEE_F64LE, p.real_size, sizeof(double), queue);
    write_packed(step, "whole", H5T_STD_I64LE, p.whole_size, sizeof(std::int64_t), queue);
}

}  // namespace

namespace {

// One pool's bytes, packed straight from the checkpoint's columns (a
// checkpoint of a huge world is GBs: one copy fewer than pools() + queue_pool).
template <class T>
void queue_pool_of(storage::ChunkQueue& queue, const std::string& path, const Checkpoint& checkpoint,
                   bool integer, std::size_t size) {
    if (size == 0) return;
    std::vector<unsigned char> bytes(size * sizeof(T));
    std::size_t at = 0;
    for (const StateColumn& column : checkpoint.columns) {
        if (column.integer != integer) continue;
        const auto& values = [&]() -> const auto& {
            if constexpr (std::is_same_v<T, double>) return column.real;
            else return column.whole;
        }();
        if (values.empty()) continue;  // an empty column's data() may be null
        std::memcpy(bytes.data() + at, values.data(), values.size() * sizeof(T));
        at += values.size() * sizeof(T);
    }
    const unsigned char* data = queue.keep(std::move(bytes));
    queue.add(path, data, sizeof(T), {size}, {packed_chunk(size, sizeof(T))},
              std::vector<unsigned char>(sizeof(T), 0), storage::active_deflate_level());
}

}  // namespace

void write_one(const h5::Object& group, const Checkpoint& checkpoint) {
    storage::ChunkQueue queue;
    const Pools p = pools(checkpoint, false);
    const std::string path = fmt::format("{}/step_{}/", group.path, checkpoint.step);
    queue_pool_of<double>(queue, path + "real", checkpoint, false, p.real_size);
    queue_pool_of<std::int64_t>(queue, path + "whole", checkpoint, true, p.whole_size);
    write_step(group, checkpoint, p, queue);
}

void write(const h5::Object& root, const std::vector<Checkpoint>& checkpoints, const ForkInfo& fork,
           storage::ChunkQueue& queue) {
    if (!checkpoints.empty()) {
        h5::Object group = h5::create_group(root, "checkpoints");
        for (const Checkpoint& checkpoint : checkpoints) write_step(group, checkpoint, pools(checkpoint, false), queue);
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

void read(const h5::Object& root, std::uintmax_t max_elements, std::vector<Checkpoint>& checkpoints,
          ForkInfo& fork) {
    checkpoints.clear();
    if (h5::has_link(root, "checkpoints")) {
        const h5::Object group = h5::open_group(root, "checkpoints");
        for (const std::string& name : h5::link_names(group, max_checkpoints)) {
            const h5::Object step = h5::open_group(group, name);
            Checkpoint checkpoint;
            checkpoint.step = static_cast<std::int32_t>(h5::attr_int(step, "step"));
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
            checkpoints.push_back(std::move(checkpoint));
        }
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
