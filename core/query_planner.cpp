#include "core/query_planner.h"

#include "core/graded_weight.h"
#include "core/match_all.h"

#include <algorithm>
#include <set>

#include "core/concept_phrases.h"
#include "core/fold.h"
#include "core/folding_stem.h"
#include "core/index_schema.h"
#include "core/stopwords.h"
#include "core/utf8.h"

namespace passerelle {

namespace {

// A token of the typed query: a plain word, or something the query language gives meaning to.
struct Token {
    std::string text;
    bool plain = true;
    bool op = false;  // a boolean operator: AND, OR, NOT, XOR, NEAR, ADJ
};

// Splits on white space, keeping "quoted phrases" whole; marks operator syntax as not plain.
std::vector<Token> tokenize(const std::string& text) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        if (i >= text.size()) break;
        std::size_t j = i;
        if (text[i] == '"') {
            j = text.find('"', i + 1);
            j = j == std::string::npos ? text.size() : j + 1;
        } else {
            while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) {
                if (text[j] == '"') {  // title:"a phrase"
                    const auto close = text.find('"', j + 1);
                    j = close == std::string::npos ? text.size() : close + 1;
                } else {
                    ++j;
                }
            }
        }
        Token t{text.substr(i, j - i), true};
        const char c = t.text[0];
        static const char* k_ops[] = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
        t.op = std::any_of(std::begin(k_ops), std::end(k_ops), [&](const char* o) { return t.text == o; });
        if (c == '"' || c == '-' || c == '+' || c == '(' || c == ')' || t.op ||
            t.text.find(':') != std::string::npos || t.text.find('*') != std::string::npos || t.text.find('(') != std::string::npos)
            t.plain = false;
        out.push_back(std::move(t));
        i = j;
    }
    return out;
}

struct BooleanField {
    std::string_view name, prefix;
    bool lower;  // values are stored lower case
};

const std::vector<BooleanField>& boolean_fields() {
    static const std::vector<BooleanField> f = {
        {"country", schema::k_country, true}, {"theme", schema::k_theme, false},
        {"kind", schema::k_kind, false},      {"lang", schema::k_lang, true},
        {"sector", schema::k_sector, false},  {"phase", schema::k_phase, false},
        {"project", schema::k_project, false}, {"id", schema::k_id, false},
    };
    return f;
}

// "forag*": letters then one final '*'. The index holds only stemmed terms, so the planner
// expands the stem of the prefix itself rather than leaving it to the QueryParser.
bool is_simple_wildcard(const std::string& t) {
    if (t.size() < 4 || t.back() != '*') return false;
    return std::all_of(t.begin(), t.end() - 1, [](unsigned char c) { return std::isalnum(c) || c >= 0x80; });
}

Xapian::Query boost(const std::string& term) {
    return Xapian::Query(Xapian::Query::OP_FILTER,
                         Xapian::Query((new Xapian::FixedWeightPostingSource(k_tag_boost))->release()),
                         Xapian::Query(term));
}

}  // namespace

struct QueryPlanner::Parser {
    Xapian::QueryParser qp;
    Xapian::Stem stem;
};

namespace {

std::vector<std::pair<std::string, std::vector<std::string>>> stored_glossary(const Xapian::Database& db) {
    std::vector<std::pair<std::string, std::vector<std::string>>> out;
    for (auto k = db.synonym_keys_begin(); k != db.synonym_keys_end(); ++k)
        out.emplace_back(*k, std::vector<std::string>(db.synonyms_begin(*k), db.synonyms_end(*k)));
    return out;
}

}  // namespace

QueryPlanner::QueryPlanner(const Vocabularies& vocab, const Xapian::Database& db, const Xapian::Database& lexicon,
                           ConceptBonus bonus)
    : m_bonus(bonus),
      m_vocab(vocab),
      m_db(db),
      m_lexicon(lexicon),
      m_phrases(vocab, stored_glossary(lexicon)),
      m_concept_terms(schema::schema_of(db) >= 2) {}

QueryPlanner::~QueryPlanner() = default;

