#include "core/search.h"

#include "core/match_all.h"
#include "core/searcher_impl.h"

#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <future>
#include <optional>
#include <set>

#include "core/catalogue.h"
#include "core/concept_phrases.h"
#include "core/diagnostics.h"
#include "core/facet_spy.h"
#include "core/fold.h"
#include "core/graded_weight.h"
#include "core/folding_stem.h"
#include "core/index_schema.h"
#include "core/query_planner.h"
#include "core/snippet.h"
#include "core/stopwords.h"
#include "core/stored_fields.h"
#include "core/vocabulary.h"

namespace passerelle {

namespace {

void add_group(std::vector<Xapian::Query>& groups, std::string_view prefix, const std::vector<std::string>& values,
               bool lower = false) {
    if (values.empty()) return;
    std::vector<Xapian::Query> terms;
    for (const auto& v : values) terms.emplace_back(std::string(prefix) + (lower ? lower_ascii(v) : v));
    groups.emplace_back(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

const char* facet_name(char code) {
    switch (code) {
        case facet::k_kind: return "kind";
        case facet::k_lang: return "lang";
        case facet::k_country: return "country";
        case facet::k_theme: return "theme";
        case facet::k_year: return "year";
        case facet::k_phase: return "phase";
        case facet::k_place: return "place";
        default: return nullptr;
    }
}

}  // namespace

Searcher::Impl::Impl(const SearcherOptions& o) : opened(ShardClock::now()), reopened(opened) {
    if (o.shards.empty()) throw Error("--db: no index folder or shard to search");
    for (const std::string& s : o.shards) {
        if (std::count(o.shards.begin(), o.shards.end(), s) > 1) throw Error("--db: '" + s + "' is given twice");
        addresses.push_back(parse_shard(s));
    }
    federated = addresses.size() > 1 || addresses[0].remote;
    for (const ShardAddress& a : addresses)
        if (home.empty() && !a.remote) home = a.dir;
    if (!o.lexicon.empty()) home = o.lexicon;
    if (home.empty())
        throw Error("--lexicon: remote shards serve no spelling dictionary, synonyms or vocabularies; name a local "
                    "folder made by 'passerelle lexicon' (or an index folder)");
    shards = open_shards(addresses, o.shard_timeout_ms, recently_failed(addresses, o.retry_seconds));
    db = shards.combined;
    std::size_t remote = 0;
    for (std::size_t i : shards.open) remote += addresses[i].remote;
    remote_only = remote > 0 && remote == shards.open.size();
    mixed = remote > 0 && remote < shards.open.size();
    if (!federated) {
        lexicon = db;
    } else {
        try {
            lexicon = Xapian::Database((home / "xapian").string());
        } catch (const Xapian::Error& e) {
            throw Error(home.string() + ": cannot open the lexicon: " + e.get_description());
        }
    }
    generation = schema::generation_of(lexicon);
    collapses = schema::schema_of(lexicon) >= 3;
    catalogue = std::make_unique<Catalogue>(home / "catalogue.sqlite", Catalogue::Mode::read_only);
    const auto files = catalogue->vocabulary_files(generation);
    vocab = files.empty() ? Vocabularies::load(Vocabularies::default_dir()) : Vocabularies::from_files(files);
    if (!federated) facets = std::make_unique<FacetTable>(db);
}

std::vector<std::string> Searcher::Impl::missing_names() const {
    std::vector<std::string> out;
    for (std::size_t i : shards.missing) out.push_back(addresses[i].text);
    return out;
}

QueryPlanner& Searcher::Impl::planner() {
    // One database weighs concepts with GradedWeight; remote shards know only Xapian's schemes.
    // Over the shards a parallel build leaves behind a stub (until `passerelle compact`), Xapian
    // 1.4.22 crashes in OP_MAX weighed by a scheme of ours (bench/run-index-search's query
    // "emergency food assistance Niger" over the 20k corpus): concepts with tags, which need it,
    // use the posting source there.
    if (!m_planner)
        m_planner = std::make_unique<QueryPlanner>(vocab, db, lexicon,
                                                   federated          ? ConceptBonus::posting_source
                                                   : db.size() != 1 ? ConceptBonus::weighting_scheme_without_max
                                                                      : ConceptBonus::weighting_scheme);
    return *m_planner;
}

Xapian::Stem& Searcher::Impl::stem(const std::string& lang) {
    auto it = stems.find(lang);
    if (it == stems.end()) it = stems.emplace(lang, make_folding_stem(lang)).first;
    return it->second;
}

std::vector<std::string> Searcher::Impl::levels_for(const std::string& role_id) const {
    const Term* role = vocab.visibility.find(role_id);
    if (!role) throw SearchError("role", "unknown role '" + role_id + "' (expected public, partners or internal)");
    std::vector<std::string> out;
    for (const Term& level : vocab.visibility.terms())
        if (level.rank <= role->rank) out.push_back(level.id);
    return out;
}

Xapian::Query Searcher::Impl::visibility_filter(const std::string& role_id) const {
    std::vector<Xapian::Query> levels;
    for (const std::string& level : levels_for(role_id)) levels.emplace_back(std::string(schema::k_visibility) + level);
    return Xapian::Query(Xapian::Query::OP_OR, levels.begin(), levels.end());
}

bool Searcher::Impl::sees_everything(const std::string& role_id) const {
    // Remote shards change under an open federation (refresh() reopens it), and asking them
    // costs an exchange each: a federation always filters. One index is a fixed snapshot.
    if (federated) return false;
    const auto known = m_sees_everything.find(role_id);
    if (known != m_sees_everything.end()) return known->second;
    const bool everything = count_sees_everything(role_id);
    m_sees_everything[role_id] = everything;
    return everything;
}

bool Searcher::Impl::count_sees_everything(const std::string& role_id) const {
    const std::vector<std::string> allowed = levels_for(role_id);
    Xapian::doccount seen = 0;
    for (const Term& level : vocab.visibility.terms()) {
        const Xapian::doccount n = db.get_termfreq(std::string(schema::k_visibility) + level.id);
        if (std::find(allowed.begin(), allowed.end(), level.id) == allowed.end()) {
            if (n > 0) return false;  // a document at a level this role may not see
        } else {
            seen += n;
        }
    }
    return seen >= db.get_doccount();
}

Xapian::Query Searcher::Impl::filter_for(const SearchRequest& r, const std::string& without) const {
    std::vector<Xapian::Query> groups;
    // Every document of the index at a level the role may see: the filter would keep them all,
    // and reading it costs time on every search.
    if (!sees_everything(r.role)) groups.push_back(visibility_filter(r.role));
    if (without != "lang") add_group(groups, schema::k_lang, r.langs, true);
    if (without != "country") add_group(groups, schema::k_country, r.countries, true);
    if (without != "theme") add_group(groups, schema::k_theme, r.themes);
    if (without != "kind") add_group(groups, schema::k_kind, r.kinds);
    add_group(groups, schema::k_sector, r.sectors);
    if (without != "phase") add_group(groups, schema::k_phase, r.phases);
    add_group(groups, schema::k_project, r.projects);
    if (without != "place") add_group(groups, schema::k_place, r.places, true);
    if ((r.year_from || r.year_to) && without != "year") {
        const int from = r.year_from ? r.year_from : 0, to = r.year_to ? r.year_to : 9999;
        if (from > to) throw SearchError("year", "the year range ends before it starts");
        groups.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::k_slot_year, Xapian::sortable_serialise(from),
                            Xapian::sortable_serialise(to));
    }
    if (groups.empty()) return {};  // no filter
    return Xapian::Query(Xapian::Query::OP_AND, groups.begin(), groups.end());
}

bool Searcher::Impl::visible_word(const std::string& word, const Xapian::Query& visible) {
    const Xapian::Query any(Xapian::Query::OP_OR, Xapian::Query(planner().stemmed_term(word, "fr")),
                            Xapian::Query(planner().stemmed_term(word, "en")));
    Xapian::Enquire e(db);
    e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, any, visible));
    return e.get_mset(0, 0, 1).get_matches_lower_bound() > 0;
}

