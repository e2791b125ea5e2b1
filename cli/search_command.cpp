#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/diagnostics.h"
#include "core/search.h"

namespace passerelle::cli {

namespace {

struct SearchArgs {
    SearcherOptions shards;
    std::string query, year, match = "most", collapse = "document";
    SearchRequest request;
    bool json = false;
};

// "2015..2020", "2015..", "..2020" or "2018".
void parse_years(const std::string& text, SearchRequest& r) {
    if (text.empty()) return;
    const auto dots = text.find("..");
    auto year = [&](const std::string& s) {
        if (s.empty()) return 0;
        if (s.size() != 4 || s.find_first_not_of("0123456789") != std::string::npos)
            throw SearchError("year", "bad year '" + s + "' in --year (expected YYYY, FROM..TO, FROM.. or ..TO)");
        return std::stoi(s);
    };
    if (dots == std::string::npos) {
        r.year_from = r.year_to = year(text);
    } else {
        r.year_from = year(text.substr(0, dots));
        r.year_to = year(text.substr(dots + 2));
    }
}

std::string unescape_html(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '&') {
            for (auto [entity, ch] : {std::pair{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}}) {
                if (s.compare(i, std::strlen(entity), entity) == 0) {
                    out += ch;
                    i += std::strlen(entity) - 1;
                    goto next;
                }
            }
        }
        out += s[i];
    next:;
    }
    return out;
}

nlohmann::json to_json(const SearchResult& r) {
    nlohmann::json hits = nlohmann::json::array();
    for (const SearchHit& h : r.hits) {
        nlohmann::json versions = nlohmann::json::array();
        for (const auto& v : h.versions) versions.push_back({{"lang", v.lang}, {"title", v.title}});
        hits.push_back({{"id", h.id}, {"lang", h.lang}, {"title", h.title}, {"kind", h.kind},
                        {"year", h.year ? nlohmann::json(h.year) : nlohmann::json()}, {"snippet", h.snippet},
                        {"score", shown_score(h.score)}, {"all_words", h.all_words}, {"countries", h.countries}, {"themes", h.themes},
                        {"versions", versions}});
        if (!h.attachment.empty()) hits.back()["in_attachment"] = {{"file", h.attachment}, {"page", h.attachment_page}};
    }
    nlohmann::json facets = nlohmann::json::object();
    for (const auto& [name, values] : r.facets) {
        nlohmann::json list = nlohmann::json::array();
        for (const FacetValue& v : values) list.push_back({{"value", v.value}, {"count", v.count}});
        facets[name] = list;
    }
    return {{"total", r.total}, {"total_all_words", r.total_all}, {"total_exact", r.total_exact}, {"hits", hits},
            {"facets", facets}, {"suggestion", r.suggestion ? nlohmann::json(*r.suggestion) : nlohmann::json()},
            {"corrected", r.corrected ? nlohmann::json(*r.corrected) : nlohmann::json()}, {"lang_pref", r.lang_pref},
            {"relaxed", r.relaxed}, {"missing_shards", r.missing_shards}};
}

void print_text(const SearchArgs& a, const SearchResult& r) {
    const bool tty = ::isatty(STDOUT_FILENO) == 1;
    std::printf("%s%zu result%s", r.total_exact ? "" : "about ", r.total, r.total == 1 ? "" : "s");
    if (!a.query.empty()) std::printf(" for \"%s\"", (r.corrected ? *r.corrected : a.query).c_str());
    if (!r.hits.empty()) std::printf(" (%zu-%zu)", a.request.offset + 1, a.request.offset + r.hits.size());
    if (!a.query.empty() && r.total > 0) std::printf(", %zu matching every word", r.total_all);
    std::printf("\n");
    if (r.corrected) std::printf("Search instead for \"%s\": --no-correct\n", a.query.c_str());
    std::size_t n = a.request.offset;
    for (const SearchHit& h : r.hits) {
        std::string langs = h.lang;
        for (const std::string& l : h.translations) langs += "+" + l;
        std::printf("\n%3zu. %s\n     [%s · %s%s] %s\n", ++n, h.title.c_str(), langs.c_str(), h.kind.c_str(),
                    h.year ? (" · " + std::to_string(h.year)).c_str() : "", h.id.c_str());
        if (!h.attachment.empty()) std::printf("     in the attached PDF %s, p. %d:\n", h.attachment.c_str(), h.attachment_page);
        if (!h.snippet.empty()) std::printf("     %s\n", unescape_html(h.snippet).c_str());
    }
    if (!r.facets.empty()) std::printf("\n");
    for (const auto& [name, values] : r.facets) {
        std::printf("%-8s", (name + ":").c_str());
        std::size_t shown = 0;
        for (const FacetValue& v : values) {
            if (shown++ == 8) break;
            std::printf(" %s (%zu)", v.value.c_str(), v.count);
        }
        std::printf("\n");
    }
    if (r.suggestion) std::printf("\nDid you mean: %s%s%s\n", tty ? "\033[1m" : "", r.suggestion->c_str(), tty ? "\033[0m" : "");
}

