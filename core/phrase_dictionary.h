// What a query may name: countries, themes, kinds, phases, DAC sectors (by label or alias, in French or English) and
// glossary terms. Phrases are keyed by their words' stems in French and in English, so that
// "boreholes" finds the glossary's "borehole" and "écoles" the alias "école". The query
// planner looks the longest phrases up in the words a person typed.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <xapian.h>

#include "core/vocabulary.h"

namespace passerelle {

struct Concept {
    enum class Type { country, theme, kind, phase, sector, glossary };
    Type type;
    std::string code;  // country or sector code, theme or kind id; for glossary, the folded key
};

class PhraseDictionary {
  public:
    // `glossary`: each stored synonym key with its expansions ("fr:eau potable", ...).
    PhraseDictionary(const Vocabularies& vocab,
                     const std::vector<std::pair<std::string, std::vector<std::string>>>& glossary);

    // Concepts named by `words` (folded), compared by their French or English stems.
    // `language`, when given, is set to the language whose phrase matched ("fr" or "en"), or
    // "" when both do or none ("mangrove", "Agriculture"): a hint of the query's language.
    std::vector<Concept> find(const std::vector<std::string>& words, std::size_t from, std::size_t count,
                              std::string* language = nullptr);
    std::size_t longest() const { return m_longest; }

  private:
    // lang "" = both stemmings; `written_in`: the language the phrase is written in, if known.
    void add(const std::string& lang, const std::string& phrase, const Concept& c, const std::string& written_in = "");
    std::string key(const std::string& lang, const std::vector<std::string>& words, std::size_t from, std::size_t count);

    std::map<std::string, std::vector<Concept>> m_entries;  // "fr:" or "en:" + stems joined by spaces
    std::set<std::string> m_forms;  // "fr:" or "en:" + the folded words of each phrase, as written
    std::map<std::string, Xapian::Stem> m_stems;
    std::size_t m_longest = 1;
};

}  // namespace passerelle
