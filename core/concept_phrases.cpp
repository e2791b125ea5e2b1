#include "core/concept_phrases.h"

#include <set>

#include "core/fold.h"
#include "core/folding_stem.h"
#include "core/index_schema.h"
#include "core/stopwords.h"

namespace passerelle {

std::vector<std::string> phrase_content_words(const std::vector<std::string>& folded_words) {
    std::vector<std::string> out;
    for (const std::string& w : folded_words)
        if (folded_words.size() == 1 || !is_stopword(w)) out.push_back(w);
    return out.empty() ? folded_words : out;
}

std::string concept_term(const std::string& expansion) {
    const auto form = schema::split_glossary_expansion(expansion);
    if (!form) return {};
    const std::size_t n = phrase_content_words(fold_words(form->phrase)).size();
    if (n < 2 || n > k_concept_words_max) return {};
    std::string term = std::string(schema::k_concept) + expansion;
    if (term.size() > schema::k_max_term_bytes) return {};
    return term;
}

int ConceptMatcher::tag(const std::string& folded, const std::string& stem) const {
    if (is_stopword(folded)) return -1;
    const auto it = m_ids.find(stem);
    return it == m_ids.end() ? 0 : it->second;
}

void ConceptMatcher::word(int tag, Xapian::termpos pos, const std::function<void(const std::string&)>& found) {
    if (tag < 0) return;  // stopwords neither break nor make a phrase
    m_recent[m_seen % m_recent.size()] = {tag, pos};
    ++m_seen;
    if (tag == 0) return;
    for (const std::size_t pi : m_ending_with[static_cast<std::size_t>(tag)]) {
        const Pattern& p = m_patterns[pi];
        const std::size_t n = p.ids.size();
        if (n > m_seen) continue;
        const auto& first = m_recent[(m_seen - n) % m_recent.size()];
        if (pos - first.second + 1 > p.window) continue;
        bool same = true;
        for (std::size_t k = 0; k + 1 < n && same; ++k)
            same = m_recent[(m_seen - n + k) % m_recent.size()].first == p.ids[k];
        if (same) found(p.term);
    }
}

ConceptPhrases::ConceptPhrases(const Vocabularies& vocab) {
    std::set<std::string> seen;
    for (const GlossaryEntry& e : vocab.glossary) {
        for (const auto& [lang, forms] : {std::pair{"fr", &e.fr}, std::pair{"en", &e.en}}) {
            for (const std::string& f : *forms) {
                const std::string phrase = fold_phrase(f);
                std::string term = concept_term(schema::glossary_expansion(lang, phrase));
                if (term.empty() || !seen.insert(term).second) continue;
                const std::vector<std::string> words = fold_words(phrase);
                m_forms.push_back({phrase_content_words(words), static_cast<Xapian::termpos>(words.size()), std::move(term)});
            }
        }
    }
}

std::unique_ptr<ConceptMatcher> ConceptPhrases::matcher(const std::string& lang) const {
    auto m = std::make_unique<ConceptMatcher>();
    Xapian::Stem stem = make_folding_stem(lang);
    m->m_ending_with.emplace_back();  // id 0: no phrase
    for (const Form& f : m_forms) {
        ConceptMatcher::Pattern p{{}, f.window, f.term};
        for (const std::string& w : f.words) {
            auto [it, added] = m->m_ids.emplace(stem(w), static_cast<int>(m->m_ids.size() + 1));
            if (added) m->m_ending_with.emplace_back();
            p.ids.push_back(it->second);
        }
        m->m_ending_with[static_cast<std::size_t>(p.ids.back())].push_back(m->m_patterns.size());
        m->m_patterns.push_back(std::move(p));
    }
    return m;
}

}  // namespace passerelle
