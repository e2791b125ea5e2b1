// The state behind a Searcher, shared by the files that implement its operations
// (core/search.cpp, core/search_related.cpp). Private to core; not thread-safe.
#pragma once

#include <xapian.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/catalogue.h"
#include "core/diagnostics.h"
#include "core/facet_spy.h"
#include "core/query_planner.h"
#include "core/search.h"
#include "core/snippet.h"
#include "core/vocabulary.h"

namespace passerelle {

struct Searcher::Impl {
    Xapian::Database db;
    int generation = 0;
    Vocabularies vocab;
    // Made on the first text query: building its glossary phrases costs a few milliseconds that
    // browsing, document look-ups and guides without a query do not need.
    QueryPlanner& planner();
    std::unique_ptr<QueryPlanner> m_planner;
    std::unique_ptr<class Catalogue> catalogue;  // visible translations of hits
    std::unique_ptr<FacetTable> facets;          // every document's facet values, in memory
    std::map<std::string, Xapian::Stem> stems;  // per document language, for snippets
    // role + '\n' + id -> the language versions that role may see, in this generation.
    std::unordered_map<std::string, std::vector<std::string>> translations;
    static constexpr std::size_t k_translation_cache_limit = 100000;

    explicit Impl(const std::filesystem::path& dir);

    Xapian::Stem& stem(const std::string& lang);
    // The visibility levels `role` may see: its own and every more open one. Throws SearchError
    // for an unknown role.
    std::vector<std::string> levels_for(const std::string& role_id) const;
    // The documents `role` may see, as a filter.
    Xapian::Query visibility_filter(const std::string& role_id) const;
    // Every filter of `r`; `without` names a facet field whose own filter is left out.
    Xapian::Query filter_for(const SearchRequest& r, const std::string& without = "") const;
    bool visible_word(const std::string& word, const Xapian::Query& visible);
    std::optional<std::string> suggest(const SearchRequest& r, const PlannedQuery& plan, const Xapian::Query& visible);
    // The snippet maker for the stemmed terms of `q`, weighted as in `mset`.
    static SnippetMaker snippet_maker(const Xapian::Query& q, const Xapian::MSet& mset);
    // A hit's display fields and snippet from the document at `it`.
    SearchHit make_hit(const Xapian::MSetIterator& it, const SnippetMaker& snippets, const SearchRequest& r);
    // Fills each hit's other visible language versions.
    void add_translations(std::vector<SearchHit>& hits, const std::string& role);
};

template <typename F>
auto Searcher::with_reopen(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const Xapian::DatabaseModifiedError&) {
    } catch (const Xapian::DatabaseOpeningError&) {
    }
    m_impl = std::make_unique<Impl>(m_dir);  // the index moved on: read the new one
    try {
        return f();
    } catch (const Xapian::Error& e) {
        throw Error(m_dir.string() + ": the index cannot be read: " + e.get_description());
    }
}

}  // namespace passerelle
