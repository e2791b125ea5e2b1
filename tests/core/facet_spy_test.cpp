#include "core/facet_spy.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <fstream>

#include "core/index_schema.h"
#include "core/stored_fields.h"
#include "core/xapian_writer.h"
#include "support/temp_dir.h"

namespace passerelle {
namespace {

Document doc(const std::string& id, const std::string& lang, const std::string& country) {
    Document d;
    d.id = id;
    d.lang = lang;
    d.kind = "report";
    d.title = "Forage " + id;
    d.visibility = "public";
    d.countries = {country};
    return d;
}

// Two shards behind a stub, as the parallel build leaves them: five French documents about
// Morocco in the first, three English ones about Senegal in the second. With `distinct`, the
// shards number their documents as the parallel build does; without, both count from 1.
std::filesystem::path two_shards(const test::TempDir& dir, bool distinct) {
    for (unsigned k = 0; k < 2; ++k) {
        const auto path = dir / ("shard-" + std::to_string(k));
        XapianWriter w = distinct ? XapianWriter::for_shard(path, k, 2) : XapianWriter::for_shard(path);
        const int n = k == 0 ? 5 : 3;
        for (int i = 0; i < n; ++i)
            w.replace(k == 0 ? doc("m" + std::to_string(i), "fr", "MA") : doc("s" + std::to_string(i), "en", "SN"), "forage", false);
        w.commit(1);
    }
    return dir.write("index.stub", "auto shard-0\nauto shard-1\n");
}

std::map<std::string, Xapian::doccount> count(const Xapian::Database& db, const FacetTable& table, char code,
                                              const Xapian::Query& q = Xapian::Query::MatchAll) {
    Xapian::Enquire e(db);
    e.set_query(q);
    FacetSpy spy(table);
    e.add_matchspy(&spy);
    e.get_mset(0, 0, db.get_doccount());
    const auto& all = spy.counts();
    const auto it = all.find(code);
    return it == all.end() ? std::map<std::string, Xapian::doccount>{} : it->second;
}

TEST(FacetSpyTest, CountsRightOverShardsNumberedByTheParallelBuild) {
    test::TempDir dir;
    const Xapian::Database db(two_shards(dir, true).string());
    const FacetTable table(db);
    EXPECT_FALSE(table.reads_index());
    EXPECT_EQ(count(db, table, facet::k_lang), (std::map<std::string, Xapian::doccount>{{"en", 3}, {"fr", 5}}));
    EXPECT_EQ(count(db, table, facet::k_lang, Xapian::Query(std::string(schema::k_lang) + "en")),
              (std::map<std::string, Xapian::doccount>{{"en", 3}}));
    EXPECT_EQ(count(db, table, facet::k_country, Xapian::Query(std::string(schema::k_lang) + "fr")).size(), 1u);
}

TEST(FacetSpyTest, ShardsWhoseNumbersCollideAreReadFromTheIndexAndStillCountRight) {
    test::TempDir dir;
    const Xapian::Database db(two_shards(dir, false).string());
    const FacetTable table(db);
    EXPECT_TRUE(table.reads_index());
    EXPECT_EQ(count(db, table, facet::k_lang), (std::map<std::string, Xapian::doccount>{{"en", 3}, {"fr", 5}}));
    EXPECT_EQ(count(db, table, facet::k_lang, Xapian::Query(std::string(schema::k_lang) + "en")),
              (std::map<std::string, Xapian::doccount>{{"en", 3}}));
}

TEST(FacetSpyTest, OneDatabaseUsesTheTable) {
    test::TempDir dir;
    {
        XapianWriter w(dir / "one");
        w.begin();
        for (int i = 0; i < 4; ++i) w.replace(doc("d" + std::to_string(i), i % 2 ? "en" : "fr", "SN"), "forage");
        w.commit(1);
    }
    const Xapian::Database db((dir / "one").string());
    const FacetTable table(db);
    EXPECT_FALSE(table.reads_index());
    EXPECT_EQ(count(db, table, facet::k_lang), (std::map<std::string, Xapian::doccount>{{"en", 2}, {"fr", 2}}));
}

}  // namespace
}  // namespace passerelle