QueryPlanner::Parser& QueryPlanner::parser(const std::string& lang) {
    auto it = m_parsers.find(lang);
    if (it != m_parsers.end()) return *it->second;
    auto p = std::make_unique<Parser>();
    p->stem = make_folding_stem(lang);
    p->qp.set_stemmer(p->stem);
    p->qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
    p->qp.set_stopper(&bilingual_stopper());
    p->qp.set_database(m_db);
    p->qp.add_prefix("title", std::string(schema::k_title));
    p->qp.set_max_expansion(200, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    return *m_parsers.emplace(lang, std::move(p)).first->second;
}

std::string QueryPlanner::stemmed_term(const std::string& word, const std::string& lang) {
    return "Z" + parser(lang).stem(word);
}

// A glossary phrase: its content words in order within the phrase's length. Stopwords are left
// out ("renforcement de capacités" needs no look at the postings of "de", which are enormous),
// unless nothing else is left.
Xapian::Query QueryPlanner::phrase_query(const std::vector<std::string>& words, const std::string& lang) {
    std::vector<Xapian::Query> terms;
    for (const std::string& w : phrase_content_words(words)) terms.emplace_back(stemmed_term(w, lang));
    if (terms.size() == 1) return terms[0];
    return Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), static_cast<Xapian::termcount>(words.size()));
}

// The words of a vocabulary phrase as a person typed them: all of them, in any order;
// stopwords count only when nothing else is left.
Xapian::Query QueryPlanner::typed_words_query(const std::vector<std::string>& words, const std::string& lang) {
    std::vector<Xapian::Query> terms;
    for (const std::string& w : words)
        if (!is_stopword(w)) terms.emplace_back(stemmed_term(w, lang));
    if (terms.empty())
        for (const std::string& w : words) terms.emplace_back(stemmed_term(w, lang));
    if (terms.size() == 1) return terms[0];
    return Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end());
}

// The words as typed (in every language), OR their glossary synonyms (as phrases: a translation
// is only meant whole; the index's concept term of a phrase where it has them), OR the tags;
// and a boost on the tags.
QueryPlanner::ConceptQuery QueryPlanner::concept_query(const std::vector<std::string>& words, const std::vector<Concept>& concepts,
                                                       const std::vector<std::string>& languages) {
    struct Alternative {
        Xapian::Query query;
        std::string concept_term;  // the same phrase as one indexed term, or ""
    };
    std::vector<Alternative> alternatives;
    for (const std::string& lang : languages) alternatives.push_back({typed_words_query(words, lang), {}});
    std::vector<std::string> tags;
    for (const Concept& c : concepts) {
        switch (c.type) {
            case Concept::Type::country: tags.push_back(std::string(schema::k_country) + lower_ascii(c.code)); break;
            case Concept::Type::theme: tags.push_back(std::string(schema::k_theme) + c.code); break;
            case Concept::Type::kind: tags.push_back(std::string(schema::k_kind) + c.code); break;
            case Concept::Type::phase: tags.push_back(std::string(schema::k_phase) + c.code); break;
            case Concept::Type::sector: tags.push_back(std::string(schema::k_sector) + c.code); break;
            case Concept::Type::glossary:
                for (auto s = m_lexicon.synonyms_begin(c.code); s != m_lexicon.synonyms_end(c.code); ++s) {
                    const auto form = schema::split_glossary_expansion(*s);
                    if (!form) continue;
                    alternatives.push_back({phrase_query(fold_words(form->phrase), form->lang),
                                            m_concept_terms ? concept_term(*s) : std::string()});
                }
                break;
        }
    }
    // Drop repeats, and phrases whose words an all-words alternative already requires (every
    // document the phrase matches, that alternative matches too: the phrase only costs time).
    std::set<std::string> seen;
    std::vector<std::set<std::string>> required;  // term sets of the all-words alternatives
    for (std::size_t i = 0; i < languages.size() && i < alternatives.size(); ++i)
        required.emplace_back(alternatives[i].query.get_unique_terms_begin(), alternatives[i].query.get_unique_terms_end());
    std::vector<Xapian::Query> kept;
    for (const Alternative& a : alternatives) {
        const Xapian::Query& q = a.query;
        if (!seen.insert(q.get_description()).second) continue;
        if (q.get_type() == Xapian::Query::OP_PHRASE) {
            const std::set<std::string> terms(q.get_unique_terms_begin(), q.get_unique_terms_end());
            const bool implied = std::any_of(required.begin(), required.end(), [&](const auto& r) {
                return !r.empty() && std::includes(terms.begin(), terms.end(), r.begin(), r.end());
            });
            if (implied) continue;
            if (!a.concept_term.empty()) {
                kept.emplace_back(a.concept_term);
                continue;
            }
        }
        kept.push_back(q);
    }
    ConceptQuery out;
    out.match = Xapian::Query(Xapian::Query::OP_SYNONYM, kept.begin(), kept.end());
    std::vector<Xapian::Query> terms, boosts;
    for (const std::string& tag : tags) {
        terms.emplace_back(tag);
        boosts.push_back(boost(tag));
    }
    if (!terms.empty()) {
        out.tags = Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
        out.boosts = Xapian::Query(Xapian::Query::OP_OR, boosts.begin(), boosts.end());
    }
    return out;
}

