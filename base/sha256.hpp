#pragma once
// SHA-256 (FIPS 180-4), as lower-case hex. Run files carry the digest of the
// resolved scenario (config_sha256), so two runs with the same digest ran the
// same model inputs; forks record their parent file's digest.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace airace {

std::string sha256_hex(const std::string& bytes);

// The digest of a file's bytes, read a megabyte at a time (a run file of
// many GB is never held); std::runtime_error when it cannot be read.
std::string sha256_file_hex(const std::string& path);

// Incremental: update() with the bytes in order, then hex() once.
class Sha256 {
public:
    void update(const void* data, std::size_t size);
    std::string hex();

private:
    void block(const unsigned char* data);
    std::array<std::uint32_t, 8> h_ = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    std::array<unsigned char, 64> pending_{};
    std::size_t pending_size_ = 0;
    std::uint64_t length_ = 0;
};

}  // namespace airace
