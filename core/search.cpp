#include "core/search.h"

#include <xapian.h>

#include <algorithm>

#include "core/catalogue.h"
#include "core/diagnostics.h"
#include "core/facet_spy.h"
#include "core/fold.h"
#include "core/folding_stem.h"
#include "core/index_schema.h"
#include "core/query_planner.h"
#include "core/stopwords.h"
#include "core/stored_fields.h"
#include "core/vocabulary.h"

namespace passerelle {

namespace {

Xapian::Database open_index(const std::filesystem::path& dir) {
    try {
        return Xapian::Database((dir / "xapian").string());
    } catch (const Xapian::Error& e) {
        throw Error(dir.string() + ": cannot open the index (run 'passerelle index' first?): " + e.get_description());
    }
}

std::string lower_ascii(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

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
        default: return nullptr;
    }
}

}  // namespace

struct Searcher::Impl {
    Xapian::Database db;
    int generation = 0;
    Vocabularies vocab;
    std::unique_ptr<QueryPlanner> planner;
    std::map<std::string, Xapian::Stem> stems;  // per document language, for snippets

    explicit Impl(const std::filesystem::path& dir) : db(open_index(dir)) {
        const std::string g = db.get_metadata(std::string(schema::k_meta_generation));
        generation = g.empty() ? 0 : std::stoi(g);
        Catalogue catalogue(dir / "catalogue.sqlite", Catalogue::Mode::read_only);
        const auto files = catalogue.vocabulary_files(generation);
        vocab = files.empty() ? Vocabularies::load(Vocabularies::default_dir()) : Vocabularies::from_files(files);
        planner = std::make_unique<QueryPlanner>(vocab, db);
    }

    Xapian::Stem& stem(const std::string& lang) {
        auto it = stems.find(lang);
        if (it == stems.end()) it = stems.emplace(lang, make_folding_stem(lang)).first;
        return it->second;
    }

    // The documents `role` may see: its visibility level and every more open one.
    Xapian::Query visibility_filter(const std::string& role_id) {
        const Term* role = vocab.visibility.find(role_id);
        if (!role) throw SearchError("role", "unknown role '" + role_id + "' (expected public, partners or internal)");
        std::vector<Xapian::Query> levels;
        for (const Term& level : vocab.visibility.terms())
            if (level.rank <= role->rank) levels.emplace_back(std::string(schema::k_visibility) + level.id);
        return Xapian::Query(Xapian::Query::OP_OR, levels.begin(), levels.end());
    }

    Xapian::Query filter_for(const SearchRequest& r) {
        std::vector<Xapian::Query> groups{visibility_filter(r.role)};
        add_group(groups, schema::k_lang, r.langs, true);
        add_group(groups, schema::k_country, r.countries, true);
        add_group(groups, schema::k_theme, r.themes);
        add_group(groups, schema::k_kind, r.kinds);
        add_group(groups, schema::k_sector, r.sectors);
        add_group(groups, schema::k_phase, r.phases);
        add_group(groups, schema::k_project, r.projects);
        if (r.year_from || r.year_to) {
            const int from = r.year_from ? r.year_from : 0, to = r.year_to ? r.year_to : 9999;
            if (from > to) throw SearchError("year", "the year range ends before it starts");
            groups.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::k_slot_year, Xapian::sortable_serialise(from),
                                Xapian::sortable_serialise(to));
        }
        return Xapian::Query(Xapian::Query::OP_AND, groups.begin(), groups.end());
    }

    // True when a document the caller may see (`visible`) contains `word` in either language.
    bool visible_word(const std::string& word, const Xapian::Query& visible) {
        const Xapian::Query any(Xapian::Query::OP_OR, Xapian::Query(planner->stemmed_term(word, "fr")),
                                Xapian::Query(planner->stemmed_term(word, "en")));
        Xapian::Enquire e(db);
        e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, any, visible));
        return e.get_mset(0, 0, 1).get_matches_lower_bound() > 0;
    }

    // The query with each unknown word replaced by the dictionary's closest word, if any. The
    // dictionary holds words of every visibility level, so a correction is only offered when a
    // document the caller may see contains it.
    std::optional<std::string> suggest(const SearchRequest& r, const PlannedQuery& plan, const Xapian::Query& visible) {
        std::map<std::string, std::string> fixes;  // token as typed -> correction
        for (const std::string& token : plan.plain_words) {
            const std::vector<std::string> words = fold_words(token);
            if (words.size() != 1) continue;
            const std::string& word = words[0];
            if (word.size() < 3 || is_stopword(word)) continue;
            if (db.get_termfreq(planner->stemmed_term(word, "fr")) > 0 ||
                db.get_termfreq(planner->stemmed_term(word, "en")) > 0)
                continue;
            const std::string s = db.get_spelling_suggestion(word);
            if (!s.empty() && fold(s) != word && visible_word(s, visible)) fixes[token] = s;
        }
        if (fixes.empty()) return std::nullopt;
        std::string out;
        std::size_t i = 0;
        while (i < r.query.size()) {
            const std::size_t j = std::min(r.query.find(' ', i), r.query.size());
            const std::string token = r.query.substr(i, j - i);
            const auto fix = fixes.find(token);
            out += fix == fixes.end() ? token : fix->second;
            if (j < r.query.size()) out += ' ';
            i = j + 1;
        }
        return out;
    }
};

