#pragma once
// What the fuzz targets (tests/fuzz/fuzz_*.cpp) share: the input as text or
// as a file (sealed again for the *_sealed targets), and the rule they check, that bad input ends in the one
// exception the function under test documents for it.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "output/h5.hpp"
#include "output/integrity.hpp"

// The source tree (CMake defines it for every target): seeds name files in it.
#ifndef AIRACE_SOURCE_DIR
#define AIRACE_SOURCE_DIR "."
#endif

namespace airace::fuzz {

inline std::string text(const std::uint8_t* data, std::size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

// Calls `call`. An `Expected` exception is the documented answer to bad input
// and ends here; anything else escapes to the fuzzer (a bug).
template <class Expected, class Call>
void expect_only(Call call) {
    try {
        call();
    } catch (const Expected&) {
    }
}

// A file of this process in $TMPDIR (/tmp without it): PREFIXPID.h5.
inline std::string temp_path(const std::string& prefix) {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/" + prefix +
           std::to_string(::getpid()) + ".h5";
}

// Writes the input to `path`; false when it cannot.
inline bool write_file(const std::string& path, const std::uint8_t* data, std::size_t size) {
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (file == nullptr) return false;
    const bool written = std::fwrite(data, 1, size, file) == size;
    return std::fclose(file) == 0 && written;
}

// Seals the file at `path` (of `size` bytes) again when it has a
// /file_checksum inside it, found as the readers find it: a mutated file
// then passes the checksum, as a file crafted on purpose would, so fuzzing
// reaches the checks behind it and libhdf5's own parser.
inline void reseal(const std::string& path, std::size_t size) {
    std::uint64_t offset = 0;
    bool found = false;
    integrity::Checksum algorithm = integrity::written_checksum;
    expect_only<h5::Error>([&] {
        const h5::Object file = h5::open_file_read_only(path);
        const h5::Object root = h5::root_group(file);
        if (h5::has_link(root, "file_checksum")) {
            const h5::Object dataset = h5::open_dataset(root, "file_checksum");
            offset = h5::storage_offset(dataset);
            found = true;
            // The hash its reader will check (an unknown name: any; the
            // reader refuses the file for it).
            try {
                algorithm = integrity::checksum_algorithm(dataset);
            } catch (const integrity::Damaged&) {
            }
        }
    });
    if (found && offset <= size && size - offset >= 8)
        expect_only<std::runtime_error>([&] { integrity::seal(path, offset, algorithm); });
}

}  // namespace airace::fuzz