namespace {

// A word matching this many times fewer documents than a close correction gets it suggested.
constexpr Xapian::doccount k_suggest_ratio = 20;
// Words in this many documents or more are not looked up in the spelling dictionary.
constexpr Xapian::doccount k_rare_word_limit = 50;

}  // namespace

Searcher::Impl::Spelling Searcher::Impl::spelling(const PlannedQuery& plan, const Xapian::Query& visible) {
    Spelling out;
    for (const std::string& token : plan.plain_words) {
        const std::vector<std::string> words = fold_words(token);
        if (words.size() != 1) continue;
        const std::string& word = words[0];
        if (word.size() < 3 || is_stopword(word)) continue;
        const auto frequency = [&](const std::string& w) {
            return std::max(db.get_termfreq(planner().stemmed_term(w, "fr")), db.get_termfreq(planner().stemmed_term(w, "en")));
        };
        const Xapian::doccount own = frequency(word);
        // No correction can be k_suggest_ratio times as frequent, or the word is common enough
        // not to be looked up (each look-up costs a little).
        if (own >= k_rare_word_limit || own * k_suggest_ratio > db.get_doccount()) continue;
        const std::string s = lexicon.get_spelling_suggestion(word);
        if (s.empty() || fold(s) == word || !visible_word(s, visible)) continue;
        if (own == 0) out.corrections[token] = s;
        else if (frequency(fold(s)) >= own * k_suggest_ratio) out.suggestions[token] = s;
    }
    return out;
}

namespace {

// `query` with the tokens of `fixes` (as typed, between spaces) replaced.
std::string rewrite(const std::string& query, const std::map<std::string, std::string>& fixes) {
    std::string out;
    std::size_t i = 0;
    while (i < query.size()) {
        const std::size_t j = std::min(query.find(' ', i), query.size());
        const std::string token = query.substr(i, j - i);
        const auto fix = fixes.find(token);
        out += fix == fixes.end() ? token : fix->second;
        if (j < query.size()) out += ' ';
        i = j + 1;
    }
    return out;
}

SearcherOptions one_index(const std::filesystem::path& db) {
    SearcherOptions o;
    o.shards = {db.string()};
    return o;
}
}  // namespace

Searcher::Searcher(const std::filesystem::path& db) : Searcher(one_index(db)) {}
Searcher::Searcher(SearcherOptions options) : m_options(std::move(options)), m_impl(std::make_unique<Impl>(m_options)) {}
Searcher::~Searcher() = default;
int Searcher::generation() const { return m_impl->generation; }
bool Searcher::federated() const { return m_impl->federated; }
std::vector<std::string> Searcher::missing_shards() const { return m_impl->missing_names(); }