// The query language part, parsed in every language and OR-ed (a document matches in its own).
Xapian::Query QueryPlanner::parse_rest(const std::string& rest, bool relaxed, const std::vector<std::string>& languages) {
    const unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                           Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_PURE_NOT |
                           Xapian::QueryParser::FLAG_WILDCARD;
    std::vector<Xapian::Query> branches;
    std::vector<std::string> seen;  // languages that stem alike give the same branch: run it once
    for (const std::string& lang : languages) {
        Parser& p = parser(lang);
        p.qp.set_default_op(relaxed ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
        try {
            Xapian::Query q = p.qp.parse_query(rest, flags);
            if (q.empty()) continue;
            std::string d = q.get_description();
            if (std::find(seen.begin(), seen.end(), d) != seen.end()) continue;
            seen.push_back(std::move(d));
            branches.push_back(q);
        } catch (const Xapian::QueryParserError& e) {
            throw QuerySyntaxError(e.get_msg());
        }
    }
    if (branches.empty()) return {};
    return Xapian::Query(Xapian::Query::OP_OR, branches.begin(), branches.end());
}

namespace {

// Refuses a query over query_limits, saying which limit and by how much.
void check_limits(const std::string& text, const std::vector<Token>& tokens) {
    using namespace query_limits;
    if (text.size() > k_bytes)
        throw QuerySyntaxError("the query is " + std::to_string(text.size()) + " bytes long; at most " + std::to_string(k_bytes));
    std::size_t words = 0;
    for (std::size_t i = 0; i < text.size();) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        if (i < text.size()) ++words;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    }
    if (words > k_words)
        throw QuerySyntaxError("the query has " + std::to_string(words) + " words; at most " + std::to_string(k_words));
    std::size_t wildcards = 0;
    for (const Token& t : tokens) {
        if (t.plain || t.text.size() < 2 || t.text.back() != '*' || t.text.front() == '"') continue;
        ++wildcards;
        std::string prefix = t.text.substr(0, t.text.size() - 1);
        if (const auto colon = prefix.find(':'); colon != std::string::npos) prefix.erase(0, colon + 1);
        prefix.erase(0, prefix.find_first_not_of("-+(\""));
        if (utf8::length(prefix) < k_wildcard_prefix)
            throw QuerySyntaxError("'" + t.text + "': a wildcard needs at least " + std::to_string(k_wildcard_prefix) +
                                   " letters before its '*'");
    }
    if (wildcards > k_wildcards)
        throw QuerySyntaxError("the query has " + std::to_string(wildcards) + " wildcards; at most " + std::to_string(k_wildcards));
}

}  // namespace

