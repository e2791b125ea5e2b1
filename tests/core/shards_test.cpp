// Searching a federation: four real xapian-tcpsrv processes on loopback, each serving an office's
// index, against one index of the same documents.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <thread>
#include <set>

#include "core/diagnostics.h"
#include "core/search.h"
#include "core/shards.h"
#include "support/shard_servers.h"

namespace passerelle {
namespace {

class ShardsTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { s_fed = new test::Federation(); }
    static void TearDownTestSuite() {
        delete s_fed;
        s_fed = nullptr;
    }
    static SearcherOptions remote(int timeout_ms = 2000, int retry_seconds = 10) {
        return SearcherOptions{s_fed->addresses(), s_fed->lexicon.string(), timeout_ms, retry_seconds};
    }
    static test::Federation* s_fed;
};
test::Federation* ShardsTest::s_fed = nullptr;

// Everything a caller sees of a result, scores included.
void expect_same(const SearchResult& a, const SearchResult& b, const std::string& what) {
    SCOPED_TRACE(what);
    EXPECT_EQ(a.total, b.total);
    ASSERT_EQ(a.hits.size(), b.hits.size());
    for (std::size_t i = 0; i < a.hits.size(); ++i) {
        SCOPED_TRACE("hit " + std::to_string(i));
        EXPECT_EQ(a.hits[i].id, b.hits[i].id);
        EXPECT_EQ(a.hits[i].lang, b.hits[i].lang);
        EXPECT_EQ(a.hits[i].title, b.hits[i].title);
        EXPECT_EQ(a.hits[i].snippet, b.hits[i].snippet);
        EXPECT_EQ(a.hits[i].translations, b.hits[i].translations);
        EXPECT_EQ(a.hits[i].countries, b.hits[i].countries);
        EXPECT_DOUBLE_EQ(a.hits[i].score, b.hits[i].score);
        EXPECT_EQ(a.hits[i].percent, b.hits[i].percent);
    }
    ASSERT_EQ(a.facets.size(), b.facets.size());
    for (const auto& [name, values] : a.facets) {
        ASSERT_TRUE(b.facets.count(name)) << name;
        const auto& other = b.facets.at(name);
        ASSERT_EQ(values.size(), other.size()) << name;
        for (std::size_t i = 0; i < values.size(); ++i) {
            EXPECT_EQ(values[i].value, other[i].value) << name;
            EXPECT_EQ(values[i].count, other[i].count) << name << " " << values[i].value;
        }
    }
    EXPECT_EQ(a.suggestion, b.suggestion);
    EXPECT_EQ(a.corrected, b.corrected);
    EXPECT_EQ(a.relaxed, b.relaxed);
    EXPECT_EQ(a.total_all, b.total_all);
    EXPECT_EQ(a.total_exact, b.total_exact);
}

std::vector<SearchRequest> request_matrix() {
    std::vector<SearchRequest> out;
    for (const std::string q : {"", "eau", "water supply", "capacity building", "renforcement de capacités",
                                "\"énergie solaire\"", "forag*", "title:water -sanitation", "country:sn école",
                                "mangrove OR palétuvier", "watr suply", "latrines écoles"}) {
        // Without collapsing: over remote shards, facets count language versions.
        SearchRequest r;
        r.query = q;
        r.collapse = false;
        out.push_back(r);
        r.offset = 10;  // a later page
        r.limit = 7;
        out.push_back(r);
        SearchRequest f;
        f.query = q;
        f.collapse = false;
        f.countries = {"SN", "BF"};  // a filtered facet: counted as if unfiltered
        f.langs = {"fr"};
        out.push_back(f);
        SearchRequest g;
        g.query = q;
        g.collapse = false;
        g.role = "internal";
        g.year_from = 2010;
        g.sort = SearchRequest::Sort::date;
        g.themes = {"water"};
        out.push_back(g);
        SearchRequest p;
        p.query = q;
        p.collapse = false;
        p.role = "partners";
        p.kinds = {"practice", "report", "lesson"};
        out.push_back(p);
    }
    return out;
}

TEST_F(ShardsTest, FourRemoteShardsAnswerAsOneIndex) {
    ASSERT_GT(s_fed->documents, 1000u);
    Searcher one(s_fed->one);
    Searcher shards(remote());
    EXPECT_TRUE(shards.federated());
    EXPECT_EQ(shards.document_count(), one.document_count());
    std::size_t with_hits = 0, with_translations = 0;
    for (const SearchRequest& r : request_matrix()) {
        const SearchResult a = one.search(r), b = shards.search(r);
        expect_same(a, b, "q='" + r.query + "' role=" + r.role + " offset=" + std::to_string(r.offset));
        EXPECT_TRUE(b.missing_shards.empty());
        with_hits += !a.hits.empty();
        for (const SearchHit& h : a.hits) with_translations += !h.translations.empty();
    }
    EXPECT_GT(with_hits, 30u);          // the matrix is not comparing empty pages
    EXPECT_GT(with_translations, 10u);  // nor only documents without a translation
}

// One hit per document over shards too: the same documents, versions shown and versions listed.
TEST_F(ShardsTest, RemoteShardsGiveOneHitPerDocument) {
    Searcher one(s_fed->one);
    Searcher shards(remote());
    for (const std::string q : {"eau", "water supply", "latrines écoles", "capacity building"}) {
        SearchRequest r;
        r.query = q;
        const SearchResult a = one.search(r), b = shards.search(r);
        ASSERT_EQ(a.hits.size(), b.hits.size()) << q;
        std::set<std::string> ids;
        for (std::size_t i = 0; i < a.hits.size(); ++i) {
            EXPECT_EQ(a.hits[i].id, b.hits[i].id) << q << " hit " << i;
            EXPECT_EQ(a.hits[i].lang, b.hits[i].lang) << q << " hit " << i;
            EXPECT_TRUE(ids.insert(b.hits[i].id).second) << q << ": " << b.hits[i].id << " twice";
            ASSERT_EQ(a.hits[i].versions.size(), b.hits[i].versions.size()) << q;
            for (std::size_t k = 0; k < a.hits[i].versions.size(); ++k) {
                EXPECT_EQ(a.hits[i].versions[k].lang, b.hits[i].versions[k].lang);
                EXPECT_EQ(a.hits[i].versions[k].title, b.hits[i].versions[k].title);
            }
        }
    }
}

// A head office searching its own folder and three remote offices: the counts come from a pass
// of their own there (the client's spy counts local matches), and still add up.
TEST_F(ShardsTest, LocalAndRemoteShardsTogetherAnswerAsOneIndex) {
    Searcher one(s_fed->one);
    const auto remote_ones = s_fed->addresses();
    Searcher mixed(SearcherOptions{{s_fed->shards[0].string(), remote_ones[1], remote_ones[2], remote_ones[3]},
                                   s_fed->lexicon.string(), 2000, 10});
    for (const SearchRequest& r : request_matrix()) expect_same(one.search(r), mixed.search(r), "mixed q='" + r.query + "'");
}

TEST_F(ShardsTest, SpellingAndSynonymsComeFromTheLexicon) {
    Searcher one(s_fed->one);
    Searcher shards(remote());
    SearchRequest typo;
    typo.query = "watr suply";
    const SearchResult a = one.search(typo), b = shards.search(typo);
    ASSERT_TRUE(a.corrected.has_value());  // words that match nothing: corrected
    EXPECT_EQ(b.corrected, a.corrected);
    typo.correct = false;
    const SearchResult c0 = one.search(typo), d0 = shards.search(typo);
    ASSERT_TRUE(c0.suggestion.has_value());
    EXPECT_EQ(d0.suggestion, c0.suggestion);

    SearchRequest glossary;  // "eau potable" also finds "drinking water", through the glossary's synonyms
    glossary.query = "eau potable";
    glossary.langs = {"en"};
    glossary.explain = true;
    glossary.collapse = false;
    const SearchResult c = one.search(glossary), d = shards.search(glossary);
    EXPECT_NE(c.description.find("drink"), std::string::npos) << c.description;
    // The same concept; one index adds its weight through its weighting scheme, the shards
    // through a posting source (ConceptBonus), to the same weights (expect_same).
    EXPECT_NE(d.description.find("drink"), std::string::npos) << d.description;
    EXPECT_GT(d.total, 0u);
    expect_same(c, d, "glossary");

    EXPECT_EQ(shards.complete("assain", "public"), one.complete("assain", "public"));
    EXPECT_FALSE(one.complete("assain", "public").empty());
}

TEST_F(ShardsTest, SimilarDocumentsAreFoundAcrossShards) {
    Searcher one(s_fed->one);
    Searcher shards(remote());
    SearchRequest r;
    r.query = "eau";
    const SearchResult top = one.search(r);
    ASSERT_FALSE(top.hits.empty());
    const auto a = one.similar(top.hits[0].id, top.hits[0].lang, "public");
    const auto b = shards.similar(top.hits[0].id, top.hits[0].lang, "public");
    ASSERT_FALSE(a.empty());
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].id, b[i].id);
        EXPECT_EQ(a[i].translations, b[i].translations);
    }
}

