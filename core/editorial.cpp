#include "core/editorial.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>

#include "core/clock.h"
#include "core/diagnostics.h"

namespace passerelle {

namespace {

constexpr const char* k_schema = R"sql(
CREATE TABLE IF NOT EXISTS notes (
    id TEXT NOT NULL,
    lang TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'published', 'withdrawn')),
    author INTEGER NOT NULL,
    author_name TEXT NOT NULL,
    updated TEXT NOT NULL,
    version INTEGER NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (id, lang)
);
CREATE TABLE IF NOT EXISTS versions (
    id TEXT NOT NULL,
    lang TEXT NOT NULL,
    n INTEGER NOT NULL,
    text TEXT NOT NULL,
    account INTEGER NOT NULL,
    account_name TEXT NOT NULL,
    saved TEXT NOT NULL,
    action TEXT NOT NULL,
    PRIMARY KEY (id, lang, n)
);
CREATE TABLE IF NOT EXISTS comments (
    id TEXT NOT NULL,
    lang TEXT NOT NULL,
    version INTEGER NOT NULL,
    account_name TEXT NOT NULL,
    at TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS comments_note ON comments (id, lang);
CREATE TABLE IF NOT EXISTS attachments (
    id TEXT NOT NULL,
    lang TEXT NOT NULL,
    file TEXT NOT NULL,
    type TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    alt TEXT NOT NULL,
    credit TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added TEXT NOT NULL,
    PRIMARY KEY (id, lang, file)
);
)sql";

constexpr const char* k_note_columns = "id, lang, kind, title, state, author, author_name, updated, version, reason";

NoteEntry read_note(SQLite::Statement& q) {
    NoteEntry e;
    e.id = q.getColumn(0).getString();
    e.lang = q.getColumn(1).getString();
    e.kind = q.getColumn(2).getString();
    e.title = q.getColumn(3).getString();
    e.state = q.getColumn(4).getString();
    e.author = q.getColumn(5).getInt64();
    e.author_name = q.getColumn(6).getString();
    e.updated = q.getColumn(7).getString();
    e.version = q.getColumn(8).getInt();
    e.reason = q.getColumn(9).getString();
    return e;
}

std::vector<NoteEntry> notes_where(SQLite::Database& db, const std::string& where, const std::function<void(SQLite::Statement&)>& bind) {
    SQLite::Statement q(db, std::string("SELECT ") + k_note_columns + " FROM notes " + where);
    bind(q);
    std::vector<NoteEntry> out;
    while (q.executeStep()) out.push_back(read_note(q));
    return out;
}

void add_version(SQLite::Database& db, const std::string& id, const std::string& lang, int n, const std::string& text,
                 std::int64_t account, const std::string& name, const std::string& now, const std::string& action) {
    SQLite::Statement q(db, "INSERT INTO versions (id, lang, n, text, account, account_name, saved, action) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, id);
    q.bind(2, lang);
    q.bind(3, n);
    q.bind(4, text);
    q.bind(5, static_cast<std::int64_t>(account));
    q.bind(6, name);
    q.bind(7, now);
    q.bind(8, action);
    q.exec();
}

}  // namespace

Editorial::Editorial(const std::filesystem::path& db) {
    const auto file = file_in(db);
    try {
        std::filesystem::create_directories(db);
        m_db = std::make_unique<SQLite::Database>(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 5000);
        m_db->exec("PRAGMA journal_mode=WAL");
        m_db->exec("PRAGMA synchronous=FULL");
        m_db->exec(k_schema);
    } catch (const std::exception& e) {
        throw Error(file.string() + ": cannot open the notes' history: " + e.what());
    }
}

Editorial::~Editorial() = default;

std::optional<NoteEntry> Editorial::note(const std::string& id, const std::string& lang) {
    auto found = notes_where(*m_db, "WHERE id = ? AND lang = ?", [&](SQLite::Statement& q) {
        q.bind(1, id);
        q.bind(2, lang);
    });
    if (found.empty()) return std::nullopt;
    return found.front();
}

bool Editorial::id_taken(const std::string& id) {
    SQLite::Statement q(*m_db, "SELECT 1 FROM notes WHERE id = ?");
    q.bind(1, id);
    return q.executeStep();
}

