#pragma once
// What the fuzz targets (tests/fuzz/fuzz_*.cpp) share: the input as text or
// as a file, and the rule they check, that bad input ends in the one
// exception the function under test documents for it.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

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

}  // namespace airace::fuzz