Searcher::Searcher(const std::filesystem::path& db) : m_impl(std::make_unique<Impl>(db)) {}
Searcher::~Searcher() = default;
int Searcher::generation() const { return m_impl->generation; }
std::size_t Searcher::document_count() const { return m_impl->db.get_doccount(); }

SearchResult Searcher::search(const SearchRequest& r) {
    Impl& m = *m_impl;
    const Xapian::Query filter = m.filter_for(r);
    SearchResult result;
    PlannedQuery plan;
    Xapian::MSet mset;
    std::unique_ptr<FacetSpy> spy;
    for (bool relaxed : {false, true}) {
        try {
            plan = m.planner->plan(r.query, relaxed, r.langs);
        } catch (const QuerySyntaxError& e) {
            throw SearchError("q", std::string("malformed query: ") + e.what());
        }
        Xapian::Query q(Xapian::Query::OP_FILTER, plan.query, filter);
        if (!plan.filter.empty()) q = Xapian::Query(Xapian::Query::OP_FILTER, q, plan.filter);
        Xapian::Enquire enquire(m.db);
        enquire.set_query(q);
        const bool by_date = r.sort == SearchRequest::Sort::date || (r.sort == SearchRequest::Sort::automatic && plan.browse);
        if (by_date) enquire.set_sort_by_value_then_relevance(schema::k_slot_date, true);
        spy = std::make_unique<FacetSpy>();
        enquire.add_matchspy(spy.get());
        mset = enquire.get_mset(static_cast<Xapian::doccount>(r.offset), static_cast<Xapian::doccount>(r.limit),
                                m.db.get_doccount());
        result.description = q.get_description();
        result.relaxed = relaxed;
        if (mset.get_matches_estimated() > 0 || plan.browse || relaxed) break;
    }
    result.total = mset.get_matches_estimated();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        const Xapian::Document xd = it.get_document();
        StoredFields f = decode_stored_fields(xd.get_data());
        SearchHit h{f.id, f.lang, f.kind, f.title, f.date, {}, f.year, f.countries, f.themes, it.get_weight(), it.get_percent()};
        const std::string text = xd.get_value(schema::k_slot_text);
        const std::string& source = text.empty() ? f.title : text;
        h.snippet = mset.snippet(source, r.snippet_length, m.stem(f.lang),
                                 Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                 r.mark_start, r.mark_end, "…");
        result.hits.push_back(std::move(h));
    }
    for (const auto& [code, values] : spy->counts()) {
        const char* name = facet_name(code);
        if (!name) continue;
        auto& list = result.facets[name];
        for (const auto& [v, n] : values) list.push_back({v, n});
        std::stable_sort(list.begin(), list.end(), [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
    }
    if (result.total < k_suggest_below && !plan.browse) result.suggestion = m.suggest(r, plan, m.visibility_filter(r.role));
    return result;
}

}  // namespace passerelle
