#pragma once
// SHA-256 (FIPS 180-4), as lower-case hex. Run files carry the digest of the
// resolved scenario (config_sha256), so two runs with the same digest ran the
// same model inputs; forks record their parent file's digest.

#include <string>

namespace airace {

std::string sha256_hex(const std::string& bytes);

}  // namespace airace
