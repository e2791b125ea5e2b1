#include "indexer/indexer.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/catalogue.h"
#include "core/search.h"
#include "support/fixture_index.h"

namespace passerelle {
namespace {

using test::note;

std::string public_note(const std::string& id, const std::string& lang, const std::string& title, const std::string& body) {
    return note(id, lang, "report", title, body, "visibility: public\ndate: 2020\n");
}

std::size_t hits(const std::filesystem::path& db, const std::string& q) {
    Searcher s(db);
    SearchRequest r;
    r.query = q;
    return s.search(r).total;
}

TEST(IndexerTest, IndexesEveryValidDocumentAndReportsTheBrokenOne) {
    test::FixtureIndex f;
    f.add("a/one.fr.md", public_note("one", "fr", "Un", "puits"));
    f.add("a/two.en.md", public_note("two", "en", "Two", "wells"));
    f.add("b/bad.fr.md", note("bad", "fr", "report", "Mauvais", "x", "visibility: public\nthemes: [watr]\n"));
    const IndexReport& r = f.index();
    EXPECT_EQ(r.added, 2u);
    EXPECT_EQ(r.skipped, 1u);
    EXPECT_EQ(r.errors, 1u);
    EXPECT_EQ(r.documents, 2u);
    ASSERT_EQ(f.messages.size(), 1u);
    EXPECT_NE(f.messages[0].find("bad.fr.md:7:10: error: unknown theme 'watr' (did you mean 'water'?)"), std::string::npos)
        << f.messages[0];
}

// Found by fuzzing: one JSON Lines record with a number too large for a double stopped the run.
TEST(IndexerTest, AJsonLinesNumberTooLargeStopsOnlyItsLine) {
    test::FixtureIndex f;
    IndexOptions opt;
    opt.inputs = {f.dir.write(
        "bulk.jsonl",
        R"({"id": "rp-a", "lang": "fr", "kind": "report", "title": "A", "visibility": "public", "year": 1E99999})" "\n"
        R"({"id": "rp-b", "lang": "fr", "kind": "report", "title": "B", "visibility": "public"})" "\n")};
    opt.db = f.db();
    opt.vocabularies = test::source_dir() / "content" / "vocabularies";
    DiagnosticSink sink;
    const IndexReport r = run_indexer(opt, sink);
    EXPECT_EQ(r.added, 1u);
    EXPECT_EQ(r.errors, 1u);
    const auto items = sink.take();
    ASSERT_EQ(items.size(), 1u);
    EXPECT_NE(items[0].str().find("bulk.jsonl:1:1: error: invalid JSON: number overflow"), std::string::npos) << items[0].str();
}

TEST(IndexerTest, SecondRunWithNothingChangedWritesNothing) {
    test::FixtureIndex f;
    for (int i = 0; i < 20; ++i) f.add("n/d" + std::to_string(i) + ".fr.md", public_note("d" + std::to_string(i), "fr", "T", "texte"));
    EXPECT_EQ(f.index().added, 20u);
    const int generation = f.report.generation;
    const IndexReport& again = f.index();
    EXPECT_EQ(again.added + again.updated + again.removed, 0u);
    EXPECT_EQ(again.unchanged, 20u);
    EXPECT_EQ(again.unchanged_sources, 20u);
    EXPECT_EQ(again.generation, generation);
}

TEST(IndexerTest, ChangedFilesAreReindexedAndRemovedOnesDisappear) {
    test::FixtureIndex f;
    f.add("n/keep.fr.md", public_note("keep", "fr", "Garder", "baobab"));
    const auto changed = f.add("n/change.fr.md", public_note("change", "fr", "Avant", "acacia"));
    const auto gone = f.add("n/gone.fr.md", public_note("gone", "fr", "Parti", "filao"));
    f.index();
    EXPECT_EQ(hits(f.db(), "filao"), 1u);
    f.add("n/change.fr.md", public_note("change", "fr", "Après", "eucalyptus"));
    std::filesystem::remove(gone);
    const IndexReport& r = f.index();
    EXPECT_EQ(r.updated, 1u);
    EXPECT_EQ(r.removed, 1u);
    EXPECT_EQ(r.unchanged, 1u);
    EXPECT_EQ(r.documents, 2u);
    EXPECT_EQ(hits(f.db(), "filao"), 0u);
    EXPECT_EQ(hits(f.db(), "acacia"), 0u);
    EXPECT_EQ(hits(f.db(), "eucalyptus"), 1u);
    Catalogue c(f.db() / "catalogue.sqlite", Catalogue::Mode::read_only);
    EXPECT_EQ(c.document_count(r.generation), 2);
}

TEST(IndexerTest, DuplicateIdAndLangIsAnErrorNamingTheFirst) {
    test::FixtureIndex f;
    f.add("a/x.fr.md", public_note("x", "fr", "Premier", "un"));
    f.add("b/x.fr.md", public_note("x", "fr", "Second", "deux"));
    const IndexReport& r = f.index();
    EXPECT_EQ(r.added, 1u);
    ASSERT_EQ(f.messages.size(), 1u);
    EXPECT_NE(f.messages[0].find("b/x.fr.md:1:1: error: duplicate document 'x' (fr): already defined at "),
              std::string::npos);
    EXPECT_NE(f.messages[0].find("a/x.fr.md:1"), std::string::npos) << f.messages[0];
}

TEST(IndexerTest, OnlyChangedJsonLinesRecordsAreReindexed) {
    test::FixtureIndex f;
    std::string lines;
    for (int i = 0; i < 50; ++i)
        lines += R"({"id": "r)" + std::to_string(i) + R"(", "lang": "en", "kind": "project", "title": "Record )" +
                 std::to_string(i) + R"(", "body": "wells", "visibility": "public", "year": 2019})" + "\n";
    const auto jsonl = f.dir.write("bulk.jsonl", lines);
    IndexOptions opt;
    opt.inputs = {jsonl};
    opt.db = f.db();
    opt.vocabularies = test::source_dir() / "content" / "vocabularies";
    DiagnosticSink sink;
    EXPECT_EQ(run_indexer(opt, sink).added, 50u);
    const auto at = lines.find("Record 7\"");
    lines.replace(at, 8, "Record seven");
    lines += R"({"id": "r50", "lang": "en", "kind": "project", "title": "New", "body": "x", "visibility": "public"})" "\n";
    f.dir.write("bulk.jsonl", lines);
    const IndexReport r = run_indexer(opt, sink);
    EXPECT_EQ(sink.error_count(), 0u);
    EXPECT_EQ(r.updated, 1u);
    EXPECT_EQ(r.added, 1u);
    EXPECT_EQ(r.unchanged, 49u);
    EXPECT_EQ(hits(f.db(), "seven"), 1u);
}

