// Hashes (SHA-256, hex), constant-time comparison and secure random tokens. The only file that
// uses OpenSSL.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace passerelle {

std::string content_hash(std::string_view bytes);
// The first 128 bits of the same hash, as two numbers: what a content_hash's first 32 hex
// digits say (see digest_of_hex), for lookups that need no text.
struct Digest128 {
    std::uint64_t high = 0, low = 0;
    bool operator==(const Digest128& o) const { return high == o.high && low == o.low; }
};
struct Digest128Hash {
    std::size_t operator()(const Digest128& d) const { return static_cast<std::size_t>(d.high ^ (d.low * 0x9E3779B97F4A7C15ull)); }
};
Digest128 content_digest(std::string_view bytes);
// True for text that can name a file of the index's store (files/<content_hash>): lower-case
// hexadecimal, not empty. (The store is read by such names only, never by a path.)
bool is_content_hash(std::string_view text);
// The Digest128 of a content_hash; zero when `hex` is not one.
Digest128 digest_of_hex(std::string_view hex);
// The same hash of a whole file, read in pieces (a large file is never held in memory).
std::string file_hash(const std::filesystem::path& path);

// Compares two strings in time that depends on their length only, not on where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// `bytes` random bytes from the system's secure generator, as hex. Throws Error on failure.
std::string random_hex(std::size_t bytes);

}  // namespace passerelle
