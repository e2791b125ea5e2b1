// Signed-in sessions and the slowing of failed sign-ins, in the accounts' file
// (core/accounts.h). A session id is 256 random bits, given to the browser once and stored only
// as its SHA-256; each session has its own CSRF token; it ends after `idle_seconds` without a
// request, or when closed. Times are seconds since the epoch, passed in, so that tests set
// them. A session also ends 30 days after it was opened, however much it is used. Not
// thread-safe: one per thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace SQLite {
class Database;
}

namespace passerelle {

struct Session {
    std::string id;    // the cookie's value: 64 hex digits (only when opened)
    std::string csrf;  // the token every form that changes something must carry
    std::int64_t account = 0;
};

class Sessions {
  public:
    // Opens the sessions of the accounts beside the index folder `db`.
    Sessions(const std::filesystem::path& db, std::int64_t idle_seconds);
    ~Sessions();

    // A new session for `account` (at sign-in: the id is always new, never the one the browser had).
    Session open(std::int64_t account, std::int64_t now);
    // The session of `id` when it is open and was used within the idle time, which starts again
    // (its time of use is written at most every 30 s).
    std::optional<Session> use(const std::string& id, std::int64_t now);
    void close(const std::string& id);
    void close_all(std::int64_t account);  // a password changed, an account disabled

    // Seconds a sign-in for `name` from `address` must wait after the failures before it: none
    // for the first 3, then doubling from 1 s to 5 minutes, per account and per address.
    std::int64_t wait_before_sign_in(const std::string& name, const std::string& address, std::int64_t now);
    void failed_sign_in(const std::string& name, const std::string& address, std::int64_t now);
    // The failure counted at the start of an attempt, confirmed when its check ends: the wait
    // runs from then.
    void failure_confirmed(const std::string& name, const std::string& address, std::int64_t now);
    void signed_in(const std::string& name, const std::string& address);  // forgets their failures
    // Deletes ended sessions, and failures older than a day.
    void purge(std::int64_t now);

  private:
    std::unique_ptr<SQLite::Database> m_db;
    std::int64_t m_idle;
};

}  // namespace passerelle
