// Hashes (SHA-256, hex), constant-time comparison and secure random tokens. The only file that
// uses OpenSSL.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace passerelle {

std::string content_hash(std::string_view bytes);
// The same hash of a whole file, read in pieces (a large file is never held in memory).
std::string file_hash(const std::filesystem::path& path);

// Compares two strings in time that depends on their length only, not on where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// `bytes` random bytes from the system's secure generator, as hex. Throws Error on failure.
std::string random_hex(std::size_t bytes);

}  // namespace passerelle
