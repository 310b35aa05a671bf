#include "output/chunk_queue.hpp"

#include "output/chunk_check.hpp"
#include "output/storage.hpp"

#include <libdeflate.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>

#include <fmt/format.h>

#include "base/parallel.hpp"

namespace airace::storage {
namespace {

// Raw bytes compressed at once: enough chunks to keep every core busy,
// little enough that a huge run holds only this much extra.
constexpr std::size_t window_bytes = 64u << 20;
constexpr std::size_t serial_window_bytes = 256u << 10;

// HDF5's default raw data chunk cache (H5Pset_cache defaults).
constexpr std::size_t cache_bytes = 1024 * 1024;
constexpr std::size_t cache_slots = 521;
constexpr double cache_w0 = 0.75;

hsize_t power2up(hsize_t n) {
    hsize_t p = 1;
    while (p < n) p <<= 1;
    return p;
}

unsigned log2_of_power(hsize_t p) {
    unsigned bits = 0;
    while (p > 1) {
        p >>= 1;
        ++bits;
    }
    return bits;
}

// Chunks per dimension of a dataset of `dims` cut into `chunk` blocks.
std::vector<hsize_t> chunk_grid(const std::vector<hsize_t>& dims, const std::vector<hsize_t>& chunk) {
    std::vector<hsize_t> grid(dims.size());
    for (std::size_t k = 0; k < dims.size(); ++k) grid[k] = (dims[k] + chunk[k] - 1) / chunk[k];
    return grid;
}

// H5D__chunk_hash_val: the cache slot of the chunk at grid coordinates
// `scaled`, each coordinate taking `encode_bits` bits.
std::size_t hash_slot(const std::vector<hsize_t>& scaled, const std::vector<hsize_t>& grid,
                      const std::vector<unsigned>& encode_bits) {
    const std::size_t rank = scaled.size();
    hsize_t val = 0;
    if (rank > 1 && grid[rank - 1] <= cache_slots) {
        val = scaled[0];
        for (std::size_t k = 1; k < rank; ++k) {
            val <<= encode_bits[k];
            val ^= scaled[k];
        }
    } else {
        val = scaled[rank - 1];
    }
    return static_cast<std::size_t>(val % cache_slots);
}

// One dataset's chunk cache as far as it decides when each chunk leaves it
// (is written to the file, appended to `order`): entries linked oldest
// (head) to newest (tail), one per hash slot.
class ChunkCache {
public:
    ChunkCache(std::size_t chunk_bytes, std::size_t chunks, std::vector<std::size_t>& order)
        : chunk_bytes_(chunk_bytes), order_(order), slots_(cache_slots, -1) {
        entries_.reserve(chunks);
    }

    // H5D__chunk_lock for a chunk not yet cached: the slot's occupant
    // leaves, the cache is pruned to make room, the chunk becomes the newest.
    void insert(std::size_t chunk, bool full, std::size_t slot) {
        if (slots_[slot] >= 0) evict(slots_[slot]);
        if (over_budget()) prune();
        const auto e = static_cast<int>(entries_.size());
        entries_.push_back({chunk, full, slot, tail_, -1});
        if (tail_ >= 0) at(tail_).next = e; else head_ = e;
        tail_ = e;
        slots_[slot] = e;
        used_bytes_ += chunk_bytes_;
        ++used_;
    }

    // H5D__chunk_dest: the dataset closes; what is left leaves oldest first.
    void flush_all() {
        for (int e = head_; e >= 0;) {
            const int next = at(e).next;
            order_.push_back(at(e).chunk);
            e = next;
        }
    }

private:
    struct Entry {
        std::size_t chunk;
        bool full;  // completely written: preferred for preemption
        std::size_t slot;
        int prev = -1;
        int next = -1;
    };

    Entry& at(int e) { return entries_[static_cast<std::size_t>(e)]; }
    // Whether one more chunk would exceed the cache.
    bool over_budget() const { return used_bytes_ + chunk_bytes_ > cache_bytes; }

    void evict(int e) {
        Entry& entry = at(e);
        order_.push_back(entry.chunk);
        if (entry.prev >= 0) at(entry.prev).next = entry.next; else head_ = entry.next;
        if (entry.next >= 0) at(entry.next).prev = entry.prev; else tail_ = entry.prev;
        slots_[entry.slot] = -1;
        used_bytes_ -= chunk_bytes_;
        --used_;
    }

