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

void PhraseDictionary::add(const std::string& lang, const std::string& phrase, const Concept& c,
                           const std::string& written_in) {
    const std::vector<std::string> words = fold_words(phrase);
    if (words.empty()) return;
    std::string folded;
    for (const std::string& w : words) folded += (folded.empty() ? "" : " ") + w;
    for (const std::string l : {"fr", "en"}) {
        if (!lang.empty() && lang != l) continue;
        if (!lang.empty() || !written_in.empty()) m_forms.insert((lang.empty() ? written_in : lang) + ":" + folded);
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
            for (const auto& a : t.aliases) {
                const bool fr = std::find(t.aliases_fr.begin(), t.aliases_fr.end(), a) != t.aliases_fr.end();
                const bool en = std::find(t.aliases_en.begin(), t.aliases_en.end(), a) != t.aliases_en.end();
                add("", a, {type, t.id}, fr == en ? "" : fr ? "fr" : "en");
            }
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

std::vector<Concept> PhraseDictionary::find(const std::vector<std::string>& words, std::size_t from, std::size_t count,
                                           std::string* language) {
    std::vector<Concept> out;
    if (language) {  // the language whose phrase the words are, as written
        std::string folded;
        for (std::size_t i = from; i < from + count; ++i) folded += (i > from ? " " : "") + words[i];
        const bool fr = m_forms.count("fr:" + folded) > 0, en = m_forms.count("en:" + folded) > 0;
        *language = fr == en ? "" : fr ? "fr" : "en";
    }
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