std::optional<int> Editorial::save(const NoteEntry& e, const std::string& text, int base, std::int64_t account,
                                   const std::string& account_name, const std::string& action) {
    SQLite::Transaction t(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
    const auto current = note(e.id, e.lang);
    if ((current ? current->version : 0) != base) return std::nullopt;
    const int n = base + 1;
    const std::string now = utc_now();
    add_version(*m_db, e.id, e.lang, n, text, account, account_name, now, action);
    if (current) {
        SQLite::Statement q(*m_db, "UPDATE notes SET kind = ?, title = ?, state = ?, updated = ?, version = ? WHERE id = ? AND lang = ?");
        q.bind(1, e.kind);
        q.bind(2, e.title);
        q.bind(3, e.state);
        q.bind(4, now);
        q.bind(5, n);
        q.bind(6, e.id);
        q.bind(7, e.lang);
        q.exec();
    } else {
        SQLite::Statement q(*m_db, "INSERT INTO notes (id, lang, kind, title, state, author, author_name, updated, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        q.bind(1, e.id);
        q.bind(2, e.lang);
        q.bind(3, e.kind);
        q.bind(4, e.title);
        q.bind(5, e.state);
        q.bind(6, static_cast<std::int64_t>(account));
        q.bind(7, account_name);
        q.bind(8, now);
        q.bind(9, n);
        q.exec();
    }
    t.commit();
    return n;
}

void Editorial::set_state(const std::string& id, const std::string& lang, const std::string& state, std::int64_t account,
                          const std::string& account_name, const std::string& reason) {
    SQLite::Transaction t(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
    const auto current = note(id, lang);
    if (!current) throw Error("no note '" + id + "' in '" + lang + "'");
    const auto latest = version(id, lang, current->version);
    const std::string now = utc_now();
    add_version(*m_db, id, lang, current->version + 1, latest ? latest->text : "", account, account_name, now, state);
    SQLite::Statement q(*m_db, "UPDATE notes SET state = ?, updated = ?, version = ?, reason = ? WHERE id = ? AND lang = ?");
    q.bind(1, state);
    q.bind(2, now);
    q.bind(3, current->version + 1);
    q.bind(4, reason);
    q.bind(5, id);
    q.bind(6, lang);
    q.exec();
    t.commit();
}

std::vector<NoteVersion> Editorial::versions(const std::string& id, const std::string& lang) {
    SQLite::Statement q(*m_db, "SELECT n, text, account_name, saved, action FROM versions WHERE id = ? AND lang = ? ORDER BY n");
    q.bind(1, id);
    q.bind(2, lang);
    std::vector<NoteVersion> out;
    while (q.executeStep())
        out.push_back({q.getColumn(0).getInt(), q.getColumn(1).getString(), q.getColumn(2).getString(), q.getColumn(3).getString(),
                       q.getColumn(4).getString()});
    return out;
}

std::optional<NoteVersion> Editorial::version(const std::string& id, const std::string& lang, int n) {
    SQLite::Statement q(*m_db, "SELECT n, text, account_name, saved, action FROM versions WHERE id = ? AND lang = ? AND n = ?");
    q.bind(1, id);
    q.bind(2, lang);
    q.bind(3, n);
    if (!q.executeStep()) return std::nullopt;
    return NoteVersion{q.getColumn(0).getInt(), q.getColumn(1).getString(), q.getColumn(2).getString(), q.getColumn(3).getString(),
                       q.getColumn(4).getString()};
}

void Editorial::comment(const std::string& id, const std::string& lang, const std::string& account_name, const std::string& text) {
    const auto current = note(id, lang);
    SQLite::Statement q(*m_db, "INSERT INTO comments (id, lang, version, account_name, at, text) VALUES (?, ?, ?, ?, ?, ?)");
    q.bind(1, id);
    q.bind(2, lang);
    q.bind(3, current ? current->version : 0);
    q.bind(4, account_name);
    q.bind(5, utc_now());
    q.bind(6, text);
    q.exec();
}

std::vector<NoteComment> Editorial::comments(const std::string& id, const std::string& lang) {
    SQLite::Statement q(*m_db, "SELECT version, account_name, at, text FROM comments WHERE id = ? AND lang = ? ORDER BY rowid");
    q.bind(1, id);
    q.bind(2, lang);
    std::vector<NoteComment> out;
    while (q.executeStep())
        out.push_back({q.getColumn(0).getInt(), q.getColumn(1).getString(), q.getColumn(2).getString(), q.getColumn(3).getString()});
    return out;
}

std::vector<NoteEntry> Editorial::by_author(std::int64_t account) {
    return notes_where(*m_db, "WHERE author = ? ORDER BY updated DESC, id", [&](SQLite::Statement& q) { q.bind(1, static_cast<std::int64_t>(account)); });
}

std::vector<NoteEntry> Editorial::in_state(const std::string& state) {
    return notes_where(*m_db, "WHERE state = ? ORDER BY updated, id", [&](SQLite::Statement& q) { q.bind(1, state); });
}

std::vector<NoteEntry> Editorial::all() {
    return notes_where(*m_db, "ORDER BY id, lang", [](SQLite::Statement&) {});
}

void Editorial::add_attachment(const std::string& id, const std::string& lang, const NoteAttachment& a) {
    SQLite::Statement q(*m_db, "INSERT OR REPLACE INTO attachments (id, lang, file, type, bytes, alt, credit, added_by, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, id);
    q.bind(2, lang);
    q.bind(3, a.file);
    q.bind(4, a.type);
    q.bind(5, static_cast<std::int64_t>(a.bytes));
    q.bind(6, a.alt);
    q.bind(7, a.credit);
    q.bind(8, a.added_by);
    q.bind(9, utc_now());
    q.exec();
}

std::vector<NoteAttachment> Editorial::attachments(const std::string& id, const std::string& lang) {
    SQLite::Statement q(*m_db, "SELECT file, type, bytes, alt, credit, added_by, added FROM attachments WHERE id = ? AND lang = ? ORDER BY added, file");
    q.bind(1, id);
    q.bind(2, lang);
    std::vector<NoteAttachment> out;
    while (q.executeStep())
        out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt64(), q.getColumn(3).getString(),
                       q.getColumn(4).getString(), q.getColumn(5).getString(), q.getColumn(6).getString()});
    return out;
}

}  // namespace passerelle
