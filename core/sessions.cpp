#include "core/sessions.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>

#include "core/accounts.h"
#include "core/diagnostics.h"
#include "core/hash.h"

namespace passerelle {

namespace {

constexpr const char* k_schema = R"sql(
CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY,
    account INTEGER NOT NULL,
    csrf TEXT NOT NULL,
    created INTEGER NOT NULL,
    last_used INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_account ON sessions (account);
CREATE TABLE IF NOT EXISTS sign_in_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last INTEGER NOT NULL
);
)sql";

constexpr std::int64_t k_free_failures = 3;
constexpr std::int64_t k_max_wait = 300;
constexpr std::int64_t k_touch_every = 30;  // seconds: how stale a session's last use may be
constexpr std::int64_t k_max_age = std::int64_t{30} * 24 * 3600;  // a session ends 30 days after sign-in, used or not
constexpr std::int64_t k_failures_kept = std::int64_t{24} * 3600;  // failures older than a day are forgotten

// The wait after `failures` failures, the last at `last`, as seen at `now`.
std::int64_t wait_after(std::int64_t failures, std::int64_t last, std::int64_t now) {
    if (failures < k_free_failures) return 0;
    const std::int64_t shift = std::min<std::int64_t>(failures - k_free_failures, 20);
    const std::int64_t wait = std::min<std::int64_t>(std::int64_t{1} << shift, k_max_wait);
    return std::max<std::int64_t>(0, last + wait - now);
}

}  // namespace

Sessions::Sessions(const std::filesystem::path& db, std::int64_t idle_seconds) : m_idle(idle_seconds) {
    const Accounts made(db);  // the file, made (and its mode set) as the accounts make it
    (void)made;
    const auto file = Accounts::file_in(db);
    try {
        m_db = std::make_unique<SQLite::Database>(file.string(), SQLite::OPEN_READWRITE, 5000);
        m_db->exec(k_schema);
    } catch (const std::exception& e) {
        throw Error(file.string() + ": cannot open the sessions: " + e.what());
    }
}

Sessions::~Sessions() = default;

Session Sessions::open(std::int64_t account, std::int64_t now) {
    Session s{random_hex(32), random_hex(32), account};
    SQLite::Statement q(*m_db, "INSERT INTO sessions (id_hash, account, csrf, created, last_used) VALUES (?, ?, ?, ?, ?)");
    q.bind(1, content_hash(s.id));
    q.bind(2, static_cast<std::int64_t>(account));
    q.bind(3, s.csrf);
    q.bind(4, static_cast<std::int64_t>(now));
    q.bind(5, static_cast<std::int64_t>(now));
    q.exec();
    return s;
}

std::optional<Session> Sessions::use(const std::string& id, std::int64_t now) {
    if (id.size() != 64) return std::nullopt;
    const std::string key = content_hash(id);
    SQLite::Statement q(*m_db, "SELECT account, csrf, last_used, created FROM sessions WHERE id_hash = ?");
    q.bind(1, key);
    if (!q.executeStep()) return std::nullopt;
    Session s{id, q.getColumn(1).getString(), q.getColumn(0).getInt64()};
    const std::int64_t last = q.getColumn(2).getInt64(), created = q.getColumn(3).getInt64();
    q.reset();
    if (now - last > m_idle || now - created > k_max_age) {
        close(id);
        return std::nullopt;
    }
    if (now - last < k_touch_every) return s;  // a page's many requests write once
    SQLite::Statement u(*m_db, "UPDATE sessions SET last_used = ? WHERE id_hash = ?");
    u.bind(1, static_cast<std::int64_t>(now));
    u.bind(2, key);
    u.exec();
    return s;
}

void Sessions::close(const std::string& id) {
    SQLite::Statement q(*m_db, "DELETE FROM sessions WHERE id_hash = ?");
    q.bind(1, content_hash(id));
    q.exec();
}

void Sessions::close_all(std::int64_t account) {
    SQLite::Statement q(*m_db, "DELETE FROM sessions WHERE account = ?");
    q.bind(1, static_cast<std::int64_t>(account));
    q.exec();
}

std::int64_t Sessions::wait_before_sign_in(const std::string& name, const std::string& address, std::int64_t now) {
    std::int64_t wait = 0;
    for (const std::string& key : {"name:" + name, "address:" + address}) {
        SQLite::Statement q(*m_db, "SELECT failures, last FROM sign_in_failures WHERE key = ?");
        q.bind(1, key);
        if (q.executeStep()) wait = std::max(wait, wait_after(q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), now));
    }
    return wait;
}

void Sessions::failed_sign_in(const std::string& name, const std::string& address, std::int64_t now) {
    for (const std::string& key : {"name:" + name, "address:" + address}) {
        SQLite::Statement q(*m_db,
                            "INSERT INTO sign_in_failures (key, failures, last) VALUES (?, 1, ?) "
                            "ON CONFLICT (key) DO UPDATE SET failures = failures + 1, last = excluded.last");
        q.bind(1, key);
        q.bind(2, static_cast<std::int64_t>(now));
        q.exec();
    }
}

void Sessions::failure_confirmed(const std::string& name, const std::string& address, std::int64_t now) {
    for (const std::string& key : {"name:" + name, "address:" + address}) {
        SQLite::Statement q(*m_db, "UPDATE sign_in_failures SET last = ? WHERE key = ?");
        q.bind(1, static_cast<std::int64_t>(now));
        q.bind(2, key);
        q.exec();
    }
}

void Sessions::signed_in(const std::string& name, const std::string& address) {
    for (const std::string& key : {"name:" + name, "address:" + address}) {
        SQLite::Statement q(*m_db, "DELETE FROM sign_in_failures WHERE key = ?");
        q.bind(1, key);
        q.exec();
    }
}

void Sessions::purge(std::int64_t now) {
    SQLite::Statement a(*m_db, "DELETE FROM sessions WHERE last_used < ? OR created < ?");
    a.bind(1, static_cast<std::int64_t>(now - m_idle));
    a.bind(2, static_cast<std::int64_t>(now - k_max_age));
    a.exec();
    SQLite::Statement b(*m_db, "DELETE FROM sign_in_failures WHERE last < ?");
    b.bind(1, static_cast<std::int64_t>(now - k_failures_kept));
    b.exec();
}

}  // namespace passerelle
