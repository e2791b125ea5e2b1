// In-process search latency over an index, or over a federation of shards: runs a mix of
// multi-word French and English queries (with facets, snippets and the public role, as
// `passerelle search` does) and prints the median, 95th and 99th percentiles per query.
// Usage: bench_search SHARD... [ROUNDS] [--lexicon=DIR]; a shard is an index folder or
// tcp://HOST:PORT, as `passerelle search --db`.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/search.h"

int main(int argc, char** argv) {
    passerelle::SearcherOptions options;
    int rounds = 20;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a.rfind("--lexicon=", 0) == 0) options.lexicon = a.substr(10);
        else if (!a.empty() && a.find_first_not_of("0123456789") == std::string::npos) rounds = std::stoi(a);
        else options.shards.push_back(a);
    }
    if (options.shards.empty()) {
        std::fprintf(stderr, "usage: bench_search SHARD... [ROUNDS] [--lexicon=DIR]\n");
        return 2;
    }
    const std::vector<std::string> queries = {
        "accès à l'eau potable dans les écoles", "water supply and sanitation", "assainissement rural",
        "gestion des déchets ménagers",        "renewable energy solar",      "formation professionnelle des jeunes",
        "sécurité alimentaire au Sénégal",     "health systems strengthening", "food security Guinea",
        "gouvernance locale et décentralisation", "maternal child health",    "agriculture résilience climat",
        "HIV prevention care treatment",       "éducation de base",            "emergency food assistance Niger",
        "protection de la biodiversité",       "migration Libya",              "écoles primaires Maroc",
        "capacity building civil society",     "eau hygiène assainissement",
    };
    // PASSERELLE_BENCH_EXACT_LIMIT=N: matches counted one by one (SearcherOptions::exact_count_limit).
    if (const char* n = std::getenv("PASSERELLE_BENCH_EXACT_LIMIT")) options.exact_count_limit = static_cast<unsigned>(std::stoul(n));
    passerelle::Searcher searcher(options);
    if (const char* q = std::getenv("PASSERELLE_BENCH_EXPLAIN")) {  // the query Xapian runs for q
        passerelle::SearchRequest req;
        req.query = q;
        req.explain = true;
        std::printf("%s\n", searcher.search(req).description.c_str());
        return 0;
    }
    // PASSERELLE_BENCH_COLLAPSE=none: one hit per language version, as before issue 17.
    const char* collapse_env = std::getenv("PASSERELLE_BENCH_COLLAPSE");
    const bool no_collapse = collapse_env && std::string(collapse_env) == "none";
    std::vector<double> ms;
    std::vector<std::vector<double>> per_query(queries.size());
    std::vector<std::string> totals(queries.size());  // the last round's, per query
    std::size_t hits = 0;
    for (int r = 0; r < rounds; ++r) {
        for (std::size_t qi = 0; qi < queries.size(); ++qi) {
            const auto& q = queries[qi];
            passerelle::SearchRequest req;
            req.query = q;
            req.collapse = !no_collapse;
            const auto t0 = std::chrono::steady_clock::now();
            const auto res = searcher.search(req);
            ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            per_query[qi].push_back(ms.back());
            hits += res.total;
            totals[qi] = (res.total_exact ? "" : "~") + std::to_string(res.total) + " (" + std::to_string(res.total_all) + " all words)";
            if (!res.missing_shards.empty()) {
                std::fprintf(stderr, "bench_search: %s did not answer\n", res.missing_shards[0].c_str());
                return 1;
            }
        }
    }
    if (std::getenv("PASSERELLE_BENCH_PER_QUERY"))  // which queries cost what
        for (std::size_t qi = 0; qi < queries.size(); ++qi) {
            auto& v = per_query[qi];
            std::sort(v.begin(), v.end());
            std::printf("%8.3f ms  %-22s %s\n", v[v.size() / 2], totals[qi].c_str(), queries[qi].c_str());
        }
    std::sort(ms.begin(), ms.end());
    const auto pct = [&](double p) { return ms[static_cast<std::size_t>(p * (ms.size() - 1))]; };
    std::printf("queries=%zu median_ms=%.3f p95_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_hits=%.0f\n", ms.size(), pct(0.5), pct(0.95),
                pct(0.99), ms.back(), static_cast<double>(hits) / ms.size());
    return 0;
}
