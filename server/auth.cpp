#include "server/auth.h"

#include "core/hash.h"
#include "server/errors.h"

namespace passerelle::http {

std::string Authenticator::role_for(const Request& request) const {
    const std::string* header = request.header("authorization");
    if (!header) return "public";
    static const std::string k_bearer = "Bearer ";
    if (header->compare(0, k_bearer.size(), k_bearer) != 0 || header->size() == k_bearer.size())
        throw ApiError(401, "unauthorized", "the Authorization header must be 'Bearer <token>'", "Authorization");
    const std::string hash = content_hash(std::string_view(*header).substr(k_bearer.size()));
    const TokenEntry* found = nullptr;
    for (const TokenEntry& t : m_tokens)  // every entry is compared, so timing says nothing
        if (constant_time_equal(hash, t.sha256) && !found) found = &t;
    if (!found) throw ApiError(401, "unauthorized", "unknown or revoked token", "Authorization");
    return found->role;
}

}  // namespace passerelle::http
