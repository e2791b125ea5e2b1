#include "core/catalogue.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "core/diagnostics.h"
#include "core/document_json.h"

namespace passerelle {

namespace {

constexpr const char* k_schema = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents(
  row INTEGER PRIMARY KEY,
  id TEXT NOT NULL, lang TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,
  summary TEXT NOT NULL, date TEXT NOT NULL, year INTEGER NOT NULL,
  visibility TEXT NOT NULL CHECK (visibility IN ('public', 'partners', 'internal')),
  status TEXT NOT NULL, project TEXT NOT NULL, phase TEXT NOT NULL,
  metadata TEXT NOT NULL, body TEXT NOT NULL,
  source TEXT NOT NULL, line INTEGER NOT NULL, hash TEXT NOT NULL,
  gen_from INTEGER NOT NULL, gen_to INTEGER);
CREATE INDEX IF NOT EXISTS documents_key ON documents(id, lang) WHERE gen_to IS NULL;
-- The current versions, covering what a writer loads at its start (Catalogue::for_each_entry):
-- reading it instead of the table (bodies included) keeps a small update of a large index small.
-- Sources are read in order, so a build appends to it.
CREATE INDEX IF NOT EXISTS documents_entries ON documents(source, line, id, lang, hash) WHERE gen_to IS NULL;
CREATE INDEX IF NOT EXISTS documents_id ON documents(id, lang);  -- readers ask for a generation, not gen_to IS NULL
CREATE INDEX IF NOT EXISTS documents_project ON documents(project);
CREATE INDEX IF NOT EXISTS documents_kind ON documents(kind);
CREATE INDEX IF NOT EXISTS documents_gen_from ON documents(gen_from);
CREATE INDEX IF NOT EXISTS documents_gen_to ON documents(gen_to);
CREATE TABLE IF NOT EXISTS indicators(
  doc_row INTEGER NOT NULL REFERENCES documents(row) ON DELETE CASCADE,
  position INTEGER NOT NULL, name TEXT NOT NULL, value REAL NOT NULL, unit TEXT NOT NULL, year INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS indicators_doc ON indicators(doc_row);
CREATE TABLE IF NOT EXISTS ingest_log(
  source TEXT NOT NULL, hash TEXT NOT NULL, documents INTEGER NOT NULL, errors INTEGER NOT NULL,
  indexed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  gen_from INTEGER NOT NULL, gen_to INTEGER);
CREATE INDEX IF NOT EXISTS ingest_log_source ON ingest_log(source) WHERE gen_to IS NULL;
-- When each generation was committed (OAI-PMH datestamps), and the documents that stopped
-- being public at a generation (OAI-PMH deleted records); neither is versioned.
CREATE TABLE IF NOT EXISTS generations(gen INTEGER PRIMARY KEY, committed_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS withdrawn(id TEXT PRIMARY KEY, gen INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS vocabulary_files(
  name TEXT NOT NULL, content TEXT NOT NULL, gen_from INTEGER NOT NULL, gen_to INTEGER);
-- Views for people reading the catalogue with sqlite3: the state of the last completed run.
CREATE VIEW IF NOT EXISTS current_documents AS
  SELECT * FROM documents WHERE gen_from <= (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'generation')
    AND (gen_to IS NULL OR gen_to > (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'generation'));
CREATE VIEW IF NOT EXISTS projects AS SELECT * FROM current_documents WHERE kind = 'project';
CREATE VIEW IF NOT EXISTS translations AS
  SELECT a.id AS id, a.lang AS lang, b.lang AS other_lang, b.title AS other_title
  FROM current_documents a JOIN current_documents b ON a.id = b.id AND a.lang <> b.lang;
CREATE VIEW IF NOT EXISTS current_indicators AS
  SELECT d.id, d.lang, d.project, i.name, i.value, i.unit, i.year
  FROM indicators i JOIN current_documents d ON d.row = i.doc_row;
)SQL";

constexpr const char* k_versioned_tables[] = {"documents", "ingest_log", "vocabulary_files"};

constexpr const char* k_visible = " gen_from <= ?1 AND (gen_to IS NULL OR gen_to > ?1) ";

// Opens `file` for writing: the pragmas and the schema (which changes nothing once created).
std::unique_ptr<SQLite::Database> open_for_writing(const std::filesystem::path& file, int flags) {
    // The busy timeout comes first: readers (a server under load) briefly lock the file as they
    // open it, and the pragmas and schema below must wait for them, not fail.
    auto db = std::make_unique<SQLite::Database>(file.string(), flags, 5000);
    db->exec("PRAGMA journal_mode=WAL");
    db->exec("PRAGMA synchronous=NORMAL");
    db->exec("PRAGMA foreign_keys=ON");
    db->exec(k_schema);
    return db;
}

// A new catalogue is made whole under a temporary name, closed (which empties its WAL into it)
// and only then linked to its name, so that a catalogue, once it exists, always opens, even
// after a kill in the middle of its creation. link(2) fails if another process made it first,
// and that one is used.
void create_catalogue(const std::filesystem::path& file) {
    std::filesystem::create_directories(file.parent_path());
    std::string tmp = file.string() + ".new-XXXXXX";  // see remove_stale_databases
    const int fd = ::mkstemp(tmp.data());
    if (fd < 0) throw Error(file.string() + ": cannot create the catalogue: " + std::strerror(errno));
    ::fchmod(fd, 0644);  // as a file SQLite creates, not mkstemp's 0600
    ::close(fd);
    try {
        open_for_writing(tmp, SQLite::OPEN_READWRITE).reset();
    } catch (...) {
        std::filesystem::remove(tmp);
        throw;
    }
    const int linked = ::link(tmp.c_str(), file.c_str());
    const int err = errno;
    std::filesystem::remove(tmp);
    if (linked != 0 && err != EEXIST) throw Error(file.string() + ": cannot create the catalogue: " + std::strerror(err));
}

}  // namespace

Catalogue::Catalogue(const std::filesystem::path& file, Mode mode) : m_file(file) {
    try {
        if (mode == Mode::read_write) {
            if (!std::filesystem::exists(file)) create_catalogue(file);
            m_db = open_for_writing(file, SQLite::OPEN_READWRITE);
        } else {
            m_db = std::make_unique<SQLite::Database>(file.string(), SQLite::OPEN_READONLY, 5000);
            m_db->exec("PRAGMA mmap_size=268435456");  // readers: pages straight from memory
        }
    } catch (const SQLite::Exception& e) {
        throw Error(file.string() + ": cannot open the catalogue: " + e.what());
    }
}

Catalogue::~Catalogue() = default;

SQLite::Statement& Catalogue::statement(const std::string& sql) {
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) it = m_statements.emplace(sql, std::make_unique<SQLite::Statement>(*m_db, sql)).first;
    it->second->reset();
    it->second->clearBindings();
    return *it->second;
}

void Catalogue::recover(int committed) {
    SQLite::Transaction tx(*m_db);
    for (const char* table : k_versioned_tables) {
        const std::string t = table;
        SQLite::Statement drop(*m_db, "DELETE FROM " + t + " WHERE gen_from > ?1 OR gen_to <= ?1 - 1");
        drop.bind(1, committed);
        drop.exec();
        SQLite::Statement revive(*m_db, "UPDATE " + t + " SET gen_to = NULL WHERE gen_to > ?1");
        revive.bind(1, committed);
        revive.exec();
    }
    tx.commit();
    set_generation(committed);
}

void Catalogue::begin() { m_tx = std::make_unique<SQLite::Transaction>(*m_db); }

void Catalogue::commit() {
    if (m_tx) m_tx->commit();
    m_tx.reset();
}

void Catalogue::rollback() { m_tx.reset(); }

void Catalogue::put_document(const Document& doc, int generation, bool replacing) {
    if (replacing) remove_document(doc.id, doc.lang, generation);
    SQLite::Statement& ins = statement(
        "INSERT INTO documents(id, lang, kind, title, summary, date, year, visibility, status, "
        "project, phase, metadata, body, source, line, hash, gen_from) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    int i = 1;
    for (const std::string* s : {&doc.id, &doc.lang, &doc.kind, &doc.title, &doc.summary, &doc.date}) ins.bind(i++, *s);
    ins.bind(i++, doc.year);
    ins.bind(i++, doc.effective_visibility());
    for (const std::string* s : {&doc.status, &doc.project, &doc.phase}) ins.bind(i++, *s);
    ins.bind(i++, document_to_json(doc).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    ins.bind(i++, doc.body);
    ins.bind(i++, doc.source_path);
    ins.bind(i++, doc.origin.line);
    ins.bind(i++, doc.hash);
    ins.bind(i++, generation);
    ins.exec();
    const long long row = m_db->getLastInsertRowid();
    SQLite::Statement& ind = statement("INSERT INTO indicators(doc_row, position, name, value, unit, year) VALUES(?,?,?,?,?,?)");
    int position = 0;
    for (const Indicator& x : doc.indicators) {
        ind.bind(1, static_cast<int64_t>(row));
        ind.bind(2, position++);
        ind.bind(3, x.name);
        ind.bind(4, x.value);
        ind.bind(5, x.unit);
        ind.bind(6, x.year);
        ind.exec();
        ind.reset();
        ind.clearBindings();
    }
}

void Catalogue::remove_document(const std::string& id, const std::string& lang, int generation) {
    // '+gen_from' keeps the planner on the (id, lang) index.
    SQLite::Statement& drop_new =
        statement("DELETE FROM documents WHERE id = ? AND lang = ? AND +gen_from = ? AND gen_to IS NULL");
    drop_new.bind(1, id);
    drop_new.bind(2, lang);
    drop_new.bind(3, generation);
    drop_new.exec();
    SQLite::Statement& end = statement("UPDATE documents SET gen_to = ? WHERE id = ? AND lang = ? AND gen_to IS NULL");
    end.bind(1, generation);
    end.bind(2, id);
    end.bind(3, lang);
    end.exec();
}

void Catalogue::put_source(const std::string& source, const std::string& hash, int documents, int errors,
                           int generation) {
    remove_source(source, generation);
    SQLite::Statement& ins = statement("INSERT INTO ingest_log(source, hash, documents, errors, gen_from) VALUES(?,?,?,?,?)");
    ins.bind(1, source);
    ins.bind(2, hash);
    ins.bind(3, documents);
    ins.bind(4, errors);
    ins.bind(5, generation);
    ins.exec();
}

void Catalogue::remove_source(const std::string& source, int generation) {
    SQLite::Statement& end = statement("UPDATE ingest_log SET gen_to = ? WHERE source = ? AND gen_to IS NULL");
    end.bind(1, generation);
    end.bind(2, source);
    end.exec();
}

void Catalogue::put_vocabulary_file(const std::string& name, const std::string& content, int generation) {
    SQLite::Statement end(*m_db, "UPDATE vocabulary_files SET gen_to = ? WHERE name = ? AND gen_to IS NULL");
    end.bind(1, generation);
    end.bind(2, name);
    end.exec();
    SQLite::Statement ins(*m_db, "INSERT INTO vocabulary_files(name, content, gen_from) VALUES(?,?,?)");
    ins.bind(1, name);
    ins.bind(2, content);
    ins.bind(3, generation);
    ins.exec();
}

void Catalogue::set_generation(int generation) {
    SQLite::Transaction tx(*m_db);
    SQLite::Statement st(*m_db, "INSERT OR REPLACE INTO meta(key, value) VALUES('generation', ?)");
    st.bind(1, std::to_string(generation));
    st.exec();
    SQLite::Statement at(*m_db, "INSERT OR IGNORE INTO generations(gen, committed_at) VALUES(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    at.bind(1, generation);
    at.exec();
    // A document none of whose versions is public any more was withdrawn at this generation;
    // one that is public again is not. Only the rows this generation ended are looked at, and
    // each id through the (id, lang) index, so the cost follows the change, not the catalogue.
    static const std::string public_at_g =
        "SELECT 1 FROM documents e WHERE e.id = %s AND e.visibility = 'public' AND e.gen_from <= ?1 AND (e.gen_to IS NULL OR e.gen_to > ?1)";
    const auto with = [](const std::string& id) {
        std::string q = public_at_g;
        return q.replace(q.find("%s"), 2, id);
    };
    SQLite::Statement gone(*m_db, "INSERT OR REPLACE INTO withdrawn(id, gen) SELECT DISTINCT d.id, ?1 FROM documents d "
                                  "WHERE d.gen_to = ?1 AND d.visibility = 'public' AND NOT EXISTS (" + with("d.id") + ")");
    gone.bind(1, generation);
    gone.exec();
    SQLite::Statement back(*m_db, "DELETE FROM withdrawn WHERE EXISTS (" + with("withdrawn.id") + ")");
    back.bind(1, generation);
    back.exec();
    tx.commit();
}

// A catalogue written before these tables existed has none until its next indexing run.
bool Catalogue::has_table(const char* name) {
    SQLite::Statement q(*m_db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    q.bind(1, name);
    return q.executeStep();
}

void Catalogue::for_each_public_entry(int g, const std::function<void(std::string_view, std::string_view, int,
                                                                       std::string_view)>& f) {
    SQLite::Statement q(*m_db, std::string("SELECT id, kind, gen_from, metadata FROM documents WHERE visibility = 'public' AND") +
                                   k_visible + "ORDER BY id");
    q.bind(1, g);
    const auto view = [&](int i) {
        const SQLite::Column c = q.getColumn(i);
        return std::string_view(static_cast<const char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes()));
    };
    while (q.executeStep()) f(view(0), view(1), q.getColumn(2).getInt(), view(3));
}

std::vector<std::pair<std::string, int>> Catalogue::withdrawn(int g) {
    std::vector<std::pair<std::string, int>> out;
    if (!has_table("withdrawn")) return out;
    SQLite::Statement q(*m_db, "SELECT id, gen FROM withdrawn WHERE gen <= ? ORDER BY id");
    q.bind(1, g);
    while (q.executeStep()) out.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getInt());
    return out;
}

std::map<int, std::string> Catalogue::generation_times() {
    std::map<int, std::string> out;
    if (!has_table("generations")) return out;
    SQLite::Statement q(*m_db, "SELECT gen, committed_at FROM generations");
    while (q.executeStep()) out[q.getColumn(0).getInt()] = q.getColumn(1).getString();
    return out;
}

std::map<std::string, Catalogue::SourceState> Catalogue::sources(int g) {
    std::map<std::string, SourceState> out;
    SQLite::Statement q(*m_db, std::string("SELECT source, hash, errors, documents FROM ingest_log WHERE") + k_visible);
    q.bind(1, g);
    while (q.executeStep())
        out[q.getColumn(0).getString()] = {q.getColumn(1).getString(), q.getColumn(2).getInt(), q.getColumn(3).getInt()};
    return out;
}

void Catalogue::for_each_entry(const std::function<void(std::string_view, std::string_view, std::string_view,
                                                         std::string_view, int)>& f) {
    // After recover(), the rows visible at the committed generation are those not replaced.
    SQLite::Statement q(*m_db, "SELECT id, lang, source, hash, line FROM documents INDEXED BY documents_entries "
                               "WHERE gen_to IS NULL");
    const auto view = [&](int i) {
        const SQLite::Column c = q.getColumn(i);
        return std::string_view(static_cast<const char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes()));
    };
    while (q.executeStep()) f(view(0), view(1), view(2), view(3), q.getColumn(4).getInt());
}

std::map<std::string, std::string> Catalogue::vocabulary_files(int g) {
    std::map<std::string, std::string> out;
    SQLite::Statement q(*m_db, std::string("SELECT name, content FROM vocabulary_files WHERE") + k_visible);
    q.bind(1, g);
    while (q.executeStep()) out[q.getColumn(0).getString()] = q.getColumn(1).getString();
    return out;
}

int Catalogue::document_count(int g) {
    SQLite::Statement q(*m_db, std::string("SELECT count(*) FROM documents WHERE") + k_visible);
    q.bind(1, g);
    q.executeStep();
    return q.getColumn(0).getInt();
}

namespace {

// "visibility IN (?, ?)" with one placeholder per level, starting at parameter `first`.
std::string in_levels(const std::vector<std::string>& visible, int first) {
    std::string sql = " visibility IN (";
    for (std::size_t i = 0; i < visible.size(); ++i) sql += (i ? ",?" : "?") + std::to_string(first + static_cast<int>(i));
    return sql + ") ";
}

void bind_levels(SQLite::Statement& q, const std::vector<std::string>& visible, int first) {
    for (std::size_t i = 0; i < visible.size(); ++i) q.bind(first + static_cast<int>(i), visible[i]);
}

constexpr const char* k_doc_columns =
    "SELECT row, id, lang, kind, title, summary, date, visibility, project, phase, year, metadata";
constexpr const char* k_doc_columns_d =
    "SELECT d.row, d.id, d.lang, d.kind, d.title, d.summary, d.date, d.visibility, d.project, d.phase, d.year, d.metadata";

StoredDocument read_row(SQLite::Statement& q) {
    StoredDocument d;
    d.id = q.getColumn(1).getString();
    d.lang = q.getColumn(2).getString();
    d.kind = q.getColumn(3).getString();
    d.title = q.getColumn(4).getString();
    d.summary = q.getColumn(5).getString();
    d.date = q.getColumn(6).getString();
    d.visibility = q.getColumn(7).getString();
    d.project = q.getColumn(8).getString();
    d.phase = q.getColumn(9).getString();
    d.year = q.getColumn(10).getInt();
    d.metadata = q.getColumn(11).getString();
    return d;
}

std::vector<Indicator> read_indicators(SQLite::Database& db, int64_t row) {
    std::vector<Indicator> out;
    SQLite::Statement q(db, "SELECT name, value, unit, year FROM indicators WHERE doc_row = ? ORDER BY position");
    q.bind(1, row);
    while (q.executeStep())
        out.push_back({q.getColumn(0).getString(), q.getColumn(1).getDouble(), q.getColumn(2).getString(), q.getColumn(3).getInt(), std::nullopt});
    return out;
}

}  // namespace

std::optional<StoredDocument> Catalogue::document(const std::string& id, const std::string& lang, int g,
                                                  const std::vector<std::string>& visible) {
    if (visible.empty()) return std::nullopt;
    SQLite::Statement q(*m_db, std::string(k_doc_columns) + ", body FROM documents WHERE id = ?2 AND lang = ?3 AND" +
                                   k_visible + "AND" + in_levels(visible, 4));
    q.bind(1, g);
    q.bind(2, id);
    q.bind(3, lang);
    bind_levels(q, visible, 4);
    if (!q.executeStep()) return std::nullopt;
    StoredDocument d = read_row(q);
    d.body = q.getColumn(12).getString();
    d.indicators = read_indicators(*m_db, q.getColumn(0).getInt64());
    return d;
}

std::vector<StoredDocument> Catalogue::versions(const std::string& id, int g, const std::vector<std::string>& visible) {
    std::vector<StoredDocument> out;
    if (visible.empty()) return out;
    SQLite::Statement q(*m_db, std::string(k_doc_columns) + " FROM documents WHERE id = ?2 AND" + k_visible + "AND" +
                                   in_levels(visible, 3) + "ORDER BY lang");
    q.bind(1, g);
    q.bind(2, id);
    bind_levels(q, visible, 3);
    while (q.executeStep()) out.push_back(read_row(q));
    return out;
}

std::string Catalogue::source_file(const std::string& id, const std::string& lang, int g) {
    SQLite::Statement q(*m_db, std::string("SELECT source FROM documents WHERE id = ?2 AND lang = ?3 AND") + k_visible);
    q.bind(1, g);
    q.bind(2, id);
    q.bind(3, lang);
    return q.executeStep() ? q.getColumn(0).getString() : "";
}

std::map<std::string, std::vector<std::string>> Catalogue::languages(const std::vector<std::string>& ids, int g,
                                                                   const std::vector<std::string>& visible) {
    std::map<std::string, std::vector<std::string>> out;
    for (auto& [id, versions] : this->versions(ids, g, visible))
        for (auto& [lang, title] : versions) out[id].push_back(std::move(lang));
    return out;
}

std::map<std::string, std::vector<std::pair<std::string, std::string>>> Catalogue::versions(
    const std::vector<std::string>& ids, int g, const std::vector<std::string>& visible) {
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> out;
    if (visible.empty() || ids.empty()) return out;
    // One statement (one read transaction, one lock) for every id.
    std::string sql = "SELECT id, lang, title FROM documents WHERE id IN (";
    const int first_level = 2 + static_cast<int>(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) sql += (i ? ",?" : "?") + std::to_string(2 + i);
    sql += ") AND" + std::string(k_visible) + "AND" + in_levels(visible, first_level) + "ORDER BY lang";
    SQLite::Statement& q = statement(sql);
    q.bind(1, g);
    for (std::size_t i = 0; i < ids.size(); ++i) q.bind(static_cast<int>(2 + i), ids[i]);
    bind_levels(q, visible, first_level);
    while (q.executeStep())
        out[q.getColumn(0).getString()].emplace_back(q.getColumn(1).getString(), q.getColumn(2).getString());
    return out;
}

std::vector<StoredDocument> Catalogue::project_documents(const std::string& project, int g,
                                                         const std::vector<std::string>& visible) {
    std::vector<StoredDocument> out;
    if (visible.empty() || project.empty()) return out;
    SQLite::Statement q(*m_db, std::string(k_doc_columns) + " FROM documents WHERE project = ?2 AND" + k_visible + "AND" +
                                   in_levels(visible, 3) + "ORDER BY kind, id, lang");
    q.bind(1, g);
    q.bind(2, project);
    bind_levels(q, visible, 3);
    while (q.executeStep()) out.push_back(read_row(q));
    return out;
}

std::vector<StoredDocument> Catalogue::projects(int g, const std::vector<std::string>& visible) {
    std::vector<StoredDocument> out;
    if (visible.empty()) return out;
    SQLite::Statement q(*m_db, std::string(k_doc_columns) + " FROM documents WHERE kind = 'project' AND" + k_visible +
                                   "AND" + in_levels(visible, 2) + "ORDER BY id, lang");
    q.bind(1, g);
    bind_levels(q, visible, 2);
    while (q.executeStep()) out.push_back(read_row(q));
    return out;
}

std::vector<StoredDocument> Catalogue::latest(int g, const std::vector<std::string>& visible, const std::string& lang,
                                              std::size_t limit) {
    std::vector<StoredDocument> out;
    if (visible.empty() || limit == 0) return out;
    SQLite::Statement q(*m_db, std::string(k_doc_columns) + " FROM documents WHERE" + k_visible + "AND" + in_levels(visible, 2) +
                                   "ORDER BY gen_from DESC, date DESC, id, lang LIMIT " + std::to_string(limit * 8));
    q.bind(1, g);
    bind_levels(q, visible, 2);
    std::map<std::string, std::size_t> at;  // id -> its place in out
    while (q.executeStep()) {
        StoredDocument d = read_row(q);
        const auto it = at.find(d.id);
        if (it == at.end()) {
            if (out.size() == limit) continue;  // (a later row may still be a better version of one kept)
            at.emplace(d.id, out.size());
            out.push_back(std::move(d));
        } else if (d.lang == lang && out[it->second].lang != lang) {
            out[it->second] = std::move(d);
        }
    }
    return out;
}

std::vector<std::pair<StoredDocument, Indicator>> Catalogue::project_indicators(const std::string& project, int g,
                                                                                const std::vector<std::string>& visible) {
    std::vector<std::pair<StoredDocument, Indicator>> out;
    if (visible.empty()) return out;
    SQLite::Statement q(*m_db, std::string(k_doc_columns_d) +
                                   ", i.name, i.value, i.unit, i.year FROM documents d JOIN indicators i ON i.doc_row = d.row "
                                   "WHERE (d.id = ?2 OR d.project = ?2) AND d.gen_from <= ?1 AND (d.gen_to IS NULL OR "
                                   "d.gen_to > ?1) AND d." + in_levels(visible, 3).substr(1) + "ORDER BY d.id, d.lang, i.position");
    q.bind(1, g);
    q.bind(2, project);
    bind_levels(q, visible, 3);
    while (q.executeStep())
        out.emplace_back(read_row(q), Indicator{q.getColumn(12).getString(), q.getColumn(13).getDouble(),
                                                q.getColumn(14).getString(), q.getColumn(15).getInt(), std::nullopt});
    return out;
}

std::vector<Catalogue::Entry> Catalogue::entries(int g, const std::vector<std::string>& visible) {
    std::vector<Entry> out;
    if (visible.empty()) return out;
    SQLite::Statement q(*m_db, std::string("SELECT id, lang, kind, title, gen_from FROM documents WHERE") + k_visible + "AND" +
                                   in_levels(visible, 2) + "ORDER BY id, lang");
    q.bind(1, g);
    bind_levels(q, visible, 2);
    while (q.executeStep())
        out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(), q.getColumn(3).getString(),
                       q.getColumn(4).getInt()});
    return out;
}

}  // namespace passerelle