void Searcher::refresh() {
    Impl& m = *m_impl;
    if (!m.federated) return;
    const auto now = ShardClock::now();
    bool stale = false;  // another reader saw one of these shards fail, or a missing one may be back
    for (std::size_t i : m.shards.open) stale = stale || failed_since(m.addresses[i].text, m.opened);
    const auto retry = std::chrono::seconds(m_options.retry_seconds);
    if (!m.shards.missing.empty() && now - m.opened >= retry) stale = true;
    if (stale) return reopen(false);
    if (now - m.reopened < std::chrono::seconds(1)) return;
    m.reopened = now;
    try {
        m.db.reopen();  // remote shards: see what their offices committed since
    } catch (const Xapian::Error&) {
        reopen(true);
    }
}

void Searcher::reopen(bool probe_shards) {
    if (probe_shards && m_impl) {
        const Impl& m = *m_impl;
        std::vector<std::future<bool>> answers;
        for (std::size_t i : m.shards.open)
            if (m.addresses[i].remote)
                answers.push_back(std::async(std::launch::async, [&a = m.addresses[i], t = m_options.shard_timeout_ms] {
                    return shard_answers(a, t);
                }));
        std::size_t k = 0;
        for (std::size_t i : m.shards.open)
            if (m.addresses[i].remote && !answers[k++].get()) note_shard_failed(m.addresses[i].text);
    }
    m_impl.reset();  // its connections close before new ones open
    m_impl = std::make_unique<Impl>(m_options);
}
std::size_t Searcher::document_count() const { return m_impl->db.get_doccount(); }

// Snippets look for their passage in the stored snippet source (see core/stored_fields.h); an
// index written when more was stored is read as far as today's limit.
constexpr std::size_t k_snippet_window = k_max_snippet_source + std::string_view("…").size();

// Weight added to versions in the preferred language: below a concept's (k_concept_weight), so
// it orders versions that match as many concepts, the preferred language first.
constexpr double k_lang_pref_weight = 100.0;

SnippetMaker Searcher::Impl::snippet_maker(const Xapian::Query& q, const Xapian::MSet& mset) {
    std::unordered_map<std::string, double> stems;
    // A term's weight in a snippet: how rare it is (its inverse document frequency), whatever
    // the form of the query around it (one index and shards weigh concepts differently).
    const double documents = db.get_doccount();
    const auto weight_of = [&](const std::string& term) {
        return std::log((documents + 1) / (static_cast<double>(mset.get_termfreq(term)) + 0.5));
    };
    for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t) {
        const std::string& term = *t;
        const std::size_t n = schema::k_stemmed.size();
        const bool unprefixed = term.size() > n && !(term[n] >= 'A' && term[n] <= 'Z');  // not a field's term
        if (unprefixed && term.compare(0, n, schema::k_stemmed) == 0) {
            stems.emplace(term.substr(schema::k_stemmed.size()), weight_of(term));
        } else if (term.compare(0, schema::k_concept.size(), schema::k_concept) == 0) {
            // A glossary phrase's concept term ("XGfr:eau potable"): its words are what to show.
            const auto form = schema::split_glossary_expansion(std::string_view(term).substr(schema::k_concept.size()));
            if (!form) continue;
            Xapian::Stem& st = stem(form->lang);
            for (const std::string& w : phrase_content_words(fold_words(form->phrase))) stems.emplace(st(w), weight_of(term));
        }
    }
    return SnippetMaker(stems);
}

std::vector<std::string> Searcher::Impl::hit_values(const Xapian::MSet& mset, Xapian::doccount from, Xapian::doccount count) {
    std::vector<std::string> out;
    const Xapian::doccount end = std::min<Xapian::doccount>(mset.size(), from + count);
    // Over shards, the documents are asked for all at once (remote shards pipeline them), not
    // one exchange after another. (MSet::fetch() with no range crashes in Xapian 1.4.22.)
    if (federated && end > from + 1) mset.fetch(mset[from], end == mset.size() ? mset.end() : mset[end]);
    for (Xapian::doccount i = from; i < end; ++i) out.push_back(mset[i].get_document().get_value(schema::k_slot_text));
    return out;
}

SearchHit Searcher::Impl::make_hit(const std::string& value, double weight, int percent, const SnippetMaker& snippets,
                                   const SearchRequest& r, const std::function<std::string()>& attachment_pages) {
    auto [f, full_text] = decode_hit_value(value);
    SearchHit h;
    h.id = f.id;
    h.lang = f.lang;
    h.kind = f.kind;
    h.title = f.title;
    h.date = f.date;
    h.year = f.year;
    h.countries = std::move(f.countries);
    h.themes = std::move(f.themes);
    h.score = weight;
    h.percent = percent;
    std::string_view text = full_text;
    bool cut = false;
    if (text.size() > k_snippet_window) {
        std::size_t at = k_snippet_window;
        while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
        text = text.substr(0, at);
        cut = true;
    }
    Xapian::Stem& st = stem(f.lang);
    const SnippetStyle style{r.snippet_length, r.mark_start, r.mark_end, "…"};
    const auto stem_of = [&st](const std::string& w) { return st(w); };
    std::size_t found = 0;
    h.snippet = snippets.make(text.empty() ? std::string_view(f.title) : text, stem_of, style, cut, &found);
    if (found > 0 || snippets.empty() || !attachment_pages) return h;
    std::size_t in_title = 0;  // words of the title are the note's own too
    snippets.make(f.title, stem_of, style, false, &in_title);
    if (in_title > 0) return h;
    const std::string pages = attachment_pages();
    std::size_t best = 0;
    for (const AttachmentPage& p : decode_attachment_pages(pages)) {
        std::size_t n = 0;
        std::string s = snippets.make(p.text, stem_of, style, false, &n);
        if (n > best) best = n, h.snippet = std::move(s), h.attachment = std::string(p.file), h.attachment_page = p.page;
    }
    return h;
}

