#include "indexer/compact.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/diagnostics.h"
#include "core/search.h"
#include "core/xapian_writer.h"
#include "indexer/index_layout.h"
#include "indexer/indexer.h"
#include "support/temp_dir.h"

namespace passerelle {
namespace {

namespace fs = std::filesystem;

// Enough records for the parallel build, so the index starts as two shards behind a stub.
IndexOptions bulk_index(const test::TempDir& dir) {
    const auto jsonl = dir / "bulk.jsonl";
    std::ofstream out(jsonl);
    for (int i = 0; i < 2400; ++i) {
        const bool fr = i % 2 == 0;
        out << R"({"id": "c)" << i / 2 << R"(", "lang": ")" << (fr ? "fr" : "en") << R"(", "kind": ")"
            << (i % 3 ? "report" : "lesson") << R"(", "title": ")" << (fr ? "Forage du village " : "Village borehole ") << i
            << R"(", "body": ")" << (fr ? "Le comité entretient le forage et les latrines de l'école." : "The committee keeps the borehole and the school latrines.")
            << (i % 7 == 0 ? " Pompe solaire." : "") << R"(", "countries": [")" << (i % 2 ? "SN" : "MA")
            << R"("], "visibility": ")" << (i % 5 ? "public" : "internal") << R"(", "year": )" << 2000 + i % 20 << "}\n";
    }
    out.close();
    IndexOptions opt;
    opt.inputs = {jsonl};
    opt.db = dir / "db";
    opt.vocabularies = test::source_dir() / "content" / "vocabularies";
    return opt;
}

// What a search shows, to compare two indexes of the same documents: every match counted (past
// SearcherOptions::exact_count_limit, equal weights would come in each layout's own order).
std::string view(const fs::path& db, const std::string& q, const std::string& role = "public") {
    SearcherOptions o;
    o.shards = {db.string()};
    o.exact_count_limit = 0;
    Searcher s(o);
    SearchRequest r;
    r.query = q;
    r.role = role;
    r.limit = 20;
    const SearchResult res = s.search(r);
    std::string out = std::to_string(res.total) + "\n";
    for (const SearchHit& h : res.hits) out += h.id + "@" + h.lang + " " + h.snippet + "\n";
    for (const auto& [name, values] : res.facets)
        for (const FacetValue& v : values) out += name + ":" + v.value + "=" + std::to_string(v.count) + "\n";
    return out;
}