// The search that meets a stopped shard leaves it out and names it; the others answer. Once the
// shard is back, a later search (after the retry delay) has everything again.
TEST_F(ShardsTest, AShardStoppedMidRunIsLeftOutAndNamed) {
    auto& server = *s_fed->servers[2];
    Searcher shards(remote(300, 1));
    Searcher rest(SearcherOptions{{s_fed->shards[0].string(), s_fed->shards[1].string(), s_fed->shards[3].string()},
                                  s_fed->lexicon.string(), 300, 1});
    Searcher one(s_fed->one);
    SearchRequest r;
    r.query = "eau";
    r.collapse = false;  // remote shards count versions
    ASSERT_TRUE(shards.search(r).missing_shards.empty());  // connections are open when it stops

    server.stop();
    const SearchResult during = shards.search(r);
    const SearchResult again = shards.search(r);  // left out at once, not waited for again
    server.resume();
    EXPECT_EQ(during.missing_shards, std::vector<std::string>{server.address()});
    EXPECT_EQ(again.missing_shards, std::vector<std::string>{server.address()});
    expect_same(during, rest.search(r), "without the stopped shard");
    EXPECT_LT(during.total, one.search(r).total);
    EXPECT_GT(during.total, 0u);

    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the retry delay
    const SearchResult after = shards.search(r);
    EXPECT_TRUE(after.missing_shards.empty());
    expect_same(after, one.search(r), "the shard is back");
}