void Searcher::Impl::add_translations(std::vector<SearchHit>& hits, const std::string& role) {
    if (hits.empty()) return;
    if (translations.size() > k_translation_cache_limit) translations.clear();
    std::vector<std::string> missing;
    for (const SearchHit& h : hits)
        if (!translations.count(role + '\n' + h.id)) missing.push_back(h.id);
    if (!missing.empty()) {
        if (federated) {
            auto found = languages_in_shards(missing, role);
            // Their titles, from the versions' hit values, in one exchange with each shard.
            std::vector<Xapian::Query> uids;
            for (const std::string& id : missing)
                for (const std::string& l : found[id]) uids.emplace_back(schema::uid_term(id, l));
            std::map<std::string, std::string> titles;  // uid term -> title
            if (!uids.empty()) {
                Xapian::Enquire e(db);
                e.set_query(Xapian::Query(Xapian::Query::OP_OR, uids.begin(), uids.end()));
                const Xapian::MSet versions = e.get_mset(0, static_cast<Xapian::doccount>(uids.size()));
                for (const std::string& v : hit_values(versions, 0, versions.size())) {
                    const auto f = decode_hit_value(v).first;
                    titles[schema::uid_term(f.id, f.lang)] = f.title;
                }
            }
            for (const std::string& id : missing) {
                auto& list = translations[role + '\n' + id];  // an id may repeat
                list.clear();
                for (const std::string& l : found[id]) list.push_back({l, titles[schema::uid_term(id, l)]});
            }
        } else {
            auto found = catalogue->versions(missing, generation, levels_for(role));  // cached pages, no block reads
            for (const std::string& id : missing) {
                auto& list = translations[role + '\n' + id];
                list.clear();
                for (const auto& [l, title] : found[id]) list.push_back({l, title});
            }
        }
    }
    for (SearchHit& h : hits) {
        h.versions = translations[role + '\n' + h.id];
        for (auto& v : h.versions) {
            if (v.lang == h.lang) v.title = h.title;
            else h.translations.push_back(v.lang);
        }
    }
}

void Searcher::Impl::show_preferred(std::vector<SearchHit>& hits, const std::string& lang, const SnippetMaker& snippets,
                                    const SearchRequest& r) {
    for (SearchHit& h : hits) {
        if (h.lang == lang) continue;
        const bool has = std::any_of(h.versions.begin(), h.versions.end(), [&](const SearchHit::Version& v) { return v.lang == lang; });
        if (!has) continue;
        const std::string uid = schema::uid_term(h.id, lang);
        const auto p = db.postlist_begin(uid);
        if (p == db.postlist_end(uid)) continue;
        const Xapian::Document doc = db.get_document(*p);
        SearchHit shown = make_hit(doc.get_value(schema::k_slot_text), h.score, h.percent, snippets, r,
                                   [&doc] { return doc.get_value(schema::k_slot_attachments); });
        shown.versions = std::move(h.versions);
        shown.all_words = h.all_words;
        for (const auto& v : shown.versions)
            if (v.lang != shown.lang) shown.translations.push_back(v.lang);
        h = std::move(shown);
    }
}

std::map<std::string, std::vector<std::string>> Searcher::Impl::languages_in_shards(const std::vector<std::string>& ids,
                                                                                   const std::string& role) {
    std::vector<Xapian::Query> terms;
    for (const std::string& id : ids) terms.emplace_back(std::string(schema::k_id) + id);
    Xapian::Enquire e(db);
    e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                              visibility_filter(role)));
    Xapian::ValueCountMatchSpy spy(schema::k_slot_date);  // its keys end with each version's id and language
    e.add_matchspy(&spy);
    e.get_mset(0, 0, db.get_doccount());
    std::map<std::string, std::vector<std::string>> out;
    std::string id, lang;
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it)
        if (schema::split_order_key(*it, id, lang)) out[id].push_back(lang);
    for (auto& [_, langs] : out) std::sort(langs.begin(), langs.end());
    return out;
}

