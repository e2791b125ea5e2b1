#include "server/session_gate.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/accounts.h"
#include "core/fold.h"
#include "core/sessions.h"

namespace passerelle::http {

namespace {

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Visitor visitor_of(const Account& a, const Session& s) {
    return Visitor{a.id, a.name, a.role, a.rights, s.id, s.csrf};
}

}  // namespace

std::string cookie_value(const Request& request, const std::string& name) {
    const std::string* header = request.header("cookie");
    if (!header) return "";
    std::size_t at = 0;
    while (at < header->size()) {
        std::size_t end = header->find(';', at);
        if (end == std::string::npos) end = header->size();
        std::size_t begin = header->find_first_not_of(' ', at);
        if (begin < end) {
            const std::size_t eq = header->find('=', begin);
            if (eq < end && header->compare(begin, eq - begin, name) == 0 && eq - begin == name.size())
                return header->substr(eq + 1, end - eq - 1);
        }
        at = end + 1;
    }
    return "";
}

std::string client_address(const Request& request, const std::vector<std::string>& trusted_proxies) {
    const std::string* forwarded = request.header("x-forwarded-for");
    if (!forwarded || std::find(trusted_proxies.begin(), trusted_proxies.end(), request.remote) == trusted_proxies.end())
        return request.remote;
    std::string last = forwarded->substr(forwarded->rfind(',') == std::string::npos ? 0 : forwarded->rfind(',') + 1);
    last.erase(0, last.find_first_not_of(' '));
    while (!last.empty() && last.back() == ' ') last.pop_back();
    return last.empty() || last.size() > 64 ? request.remote : last;
}

SessionGate::SessionGate(const ServerConfig& config)
    : m_config(config), m_secure(config.tls || config.base_url.rfind("https://", 0) == 0) {}

SessionGate::~SessionGate() = default;

bool SessionGate::open() {
    if (m_sessions) return true;
    try {
        m_accounts = std::make_unique<Accounts>(m_config.db);
        m_sessions = std::make_unique<Sessions>(m_config.db, std::int64_t{m_config.session_idle_minutes} * 60);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "passerelle: sign-in unavailable: %s\n", e.what());
        m_accounts.reset();
        return false;
    }
    return true;
}

std::optional<Visitor> SessionGate::visitor(const Request& request) {
    const std::string id = cookie_value(request, k_session_cookie);
    if (id.size() != 64) return std::nullopt;
    std::lock_guard lock(m_sessions_mutex);
    if (!open()) return std::nullopt;
    try {
        const auto session = m_sessions->use(id, now_seconds());
        if (!session) return std::nullopt;
        const auto account = m_accounts->get(session->account);
        if (!account || account->disabled) {
            m_sessions->close(id);
            return std::nullopt;
        }
        return visitor_of(*account, *session);
    } catch (const std::exception& e) {  // a locked or damaged file: signed out, never a wrong account
        std::fprintf(stderr, "passerelle: cannot read the sessions: %s\n", e.what());
        return std::nullopt;
    }
}

SessionGate::Attempt SessionGate::sign_in(const std::string& typed, const std::string& password, const std::string& address) {
    const std::string name = lower_ascii(typed);  // one count per account, however its email is typed
    Attempt a;
    {
        // The attempt counts as a failure from the start (forgotten if it succeeds), in the same
        // step as the wait is checked: attempts sent at once cannot all pass the check.
        std::lock_guard lock(m_sessions_mutex);
        if (!open()) return Attempt{Attempt::Outcome::unavailable, {}, 0};
        const std::int64_t now = now_seconds();
        if (++m_sign_ins % 100 == 1) m_sessions->purge(now);
        a.wait_seconds = m_sessions->wait_before_sign_in(name, address, now);
        if (a.wait_seconds == 0) m_sessions->failed_sign_in(name, address, now);
    }
    if (a.wait_seconds > 0) {
        a.outcome = Attempt::Outcome::wait;
        return a;
    }
    std::optional<Account> account;
    {
        std::lock_guard lock(m_password_mutex);
        account = Accounts(m_config.db).authenticate(typed, password);  // its own connection: the check is slow
    }
    std::lock_guard lock(m_sessions_mutex);
    if (!account) {
        m_sessions->failure_confirmed(name, address, now_seconds());  // counted already; the wait starts now
        a.outcome = Attempt::Outcome::refused;
        return a;
    }
    m_sessions->signed_in(name, address);
    a.visitor = visitor_of(*account, m_sessions->open(account->id, now_seconds()));
    a.outcome = Attempt::Outcome::signed_in;
    return a;
}

void SessionGate::sign_out(const std::string& session) {
    std::lock_guard lock(m_sessions_mutex);
    if (open()) m_sessions->close(session);
}

std::string SessionGate::session_cookie(const std::string& id) const {
    return std::string(k_session_cookie) + "=" + id + "; Path=/; HttpOnly; SameSite=Lax" + (m_secure ? "; Secure" : "");
}

std::string SessionGate::cleared_session_cookie() const {
    return std::string(k_session_cookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (m_secure ? "; Secure" : "");
}

std::string SessionGate::form_cookie(const std::string& token) const {
    return std::string(k_form_cookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict" + (m_secure ? "; Secure" : "");
}

}  // namespace passerelle::http
