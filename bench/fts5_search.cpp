// The reference for in-process search: SQLite FTS5 over the same documents, asked the same
// queries with what a Passerelle search gives (the ten best hits with a snippet, the total, and
// the count per country as a facet). Builds the FTS5 table from a JSON Lines file, then prints
// the median, 95th and 99th percentiles per query, like bench_search.
// Usage: bench_fts5 CORPUS.jsonl QUERIES.txt [ROUNDS]
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "guarded_main.h"

namespace {

void check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "bench_fts5: %s: %s\n", what, sqlite3_errmsg(db));
        std::exit(1);
    }
}

// Each word quoted, so that FTS5 reads the query as words joined by AND (as Passerelle does).
std::string fts_query(const std::string& q) {
    std::istringstream in(q);
    std::string out, word;
    while (in >> word) {
        std::string quoted = "\"";
        for (char c : word) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        out += (out.empty() ? "" : " ") + quoted + "\"";
    }
    return out;
}

}  // namespace

int run(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_fts5 CORPUS.jsonl QUERIES.txt [ROUNDS]\n");
        return 2;
    }
    const int rounds = argc > 3 ? std::stoi(argv[3]) : 20;
    sqlite3* db = nullptr;
    check(sqlite3_open(":memory:", &db), db, "open");
    check(sqlite3_exec(db,
                       "CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2');"
                       "CREATE TABLE countries(doc INTEGER, country TEXT); CREATE INDEX countries_doc ON countries(doc);",
                       nullptr, nullptr, nullptr),
          db, "create");
    const auto build_start = std::chrono::steady_clock::now();
    check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
    sqlite3_stmt* ins = nullptr;
    sqlite3_stmt* country = nullptr;
    check(sqlite3_prepare_v2(db, "INSERT INTO docs(rowid, title, body) VALUES(?, ?, ?)", -1, &ins, nullptr), db, "prepare");
    check(sqlite3_prepare_v2(db, "INSERT INTO countries(doc, country) VALUES(?, ?)", -1, &country, nullptr), db, "prepare");
    std::ifstream corpus(argv[1]);
    std::string line;
    long row = 0;
    while (std::getline(corpus, line)) {
        const auto d = nlohmann::json::parse(line, nullptr, false);
        if (!d.is_object()) continue;
        ++row;
        const std::string title = d.value("title", ""), body = d.value("body", "");
        sqlite3_bind_int64(ins, 1, row);
        sqlite3_bind_text(ins, 2, title.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 3, body.c_str(), -1, SQLITE_TRANSIENT);
        check(sqlite3_step(ins), db, "insert");
        sqlite3_reset(ins);
        for (const auto& c : d.value("countries", nlohmann::json::array())) {
            if (!c.is_string()) continue;
            sqlite3_bind_int64(country, 1, row);
            sqlite3_bind_text(country, 2, c.get<std::string>().c_str(), -1, SQLITE_TRANSIENT);
            check(sqlite3_step(country), db, "insert country");
            sqlite3_reset(country);
        }
    }
    check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
    const double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - build_start).count();

    std::vector<std::string> queries;
    std::ifstream qs(argv[2]);
    while (std::getline(qs, line))
        if (!line.empty()) queries.push_back(line);
    sqlite3_stmt* top = nullptr;
    sqlite3_stmt* total = nullptr;
    sqlite3_stmt* facet = nullptr;
    check(sqlite3_prepare_v2(db,
                             "SELECT rowid, title, snippet(docs, 1, '<mark>', '</mark>', '…', 24) FROM docs WHERE docs MATCH ? "
                             "ORDER BY rank LIMIT 10",
                             -1, &top, nullptr),
          db, "prepare top");
    check(sqlite3_prepare_v2(db, "SELECT count(*) FROM docs WHERE docs MATCH ?", -1, &total, nullptr), db, "prepare total");
    check(sqlite3_prepare_v2(db,
                             "SELECT c.country, count(*) FROM docs JOIN countries c ON c.doc = docs.rowid WHERE docs MATCH ? "
                             "GROUP BY c.country",
                             -1, &facet, nullptr),
          db, "prepare facet");
    std::vector<double> ms;
    long hits = 0;
    for (int r = 0; r < rounds; ++r)
        for (const std::string& q : queries) {
            const std::string match = fts_query(q);
            const auto t0 = std::chrono::steady_clock::now();
            for (sqlite3_stmt* st : {top, total, facet}) {
                sqlite3_bind_text(st, 1, match.c_str(), -1, SQLITE_TRANSIENT);
                while (sqlite3_step(st) == SQLITE_ROW)
                    if (st == total) hits += sqlite3_column_int64(st, 0);
                sqlite3_reset(st);
            }
            ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        }
    std::sort(ms.begin(), ms.end());
    const auto pct = [&](double p) { return ms[static_cast<std::size_t>(p * (ms.size() - 1))]; };
    std::printf("documents=%ld build_s=%.2f queries=%zu median_ms=%.3f p95_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_hits=%.0f\n", row,
                build_s, ms.size(), pct(0.5), pct(0.95), pct(0.99), ms.back(), static_cast<double>(hits) / ms.size());
    for (sqlite3_stmt* st : {ins, country, top, total, facet}) sqlite3_finalize(st);
    sqlite3_close(db);
    return 0;
}

int main(int argc, char** argv) { return passerelle::bench::guarded_main(argc, argv, run); }
