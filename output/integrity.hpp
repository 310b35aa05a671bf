#pragma once
// Whole-file integrity of run files and merged sweep (and ensemble) files:
// the HDF5 signature check, the checksum that the writers seal into a
// closed file and the readers verify before libhdf5 reads any string, and
// the size limit every dataset read is held to.
//
// Why: HDF5 1.10 checksums its newer metadata (superblock, object headers,
// B-tree v2, fractal heaps) but not the global heap that holds every
// variable-length string, nor raw data; a flipped byte there can crash the
// library (H5HG_read copies whatever length it finds). So every run file
// carries /file_checksum, a uint64 hash of all of its bytes (its own 8
// bytes counted as zero), written after the file is closed and checked
// before any string is read. The hash is XXH3-64 (libxxhash, about 20 times
// faster than the byte-at-a-time FNV-1a 64 that files of airace 0.2.0 and
// earlier carry; those files have no `algorithm` attribute on
// /file_checksum and are still verified with FNV-1a). The checksum itself is
// plain file I/O; placing and finding /file_checksum (integrity.cpp) uses
// HDF5.

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <cstdint>
#include <fstream>
#include <memory>
#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include <xxhash.h>

#include "output/h5.hpp"

namespace airace::integrity {

// The file is readable HDF5 but not consistent: its bytes do not match
// /file_checksum, or a dataset claims more than the file can hold. Readers
// turn it into RunFileError (exit code 2) naming the file.
class Damaged : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// deflate compresses at most ~1032:1, so no dataset in a healthy file holds
// more bytes than this many times the file's size.
inline constexpr std::uintmax_t max_compression_ratio = 1100;

// Number of elements of `dims`, refusing (Damaged) more than a file of
// `file_size` bytes could hold: checked before any allocation.
std::size_t element_count(std::uintmax_t file_size, const std::vector<hsize_t>& dims,
                          std::size_t element_bytes, const std::string& where);

// The hash a file's /file_checksum holds: its `algorithm` attribute (a
// fixed-length string), FNV-1a 64 when it has none (files of airace 0.2.0
// and earlier).
enum class Checksum { fnv1a64, xxh3_64 };
inline constexpr Checksum written_checksum = Checksum::xxh3_64;  // what the writers seal with
inline const char* checksum_name(Checksum algorithm) {
    return algorithm == Checksum::xxh3_64 ? "xxh3-64" : "fnv1a-64";
}

// /file_checksum: a contiguous uint64 written as zero now and patched by
// seal() once the file is closed, its `algorithm` attribute naming
// written_checksum; returns the file offset of its value.
std::uint64_t write_checksum_placeholder(const h5::Object& root);

// The algorithm of a /file_checksum dataset; throws Damaged when its
// `algorithm` attribute is not a fixed-length string naming a known one.
Checksum checksum_algorithm(const h5::Object& dataset);

// Checks the file's bytes against its /file_checksum. Returns false when it
// has none (the caller says what that means for its format); throws Damaged
// when it does not match or is not one contiguous uint64 inside the file,
// std::runtime_error on plain I/O failure, h5::Error from libhdf5.
bool verify_checksum(const h5::Object& root, const std::string& path, std::uintmax_t file_size);

inline constexpr std::array<char, 8> hdf5_signature = {'\x89', 'H',  'D',    'F',
                                                       '\r',   '\n', '\x1a', '\n'};

// True when the file starts with the 8-byte HDF5 signature.
inline bool has_hdf5_signature(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::array<char, 8> head{};
    in.read(head.data(), head.size());
    return in.gcount() == static_cast<std::streamsize>(head.size()) && head == hdf5_signature;
}

// The hash `algorithm` of the file's bytes, reading the 8 bytes at `hole`
// as zero. Throws std::runtime_error when the file cannot be read.
inline std::uint64_t file_checksum(const std::string& path, std::uint64_t hole,
                                   Checksum algorithm = written_checksum) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::uint64_t fnv = 0xcbf29ce484222325ULL;  // FNV-1a 64's offset basis
    struct StateFree {
        void operator()(XXH3_state_t* state) const { XXH3_freeState(state); }
    };
    std::unique_ptr<XXH3_state_t, StateFree> xxh3;
    if (algorithm == Checksum::xxh3_64) {
        xxh3.reset(XXH3_createState());
        if (!xxh3 || XXH3_64bits_reset(xxh3.get()) != XXH_OK)
            throw std::runtime_error("cannot hash " + path + ": out of memory");
    }
    std::vector<char> buffer(1 << 20);
    std::uint64_t position = 0;  // of buffer[0] in the file
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = static_cast<std::uint64_t>(in.gcount());
        // The hole's bytes within this buffer count as zero.
        const std::uint64_t from = std::max(hole, position);
        const std::uint64_t to = std::min(hole + 8, position + got);
        for (std::uint64_t i = from; i < to; ++i) buffer[static_cast<std::size_t>(i - position)] = 0;
        if (algorithm == Checksum::xxh3_64) {
            XXH3_64bits_update(xxh3.get(), buffer.data(), static_cast<std::size_t>(got));
        } else {
            for (std::size_t i = 0; i < got; ++i) {
                fnv ^= static_cast<unsigned char>(buffer[i]);
                fnv *= 0x100000001b3ULL;  // FNV-1a 64's prime
            }
        }
        position += got;
    }
    if (in.bad()) throw std::runtime_error("cannot read " + path);
    return algorithm == Checksum::xxh3_64 ? XXH3_64bits_digest(xxh3.get()) : fnv;
}

// The 8 bytes at `offset`, little-endian; throws when the file is shorter.
inline std::uint64_t read_le64(const std::string& path, std::uint64_t offset) {
    std::ifstream in(path, std::ios::binary);
    std::array<unsigned char, 8> bytes{};
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(reinterpret_cast<char*>(bytes.data()), bytes.size());
    if (in.gcount() != 8) throw std::runtime_error("cannot read 8 bytes of " + path);
    std::uint64_t value = 0;
    for (std::size_t i = 8; i-- > 0;) value = (value << 8) | bytes[i];
    return value;
}

// Stores file_checksum(path, offset, algorithm) little-endian at `offset`
// of the closed file and fsyncs it. Throws std::runtime_error on I/O
// failure.
inline void seal(const std::string& path, std::uint64_t offset,
                 Checksum algorithm = written_checksum) {
    const std::uint64_t checksum = file_checksum(path, offset, algorithm);
    std::array<unsigned char, 8> bytes{};
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        bytes[i] = static_cast<unsigned char>(checksum >> (8 * i));
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
    const bool written =
        ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset)) == 8 &&
        ::fsync(fd) == 0;
    const int error = errno;
    ::close(fd);
    if (!written) {
        throw std::runtime_error("cannot write and fsync " + path + ": " + std::strerror(error));
    }
}

}  // namespace airace::integrity