namespace {

// A concept of a graded query: its documents, each of them weighing k_concept_weight more, its
// words weighed as one term, and its tags boosted. With GradedWeight the concept's leaf adds the
// weight (its documents are read once); otherwise a posting source filtered by the concept does.
Xapian::Query graded(const QueryPlanner::ConceptQuery& c, ConceptBonus how) {
    std::vector<Xapian::Query> parts;
    if (how == ConceptBonus::weighting_scheme || (how == ConceptBonus::weighting_scheme_without_max && c.tags.empty())) {
        // the heavier of the words' leaf and the tags'
        parts.push_back(c.tags.empty() ? graded_concept(c.match)
                                       : Xapian::Query(Xapian::Query::OP_MAX, graded_concept(c.match), graded_concept(c.tags)));
    } else {
        const Xapian::Query one(Xapian::Query::OP_SYNONYM, &c.match, &c.match + 1);
        parts.push_back(one);
        parts.emplace_back(Xapian::Query::OP_FILTER, Xapian::Query((new Xapian::FixedWeightPostingSource(k_concept_weight))->release()),
                           c.tags.empty() ? one : Xapian::Query(Xapian::Query::OP_OR, one, c.tags));
    }
    if (!c.boosts.empty()) parts.push_back(c.boosts);
    return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

bool has_accent(const std::string& word) {
    return std::any_of(word.begin(), word.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

}  // namespace

PlannedQuery QueryPlanner::plan(const std::string& text, MatchMode mode, const std::vector<std::string>& languages_in) {
    std::vector<std::string> languages = {"fr", "en"};
    for (const auto& l : languages_in)
        if (std::find(languages.begin(), languages.end(), l) == languages.end()) languages.push_back(l);

    PlannedQuery out;
    std::vector<ConceptQuery> concepts;  // graded: a word, a wildcard, a vocabulary phrase
    std::map<std::string, std::vector<Xapian::Query>> filters;  // by prefix: OR within, AND across
    std::string strict;  // what the QueryParsers read, every part required: phrases, +word, operators
    std::vector<Xapian::Query> negatives;  // -word, -"phrase": excluded
    int french = 0, english = 0;           // hints of the query's language
    const std::vector<Token> tokens = tokenize(text);
    check_limits(text, tokens);
    // With a boolean operator ("mangrove OR palétuvier"), the whole query goes to the
    // QueryParser: a vocabulary phrase taken out would leave "OR palétuvier", which is no query.
    const bool operators = std::any_of(tokens.begin(), tokens.end(), [](const Token& t) { return t.op; });

    for (std::size_t i = 0; i < tokens.size();) {
        const Token& t = tokens[i];
        for (const std::string& w : t.op ? std::vector<std::string>() : fold_words(t.text)) {
            const std::string l = stopword_language(w);
            french += l == "fr";
            english += l == "en";
        }
        if (t.plain && has_accent(t.text)) ++french;
        if (operators && t.plain) {
            strict += ' ' + t.text;
            out.plain_words.push_back(t.text);
            ++i;
            continue;
        }
        if (!t.plain) {
            const auto colon = t.text.find(':');
            const auto field = colon == std::string::npos ? boolean_fields().end()
                : std::find_if(boolean_fields().begin(), boolean_fields().end(),
                               [&](const BooleanField& f) { return t.text.compare(0, colon, f.name) == 0 && f.name.size() == colon; });
            if (t.text.size() > 1 && t.text[0] == '-') {
                negatives.push_back(parse_rest(t.text.substr(1), false, languages));
            } else if (is_simple_wildcard(t.text)) {
                const std::string stem_prefix = fold(t.text.substr(0, t.text.size() - 1));
                std::vector<Xapian::Query> alts;
                for (const std::string& lang : languages)
                    alts.emplace_back(Xapian::Query::OP_WILDCARD, stemmed_term(stem_prefix, lang), 200,
                                      Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
                concepts.push_back({Xapian::Query(Xapian::Query::OP_OR, alts.begin(), alts.end()), {}, {}});
            } else if (field != boolean_fields().end() && colon + 1 < t.text.size()) {
                std::string value = t.text.substr(colon + 1);
                if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
                filters[std::string(field->prefix)].emplace_back(std::string(field->prefix) + (field->lower ? lower_ascii(value) : value));
            } else {
                strict += ' ' + t.text;
            }
            ++i;
            continue;
        }
        // Longest vocabulary or glossary phrase starting at this token.
        std::vector<std::string> words;
        std::vector<std::size_t> ends;  // token index after each word's token
        for (std::size_t j = i; j < tokens.size() && tokens[j].plain && words.size() < m_phrases.longest(); ++j) {
            for (auto& w : fold_words(tokens[j].text)) {
                words.push_back(std::move(w));
                ends.push_back(j + 1);
            }
        }
        std::size_t matched = 0;
        std::vector<Concept> found;
        for (std::size_t n = std::min(words.size(), m_phrases.longest()); n > 0; --n) {
            if (n < words.size() && ends[n - 1] == ends[n]) continue;  // must end at a token boundary
            std::string language;
            found = m_phrases.find(words, 0, n, &language);
            if (!found.empty()) {
                matched = n;
                french += language == "fr";
                english += language == "en";
                break;
            }
        }
        if (!found.empty()) {
            const std::vector<std::string> phrase(words.begin(), words.begin() + static_cast<long>(matched));
            // A phrase's query depends on the phrase and the languages only: made once.
            std::string key;
            for (const std::string& l : languages) key += l + ',';
            for (const std::string& w : phrase) key += ' ' + w;
            auto cached = m_concept_cache.find(key);
            if (cached == m_concept_cache.end()) {
                if (m_concept_cache.size() >= k_concept_cache_limit) m_concept_cache.clear();
                cached = m_concept_cache.emplace(key, concept_query(phrase, found, languages)).first;
            }
            concepts.push_back(cached->second);
            i = ends[matched - 1];
            continue;
        }
        ++i;
        const std::vector<std::string> folded = fold_words(t.text);
        if (std::all_of(folded.begin(), folded.end(), [](const std::string& w) { return is_stopword(w); })) continue;
        out.plain_words.push_back(t.text);
        Xapian::Query q = parse_rest(t.text, false, languages);
        if (!q.empty()) concepts.push_back({q, {}, {}});
    }

    // A query of stopwords only ("the who"): they are its words.
    if (concepts.empty() && strict.empty() && filters.empty() && negatives.empty() && !text.empty()) {
        std::vector<Xapian::Query> words;
        for (const Token& t : tokens)
            if (t.plain)
                for (const std::string& lang : languages) words.push_back(typed_words_query(fold_words(t.text), lang));
        if (!words.empty()) concepts.push_back({Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end()), {}, {}});
    }

    std::vector<Xapian::Query> required;
    if (strict.find_first_not_of(' ') != std::string::npos) {
        Xapian::Query q = parse_rest(strict, false, languages);
        if (!q.empty()) required.push_back(q);
    }
    Xapian::Query optional;
    if (mode == MatchMode::all) {  // every concept required, its tags boosted
        std::vector<Xapian::Query> boosts;
        for (const ConceptQuery& c : concepts) {
            required.push_back(c.tags.empty() ? c.match : Xapian::Query(Xapian::Query::OP_OR, c.match, c.tags));
            if (!c.boosts.empty()) boosts.push_back(c.boosts);
        }
        if (!boosts.empty()) optional = Xapian::Query(Xapian::Query::OP_OR, boosts.begin(), boosts.end());
        concepts.clear();
    }
    out.concepts = concepts.size();
    if (!concepts.empty()) {
        std::vector<Xapian::Query> g;
        for (const ConceptQuery& c : concepts) g.push_back(graded(c, m_bonus));
        optional = Xapian::Query(Xapian::Query::OP_OR, g.begin(), g.end());
    }
    if (required.empty() && optional.empty()) {
        out.query = match_all();
        out.browse = true;
    } else if (required.empty()) {
        out.query = optional;
    } else {
        out.query = Xapian::Query(Xapian::Query::OP_AND, required.begin(), required.end());
        if (!optional.empty()) out.query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, out.query, optional);
    }
    negatives.erase(std::remove_if(negatives.begin(), negatives.end(), [](const Xapian::Query& q) { return q.empty(); }),
                    negatives.end());
    if (!negatives.empty())
        out.query = Xapian::Query(Xapian::Query::OP_AND_NOT, out.query,
                                  Xapian::Query(Xapian::Query::OP_OR, negatives.begin(), negatives.end()));
    std::vector<Xapian::Query> groups;
    for (auto& [prefix, qs] : filters) groups.emplace_back(Xapian::Query::OP_OR, qs.begin(), qs.end());
    if (!groups.empty()) out.filter = Xapian::Query(Xapian::Query::OP_AND, groups.begin(), groups.end());
    if (french != english) out.language = french > english ? "fr" : "en";
    return out;
}

}  // namespace passerelle
