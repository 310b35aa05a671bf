// base/sha256.cpp: the digest run files carry of their resolved scenario.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "base/sha256.hpp"

using namespace airace;

TEST_CASE("sha256 matches the FIPS 180-4 test vectors", "[base]") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    // Two blocks of padding: 56 bytes leave no room for the length in the first.
    CHECK(sha256_hex(std::string(56, 'a')) ==
          "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
}

TEST_CASE("sha256 of bytes given in pieces, and of a file read in megabytes, is the digest of the whole", "[base]") {
    // A million 'a': FIPS 180-4's long test vector.
    const std::string million(1000000, 'a');
    const std::string expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    CHECK(sha256_hex(million) == expected);
    Sha256 pieces;
    for (std::size_t at = 0; at < million.size(); at += 777)
        pieces.update(million.data() + at, std::min<std::size_t>(777, million.size() - at));
    CHECK(pieces.hex() == expected);
    const std::filesystem::path path = std::filesystem::temp_directory_path() / "airace-sha256-test.bin";
    {
        std::ofstream out(path, std::ios::binary);
        for (int k = 0; k < 3; ++k) out << million;  // more than one read of a megabyte
    }
    CHECK(sha256_file_hex(path.string()) == sha256_hex(million + million + million));
    std::filesystem::remove(path);
    CHECK_THROWS(sha256_file_hex((std::filesystem::temp_directory_path() / "airace-no-such-file").string()));
}