    // H5D__chunk_cache_prune with its two methods: from the oldest end,
    // completely written chunks first (p0); after w0 entries, any chunk (p1).
    void prune() {
        int w0 = static_cast<int>(static_cast<double>(used_) * cache_w0);
        int p0 = head_;
        int p1 = -1;
        while ((p0 >= 0 || p1 >= 0) && over_budget()) {
            if (w0 == 0) p1 = head_;
            int n0 = p0 >= 0 ? at(p0).next : -1;
            int n1 = p1 >= 0 ? at(p1).next : -1;
            for (int method = 0; method < 2 && over_budget(); ++method) {
                int cur = -1;
                if (method == 0 && p0 >= 0 && at(p0).full) cur = p0;
                else if (method == 1 && p1 >= 0) cur = p1;
                if (cur < 0) continue;
                const int after = at(cur).next;
                if (p0 == cur) p0 = -1;
                if (n0 == cur) n0 = after;
                if (p1 == cur) p1 = -1;
                if (n1 == cur) n1 = after;
                evict(cur);
            }
            p0 = n0;
            p1 = n1;
            w0 -= 1;
        }
    }

    std::size_t chunk_bytes_;
    std::vector<std::size_t>& order_;
    std::vector<Entry> entries_;  // by insertion
    std::vector<int> slots_;
    int head_ = -1;
    int tail_ = -1;
    std::size_t used_bytes_ = 0;
    std::size_t used_ = 0;
};

}  // namespace

std::vector<std::size_t> h5dwrite_flush_order(const std::vector<hsize_t>& dims,
                                              const std::vector<hsize_t>& chunk,
                                              std::size_t element_bytes) {
    const std::size_t rank = dims.size();
    const std::vector<hsize_t> grid = chunk_grid(dims, chunk);
    std::vector<unsigned> encode_bits(rank, 0);
    std::size_t total = 1;
    std::size_t chunk_bytes = element_bytes;
    for (std::size_t k = 0; k < rank; ++k) {
        encode_bits[k] = log2_of_power(power2up(grid[k]));
        total *= static_cast<std::size_t>(grid[k]);
        chunk_bytes *= static_cast<std::size_t>(chunk[k]);
    }
    std::vector<std::size_t> order;
    order.reserve(total);
    // A chunk larger than the cache is written through, in order.
    if (chunk_bytes > cache_bytes) {
        for (std::size_t c = 0; c < total; ++c) order.push_back(c);
        return order;
    }
    ChunkCache cache(chunk_bytes, total, order);
    std::vector<hsize_t> scaled(rank);
    for (std::size_t c = 0; c < total; ++c) {
        std::size_t rest = c;
        bool full = true;
        for (std::size_t k = rank; k-- > 0;) {
            scaled[k] = rest % grid[k];
            rest /= grid[k];
            if ((scaled[k] + 1) * chunk[k] > dims[k]) full = false;
        }
        cache.insert(c, full, hash_slot(scaled, grid, encode_bits));
    }
    cache.flush_all();
    return order;
}

std::vector<unsigned char> shuffle_deflate(const unsigned char* data, std::size_t bytes,
                                           std::size_t element_bytes, unsigned level) {
    // H5Z__filter_shuffle: nothing for 1-byte or single elements; otherwise
    // byte j of element i goes to j * count + i, leftover bytes at the end.
    // Work buffers stay with the thread (a chunk is up to 256 KiB; fresh
    // buffers for each would cost a page fault per 4 KiB).
    // Level 0: a dataset without filters stores the chunk as it is.
    if (level == 0) return std::vector<unsigned char>(data, data + bytes);
    thread_local std::vector<unsigned char> shuffled;
    thread_local std::vector<unsigned char> deflated;
    const unsigned char* source = data;
    const std::size_t count = element_bytes > 0 ? bytes / element_bytes : 0;
    if (element_bytes > 1 && count > 1) {
        shuffled.resize(bytes);
        unsigned char* out = shuffled.data();
        for (std::size_t j = 0; j < element_bytes; ++j)
            for (std::size_t i = 0; i < count; ++i) *out++ = data[i * element_bytes + j];
        const std::size_t leftover = bytes % element_bytes;
        if (leftover > 0) std::memcpy(out, data + count * element_bytes, leftover);
        source = shuffled.data();
    }
    // The deflate filter's format (a zlib stream: header, deflate, adler32),
    // made by libdeflate, which compresses several times faster than zlib
    // at the same level; HDF5 and every reader inflate it with zlib. One
    // compressor per thread (it holds its tables).
    thread_local std::unique_ptr<libdeflate_compressor, void (*)(libdeflate_compressor*)> compressor(
        nullptr, libdeflate_free_compressor);
    thread_local unsigned compressor_level = 0;
    if (!compressor || compressor_level != level) {
        compressor.reset(libdeflate_alloc_compressor(static_cast<int>(level)));
        compressor_level = level;
        if (!compressor) throw h5::Error("deflate of a chunk failed: no memory for the compressor");
    }
    const std::size_t bound = libdeflate_zlib_compress_bound(compressor.get(), bytes);
    if (deflated.size() < bound) deflated.resize(bound);
    const std::size_t stored = libdeflate_zlib_compress(compressor.get(), source, bytes, deflated.data(), bound);
    if (stored == 0) throw h5::Error("deflate of a chunk failed");
    return std::vector<unsigned char>(deflated.begin(), deflated.begin() + static_cast<std::ptrdiff_t>(stored));
}

void ChunkQueue::add(std::string path, const void* data, std::size_t element_bytes,
                     std::vector<hsize_t> dims, std::vector<hsize_t> chunk,
                     std::vector<unsigned char> fill, unsigned level) {
    Dataset d;
    d.path = std::move(path);
    d.data = static_cast<const unsigned char*>(data);
    d.element_bytes = element_bytes;
    d.dims = std::move(dims);
    d.chunk = std::move(chunk);
    d.fill = std::move(fill);
    d.level = level;
    d.first_chunk = chunks_.size();
    // Chunks in row-major order of the chunk grid: H5Dwrite's order.
    const std::size_t rank = d.dims.size();
    const std::vector<hsize_t> grid = chunk_grid(d.dims, d.chunk);
    std::size_t total = 1;
    for (const hsize_t n : grid) total *= n;
    for (std::size_t linear = 0; linear < total; ++linear) {
        Chunk c;
        c.dataset = datasets_.size();
        c.offset.resize(rank);
        std::size_t rest = linear;
        for (std::size_t k = rank; k-- > 0;) {
            c.offset[k] = (rest % grid[k]) * d.chunk[k];
            rest /= grid[k];
        }
        chunks_.push_back(std::move(c));
    }
    d.chunk_count = total;
    datasets_.push_back(std::move(d));
}

const unsigned char* ChunkQueue::keep(std::vector<unsigned char> bytes) {
    kept_.push_back(std::move(bytes));
    return kept_.back().data();
}

void ChunkQueue::filter(Chunk& chunk) const {
    const Dataset& d = datasets_[chunk.dataset];
    const std::size_t e = d.element_bytes;
    const std::size_t rank = d.dims.size();
    // The chunk as HDF5 holds it in its cache: full chunk dimensions, the
    // fill value wherever the chunk reaches past the dataset's extent.
    const hsize_t inner_chunk = d.chunk[rank - 1];
    const hsize_t outer_chunk = rank == 2 ? d.chunk[0] : 1;
    const hsize_t inner_dim = d.dims[rank - 1];
    const hsize_t outer_dim = rank == 2 ? d.dims[0] : 1;
    const hsize_t inner0 = chunk.offset[rank - 1];
    const hsize_t outer0 = rank == 2 ? chunk.offset[0] : 0;
    const std::size_t chunk_bytes = static_cast<std::size_t>(inner_chunk * outer_chunk) * e;
    thread_local std::vector<unsigned char> buffer;
    buffer.resize(chunk_bytes);
    const hsize_t inner_valid = std::min(inner_chunk, inner_dim - inner0);
    for (hsize_t r = 0; r < outer_chunk; ++r) {
        unsigned char* row = buffer.data() + static_cast<std::size_t>(r * inner_chunk) * e;
        hsize_t valid = 0;
        if (outer0 + r < outer_dim) {
            valid = inner_valid;
            std::memcpy(row, d.data + static_cast<std::size_t>((outer0 + r) * inner_dim + inner0) * e,
                        static_cast<std::size_t>(valid) * e);
        }
        for (hsize_t c = valid; c < inner_chunk; ++c) std::memcpy(row + c * e, d.fill.data(), e);
    }
    chunk.stored = shuffle_deflate(buffer.data(), chunk_bytes, e, d.level);
    chunk.ready = true;
}

void ChunkQueue::compress_window(std::size_t first_dataset) {
    const ProfileScope scope(profiler_, "13 write run file / deflate chunks (all cores)");
    std::size_t last = first_dataset;
    std::size_t bytes = 0;
    while (last < datasets_.size() && (last == first_dataset || bytes < window_bytes)) {
        const Dataset& d = datasets_[last];
        std::size_t elements = 1;
        for (hsize_t n : d.dims) elements *= static_cast<std::size_t>(n);
        bytes += elements * d.element_bytes;
        ++last;
    }
    const std::size_t begin = datasets_[first_dataset].first_chunk;
    const std::size_t end = last < datasets_.size() ? datasets_[last].first_chunk : chunks_.size();
    // A small window (a small checkpoint written as it is taken) is done on
    // this thread: waking the workers would cost more than it saves.
    const std::size_t grain = bytes < serial_window_bytes ? std::max<std::size_t>(end - begin, 1) : 1;
    parallel_for(end - begin, grain, [&](std::size_t b, std::size_t e) {
        for (std::size_t k = b; k < e; ++k) filter(chunks_[begin + k]);
    });
}

void ChunkQueue::write_next(const h5::Object& dataset) {
    if (next_ >= datasets_.size() || datasets_[next_].path != dataset.path)
        throw h5::Error(fmt::format("internal error: chunks for {} were not queued in order",
                                    dataset.path));
    Dataset& d = datasets_[next_];
    if (d.chunk_count > 0 && !chunks_[d.first_chunk].ready) compress_window(next_);
    for (const std::size_t c : h5dwrite_flush_order(d.dims, d.chunk, d.element_bytes)) {
        Chunk& chunk = chunks_[d.first_chunk + c];
        h5::check(H5Dwrite_chunk(dataset.id(), H5P_DEFAULT, 0, chunk.offset.data(),
                                 chunk.stored.size(), chunk.stored.data()),
                  "H5Dwrite_chunk", dataset.path);
        std::size_t elements = 1;
        for (hsize_t n : d.chunk) elements *= static_cast<std::size_t>(n);
        raw_bytes_ += elements * d.element_bytes;
        stored_bytes_ += chunk.stored.size();
        std::vector<unsigned char>().swap(chunk.stored);
    }
    ++next_;
}

}  // namespace airace::storage

