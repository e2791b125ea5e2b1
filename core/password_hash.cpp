#include "core/password_hash.h"

#include <sodium.h>

#include <stdexcept>

#include "core/diagnostics.h"

namespace passerelle {

namespace {

void init_sodium() {
    static const int ready = sodium_init();  // thread-safe, once; 1 when already initialised
    if (ready < 0) throw Error("libsodium cannot be initialised");
}

}  // namespace

std::string hash_password(std::string_view password) {
    init_sodium();
    std::string out(crypto_pwhash_STRBYTES, '\0');
    if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw Error("cannot hash the password: out of memory");
    out.resize(out.find('\0'));
    return out;
}

bool verify_password(const std::string& hash, std::string_view password) {
    init_sodium();
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace passerelle
