#include "core/hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "core/diagnostics.h"

namespace passerelle {

namespace {
std::string hex(const unsigned char* digest, unsigned int length) {
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(std::size_t{length} * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out += k_hex[digest[i] >> 4];
        out += k_hex[digest[i] & 15];
    }
    return out;
}
}  // namespace

std::string content_hash(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
    return hex(digest, length);
}

bool is_content_hash(std::string_view text) {
    return !text.empty() && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

Digest128 content_digest(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
    Digest128 d;
    for (int i = 0; i < 8; ++i) d.high = (d.high << 8) | digest[i];
    for (int i = 8; i < 16; ++i) d.low = (d.low << 8) | digest[i];
    return d;
}

Digest128 digest_of_hex(std::string_view hex) {
    Digest128 d;
    if (hex.size() < 32) return d;
    const auto nibble = [](char c) -> int { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
    for (int i = 0; i < 32; ++i) {
        const int v = nibble(hex[i]);
        if (v < 0) return Digest128{};
        (i < 16 ? d.high : d.low) = ((i < 16 ? d.high : d.low) << 4) | static_cast<std::uint64_t>(v);
    }
    return d;
}

std::string file_hash(const std::filesystem::path& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f) throw Error(path.string() + ": cannot be read");
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw Error("SHA-256 is not available");
    std::vector<char> buffer(1 << 16);
    while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), f.get())) EVP_DigestUpdate(ctx.get(), buffer.data(), n);
    if (std::ferror(f.get())) throw Error(path.string() + ": read error");
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &length);
    return hex(digest, length);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_hex(std::size_t bytes) {
    std::vector<unsigned char> buf(bytes);
    if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) throw Error("no secure random bytes available");
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : buf) {
        out += k_hex[c >> 4];
        out += k_hex[c & 15];
    }
    return out;
}

}  // namespace passerelle
