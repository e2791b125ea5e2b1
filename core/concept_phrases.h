// Glossary phrases found in a document's text, indexed as one term each, so that a query
// naming a glossary concept matches its translations ("renforcement des capacités" for
// "capacity building") with one posting list instead of a phrase check on every candidate.
//
// A phrase is found where its content words (stopwords left out) follow one another in the
// text, stemmed as the document's language stems them, within as many positions as the
// phrase has words: what the query planner's phrase query for it matches. Its term is
// schema::k_concept + "<lang>:<folded phrase>", the glossary synonym's own expansion string.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "core/vocabulary.h"

namespace passerelle {

// The term a glossary form is indexed under, from its synonym expansion ("fr:eau potable"),
// or "" when the form is not indexed as a concept: fewer than two or more than
// k_concept_words_max content words (one word is its own term), or too long for a term.
std::string concept_term(const std::string& expansion);
inline constexpr std::size_t k_concept_words_max = 8;

// The words of `folded_words` a phrase query checks: the content words, or all of them when
// every word is a stopword.
std::vector<std::string> phrase_content_words(const std::vector<std::string>& folded_words);

// Finds the glossary's phrases in the text of documents of one language.
class ConceptMatcher {
  public:
    // Tag of a word for WordStems: -1 a stopword, 0 a word of no phrase, else its stem's id.
    int tag(const std::string& folded, const std::string& stem) const;

    // Forgets the words seen (between fields: a phrase does not span them).
    void reset() { m_seen = 0; }
    // The next word of the text, at position `pos`, with its tag; calls `found` with the
    // term of every phrase that ends with it.
    void word(int tag, Xapian::termpos pos, const std::function<void(const std::string&)>& found);

  private:
    friend class ConceptPhrases;
    struct Pattern {
        std::vector<int> ids;  // content stems, in order
        Xapian::termpos window;
        std::string term;
    };
    std::unordered_map<std::string, int> m_ids;  // stem -> id (from 1)
    std::vector<Pattern> m_patterns;
    std::vector<std::vector<std::size_t>> m_ending_with;  // stem id -> patterns ending with it
    std::array<std::pair<int, Xapian::termpos>, k_concept_words_max> m_recent{};  // ring of content words
    std::size_t m_seen = 0;  // content words in the ring's history since reset()
};

// The glossary's phrases, and a matcher per document language made on first use.
// Immutable once built, so one set is shared by the indexer's threads; matchers are not
// (make one per writer with matcher()).
class ConceptPhrases {
  public:
    explicit ConceptPhrases(const Vocabularies& vocab);
    // A new matcher for documents in `lang`.
    std::unique_ptr<ConceptMatcher> matcher(const std::string& lang) const;
    std::size_t size() const { return m_forms.size(); }

  private:
    struct Form {
        std::vector<std::string> words;  // content words, folded
        Xapian::termpos window;          // all its words
        std::string term;
    };
    std::vector<Form> m_forms;
};

}  // namespace passerelle