namespace {

// The page (`size` documents from rank `first`) of every match of a search, in order of weight
// and then key, as set_sort_by_relevance_then_value(schema::k_slot_date, true) would give it.
// `heaviest` and `lightest` are the weights of the page's first and last hits: only documents
// at least as heavy as the last can be on the page, and only the runs of those two weights can
// cross its edges, so only their keys are read. Runs inside the page are ordered afterwards
// (order_equal_weights).
std::vector<std::pair<double, Xapian::docid>> page_in_key_order(const Xapian::Database& db,
                                                                const std::vector<std::pair<double, Xapian::docid>>& matches,
                                                                Xapian::doccount first, Xapian::doccount size,
                                                                double heaviest, double lightest, bool collapse) {
    struct Candidate {
        double weight;
        std::string key;
        Xapian::docid did;
    };
    // Only a run that crosses an edge needs its keys: the one at the top when documents of its
    // weight come before the page, the one at the bottom when some come after it.
    std::size_t above_heaviest = 0, down_to_lightest = 0;
    for (const auto& [weight, did] : matches) {
        above_heaviest += weight > heaviest;
        down_to_lightest += weight >= lightest;
    }
    const bool top_crosses = above_heaviest < first, bottom_crosses = down_to_lightest > first + size;
    std::vector<Candidate> heavy;
    std::vector<std::size_t> keyed;  // indexes in heavy of the candidates whose keys are read
    for (const auto& [weight, did] : matches)
        if (weight >= lightest) {
            if ((weight == heaviest && top_crosses) || (weight == lightest && bottom_crosses)) keyed.push_back(heavy.size());
            heavy.push_back({weight, "", did});
        }
    // In document order, along one value stream.
    std::sort(keyed.begin(), keyed.end(), [&](std::size_t a, std::size_t b) { return heavy[a].did < heavy[b].did; });
    auto values = db.valuestream_begin(schema::k_slot_date);
    for (std::size_t i : keyed) {
        values.skip_to(heavy[i].did);
        if (values != db.valuestream_end(schema::k_slot_date) && values.get_docid() == heavy[i].did) heavy[i].key = *values;
    }
    std::sort(heavy.begin(), heavy.end(), [](const Candidate& a, const Candidate& b) {
        if (a.weight != b.weight) return a.weight > b.weight;
        return a.key != b.key ? a.key > b.key : a.did < b.did;
    });
    std::vector<std::pair<double, Xapian::docid>> page;
    if (!collapse) {
        for (std::size_t i = first; i < heavy.size() && i < first + size; ++i) page.emplace_back(heavy[i].weight, heavy[i].did);
        return page;
    }
    // The heaviest version of each document, as Xapian's collapsing keeps: ids are read only
    // as far as the end of the page.
    std::set<std::string> ids;
    std::size_t kept = 0;
    for (const Candidate& c : heavy) {
        if (kept >= first + size) break;
        const std::string id = db.get_document(c.did).get_value(schema::k_slot_id);
        if (!id.empty() && !ids.insert(id).second) continue;
        if (kept++ >= first) page.emplace_back(c.weight, c.did);
    }
    return page;
}

// The page (`size` from rank `first`) of `documents` (one match per document, in no order), in
// order of weight and then key, as Xapian's collapsing and sorting would give it.
std::vector<std::pair<double, Xapian::docid>> collapsed_page(const Xapian::Database& db,
                                                             std::vector<std::pair<double, Xapian::docid>> documents,
                                                             Xapian::doccount first, Xapian::doccount size) {
    if (documents.size() <= first || size == 0) return {};
    const std::size_t end = std::min<std::size_t>(documents.size(), first + size);
    const auto heavier = [](const auto& a, const auto& b) { return a.first > b.first; };
    std::nth_element(documents.begin(), documents.begin() + static_cast<long>(end - 1), documents.end(), heavier);
    std::sort(documents.begin(), documents.begin() + static_cast<long>(end), heavier);
    const double heaviest = documents[first].first, lightest = documents[end - 1].first;
    return page_in_key_order(db, documents, first, size, heaviest, lightest, false);
}

// Hits of equal weight by their order keys, newest and then highest uid first, as
// set_sort_by_relevance_then_value(schema::k_slot_date, true) would have ordered them.
void order_equal_weights(std::vector<SearchHit>& hits) {
    std::vector<std::pair<std::string, SearchHit>> keyed;
    for (SearchHit& h : hits) keyed.emplace_back(schema::order_key(h.date, h.id, h.lang), std::move(h));
    std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
        return a.second.score != b.second.score ? a.second.score > b.second.score : a.first > b.first;
    });
    hits.clear();
    for (auto& [_, h] : keyed) hits.push_back(std::move(h));
}

// Runs `q` over its matches for the count and `counter`'s counts: every match, or at least
// `limit` + 1 when not 0 (see sampled()), then only those heavy enough for one hit (asking for
// none, Xapian would skip none). `graded`: weighs with GradedWeight.
Xapian::MSet count_matches(const Xapian::Database& db, const Xapian::Query& q, FacetCounter& counter, bool graded,
                           Xapian::doccount limit = 0) {
    Xapian::Enquire e(db);
    if (graded) e.set_weighting_scheme(GradedWeight());
    e.set_query(q);
    e.add_matchspy(counter.spy());
    return limit ? e.get_mset(0, 1, limit + 1) : e.get_mset(0, 0, db.get_doccount());
}

// Whether a spy that counted the first `limit` matches it was shown (`shown` in all) of a
// search run with check_at_least `limit` + 1 counted a sample only: it was shown more, or as
// many while Xapian's bounds leave room for more.
bool sampled(const Xapian::MSet& mset, Xapian::doccount shown, Xapian::doccount limit) {
    if (shown < limit) return false;  // Xapian showed it every match
    if (shown > limit) return true;
    return mset.get_matches_upper_bound() > limit;
}

// An estimate rounded to two significant digits, as an estimate is read ("about 4,300").
std::size_t rounded_estimate(double n) {
    if (n < 100) return static_cast<std::size_t>(std::lround(n));
    double unit = 1;
    while (n / unit >= 100) unit *= 10;
    return static_cast<std::size_t>(std::round(n / unit) * unit);
}

// Counts of a sample scaled by `factor` into estimates of every match's (each at least 1).
FacetCounts scaled(FacetCounts counts, double factor) {
    if (factor == 1) return counts;
    for (auto& [code, values] : counts)
        for (auto& [value, n] : values) n = std::max<Xapian::doccount>(1, static_cast<Xapian::doccount>(std::lround(n * factor)));
    return counts;
}

