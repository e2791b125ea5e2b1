// Searcher operations around a search: similar documents and search-box completions.
#include <algorithm>
#include <set>

#include "core/fold.h"
#include "core/index_schema.h"
#include "core/search.h"
#include "core/searcher_impl.h"
#include "core/snippet.h"
#include "core/stored_fields.h"

namespace passerelle {

namespace {

// Content terms worth feeding back: stemmed text terms, not title-prefixed copies or numbers.
class ContentTerms : public Xapian::ExpandDecider {
  public:
    bool operator()(const std::string& term) const override {
        if (term.size() < 4 || term[0] != 'Z' || term[1] == 'S') return false;
        return !std::all_of(term.begin() + 1, term.end(), [](unsigned char c) { return std::isdigit(c) || c == ',' || c == '.'; });
    }
};

}  // namespace

std::vector<SearchHit> Searcher::similar(const std::string& id, const std::string& lang, const std::string& role,
                                         std::size_t limit) {
    return with_reopen([&] { return similar_once(id, lang, role, limit); });
}

std::vector<std::string> Searcher::complete(const std::string& prefix, const std::string& role, std::size_t limit) {
    return with_reopen([&] { return complete_once(prefix, role, limit); });
}

std::vector<SearchHit> Searcher::similar_once(const std::string& id, const std::string& lang, const std::string& role,
                                              std::size_t limit) {
    Impl& m = *m_impl;
    if (m.db.size() == 0) return {};  // every shard is missing
    const Xapian::Query visible = m.visibility_filter(role);
    const std::string uid = schema::uid_term(id, lang);
    Xapian::Enquire probe(m.db);
    probe.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(uid), visible));
    const Xapian::MSet self = probe.get_mset(0, 1);
    if (self.empty()) return {};  // unknown, or not for this caller: nothing, as for a missing one
    Xapian::RSet rset;
    rset.add_document(*self.begin());
    const ContentTerms decider;
    // Exact term frequencies: over several shards Xapian would otherwise estimate them, and the
    // terms (so the similar documents) would differ from one index's.
    const Xapian::ESet terms = probe.get_eset(20, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
    std::vector<Xapian::Query> parts;
    for (auto t = terms.begin(); t != terms.end(); ++t) parts.emplace_back(*t);
    if (parts.empty()) return {};
    Xapian::Query q(Xapian::Query::OP_OR, parts.begin(), parts.end());
    q = Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query(Xapian::Query::OP_FILTER, q, visible),
                      Xapian::Query(std::string(schema::k_id) + id));  // not itself, nor its translations
    Xapian::Enquire e(m.db);
    e.set_query(q);
    e.set_sort_by_relevance_then_value(schema::k_slot_date, true);
    const Xapian::MSet mset = e.get_mset(0, static_cast<Xapian::doccount>(limit));
    SearchRequest display;
    std::vector<SearchHit> hits;
    const SnippetMaker snippets = m.snippet_maker(q, mset);
    const std::vector<std::string> values = m.hit_values(mset, 0, mset.size());
    for (Xapian::doccount i = 0; i < values.size(); ++i) hits.push_back(m.make_hit(values[i], mset[i].get_weight(), mset[i].get_percent(), snippets, display));
    m.add_translations(hits, role);
    return hits;
}

std::vector<std::string> Searcher::complete_once(const std::string& prefix, const std::string& role,
                                                std::size_t limit) {
    Impl& m = *m_impl;
    if (m.db.size() == 0) return {};
    const Xapian::Query visible = m.visibility_filter(role);
    const std::vector<std::string> words = fold_words(prefix);
    if (words.empty() || words.back().size() < 2) return {};
    const std::string& last = words.back();
    std::vector<std::string> out;
    std::set<std::string> seen;

    // Titles of visible documents with the earlier words and a word starting with the last one.
    std::vector<Xapian::Query> parts;
    for (std::size_t i = 0; i + 1 < words.size(); ++i)
        parts.emplace_back(Xapian::Query::OP_OR, Xapian::Query(m.planner().stemmed_term(words[i], "fr")),
                           Xapian::Query(m.planner().stemmed_term(words[i], "en")));
    parts.emplace_back(Xapian::Query::OP_OR,
                       Xapian::Query(Xapian::Query::OP_WILDCARD, "ZS" + m.planner().stemmed_term(last, "fr").substr(1), 50,
                                     Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT),
                       Xapian::Query(Xapian::Query::OP_WILDCARD, "ZS" + m.planner().stemmed_term(last, "en").substr(1), 50,
                                     Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT));
    Xapian::Enquire e(m.db);
    e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()), visible));
    const Xapian::MSet titles = e.get_mset(0, static_cast<Xapian::doccount>(limit / 2));
    for (auto it = titles.begin(); it != titles.end(); ++it) {
        const std::string title = decode_hit_value(it.get_document().get_value(schema::k_slot_text)).first.title;
        if (seen.insert(fold(title)).second) out.push_back(title);
    }

    // Then words of the dictionary that start with the last word, most frequent first.
    std::vector<std::pair<Xapian::termcount, std::string>> candidates;
    Xapian::TermIterator w = m.lexicon.spellings_begin();
    w.skip_to(last);
    for (; w != m.lexicon.spellings_end() && (*w).compare(0, last.size(), last) == 0; ++w)
        candidates.emplace_back(w.get_termfreq(), *w);
    for (auto& [freq, word] : candidates)  // prefer the accented form of a word
        if (word != fold(word)) freq += 1;
    std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    const auto space = prefix.find_last_of(" \t");
    const std::string head = space == std::string::npos ? "" : prefix.substr(0, space + 1);  // as typed
    for (const auto& [freq, word] : candidates) {
        if (out.size() >= limit) break;
        if (!seen.insert(fold(head + word)).second) continue;
        if (m.visible_word(word, visible)) out.push_back(head + word);
    }
    return out;
}

}  // namespace passerelle