int run(SearchArgs& a) {
    try {
        a.request.query = a.query;
        parse_years(a.year, a.request);
        a.request.match_all = a.match == "all";
        a.request.collapse = a.collapse == "document";
        if (!a.json) {
            const bool tty = ::isatty(STDOUT_FILENO) == 1;
            a.request.mark_start = tty ? "\033[1m" : "[";
            a.request.mark_end = tty ? "\033[0m" : "]";
        }
        Searcher searcher(a.shards);
        const SearchResult r = searcher.search(a.request);
        for (const std::string& shard : r.missing_shards)
            std::cerr << "passerelle: warning: " << shard << ": the shard did not answer; results are without it\n";
        if (a.json)
            std::cout << to_json(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        else
            print_text(a, r);
        return 0;
    } catch (const SearchError& e) {
        std::cerr << "passerelle: error: " << e.what() << " (parameter '" << e.parameter() << "')\n";
        return 2;
    } catch (const Error& e) {
        std::cerr << "passerelle: error: " << e.what() << '\n';
        return 2;
    }
}

}  // namespace

void add_search_command(CLI::App& app, int& exit_code) {
    auto a = std::make_shared<SearchArgs>();
    CLI::App* cmd = app.add_subcommand("search", "Search the index; an empty query lists everything, newest first");
    cmd->add_option("query", a->query, "Words, \"phrases\", -excluded, title:word, country:sn ...");
    cmd->add_option("--db", a->shards.shards, "Index folder, or tcp://HOST:PORT of a remote shard (repeat: searched as one)")
        ->required()
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);  // one value per --db, words stay the query
    cmd->add_option("--lexicon", a->shards.lexicon,
                    "Local folder of spelling and synonyms (from 'passerelle lexicon'; default: the first local --db)");
    cmd->add_option("--shard-timeout", a->shards.shard_timeout_ms, "Milliseconds a remote shard has to answer")
        ->check(CLI::Range(1, 600000))
        ->capture_default_str();
    SearchRequest& r = a->request;
    cmd->add_option("--lang", r.langs, "Language versions to keep (fr, en, ...)");
    cmd->add_option("--country", r.countries, "ISO 3166-1 alpha-2 country codes");
    cmd->add_option("--theme", r.themes, "Theme ids");
    cmd->add_option("--kind", r.kinds, "Document kinds");
    cmd->add_option("--sector", r.sectors, "OECD DAC codes (5 digits) or categories (3 digits)");
    cmd->add_option("--phase", r.phases, "Project-cycle phases");
    cmd->add_option("--project", r.projects, "Project ids");
    cmd->add_option("--year", a->year, "A year or a range: 2015..2020, 2015.., ..2020");
    cmd->add_option("--role", r.role, "Whose view: public, partners or internal")->capture_default_str();
    cmd->add_option("--limit", r.limit, "Hits per page")->check(CLI::Range(1, 1000))->capture_default_str();
    cmd->add_option("--offset", r.offset, "Hits to skip")->capture_default_str();
    cmd->add_option("--match", a->match, "most: documents matching any word, those matching more first; all: every word")
        ->check(CLI::IsMember({"most", "all"}))
        ->capture_default_str();
    cmd->add_option("--lang-pref", r.lang_pref,
                    "Language whose versions rank first and are shown (default: the query's language, else French)");
    cmd->add_option("--collapse", a->collapse, "document: one hit per document; none: one per language version")
        ->check(CLI::IsMember({"document", "none"}))
        ->capture_default_str();
    cmd->add_flag("!--no-correct", r.correct, "Search the words as typed, without correcting those that match nothing");
    cmd->add_flag("--json", a->json, "Print JSON: total, hits, facets, suggestion");
    cmd->callback([a, &exit_code] { exit_code = run(*a); });
}

}  // namespace passerelle::cli
