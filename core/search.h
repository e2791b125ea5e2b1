// Searching an index folder: the query, filters, the caller's role, facets, snippets and a
// spelling suggestion. A Searcher reads one generation of the index; it is not thread-safe
// (make one per thread).
#pragma once

#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace passerelle {

struct Vocabularies;  // core/vocabulary.h

struct SearchRequest {
    std::string query;
    std::vector<std::string> langs, countries, themes, kinds, sectors, phases, projects;  // OR within a field
    std::vector<std::string> places;  // as written; matched whatever their case
    int year_from = 0, year_to = 0;  // 0: open
    std::string role = "public";     // public, partners or internal: what the caller may see
    enum class Sort { automatic, relevance, date } sort = Sort::automatic;  // automatic: date when browsing
    std::size_t offset = 0, limit = 10;
    std::string mark_start = "<mark>", mark_end = "</mark>";  // around matched words in snippets
    std::size_t snippet_length = 200;  // bytes of text to aim for
    bool explain = false;              // fill SearchResult::description (costs a little)
    // `most` (the default): every document matching any of the query's concepts is a hit, those
    // matching more of them first; `all`: only documents matching every one.
    bool match_all = false;
    // The language whose versions rank first and are shown: "" for the language the query is
    // written in where its words tell, else `default_lang`.
    std::string lang_pref, default_lang = "fr";
    bool collapse = true;  // one hit per document (its language versions collapse into one)
    bool correct = true;   // a word that matches nothing is replaced by its spelling correction
};

struct SearchHit {
    std::string id, lang, kind, title, date, snippet;
    int year = 0;
    std::vector<std::string> countries, themes;
    std::vector<std::string> translations;  // the other language versions the caller may see
    struct Version {
        std::string lang, title;  // title "" when unknown (remote shards)
    };
    std::vector<Version> versions;  // every version the caller may see, this one included, by language
    bool all_words = false;         // it matches every concept of the query
    // Where the snippet comes from when the query's words are only in an attached PDF: its
    // file name and page (from 1); "" and 0 otherwise.
    std::string attachment;
    int attachment_page = 0;
    double score = 0;
    int percent = 0;  // the share of the query's concepts it matches (100 with none: browsing, strict queries)
};

struct FacetValue {
    std::string value;
    std::size_t count = 0;
};

struct SearchResult {
    std::size_t total = 0;      // hits: documents, or versions without collapsing
    std::size_t total_all = 0;  // hits matching every concept of the query
    bool total_exact = true;    // false: total, total_all and the facet counts are estimates (federations; large results)
    std::vector<SearchHit> hits;
    // kind, lang, country, theme, phase, year. A facet whose field is filtered counts as if that
    // field's own filter were not set (the other filters apply), so other values stay offered.
    std::map<std::string, std::vector<FacetValue>> facets;
    std::optional<std::string> suggestion;  // "did you mean": a query that would find more
    // The query as run, when words that matched nothing were replaced by their corrections
    // (SearchRequest::correct); the query as typed can still be asked with correct = false.
    std::optional<std::string> corrected;
    std::string lang_pref;       // the language preferred (SearchRequest::lang_pref, as resolved)
    bool relaxed = false;        // hits, but none matching every concept of the query
    std::string description;     // Xapian's description of the query run, when asked (explain)
    std::vector<std::string> missing_shards;  // shards that did not answer: the rest was searched
};

// What a Searcher reads. One index folder, or a federation: index folders and remote shards
// ("tcp://HOST:PORT", served by xapian-tcpsrv) searched as one index (see core/shards.h).
struct SearcherOptions {
    std::vector<std::string> shards;
    // A local index folder whose spelling dictionary, glossary synonyms and vocabularies serve
    // the searches (remote shards serve none of these). "": the first local shard. A folder made
    // by `passerelle lexicon` holds them for a whole federation.
    std::string lexicon;
    int shard_timeout_ms = 2000;  // per connection and per exchange with a remote shard
    int retry_seconds = 10;       // a shard that did not answer is left out this long, then tried again
    // One index: a search counts this many matches one by one for its total and facets. One
    // that matches more (wide matching over a large archive) counts them as a sample, scales
    // it into estimates (SearchResult::total_exact false), and Xapian skips the matches too
    // light for the page: time stays bounded. 0 counts every match.
    unsigned exact_count_limit = 2000;
};

// A hit's score as shown (API, command line): to six decimals. One index and a federation add
// a concept's weight in different orders (ConceptBonus), which can change the last bits.
inline double shown_score(double score) { return std::round(score * 1e6) / 1e6; }

// A request that cannot be run: a malformed query, an unknown role. `parameter` names the input.
class SearchError : public std::runtime_error {
  public:
    SearchError(std::string parameter, const std::string& message)
        : std::runtime_error(message), m_parameter(std::move(parameter)) {}
    const std::string& parameter() const { return m_parameter; }

  private:
    std::string m_parameter;
};

class Searcher {
  public:
    // Opens the index folder written by the indexer; throws Error when it is missing or unreadable.
    explicit Searcher(const std::filesystem::path& db);
    // Throws Error for a bad shard address, a local shard that cannot be opened, or a federation
    // of remote shards only without a lexicon. A remote shard that does not answer is missing.
    explicit Searcher(SearcherOptions options);
    ~Searcher();
    Searcher(const Searcher&) = delete;
    Searcher& operator=(const Searcher&) = delete;

    SearchResult search(const SearchRequest& request);

    // Documents like `id` in `lang` (Xapian relevance feedback on its terms), as `role` may see
    // them, without the document itself; nothing when the caller may not see it.
    std::vector<SearchHit> similar(const std::string& id, const std::string& lang, const std::string& role,
                                   std::size_t limit = 10);

    // Completions for a search box: titles, then words, that start with `prefix` (folded) in
    // documents `role` may see.
    std::vector<std::string> complete(const std::string& prefix, const std::string& role, std::size_t limit = 10);

    // The visibility levels `role` may see; throws SearchError for an unknown role.
    std::vector<std::string> visible_levels(const std::string& role) const;

    // The generation of the lexicon's index folder (the one index folder, when not federated).
    int generation() const;
    bool federated() const;  // more than one shard, or a remote one
    // The shards left out of the last operation because they did not answer.
    std::vector<std::string> missing_shards() const;
    std::size_t document_count() const;  // every document, whatever its visibility
    std::size_t document_count(const std::string& visibility) const;
    const Vocabularies& vocabularies() const;

  private:
    struct Impl;
    SearchResult search_once(const SearchRequest& request);
    std::vector<SearchHit> similar_once(const std::string& id, const std::string& lang, const std::string& role,
                                        std::size_t limit);
    std::vector<std::string> complete_once(const std::string& prefix, const std::string& role, std::size_t limit);
    // Runs `f`, reopening the index once if a writer replaced what this Searcher had open.
    // Over remote shards, also sees their new commits, and copes with a shard that fails: the
    // shards that no longer answer are left out and `f` runs again without them.
    template <typename F>
    auto with_reopen(F&& f) -> decltype(f());
    void refresh();                  // before an operation: see remote commits; retry missing shards
    void reopen(bool probe_shards);  // a new Impl; with probe, remote shards that fail a search are left out

    SearcherOptions m_options;
    std::unique_ptr<Impl> m_impl;
};

// The generation committed in the index folder `db` (0 when it has none yet); -1 when it cannot
// be opened. Cheap enough to poll.
int index_generation(const std::filesystem::path& db);

}  // namespace passerelle
