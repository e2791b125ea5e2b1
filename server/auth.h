// Who is calling: anonymous callers are `public`; a valid `Authorization: Bearer <token>` gives
// the role of the token's entry in the configuration. Tokens are kept as SHA-256 hashes and
// compared in constant time. Thread-safe (immutable).
#pragma once

#include <string>
#include <vector>

#include "server/config.h"
#include "server/http.h"

namespace passerelle::http {

class Authenticator {
  public:
    explicit Authenticator(std::vector<TokenEntry> tokens) : m_tokens(std::move(tokens)) {}
    // The caller's role; throws ApiError 401 for a malformed header or an unknown token.
    std::string role_for(const Request& request) const;

  private:
    std::vector<TokenEntry> m_tokens;
};

}  // namespace passerelle::http
