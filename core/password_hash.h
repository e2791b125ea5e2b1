// Passwords and secrets, through libsodium (the only file that uses it): Argon2id password
// hashes in libsodium's self-describing string form (random tokens and constant-time
// comparison: core/hash.h). Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace passerelle {

// An Argon2id hash of `password` (libsodium's interactive limits: 2 passes, 64 MiB), with its
// own random salt: "$argon2id$v=19$m=65536,t=2,p=1$…". Throws Error when memory runs out.
std::string hash_password(std::string_view password);
// Whether `password` matches `hash` (made by hash_password); false for a malformed hash.
bool verify_password(const std::string& hash, std::string_view password);

}  // namespace passerelle