TEST(CompactTest, ShardsBecomeOneDatabaseWithTheSameSearchResults) {
    test::TempDir dir;
    const IndexOptions opt = bulk_index(dir);
    DiagnosticSink sink;
    const IndexReport built = run_indexer(opt, sink);
    ASSERT_EQ(sink.error_count(), 0u);
    ASSERT_TRUE(index_is_sharded(opt.db));
    const std::vector<std::string> queries = {"forage", "latrines école", "solar pump", "", "forage -pompe", "pompe solaire au Sénégal",
                                              "borehole Morocco school"};
    std::vector<std::string> before;
    for (const auto& q : queries) before.push_back(view(opt.db, q)), before.push_back(view(opt.db, q, "internal"));

    // Over the shards behind a stub, concepts with tags get their weight from a posting source
    // (Xapian 1.4.22 crashes in OP_MAX weighed by GradedWeight there); one database weighs them
    // itself, the heavier of their words and their tags (OP_MAX).
    const auto description = [&] {
        SearchRequest e;
        e.query = "pompe solaire au Sénégal";
        e.explain = true;
        return Searcher(opt.db).search(e).description;
    };
    EXPECT_NE(description().find("FixedWeightPostingSource(wt=1000)"), std::string::npos) << description();
    EXPECT_EQ(description().find(" MAX "), std::string::npos) << description();
    // Past the matches counted one by one, totals are estimates in both layouts (Xapian reads
    // the shards one after another). Here the two versions of a document are in different
    // shards, and the documents of the sample (French versions) count as many as its versions:
    // the estimate runs high, up to twice the documents (docs/search.md).
    const auto estimate = [&](unsigned limit) {
        SearcherOptions o;
        o.shards = {opt.db.string()};
        o.exact_count_limit = limit;
        SearchRequest e;
        e.query = "forage";
        return Searcher(o).search(e);
    };
    const SearchResult exact = estimate(0), sharded = estimate(300);
    EXPECT_TRUE(exact.total_exact);
    EXPECT_FALSE(sharded.total_exact);
    EXPECT_GE(sharded.total, exact.total * 3 / 4);
    EXPECT_LE(sharded.total, exact.total * 2);

    const CompactReport r = compact_index(opt.db);
    EXPECT_EQ(description().find("FixedWeightPostingSource(wt=1000)"), std::string::npos) << description();
    EXPECT_NE(description().find("1048576 *"), std::string::npos) << description();
    EXPECT_NE(description().find(" MAX "), std::string::npos) << description();
    const SearchResult compacted = estimate(300);
    EXPECT_FALSE(compacted.total_exact);
    EXPECT_GE(compacted.total, exact.total * 3 / 4);
    EXPECT_LE(compacted.total, exact.total * 2);
    EXPECT_EQ(r.sources, 2u);
    EXPECT_EQ(r.generation, built.generation);
    EXPECT_GT(r.bytes_after, 0u);
    EXPECT_LT(r.bytes_after, r.bytes_before);
    EXPECT_FALSE(index_is_sharded(opt.db));
    EXPECT_EQ(fs::read_symlink(opt.db / "xapian").string(), "xapian-" + std::to_string(built.generation) + "c");
    std::size_t entries = 0;
    for (const auto& e : fs::directory_iterator(opt.db))
        if (e.path().filename().string().rfind("xapian-", 0) == 0) ++entries;
    EXPECT_EQ(entries, 1u);  // the shards and their stub are gone

    std::vector<std::string> after;
    for (const auto& q : queries) after.push_back(view(opt.db, q)), after.push_back(view(opt.db, q, "internal"));
    ASSERT_EQ(after.size(), before.size());
    for (std::size_t i = 0; i < after.size(); ++i) EXPECT_EQ(after[i], before[i]) << "query " << queries[i / 2];
    EXPECT_EQ(Searcher(opt.db).generation(), built.generation);
}

TEST(CompactTest, OneDatabaseCompactsAgainAndIndexingGoesOn) {
    test::TempDir dir;
    IndexOptions opt = bulk_index(dir);
    DiagnosticSink sink;
    run_indexer(opt, sink);
    compact_index(opt.db);
    const std::string before = view(opt.db, "forage");
    const CompactReport again = compact_index(opt.db);  // a single database, under a new name
    EXPECT_EQ(again.sources, 1u);
    EXPECT_EQ(view(opt.db, "forage"), before);

    std::ofstream(opt.inputs.front(), std::ios::app)
        << R"({"id": "new", "lang": "fr", "kind": "report", "title": "Nouvelle digue", "body": "Digue anti-sel.", "visibility": "public"})" "\n";
    const IndexReport next = run_indexer(opt, sink);
    EXPECT_EQ(next.added, 1u);
    EXPECT_EQ(next.documents, 2401u);
    EXPECT_EQ(view(opt.db, "digue").substr(0, 2), "1\n");
}

TEST(CompactTest, WaitsForNoWriterAndSaysWhatIsWrong) {
    test::TempDir dir;
    IndexOptions opt = bulk_index(dir);
    DiagnosticSink sink;
    run_indexer(opt, sink);
    {
        XapianWriter writer(index_shards(opt.db).front());  // as a running `passerelle index` would
        EXPECT_THROW(compact_index(opt.db), Error);
    }
    EXPECT_NO_THROW(compact_index(opt.db));
    try {
        compact_index(dir / "nowhere");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("nowhere"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace passerelle