// The page (`size` documents from rank `first`) from the heaviest versions of a search that
// were not all counted, in order of weight: each document at the rank of its heaviest version
// (the page's documents have theirs among the versions returned, in `mset`). nullopt when the
// versions returned (`asked` were) make too few documents while more may match (documents with
// more versions).
std::optional<std::vector<std::pair<double, Xapian::docid>>> heaviest_versions_page(const FacetTable& table, const Xapian::MSet& mset,
                                                                                    Xapian::doccount asked, Xapian::doccount first,
                                                                                    Xapian::doccount size, Xapian::doccount after) {
    std::set<std::uint32_t> groups;
    std::vector<std::pair<double, Xapian::docid>> documents;
    for (auto it = mset.begin(); it != mset.end() && documents.size() < first + size + after; ++it) {
        const std::uint32_t g = table.group_of(table.spy_docid(*it));
        if (g == 0 || groups.insert(g).second) documents.emplace_back(it.get_weight(), *it);
    }
    if (documents.size() < first + size + after && mset.size() >= asked) return std::nullopt;
    std::vector<std::pair<double, Xapian::docid>> page;
    for (std::size_t i = first; i < documents.size() && i < first + size; ++i) page.push_back(documents[i]);
    return page;
}

// `q` filtered by `filter`, which may be empty (nothing to filter).
Xapian::Query with_filter(const Xapian::Query& q, const Xapian::Query& filter) {
    return filter.empty() ? q : Xapian::Query(Xapian::Query::OP_FILTER, q, filter);
}

// The facet fields whose own filter a request sets.
std::vector<std::string> filtered_facets(const SearchRequest& r) {
    std::vector<std::string> out;
    if (!r.kinds.empty()) out.push_back("kind");
    if (!r.langs.empty()) out.push_back("lang");
    if (!r.countries.empty()) out.push_back("country");
    if (!r.themes.empty()) out.push_back("theme");
    if (!r.phases.empty()) out.push_back("phase");
    if (!r.places.empty()) out.push_back("place");
    if (r.year_from || r.year_to) out.push_back("year");
    return out;
}

