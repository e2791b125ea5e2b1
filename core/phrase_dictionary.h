// What a query may name: countries, themes, kinds (by label or alias, in French or English) and
// glossary terms, keyed by folded phrase. The query planner looks the longest phrases up in
// the words a person typed.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/vocabulary.h"

namespace passerelle {

struct Concept {
    enum class Type { country, theme, kind, glossary };
    Type type;
    std::string code;  // country code, theme or kind id; for glossary, the folded key
};

class PhraseDictionary {
  public:
    // `synonym_keys`: the folded glossary phrases stored in the index.
    PhraseDictionary(const Vocabularies& vocab, const std::vector<std::string>& synonym_keys);

    // Concepts named by exactly `words` (folded), or nothing.
    const std::vector<Concept>* find(const std::vector<std::string>& words, std::size_t from, std::size_t count) const;
    std::size_t longest() const { return m_longest; }

  private:
    void add(const std::string& phrase, Concept c);

    std::map<std::string, std::vector<Concept>> m_entries;
    std::size_t m_longest = 1;
};

}  // namespace passerelle
