// Signing in from a browser: the session cookie, the accounts beside the index and the slowing
// of failed sign-ins (core/accounts.h, core/sessions.h), for the pages. The cookie
// `passerelle_session` is the session's 256-bit id, HttpOnly, SameSite=Lax, Path=/, and Secure
// when the site is served over TLS; a signed-out visitor's forms carry a token of their own, in
// the cookie `passerelle_form` (the sign-in form's CSRF defence). The accounts' file is opened on
// the first cookie or sign-in, so a read-only site without accounts never touches it.
// Thread-safe: sessions are read under a lock; password checks run one at a time, which also
// bounds the memory Argon2id takes.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/config.h"
#include "server/http.h"

namespace passerelle {
class Accounts;
class Sessions;
}  // namespace passerelle

namespace passerelle::http {

constexpr const char* k_session_cookie = "passerelle_session";
constexpr const char* k_form_cookie = "passerelle_form";

// The value of cookie `name` in the request's Cookie header ("" when absent).
std::string cookie_value(const Request& request, const std::string& name);

// The client's address: the request's own, or, from a trusted proxy, the last address of its
// X-Forwarded-For (the one that proxy added).
std::string client_address(const Request& request, const std::vector<std::string>& trusted_proxies);

class SessionGate {
  public:
    explicit SessionGate(const ServerConfig& config);
    ~SessionGate();

    // The signed-in visitor of the request's session cookie, when it is open, used within the
    // idle time (which starts again) and its account is still enabled.
    std::optional<Visitor> visitor(const Request& request);

    struct Attempt {
        enum class Outcome { signed_in, refused, wait, unavailable } outcome = Outcome::refused;
        Visitor visitor;            // signed_in: with a new session id
        std::int64_t wait_seconds = 0;  // wait: before the next try
    };
    // Checks a name (or email) and password from `address`: a new session when they match; a
    // wait when failures came too fast (nothing is checked then); refused otherwise.
    Attempt sign_in(const std::string& name, const std::string& password, const std::string& address);
    void sign_out(const std::string& session);

    // Set-Cookie values: the session's, one that removes it, and a form token's.
    std::string session_cookie(const std::string& id) const;
    std::string cleared_session_cookie() const;
    std::string form_cookie(const std::string& token) const;

  private:
    bool open();  // the accounts' file, once; false when it cannot be opened

    ServerConfig m_config;
    bool m_secure;
    std::mutex m_sessions_mutex;   // m_accounts, m_sessions
    std::mutex m_password_mutex;   // one Argon2id check at a time
    std::unique_ptr<Accounts> m_accounts;
    std::unique_ptr<Sessions> m_sessions;
    std::uint64_t m_sign_ins = 0;  // ended sessions and old failures are purged every 100 sign-ins
};

}  // namespace passerelle::http
