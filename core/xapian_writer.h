// Writes the Xapian side of the index: documents, spelling dictionary, glossary synonyms and
// the generation number. The only file that writes Xapian databases.
//
// A run is one Xapian transaction: nothing is visible to readers, nor on disk as committed,
// until commit(); the generation is stored in the same commit, which is what makes it the
// single point at which a run takes effect (see core/catalogue.h).
#pragma once

#include <xapian.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/concept_phrases.h"
#include "core/document.h"
#include "core/folding_stem.h"
#include "core/index_schema.h"

namespace passerelle {

struct SynonymSet {
    std::string key;                   // a folded phrase
    std::vector<std::string> expansions;  // folded phrases it also means
};

class XapianWriter {
  public:
    // Opens or creates the database in `dir` (parents created). Throws Error when it is locked
    // by another writer or cannot be opened.
    explicit XapianWriter(const std::filesystem::path& dir);
    // For private build shard `shard` of `shards`: no transaction, Xapian flushes as it goes
    // (bounded memory). New documents get the document numbers shard+1, shard+1+shards, ...,
    // so that a number is never used by two shards: a reader of the shards together (a stub)
    // is given a document's number within its shard (Xapian::Document::get_docid), and this
    // makes that number say which document it is (see core/facet_spy.h).
    static XapianWriter for_shard(const std::filesystem::path& dir, unsigned shard = 0, unsigned shards = 1);
    XapianWriter(XapianWriter&&) noexcept;
    ~XapianWriter();

    int generation() const;  // last committed generation, 0 for a new database
    Xapian::doccount doc_count() const { return m_db.get_doccount(); }

    // The index holds documents written under an older schema (a new one never does).
    bool schema_outdated() const { return m_schema < schema::k_schema_version; }
    // The documents written from now on are of the current schema; so is the index, at the next
    // commit, once every document has been written again (the indexer knows when).
    void set_schema_current() { m_schema = schema::k_schema_version; }
    // The glossary phrases to index as concept terms (none until set).
    void set_concepts(std::shared_ptr<const ConceptPhrases> concepts);

    void begin();
    // Adds or replaces the language version; `may_exist` false skips looking for an old one.
    void replace(const Document& doc, const std::string& plain_body, bool may_exist = true);
    void remove(const std::string& id, const std::string& lang);
    void set_synonyms(const std::vector<SynonymSet>& sets);  // replaces all synonyms
    void commit(int generation);
    // Writes the buffered documents out without making them a generation: for the shards of a
    // build, whose memory this bounds. Outside a transaction only.
    void flush();
    void cancel();
    // Hands over the spelling words counted since the last commit (net of removals) instead
    // of writing them here; a parallel build merges its shards' words once, in the final database.
    std::unordered_map<std::string, int> take_spelling();
    void add_spelling(const std::unordered_map<std::string, int>& words);

  private:
    // What writing documents of one language needs: stems counted into m_added, stems counted
    // into m_removed, and a concept matcher.
    struct Language {
        std::unique_ptr<WordStems> added, removed;
        std::unique_ptr<ConceptMatcher> concepts;
    };
    Language& language(const std::string& lang);
    void flush_spelling();

    Xapian::WritableDatabase m_db;
    int m_schema;  // written at commit
    std::shared_ptr<const ConceptPhrases> m_concepts;
    std::map<std::string, Language> m_languages;
    bool m_in_transaction = false;
    bool m_transactional = true;
    Xapian::docid m_next_docid = 0, m_docid_step = 0;  // explicit numbers, for shards
    SpellingCollector m_added, m_removed;
};

// Documents in the database at `path` (a folder or a stub), opened read-only.
std::size_t count_documents(const std::filesystem::path& path);

// Merges databases into one new database at `dest` (which must not exist): documents,
// spelling (frequencies added), synonyms, and the metadata of the first. Throws Error on failure.
void merge_databases(const std::vector<std::filesystem::path>& sources, const std::filesystem::path& dest);

}  // namespace passerelle