TEST_F(ShardsTest, AShardKilledMidRunIsLeftOutUntilItIsBack) {
    auto& server = *s_fed->servers[3];
    Searcher shards(remote(300, 1));
    Searcher one(s_fed->one);
    SearchRequest r;
    r.query = "water";
    r.collapse = false;  // remote shards count versions
    ASSERT_TRUE(shards.search(r).missing_shards.empty());
    server.kill();
    const SearchResult during = shards.search(r);
    EXPECT_EQ(during.missing_shards, std::vector<std::string>{server.address()});
    EXPECT_GT(during.total, 0u);
    EXPECT_LT(during.total, one.search(r).total);
    EXPECT_FALSE(shards.complete("wat", "public").empty());  // other operations go on too
    EXPECT_EQ(shards.missing_shards(), std::vector<std::string>{server.address()});

    server.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    const SearchResult after = shards.search(r);
    EXPECT_TRUE(after.missing_shards.empty());
    expect_same(after, one.search(r), "restarted");
}

// An office re-indexes while xapian-tcpsrv keeps serving, twice: the first update merges the
// two shards of its first build into a new database behind its link (the shard's connection
// then fails to reopen, and a new one reads the new database), the second writes in place
// (seen at the next reopen, within a second). Nothing is restarted.
TEST_F(ShardsTest, AnOfficeThatReindexesIsSeenWithoutARestart) {
    Searcher shards(remote());
    SearchRequest r;
    r.query = "zanzibarfederation";
    ASSERT_EQ(shards.search(r).total, 0u);
    std::filesystem::create_directories(s_fed->office(2) / "new");
    std::ofstream(s_fed->office(2) / "new" / "rp-new-federation.fr.md")
        << "---\nid: rp-new-federation\nlang: fr\nkind: report\ntitle: Nouveau rapport\nvisibility: public\n---\n"
           "Le mot témoin zanzibarfederation.\n";
    s_fed->reindex(2);
    EXPECT_EQ(Searcher(s_fed->shards[2]).search(r).total, 1u);  // the office's own index has it
    std::size_t found = 0;
    for (int i = 0; i < 30 && found == 0; ++i) {  // bounded: at most 3 s
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        const SearchResult res = shards.search(r);
        EXPECT_TRUE(res.missing_shards.empty());
        found = res.total;
    }
    ASSERT_EQ(found, 1u);
    EXPECT_EQ(Searcher(s_fed->shards[2]).search(r).total, 1u);  // the office's own index has it

    Searcher steady(remote());
    r.query = "zanzibarsecond";
    ASSERT_EQ(steady.search(r).total, 0u);
    std::ofstream(s_fed->office(2) / "new" / "rp-second-federation.fr.md")
        << "---\nid: rp-second-federation\nlang: fr\nkind: report\ntitle: Second rapport\nvisibility: public\n---\n"
           "Le mot témoin zanzibarsecond.\n";
    s_fed->reindex(2);
    found = 0;
    for (int i = 0; i < 30 && found == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        found = steady.search(r).total;
    }
    EXPECT_EQ(found, 1u);
}