// Copies the spy's counts into `result.facets`, most frequent first; with `only`, that facet
// alone, replacing what it had.
void put_facets(const FacetCounts& counts, SearchResult& result, const std::string& only = "") {
    if (!only.empty()) result.facets.erase(only);
    for (const auto& [code, values] : counts) {
        const char* name = facet_name(code);
        if (!name || (!only.empty() && only != name)) continue;
        auto& list = result.facets[name];
        for (const auto& [v, n] : values) list.push_back({v, n});
        std::stable_sort(list.begin(), list.end(), [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
    }
}

}  // namespace

SearchResult Searcher::search(const SearchRequest& r) {
    return with_reopen([&] { return search_once(r); });
}

SearchResult Searcher::search_once(const SearchRequest& r) {
    Impl& m = *m_impl;
    const Xapian::Query filter = m.filter_for(r);
    SearchResult result;
    if (m.db.size() == 0) {  // every shard is missing
        result.missing_shards = m.missing_names();
        return result;
    }
    const Xapian::Query visible = m.visibility_filter(r.role);
    const MatchMode mode = r.match_all ? MatchMode::all : MatchMode::most;
    PlannedQuery plan;
    std::string text = r.query;
    try {
        // A blank query lists everything allowed, as the planner would say, without building it.
        if (r.query.find_first_not_of(" \t\r\n") == std::string::npos) {
            plan.query = match_all();
            plan.browse = true;
        } else {
            plan = m.planner().plan(text, mode, r.langs);
            const Impl::Spelling spelling = m.spelling(plan, visible);
            if (r.correct && !spelling.corrections.empty()) {  // words that match nothing: run the corrections
                text = rewrite(r.query, spelling.corrections);
                plan = m.planner().plan(text, mode, r.langs);
                result.corrected = text;
            }
            if (!spelling.suggestions.empty() || (!r.correct && !spelling.corrections.empty())) {
                auto fixes = spelling.suggestions;
                if (!r.correct) fixes.insert(spelling.corrections.begin(), spelling.corrections.end());
                result.suggestion = rewrite(text, fixes);
            }
        }
    } catch (const QuerySyntaxError& e) {
        throw SearchError("q", std::string("malformed query: ") + e.what());
    }
    result.lang_pref = !r.lang_pref.empty() ? lower_ascii(r.lang_pref) : !plan.language.empty() ? plan.language : r.default_lang;
    const Xapian::Query matched = plan.filter.empty() ? plan.query : Xapian::Query(Xapian::Query::OP_FILTER, plan.query, plan.filter);
    Xapian::Query q = with_filter(matched, filter);
    if (!plan.browse && !result.lang_pref.empty())  // versions in the preferred language first, among equals
        q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
                          Xapian::Query(Xapian::Query::OP_FILTER,
                                        Xapian::Query((new Xapian::FixedWeightPostingSource(k_lang_pref_weight))->release()),
                                        Xapian::Query(std::string(schema::k_lang) + result.lang_pref)));
    const bool collapse = r.collapse && m.collapses;
    const double all_weight = plan.concepts * k_concept_weight;
    Xapian::Enquire enquire(m.db);
    const bool graded = m.planner().bonus() != ConceptBonus::posting_source;
    if (graded) enquire.set_weighting_scheme(GradedWeight());
    enquire.set_query(q);
    const bool by_date = r.sort == SearchRequest::Sort::date || (r.sort == SearchRequest::Sort::automatic && plan.browse);
    // One index by relevance: the counting pass records every match with its document (the
    // facet table knows them), and the page is made from the heaviest version of each, here;
    // Xapian's collapsing would read every match's key from the index.
    const bool collapse_here = collapse && !by_date && !m.mixed && m.facets && !m.facets->reads_index();
    if (collapse && !collapse_here) enquire.set_collapse_key(schema::k_slot_id);
    if (by_date) enquire.set_sort_by_value_then_relevance(schema::k_slot_date, true);
    const auto first = static_cast<Xapian::doccount>(r.offset), size = static_cast<Xapian::doccount>(r.limit);
    // By relevance, equal weights go by order key, the same in any layout of shards, as
    // set_sort_by_relevance_then_value would do, but without reading every match's key:
    // the page comes with one more hit on each side, and when no equal weight straddles its
    // edges it holds the hits of that order, which are sorted below. Otherwise one index
    // orders the crossing runs from the matches its facet pass saw (page_in_key_order), and
    // shards are asked again sorted by key.
    Xapian::doccount before = !by_date && first > 0 ? 1 : 0;
    const Xapian::doccount after = by_date ? 0 : 1;
    // One index counts its first `limit` matches one by one (SearcherOptions::exact_count_limit);
    // a search that matches more is counted from that sample, and Xapian skips the matches too
    // light for the page.
    const Xapian::doccount limit = m.facets && !m.facets->reads_index() && m_options.exact_count_limit
                                       ? std::max<Xapian::doccount>(m_options.exact_count_limit, first + size + after)
                                       : 0;
    const FacetCounting how{collapse, plan.browse ? 0.0 : std::max(all_weight, 1e-9), limit};
    auto spy = std::make_unique<FacetCounter>(m.facets.get(), m.remote_only, true, how);
    // Collapsing here from a sample: the page's documents come from the heaviest versions, and
    // twice as many versions as documents hold them unless a document has more than two.
    const Xapian::doccount versions_asked = collapse_here && limit ? 2 * (first + size + after) + 8 : 0;
    Xapian::MSet mset;
    std::optional<Xapian::doccount> counted, counted_all;
    bool sample = false;
    if (!m.mixed) {  // one pass: the page, the total and the counts
        enquire.add_matchspy(spy->spy());
        mset = versions_asked ? enquire.get_mset(0, versions_asked, limit + 1)
                              : enquire.get_mset(first - before, size + before + after, limit ? limit + 1 : m.db.get_doccount());
        sample = limit && sampled(mset, *spy->shown(), limit);
    } else {
        // Local and remote shards: the client's spy counts the local shards' matches and
        // also the hits remote shards send back, which they counted already. The counts and
        // the total come from a pass that asks for no hits.
        count_matches(m.db, q, *spy, graded);
        mset = enquire.get_mset(first - before, size + before + after);
    }
    counted = spy->total();
    counted_all = spy->total_heavy();
    bool sort_ties = !by_date, break_ties_here = false;
    std::vector<std::pair<double, Xapian::docid>> page_by_key;
    const Xapian::doccount end = before + size;
    if (collapse_here && !sample) {
        if (auto documents = spy->heaviest_per_document()) {
            page_by_key = collapsed_page(m.db, std::move(*documents), first, size);
            break_ties_here = true;
        }
    } else if (collapse_here) {
        if (auto page = heaviest_versions_page(*m.facets, mset, versions_asked, first, size, after)) {
            page_by_key = std::move(*page);
            break_ties_here = true;
        } else {  // documents with more than two matching versions: Xapian collapses
            enquire.clear_matchspies();
            enquire.set_collapse_key(schema::k_slot_id);
            mset = enquire.get_mset(first - before, size + before + after);
        }
    }
    // Equal weights across the page's edges. A sample does not hold every match, so they
    // stay in index order there.
    if (!break_ties_here && !by_date && !sample &&
        ((before && mset.size() > 1 && mset[0].get_weight() == mset[1].get_weight()) ||
         (end < mset.size() && mset[end - 1].get_weight() == mset[end].get_weight()))) {
        if (const auto* all = spy->matches()) {  // one index: the counting pass saw every match
            const double heaviest = mset[before].get_weight();
            const double lightest = mset[std::min<Xapian::doccount>(end, mset.size()) - 1].get_weight();
            page_by_key = page_in_key_order(m.db, *all, first, size, heaviest, lightest, collapse);
            break_ties_here = true;
        } else {  // over shards: Xapian sorts by key, reading every heavy enough match's key
            enquire.clear_matchspies();  // counted already
            enquire.set_sort_by_relevance_then_value(schema::k_slot_date, true);
            mset = enquire.get_mset(first, size);
            before = 0;
            sort_ties = false;
        }
    }
    if (r.explain) result.description = q.get_description();
    double scale = 1;  // from the sample's counts to estimates of every match's
    if (sample) {
        // The sample is every match in the first part of the index (matches come in document
        // number order): its counts over the share of the index it spans estimate the whole's.
        // Xapian's own estimate assumes the query's terms independent, which related words
        // ("gouvernance locale") are not: it can be several times too high.
        const double documents = *counted;
        scale = 1 / std::max(spy->share_counted(), 1e-9);
        const double upper = mset.get_matches_upper_bound();
        result.total = rounded_estimate(std::clamp(documents * scale, documents, std::max(documents, upper)));
        result.total_all = plan.browse ? result.total : rounded_estimate(std::min<double>(*counted_all * scale, result.total));
        // The sample holds the first matches, not the heaviest: it may hold none that match
        // every concept while the page does. At least those the page's pass saw count.
        if (!plan.browse && !by_date) {
            std::set<std::uint32_t> groups;
            std::size_t heavy = 0;
            for (auto it = mset.begin(); it != mset.end() && it.get_weight() >= all_weight; ++it)
                if (!collapse_here || groups.insert(m.facets->group_of(m.facets->spy_docid(*it))).second) ++heavy;
            const std::size_t skipped = versions_asked ? 0 : first - before;  // all heavier than the page's first
            if (heavy > 0) result.total_all = std::max<std::size_t>(result.total_all, skipped + heavy);
            result.total = std::max(result.total, result.total_all);
        }
        scale = documents > 0 ? result.total / documents : 1;
        result.total_exact = false;
    } else if (counted && (spy->counts_documents() || !collapse)) {
        // Exact where every match was counted by document (or version, not collapsing)
        result.total = *counted;
        result.total_all = plan.browse ? *counted : *counted_all;
    } else {  // over shards: Xapian's count, and a second count of the strict query; collapsed, an estimate
        const auto count = [&](const Xapian::Query& query) {
            Xapian::Enquire e(m.db);
            if (graded) e.set_weighting_scheme(GradedWeight());
            e.set_query(query);
            if (collapse) e.set_collapse_key(schema::k_slot_id);
            const Xapian::MSet all = e.get_mset(0, 0, m.db.get_doccount());
            result.total_exact = result.total_exact && !collapse && all.get_matches_lower_bound() == all.get_matches_upper_bound();
            return all.get_matches_estimated();
        };
        result.total = count(q);
        result.total_all = result.total;
        if (plan.concepts > 1 && !plan.browse) {
            const PlannedQuery strict = m.planner().plan(text, MatchMode::all, r.langs);
            const Xapian::Query s = strict.filter.empty() ? strict.query : Xapian::Query(Xapian::Query::OP_FILTER, strict.query, strict.filter);
            result.total_all = count(with_filter(s, filter));
        }
    }
    result.relaxed = result.total > 0 && result.total_all == 0;
    const SnippetMaker snippets = m.snippet_maker(matched, mset);
    // The share of the query's concepts a hit matches: each adds k_concept_weight, more than
    // the rest of its weight (BM25, tag boosts, the preferred language).
    const auto percent_of = [&plan](double weight) {
        if (plan.concepts == 0) return 100;
        const double matched = std::min<double>(plan.concepts, std::floor(weight / k_concept_weight));
        return static_cast<int>(std::lround(100 * matched / static_cast<double>(plan.concepts)));
    };
    if (break_ties_here) {
        for (const auto& [weight, did] : page_by_key) {
            const Xapian::Document doc = m.db.get_document(did);
            result.hits.push_back(m.make_hit(doc.get_value(schema::k_slot_text), weight, percent_of(weight), snippets, r,
                                             [&doc] { return doc.get_value(schema::k_slot_attachments); }));
        }
    } else {
        const std::vector<std::string> values = m.hit_values(mset, before, static_cast<Xapian::doccount>(r.limit));
        for (Xapian::doccount i = 0; i < values.size(); ++i)
            result.hits.push_back(m.make_hit(values[i], mset[before + i].get_weight(), percent_of(mset[before + i].get_weight()), snippets, r,
                                             [&mset, at = before + i] { return mset[at].get_document().get_value(schema::k_slot_attachments); }));
    }
    if (sort_ties) order_equal_weights(result.hits);
    for (SearchHit& h : result.hits) h.all_words = plan.browse || h.score >= all_weight;
    m.add_translations(result.hits, r.role);
    if (collapse && (r.langs.empty() || std::find(r.langs.begin(), r.langs.end(), result.lang_pref) != r.langs.end()))
        m.show_preferred(result.hits, result.lang_pref, snippets, r);
    put_facets(scaled(spy->counts(), scale), result);
    for (const std::string& field : filtered_facets(r)) {  // counts as if this field were not filtered
        FacetCounter own(m.facets.get(), m.remote_only, false, {collapse, 0, limit});
        const Xapian::MSet counted_own =
            count_matches(m.db, with_filter(matched, m.filter_for(r, field)), own, graded, limit);
        double own_scale = 1;
        if (limit && sampled(counted_own, *own.shown(), limit)) {
            own_scale = 1 / std::max(own.share_counted(), 1e-9);
            result.total_exact = false;
        }
        put_facets(scaled(own.counts(), own_scale), result, field);
    }
    result.missing_shards = m.missing_names();
    return result;
}

int index_generation(const std::filesystem::path& db) {
    try {
        return schema::generation_of(Xapian::Database((db / "xapian").string()));
    } catch (const Xapian::Error&) {
        return -1;
    }
}

std::vector<std::string> Searcher::visible_levels(const std::string& role_id) const { return m_impl->levels_for(role_id); }

std::size_t Searcher::document_count(const std::string& visibility) const {
    return m_impl->db.get_termfreq(std::string(schema::k_visibility) + visibility);
}

const Vocabularies& Searcher::vocabularies() const { return m_impl->vocab; }

}  // namespace passerelle
