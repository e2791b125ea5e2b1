// In-process search throughput: THREADS threads, each with its own Searcher, run the queries of
// a file in turn for SECONDS, as the server's /api/search does (facets, snippets, public role).
// Prints one JSON line. Also prints the API paths of the same query mix or of documents, for wrk.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/search.h"
#include "core/url.h"

namespace {

std::vector<std::string> read_lines(const char* path) {
    std::ifstream in(path);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

int rate(const char* db, int threads, double seconds, const std::vector<std::string>& queries) {
    std::atomic<long> done{0};
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            passerelle::Searcher s(db);
            for (std::size_t i = static_cast<std::size_t>(t); std::chrono::steady_clock::now() < until; ++i) {
                passerelle::SearchRequest r;
                r.query = queries[i % queries.size()];
                s.search(r);
                ++done;
            }
        });
    for (auto& th : pool) th.join();
    std::printf("{\"threads\": %d, \"seconds\": %.1f, \"queries\": %ld, \"qps\": %.1f}\n", threads, seconds, done.load(),
                done.load() / seconds);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "rate" && argc == 6) return rate(argv[2], std::stoi(argv[3]), std::stod(argv[4]), read_lines(argv[5]));
    if (mode == "search-paths" && argc == 3) {
        for (const auto& q : read_lines(argv[2])) std::printf("/api/search?q=%s\n", passerelle::http::percent_encode(q).c_str());
        return 0;
    }
    if (mode == "document-paths" && argc == 4) {
        passerelle::Searcher s(argv[2]);
        passerelle::SearchRequest r;
        r.limit = static_cast<std::size_t>(std::stoi(argv[3]));
        r.sort = passerelle::SearchRequest::Sort::date;
        for (const auto& h : s.search(r).hits)
            std::printf("/api/documents/%s?lang=%s\n", passerelle::http::percent_encode(h.id).c_str(), h.lang.c_str());
        return 0;
    }
    std::fprintf(stderr, "usage: bench_search_rate rate DB THREADS SECONDS QUERIES | search-paths QUERIES | document-paths DB N\n");
    return 2;
}
