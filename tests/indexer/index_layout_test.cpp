#include "indexer/index_layout.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "core/catalogue.h"
#include "core/search.h"
#include "support/fixture_index.h"

namespace passerelle {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> xapian_entries(const fs::path& db) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(db))
        if (e.path().filename().string().rfind("xapian", 0) == 0) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

// Once the link exists it opens: readers see an empty index at generation 0 and a catalogue
// that agrees, before any document is written.
TEST(IndexLayoutTest, ANewIndexIsLinkedOnlyOnceItsDatabaseAndCatalogueExist) {
    test::TempDir dir;
    const fs::path db = dir / "db";
    ASSERT_EQ(ensure_index_layout(db), db / "xapian");
    ASSERT_TRUE(fs::is_symlink(db / "xapian"));
    Searcher s(db);
    EXPECT_EQ(s.document_count(), 0u);
    EXPECT_EQ(s.generation(), 0);
    Catalogue c(db / "catalogue.sqlite", Catalogue::Mode::read_only);
    EXPECT_EQ(c.document_count(0), 0);
    const auto perms = fs::status(db / "xapian").permissions();
    EXPECT_NE(perms & fs::perms::others_read, fs::perms::none) << "the database folder is readable as mkdir makes it";

    // A second call changes nothing.
    const fs::path target = fs::read_symlink(db / "xapian");
    ensure_index_layout(db);
    EXPECT_EQ(fs::read_symlink(db / "xapian"), target);
    EXPECT_EQ(xapian_entries(db), (std::vector<std::string>{"xapian", target.string()}));
}

// What a kill can leave before the link: a folder, a catalogue, a database folder half made.
// None of it is visible, and the next run indexes and clears it away.
TEST(IndexLayoutTest, WhatAKillLeavesBeforeTheLinkIsInvisibleAndTheNextRunClearsIt) {
    test::FixtureIndex f;
    f.add("n1.fr.md", test::note("n1", "fr", "report", "Forage", "Le comité entretient le forage.", "visibility: public\ndate: 2020\n"));
    fs::create_directories(f.db() / "xapian-0.aB3dE9");  // mkdtemp's folder, killed before Xapian wrote in it
    { const Catalogue c(f.db() / "catalogue.sqlite", Catalogue::Mode::read_write); }
    EXPECT_THROW(Searcher{f.db()}, Error);

    const IndexReport& report = f.index();
    EXPECT_EQ(report.errors, 0u) << (f.messages.empty() ? "" : f.messages.front());
    EXPECT_EQ(report.documents, 1u);
    const std::vector<std::string> left = xapian_entries(f.db());
    ASSERT_EQ(left.size(), 2u);
    EXPECT_EQ(left[0], "xapian");
    EXPECT_NE(left[1], "xapian-0.aB3dE9");
    SearchRequest q;
    q.query = "forage";
    EXPECT_EQ(Searcher(f.db()).search(q).total, 1u);
}

// Processes (here threads) that create the same new index at once all get the one index; the
// folders of those that lost the race are gone.
TEST(IndexLayoutTest, ConcurrentCreatorsShareOneIndex) {
    test::TempDir dir;
    const fs::path db = dir / "db";
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&] {
            try {
                ensure_index_layout(db);
            } catch (const std::exception& e) {
                ++failures;
                ADD_FAILURE() << e.what();
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(xapian_entries(db).size(), 2u) << "the link and the one database it names";
    EXPECT_EQ(Searcher(db).document_count(), 0u);
}

}  // namespace
}  // namespace passerelle
