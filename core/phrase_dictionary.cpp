#include "core/phrase_dictionary.h"

#include <algorithm>

#include "core/fold.h"
#include "core/index_schema.h"
#include "core/folding_stem.h"

namespace passerelle {

std::string PhraseDictionary::key(const std::string& lang, const std::vector<std::string>& words, std::size_t from,
                                  std::size_t count) {
    auto it = m_stems.find(lang);
    if (it == m_stems.end()) it = m_stems.emplace(lang, make_folding_stem(lang)).first;
    std::string k = lang + ":";
    for (std::size_t i = from; i < from + count; ++i) {
        if (i > from) k += ' ';
        k += it->second(words[i]);
    }
    return k;
}

void PhraseDictionary::add(const std::string& lang, const std::string& phrase, const Concept& c) {
    const std::vector<std::string> words = fold_words(phrase);
    if (words.empty()) return;
    for (const std::string l : {"fr", "en"}) {
        if (!lang.empty() && lang != l) continue;
        auto& list = m_entries[key(l, words, 0, words.size())];
        const bool dup = std::any_of(list.begin(), list.end(), [&](const Concept& x) { return x.type == c.type && x.code == c.code; });
        if (!dup) list.push_back(c);
    }
    m_longest = std::max(m_longest, words.size());
}

PhraseDictionary::PhraseDictionary(const Vocabularies& vocab,
                                   const std::vector<std::pair<std::string, std::vector<std::string>>>& glossary) {
    for (const Term& t : vocab.countries.terms()) {
        add("fr", t.fr, {Concept::Type::country, t.id});
        add("en", t.en, {Concept::Type::country, t.id});
    }
    const auto add_terms = [&](const TermList& list, Concept::Type type) {
        for (const Term& t : list.terms()) {
            add("fr", t.fr, {type, t.id});
            add("en", t.en, {type, t.id});
            for (const auto& a : t.aliases) add("", a, {type, t.id});
        }
    };
    add_terms(vocab.themes, Concept::Type::theme);
    add_terms(vocab.kinds, Concept::Type::kind);
    add_terms(vocab.phases, Concept::Type::phase);
    add_terms(vocab.sectors, Concept::Type::sector);
    for (const auto& [k, expansions] : glossary) {
        for (const std::string& e : expansions) {
            if (const auto form = schema::split_glossary_expansion(e)) add(form->lang, form->phrase, {Concept::Type::glossary, k});
        }
    }
}

std::vector<Concept> PhraseDictionary::find(const std::vector<std::string>& words, std::size_t from, std::size_t count) {
    std::vector<Concept> out;
    for (const std::string l : {"fr", "en"}) {
        const auto it = m_entries.find(key(l, words, from, count));
        if (it == m_entries.end()) continue;
        for (const Concept& c : it->second) {
            const bool dup = std::any_of(out.begin(), out.end(), [&](const Concept& x) { return x.type == c.type && x.code == c.code; });
            if (!dup) out.push_back(c);
        }
    }
    return out;
}

}  // namespace passerelle
