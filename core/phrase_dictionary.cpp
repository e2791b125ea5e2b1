#include "core/phrase_dictionary.h"

#include <algorithm>

#include "core/fold.h"

namespace passerelle {

void PhraseDictionary::add(const std::string& phrase, Concept c) {
    const std::string key = fold_phrase(phrase);
    if (key.empty()) return;
    auto& list = m_entries[key];
    const bool dup = std::any_of(list.begin(), list.end(), [&](const Concept& x) { return x.type == c.type && x.code == c.code; });
    if (!dup) list.push_back(std::move(c));
    m_longest = std::max(m_longest, static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ') + 1));
}

PhraseDictionary::PhraseDictionary(const Vocabularies& vocab, const std::vector<std::string>& synonym_keys) {
    for (const Term& t : vocab.countries.terms()) {
        add(t.fr, {Concept::Type::country, t.id});
        add(t.en, {Concept::Type::country, t.id});
    }
    const auto add_terms = [&](const TermList& list, Concept::Type type) {
        for (const Term& t : list.terms()) {
            add(t.fr, {type, t.id});
            add(t.en, {type, t.id});
            for (const auto& a : t.aliases) add(a, {type, t.id});
        }
    };
    add_terms(vocab.themes, Concept::Type::theme);
    add_terms(vocab.kinds, Concept::Type::kind);
    for (const std::string& key : synonym_keys) add(key, {Concept::Type::glossary, key});
}

const std::vector<Concept>* PhraseDictionary::find(const std::vector<std::string>& words, std::size_t from,
                                                   std::size_t count) const {
    std::string key;
    for (std::size_t i = from; i < from + count; ++i) {
        if (i > from) key += ' ';
        key += words[i];
    }
    const auto it = m_entries.find(key);
    return it == m_entries.end() ? nullptr : &it->second;
}

}  // namespace passerelle