// --- output/chunk_check.hpp -----------------------------------------------------

namespace airace::storage {

void write_float64_dataset(const std::string& path, const std::vector<std::uint64_t>& dims,
                           const std::vector<std::uint64_t>& chunk, const std::vector<double>& values,
                           bool through_queue) {
    const std::vector<hsize_t> dims_h(dims.begin(), dims.end());
    const std::vector<hsize_t> chunk_h(chunk.begin(), chunk.end());
    h5::Object file = h5::create_file(path);
    {
        h5::Object root = h5::root_group(file);
        h5::Handle dcpl = h5::dataset_create_plist("/m");
        compress(dcpl, chunk_h, "/m");
        const double fill = std::numeric_limits<double>::quiet_NaN();
        h5::check(H5Pset_fill_value(dcpl.id(), H5T_NATIVE_DOUBLE, &fill), "H5Pset_fill_value", "/m");
        h5::Object dataset =
            h5::create_dataset(root, "m", H5T_IEEE_F64LE, h5::simple_space(dims_h, {}, "/m"), dcpl);
        if (through_queue) {
            ChunkQueue queue;
            std::vector<unsigned char> fill_bytes(sizeof fill);
            std::memcpy(fill_bytes.data(), &fill, sizeof fill);
            queue.add("/m", values.data(), sizeof(double), dims_h, chunk_h, fill_bytes, active_deflate_level());
            queue.write_next(dataset);
        } else {
            h5::check(H5Dwrite(dataset.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                      "H5Dwrite", "/m");
        }
        dataset.handle.close("/m");
        root.handle.close("/");
    }
    file.handle.close(path);
}

std::vector<double> read_float64_dataset(const std::string& path) {
    h5::Object file = h5::open_file_read_only(path);
    std::vector<double> values;
    {
        h5::Object root = h5::root_group(file);
        h5::Object dataset = h5::open_dataset(root, "m");
        const hid_t space = H5Dget_space(dataset.id());
        const hssize_t count = H5Sget_simple_extent_npoints(space);
        H5Sclose(space);
        values.resize(static_cast<std::size_t>(std::max<hssize_t>(count, 0)));
        h5::check(H5Dread(dataset.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                  "H5Dread", "/m");
        dataset.handle.close("/m");
        root.handle.close("/");
    }
    file.handle.close(path);
    return values;
}

std::vector<std::size_t> flush_order(const std::vector<std::uint64_t>& dims,
                                     const std::vector<std::uint64_t>& chunk, std::size_t element_bytes) {
    return h5dwrite_flush_order(std::vector<hsize_t>(dims.begin(), dims.end()),
                                std::vector<hsize_t>(chunk.begin(), chunk.end()), element_bytes);
}

}  // namespace airace::storage