TEST_F(ShardsTest, EveryShardDownGivesNoHitsAndNamesThemAll) {
    const unsigned a = test::free_loopback_port(), b = test::free_loopback_port();
    Searcher s(SearcherOptions{{"tcp://127.0.0.1:" + std::to_string(a), "tcp://127.0.0.1:" + std::to_string(b)},
                               s_fed->lexicon.string(), 300, 10});
    SearchRequest r;
    r.query = "eau";
    const SearchResult res = s.search(r);
    EXPECT_EQ(res.total, 0u);
    EXPECT_EQ(res.missing_shards.size(), 2u);
}

TEST(ShardAddressTest, AddressesAreReadOrRefusedWithTheParameterNamed) {
    const ShardAddress r = parse_shard("tcp://127.0.0.1:8431");
    EXPECT_TRUE(r.remote);
    EXPECT_EQ(r.host, "127.0.0.1");
    EXPECT_EQ(r.port, 8431u);
    EXPECT_EQ(parse_shard("tcp://[::1]:9000").host, "::1");
    const ShardAddress named = parse_shard("safi=tcp://10.0.0.7:8431");
    EXPECT_EQ(named.text, "safi");
    EXPECT_EQ(named.host, "10.0.0.7");
    const ShardAddress l = parse_shard("data/lille");
    EXPECT_FALSE(l.remote);
    EXPECT_EQ(l.dir, "data/lille");
    for (const std::string bad : {"tcp://host", "tcp://:80", "tcp://h:0", "tcp://h:70000", "tcp://h:8x", ""}) {
        try {
            parse_shard(bad, "--db");
            ADD_FAILURE() << bad;
        } catch (const Error& e) {
            EXPECT_EQ(std::string(e.what()).rfind("--db: ", 0), 0u) << e.what();
        }
    }
}

TEST(ShardAddressTest, RemoteShardsAloneNeedALexicon) {
    try {
        Searcher s(SearcherOptions{{"tcp://127.0.0.1:1"}, "", 100, 10});
        ADD_FAILURE() << "opened without a lexicon";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("--lexicon"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace passerelle
