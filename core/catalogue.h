// The SQLite catalogue: documents with all their metadata, translations, projects, indicators,
// the vocabularies the index was built with, and the ingest log of each source's content hash.
// With core/accounts.cpp, one of the two files that use SQLiteCpp.
//
// Versioning: every row carries the generation that created it (gen_from) and the one that
// replaced it (gen_to, NULL while current). A row is visible at generation G when
// gen_from <= G < gen_to. Readers use the generation committed in the Xapian index, so a
// run's catalogue rows stay invisible until its Xapian commit; a writer first calls recover()
// to drop the rows of a run that never reached that commit. Not thread-safe: one per thread.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/document.h"

namespace SQLite {
class Database;
class Statement;
class Transaction;
}  // namespace SQLite

namespace passerelle {

// One language version as the catalogue stores it, for display.
struct StoredDocument {
    std::string id, lang, kind, title, summary, date, visibility, project, phase;
    int year = 0;
    std::string metadata;  // every field as JSON (see core/document_json.h)
    std::string body;      // Markdown
    std::vector<Indicator> indicators;
};

class Catalogue {
  public:
    enum class Mode { read_only, read_write };
    // Opens (or, read-write, creates) `file`. Throws Error naming the file on failure.
    Catalogue(const std::filesystem::path& file, Mode mode);
    ~Catalogue();

    // --- writer ---
    // Drops rows newer than `committed` (a run that died before its Xapian commit), revives rows
    // that such a run had replaced, and deletes rows no reader at `committed` or later can see.
    void recover(int committed);
    void begin();
    void commit();
    void rollback();
    // Writes a new version; `replacing` says whether a current version exists (to end it).
    void put_document(const Document& doc, int generation, bool replacing = true);
    void remove_document(const std::string& id, const std::string& lang, int generation);
    void put_source(const std::string& source, const std::string& hash, int documents, int errors, int generation);
    void remove_source(const std::string& source, int generation);
    void put_vocabulary_file(const std::string& name, const std::string& content, int generation);
    void set_generation(int generation);  // for humans using views; code passes G explicitly

    // --- reader, at generation g ---
    struct SourceState {
        std::string hash;
        int errors = 0;
        int documents = 0;  // it defined at its last run
    };
    std::map<std::string, SourceState> sources(int g);
    // Every current version with where it was read from, as a writer needs to know it after
    // recover(): one at a time and without copies (the views last for the call). Reads an index
    // that covers these columns, not the table.
    void for_each_entry(const std::function<void(std::string_view id, std::string_view lang, std::string_view source,
                                                 std::string_view hash, int line)>& f);
    std::map<std::string, std::string> vocabulary_files(int g);
    int document_count(int g);

    // --- reader, at generation g, limited to the visibility levels in `visible` ---
    std::optional<StoredDocument> document(const std::string& id, const std::string& lang, int g,
                                           const std::vector<std::string>& visible);
    // Every visible language version of `id` (without body), ordered by language.
    std::vector<StoredDocument> versions(const std::string& id, int g, const std::vector<std::string>& visible);
    // The file a version was read from (as the indexer keyed it), or "" when there is none.
    std::string source_file(const std::string& id, const std::string& lang, int g);
    // Every public version at generation `g`, one at a time and without copies, ordered by id
    // (the views last for the call).
    void for_each_public_entry(int g, const std::function<void(std::string_view id, std::string_view kind, int gen_from,
                                                               std::string_view metadata)>& f);
    // Documents none of whose versions is public any more, with the generation they stopped
    // being public at (at or before `g`).
    std::vector<std::pair<std::string, int>> withdrawn(int g);
    // When each generation was committed (UTC, YYYY-MM-DDThh:mm:ssZ); generations committed
    // before the catalogue recorded this are missing.
    std::map<int, std::string> generation_times();
    // Visible documents whose `project` field is `project` (without body), by kind then id.
    std::vector<StoredDocument> project_documents(const std::string& project, int g,
                                                  const std::vector<std::string>& visible);
    // The visible language versions of each of `ids`.
    std::map<std::string, std::vector<std::string>> languages(const std::vector<std::string>& ids, int g,
                                                              const std::vector<std::string>& visible);
    // The visible language versions of each of `ids`, as (language, title), by language.
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> versions(const std::vector<std::string>& ids, int g,
                                                                                     const std::vector<std::string>& visible);
    // Every visible version: id, lang, kind, title and the generation it was last written at
    // (gen_from), by id then language: what the translations page compares.
    struct Entry {
        std::string id, lang, kind, title;
        int written = 0;
    };
    std::vector<Entry> entries(int g, const std::vector<std::string>& visible);
    // Visible project records (kind project), one row per language version, without body.
    std::vector<StoredDocument> projects(int g, const std::vector<std::string>& visible);
    // The documents written last into the index (the latest generations first, then by date),
    // one version of each (in `lang` where there is one); at most `limit`.
    std::vector<StoredDocument> latest(int g, const std::vector<std::string>& visible, const std::string& lang, std::size_t limit);
    // Indicators of the visible documents whose id is `project` or whose project is `project`.
    std::vector<std::pair<StoredDocument, Indicator>> project_indicators(const std::string& project, int g,
                                                                         const std::vector<std::string>& visible);

  private:
    bool has_table(const char* name);
    SQLite::Statement& statement(const std::string& sql);  // prepared once, reset for reuse

    std::unique_ptr<SQLite::Database> m_db;
    std::map<std::string, std::unique_ptr<SQLite::Statement>> m_statements;
    std::unique_ptr<SQLite::Transaction> m_tx;
    std::filesystem::path m_file;
};

}  // namespace passerelle