TEST(IndexerTest, SourcesWithErrorsAreReadAgainSoErrorsAreNotForgotten) {
    test::FixtureIndex f;
    f.add("bad.fr.md", note("bad", "fr", "report", "T", "x", "visibility: public\ncountries: [XX]\n"));
    EXPECT_EQ(f.index().errors, 1u);
    EXPECT_EQ(f.index().errors, 1u);
}

TEST(IndexerTest, SmallBatchesCommitSeveralGenerations) {
    test::FixtureIndex f;
    for (int i = 0; i < 10; ++i) f.add("n/d" + std::to_string(i) + ".fr.md", public_note("d" + std::to_string(i), "fr", "T", "texte"));
    const IndexReport& r = f.index(3);
    EXPECT_EQ(r.documents, 10u);
    EXPECT_GE(r.generation, 4);
    Catalogue c(f.db() / "catalogue.sqlite", Catalogue::Mode::read_only);
    EXPECT_EQ(c.document_count(r.generation), 10);
}

}  // namespace
}  // namespace passerelle

namespace passerelle {
namespace {

// A build from empty with enough records takes the parallel path (two shards, compacted and
// switched in); the result must be the same index as the sequential path would give.
TEST(IndexerBulkTest, ParallelBuildFromEmptyGivesACompleteIndex) {
    test::TempDir dir;
    const auto jsonl = dir / "bulk.jsonl";
    {
        std::ofstream out(jsonl);
        for (int i = 0; i < 2600; ++i) {
            const bool fr = i % 2 == 0;
            out << R"({"id": "b)" << i / 2 << R"(", "lang": ")" << (fr ? "fr" : "en") << R"(", "kind": "report", )"
                << R"("title": ")" << (fr ? "Latrines de l'école " : "School latrines ") << i << R"(", "body": ")"
                << (fr ? "Assainissement et latrines entretenues par le comité." : "Sanitation and latrines kept by the committee.")
                << R"(", "visibility": "public", "year": )" << 2000 + i % 20 << "}\n";
        }
    }
    IndexOptions opt;
    opt.inputs = {jsonl};
    opt.db = dir / "db";
    opt.vocabularies = test::source_dir() / "content" / "vocabularies";
    DiagnosticSink sink;
    const IndexReport r = run_indexer(opt, sink);
    EXPECT_EQ(sink.error_count(), 0u);
    EXPECT_EQ(r.added, 2600u);
    EXPECT_EQ(r.documents, 2600u);
    EXPECT_TRUE(std::filesystem::is_symlink(opt.db / "xapian"));
    EXPECT_FALSE(std::filesystem::exists(opt.db / "xapian-build"));

    Searcher s(opt.db);
    Catalogue c(opt.db / "catalogue.sqlite", Catalogue::Mode::read_only);
    EXPECT_EQ(c.document_count(s.generation()), 2600);
    SearchRequest q;
    q.query = "assainissement";
    q.langs = {"en"};
    EXPECT_EQ(s.search(q).total, 1300u);  // through the glossary synonyms
    q.query = "latrinnes";
    q.langs = {};
    const SearchResult typo = s.search(q);
    ASSERT_TRUE(typo.corrected.has_value());  // through the merged spelling dictionary
    EXPECT_EQ(*typo.corrected, "latrines");

    // Incremental runs work in place on the built database.
    EXPECT_EQ(run_indexer(opt, sink).unchanged, 2600u);
    std::ofstream(jsonl, std::ios::app)
        << R"({"id": "extra", "lang": "fr", "kind": "report", "title": "Nouveau forage", "body": "x", "visibility": "public"})" "\n";
    const IndexReport again = run_indexer(opt, sink);
    EXPECT_EQ(again.added, 1u);
    EXPECT_EQ(again.documents, 2601u);
    EXPECT_EQ(hits(opt.db, "forage"), 1u);
}

}  // namespace
}  // namespace passerelle
