// Turns what a person typed into a Xapian query. Natural queries (several words, any accents
// and case) and the query language ("phrases", -word, +word, title:word, country:sn, OR,
// wildcards*) both work. The query is read against the vocabularies: a phrase naming a
// country, theme or kind in French or English also matches documents tagged with it, and a
// glossary term also matches its translations and synonyms (through the concept terms of an
// index of schema 2, see core/concept_phrases.h, else phrase queries). Not thread-safe (owns QueryParsers).
#pragma once

#include <xapian.h>

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/phrase_dictionary.h"
#include "core/vocabulary.h"

namespace passerelle {

struct PlannedQuery {
    Xapian::Query query;                  // what to match (match_all() for browsing)
    Xapian::Query filter;                 // filters written in the query (country:sn ...), or empty
    std::vector<std::string> plain_words;  // words typed outside operators and vocabulary, for spelling
    bool browse = false;                  // nothing to match: list everything allowed
    // The concepts of the query that are graded (a word, or a phrase of the vocabularies or the
    // glossary): each one a document matches adds k_concept_weight to its weight, so documents
    // matching all of them come first, then those matching all but one, and so on. A document
    // matching every concept weighs at least concepts * k_concept_weight.
    std::size_t concepts = 0;
    // The language the query is written in, as far as its words tell ("fr", "en"), or "".
    std::string language;
};

// How the words of a query must match. `most`: every document matching any concept is a hit,
// those matching more concepts first. `all`: every concept must match.
enum class MatchMode { most, all };

// What one query may ask, so that any query costs bounded time: its length, its words, and its
// wildcards, each of which expands to at most 200 words of the index (docs/api.md).
namespace query_limits {
constexpr std::size_t k_bytes = 1000;
constexpr std::size_t k_words = 32;
constexpr std::size_t k_wildcards = 4;
constexpr std::size_t k_wildcard_prefix = 3;  // letters before a wildcard's '*'
}  // namespace query_limits

// Raised for a query the parser cannot read, or one over the limits; what() says what is wrong.
class QuerySyntaxError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// How a graded query adds k_concept_weight for each concept a document matches: through the
// Enquire's weighting scheme (GradedWeight, core/graded_weight.h; one index), or through a
// posting source filtered by the concept (any shards: remote ones know only Xapian's schemes).
// Both give every document the same weight.
// `weighting_scheme_without_max`: the weighting scheme, except for a concept with tags, whose
// leaf would be the OP_MAX of its words' and its tags': over several local databases (the
// shards a parallel build leaves behind a stub), where Xapian 1.4.22 crashes in OP_MAX weighed
// by GradedWeight.
enum class ConceptBonus { weighting_scheme, weighting_scheme_without_max, posting_source };

class QueryPlanner {
  public:
    // A concept's query: its words, their translations and synonyms (weighed as one term); the
    // tags that also match it, and their boost (k_tag_boost), or empty queries.
    struct ConceptQuery {
        Xapian::Query match;
        Xapian::Query tags;
        Xapian::Query boosts;
    };
    // `db` is searched (it expands wildcards); `lexicon` supplies the glossary synonyms (the same
    // database, or a local one for remote shards, which do not serve synonyms). Both must
    // outlive the planner.
    // Unless ConceptBonus::posting_source, searches of its plans must weigh with GradedWeight.
    QueryPlanner(const Vocabularies& vocab, const Xapian::Database& db, const Xapian::Database& lexicon,
                 ConceptBonus bonus = ConceptBonus::posting_source);
    ConceptBonus bonus() const { return m_bonus; }
    ~QueryPlanner();

    // Throws QuerySyntaxError for a query over query_limits. `languages`: the languages whose
    // stemming the query is parsed with (French and English always). Phrases, +word and
    // boolean operators are always strict; `mode` says how the other concepts match.
    PlannedQuery plan(const std::string& text, MatchMode mode, const std::vector<std::string>& languages);

    // The folded, stemmed form of `word` in `lang`, with the "Z" prefix, as indexed.
    std::string stemmed_term(const std::string& word, const std::string& lang);

  private:
    struct Parser;
    Parser& parser(const std::string& lang);
    Xapian::Query parse_rest(const std::string& rest, bool relaxed, const std::vector<std::string>& languages);
    Xapian::Query typed_words_query(const std::vector<std::string>& words, const std::string& lang);
    Xapian::Query phrase_query(const std::vector<std::string>& words, const std::string& lang);
    ConceptQuery concept_query(const std::vector<std::string>& words, const std::vector<Concept>& concepts,
                               const std::vector<std::string>& languages);

    ConceptBonus m_bonus;
    const Vocabularies& m_vocab;
    const Xapian::Database& m_db;
    const Xapian::Database& m_lexicon;
    PhraseDictionary m_phrases;
    bool m_concept_terms;    // the index has concept terms (schema 2): glossary phrases use them
    std::map<std::string, std::unique_ptr<Parser>> m_parsers;
    // Queries of the vocabulary and glossary phrases met so far, by languages and words.
    std::unordered_map<std::string, ConceptQuery> m_concept_cache;
    static constexpr std::size_t k_concept_cache_limit = 10000;
};

// Weight added to a document tagged with a country, theme, kind, phase or sector that the query names.
inline constexpr double k_tag_boost = 1.5;
// Weight each concept of the query a document matches adds: more than any sum of BM25 weights,
// so that the number of concepts matched orders the hits and BM25 orders those that match as many.
inline constexpr double k_concept_weight = 1000.0;

}  // namespace passerelle
