#pragma once
// Whole-file integrity of run files: the HDF5 signature check, and the
// checksum that the writer seals into a closed file and readers verify
// before libhdf5 reads any string.
//
// Why: HDF5 1.10 checksums its newer metadata (superblock, object headers,
// B-tree v2, fractal heaps) but not the global heap that holds every
// variable-length string, nor raw data; a flipped byte there can crash the
// library (H5HG_read copies whatever length it finds). So every run file
// carries /file_checksum, a uint64 FNV-1a over all of its bytes (its own 8
// bytes counted as zero), written after the file is closed and checked
// before any string is read. No HDF5 here: plain file I/O.

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace airace::integrity {

inline constexpr std::array<char, 8> hdf5_signature = {'\x89', 'H',  'D',    'F',
                                                       '\r',   '\n', '\x1a', '\n'};

// True when the file starts with the 8-byte HDF5 signature.
inline bool has_hdf5_signature(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::array<char, 8> head{};
    in.read(head.data(), head.size());
    return in.gcount() == static_cast<std::streamsize>(head.size()) && head == hdf5_signature;
}

// FNV-1a 64 (Fowler-Noll-Vo) over the file's bytes, reading the 8 bytes at
// `hole` as zero. Throws std::runtime_error when the file cannot be read.
inline std::uint64_t file_checksum(const std::string& path, std::uint64_t hole) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    std::vector<char> buffer(1 << 20);
    std::uint64_t position = 0;
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        for (std::size_t i = 0; i < got; ++i, ++position) {
            const bool in_hole = position >= hole && position - hole < 8;
            hash ^= in_hole ? 0u : static_cast<unsigned char>(buffer[i]);
            hash *= 0x100000001b3ULL;
        }
    }
    if (in.bad()) throw std::runtime_error("cannot read " + path);
    return hash;
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

// Stores file_checksum(path, offset) little-endian at `offset` of the closed
// file and fsyncs it. Throws std::runtime_error on I/O failure.
inline void seal(const std::string& path, std::uint64_t offset) {
    const std::uint64_t checksum = file_checksum(path, offset);
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
