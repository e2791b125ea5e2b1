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

#include "core/document.h"
#include "core/folding_stem.h"

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
    ~XapianWriter();

    int generation() const;  // last committed generation, 0 for a new database
    Xapian::doccount doc_count() const { return m_db.get_doccount(); }

    void begin();
    void replace(const Document& doc, const std::string& plain_body);
    void remove(const std::string& id, const std::string& lang);
    void set_synonyms(const std::vector<SynonymSet>& sets);  // replaces all synonyms
    void commit(int generation);
    void cancel();

  private:
    Xapian::TermGenerator& generator_for(const std::string& lang, SpellingCollector& collector);
    void flush_spelling();

    Xapian::WritableDatabase m_db;
    bool m_in_transaction = false;
    SpellingCollector m_added, m_removed;
    std::map<std::string, Xapian::TermGenerator> m_generators;         // per language, counting into m_added
    std::map<std::string, Xapian::TermGenerator> m_removal_generators;  // per language, counting into m_removed
};

}  // namespace passerelle
