// The state behind a Searcher, shared by the files that implement its operations
// (core/search.cpp, core/search_related.cpp). Private to core; not thread-safe.
#pragma once

#include <xapian.h>

#include <filesystem>
#include <functional>
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
#include "core/shards.h"
#include "core/snippet.h"
#include "core/vocabulary.h"

namespace passerelle {

struct Searcher::Impl {
    std::vector<ShardAddress> addresses;  // every shard asked for
    OpenShards shards;                    // those that answered
    Xapian::Database db;                  // the shards as one database
    Xapian::Database lexicon;             // spelling dictionary and glossary synonyms
    bool federated = false;               // more than one shard, or a remote one
    bool remote_only = false;             // every shard that answered is remote
    bool mixed = false;                   // local and remote shards answered
    ShardClock::time_point opened, reopened;  // when the shards were opened, and last reopened
    std::filesystem::path home;           // the lexicon's folder: catalogue and vocabularies
    int generation = 0;
    bool collapses = false;  // the index has schema::k_slot_id (schema 3): one hit per document
    Vocabularies vocab;
    // Made on the first text query: building its glossary phrases costs a few milliseconds that
    // browsing, document look-ups and guides without a query do not need.
    QueryPlanner& planner();
    std::unique_ptr<QueryPlanner> m_planner;
    std::unique_ptr<class Catalogue> catalogue;  // the home's: vocabularies; translations of hits (one index)
    std::unique_ptr<FacetTable> facets;          // one index: every document's facet values, in memory
    std::map<std::string, Xapian::Stem> stems;  // per document language, for snippets
    // role + '\n' + id -> the language versions that role may see, in this generation.
    std::unordered_map<std::string, std::vector<SearchHit::Version>> translations;
    static constexpr std::size_t k_translation_cache_limit = 100000;

    // Opens the shards of `o`, leaving out those that failed lately.
    explicit Impl(const SearcherOptions& o);
    std::vector<std::string> missing_names() const;

    Xapian::Stem& stem(const std::string& lang);
    // The visibility levels `role` may see: its own and every more open one. Throws SearchError
    // for an unknown role.
    std::vector<std::string> levels_for(const std::string& role_id) const;
    // The documents `role` may see, as a filter.
    Xapian::Query visibility_filter(const std::string& role_id) const;
    // Whether every document of the index is at a level `role` may see (no visibility filter
    // is needed): no document at another level, and as many at its levels as in the index.
    bool sees_everything(const std::string& role_id) const;
    bool count_sees_everything(const std::string& role_id) const;
    mutable std::map<std::string, bool> m_sees_everything;  // by role, for this snapshot
    // Every filter of `r`; `without` names a facet field whose own filter is left out. An
    // empty query when there is nothing to filter.
    Xapian::Query filter_for(const SearchRequest& r, const std::string& without = "") const;
    bool visible_word(const std::string& word, const Xapian::Query& visible);
    // Spelling corrections of the query's plain words, each one a word `visible` documents hold.
    struct Spelling {
        std::map<std::string, std::string> corrections;  // token as typed -> correction: it matches nothing
        std::map<std::string, std::string> suggestions;  // token -> correction: it matches far fewer documents
    };
    Spelling spelling(const PlannedQuery& plan, const Xapian::Query& visible);
    // Hits showing another version than the preferred language's, when they have one, show that one.
    void show_preferred(std::vector<SearchHit>& hits, const std::string& lang, const SnippetMaker& snippets,
                        const SearchRequest& r);
    // The snippet maker for the stemmed terms of `q`, weighted as in `mset`.
    SnippetMaker snippet_maker(const Xapian::Query& q, const Xapian::MSet& mset);
    // The hit values (schema::k_slot_text) of `count` hits of `mset` from `from` on.
    std::vector<std::string> hit_values(const Xapian::MSet& mset, Xapian::doccount from, Xapian::doccount count);
    // A hit's display fields and snippet from its hit value. When its text shows none of the
    // query's words, `attachment_pages` (when given) reads its schema::k_slot_attachments value,
    // and the snippet comes from the PDF page that shows the most of them.
    SearchHit make_hit(const std::string& value, double weight, int percent, const SnippetMaker& snippets,
                       const SearchRequest& r, const std::function<std::string()>& attachment_pages = {});
    // Fills each hit's other visible language versions.
    void add_translations(std::vector<SearchHit>& hits, const std::string& role);
    // id -> the languages of its versions `role` may see, read from the shards (no catalogue).
    std::map<std::string, std::vector<std::string>> languages_in_shards(const std::vector<std::string>& ids,
                                                                        const std::string& role);
};

template <typename F>
auto Searcher::with_reopen(F&& f) -> decltype(f()) {
    refresh();
    std::string why;
    for (int attempt = 0; attempt < 3; ++attempt) {
        try {
            return f();
        } catch (const Xapian::NetworkError& e) {  // a remote shard failed: on without those that do not answer
            why = e.get_description();
            reopen(true);
        } catch (const Xapian::DatabaseModifiedError& e) {  // the index moved on: read the new one
            why = e.get_description();
            if (attempt > 1) break;  // a search reads the index several times: twice more
            reopen(false);
        } catch (const Xapian::DatabaseOpeningError& e) {
            why = e.get_description();
            if (attempt > 0) break;
            reopen(false);
        } catch (const Xapian::Error& e) {
            why = e.get_description();
            break;
        }
    }
    std::string name;
    for (const std::string& s : m_options.shards) name += (name.empty() ? "" : ", ") + s;
    throw Error(name + ": the index cannot be read: " + why);
}

}  // namespace passerelle
