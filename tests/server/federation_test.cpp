// The server over a federation: four offices' indexes behind real xapian-tcpsrv processes on
// loopback, against a server over one index of the same documents.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "server/pistache_server.h"
#include "support/http_client.h"
#include "support/shard_servers.h"

namespace passerelle {
namespace {

using Json = nlohmann::json;
using test::http_get;

class FederationServerTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_fed = new test::Federation(600);
        ServerConfig one;
        one.db = s_fed->one.string();
        one.port = 0;
        one.access_log = "";
        s_one = new HttpServer(one);
        s_one->start();
        ServerConfig shards = one;
        shards.db = s_fed->lexicon.string();
        shards.lexicon = s_fed->lexicon.string();
        for (std::size_t i = 0; i < 4; ++i) shards.shards.push_back("office-" + std::to_string(i) + "=" + s_fed->addresses()[i]);
        shards.shard_timeout_ms = 300;
        s_shards = new HttpServer(shards);
        s_shards->start();
    }
    static void TearDownTestSuite() {
        delete s_shards;
        delete s_one;
        delete s_fed;
    }
    static test::Federation* s_fed;
    static HttpServer *s_one, *s_shards;
};
test::Federation* FederationServerTest::s_fed = nullptr;
HttpServer* FederationServerTest::s_one = nullptr;
HttpServer* FederationServerTest::s_shards = nullptr;

const std::vector<std::string>& targets() {
    static const std::vector<std::string> t = {
        "/api/search?q=eau", "/api/search?q=water&page=2", "/api/search?q=&country=SN&country=MA",
        "/api/search?q=renforcement%20de%20capacit%C3%A9s&lang=fr&sort=date", "/api/search?q=latrines%20%C3%A9coles",
        "/api/search?q=watr%20suply", "/api/search?q=mangrove&kind=project&per_page=3"};
    return t;
}

// What a federation cannot tell as one index does: whether totals are exact, how many hits
// match every word (estimates over shards), and the titles of versions other than the one
// shown (remote shards give only their languages). The rest must be the same.
Json comparable(Json j) {
    j.erase("total_exact");
    j.erase("total_all_words");
    for (auto& h : j["hits"])
        for (auto& v : h["versions"])
            if (v["lang"] != h["lang"]) v["title"] = nullptr;
    return j;
}

TEST_F(FederationServerTest, TheApiAnswersOverShardsAsOverOneIndex) {
    // One hit per language version: hits, scores, translations, facets (of versions on both
    // sides), suggestion and corrections as one index gives them.
    std::size_t hits = 0;
    for (const std::string& target : targets()) {
        const std::string versions = target + "&collapse=none";
        const auto a = http_get(static_cast<int>(s_one->port()), versions), b = http_get(static_cast<int>(s_shards->port()), versions);
        ASSERT_EQ(a.status, 200) << versions;
        ASSERT_EQ(b.status, 200) << versions << ": " << b.body;
        const Json one = Json::parse(a.body), shards = Json::parse(b.body);
        EXPECT_EQ(comparable(shards).dump(1), comparable(one).dump(1)) << versions;
        EXPECT_EQ(one["total_exact"], true) << versions;
        for (const auto& h : shards["hits"])
            for (const auto& v : h["versions"])
                if (v["lang"] == h["lang"]) EXPECT_EQ(v["title"], h["title"]) << versions;
        hits += one["hits"].size();
    }
    EXPECT_GT(hits, 30u);
}

TEST_F(FederationServerTest, HitsAreOnePerDocumentOverShardsAsOverOneIndex) {
    std::size_t documents = 0;
    for (const std::string& target : targets()) {
        const auto a = http_get(static_cast<int>(s_one->port()), target), b = http_get(static_cast<int>(s_shards->port()), target);
        ASSERT_EQ(a.status, 200) << target;
        ASSERT_EQ(b.status, 200) << target << ": " << b.body;
        const Json one = Json::parse(a.body), shards = Json::parse(b.body);
        std::vector<std::string> ids_one, ids_shards;
        for (const auto& h : one["hits"]) ids_one.push_back(h["id"].get<std::string>() + "." + h["lang"].get<std::string>());
        for (const auto& h : shards["hits"]) ids_shards.push_back(h["id"].get<std::string>() + "." + h["lang"].get<std::string>());
        EXPECT_EQ(ids_shards, ids_one) << target;  // the same documents, in the same versions, in the same order
        std::set<std::string> unique;
        for (const auto& h : shards["hits"]) EXPECT_TRUE(unique.insert(h["id"]).second) << target << ": " << h["id"] << " twice";
        for (const char* key : {"suggestion", "corrected", "lang_pref"}) EXPECT_EQ(shards[key], one[key]) << target << " " << key;
        documents += unique.size();
    }
    EXPECT_GT(documents, 20u);
    // Over shards totals are estimates, and the page says "about".
    const Json shards = Json::parse(http_get(static_cast<int>(s_shards->port()), "/api/search?q=eau").body);
    EXPECT_EQ(shards["total_exact"], false);
    EXPECT_NE(http_get(static_cast<int>(s_shards->port()), "/fr/search?q=eau").body.find("role=\"status\">environ "),
              std::string::npos);
    EXPECT_EQ(http_get(static_cast<int>(s_one->port()), "/fr/search?q=eau").body.find("role=\"status\">environ "), std::string::npos);
}

TEST_F(FederationServerTest, AStoppedShardIsNamedAndTheRestAnswers) {
    auto& office = *s_fed->servers[1];
    const int port = static_cast<int>(s_shards->port());
    ASSERT_EQ(Json::parse(http_get(port, "/api/search?q=eau").body)["missing_shards"], Json::array());
    office.stop();
    const auto api = http_get(port, "/api/search?q=eau");
    const auto page = http_get(port, "/fr/search?q=eau");
    const auto health = http_get(port, "/healthz");
    office.resume();
    ASSERT_EQ(api.status, 200);
    const Json j = Json::parse(api.body);
    EXPECT_EQ(j["missing_shards"], Json::array({"office-1"}));
    EXPECT_GT(j["total"].get<int>(), 0);
    EXPECT_LT(j["total"].get<int>(), Json::parse(http_get(static_cast<int>(s_one->port()), "/api/search?q=eau").body)["total"].get<int>());
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("n’a pas répondu"), std::string::npos);
    EXPECT_NE(page.body.find("office-1"), std::string::npos);
    EXPECT_EQ(health.status, 200);
}

}  // namespace
}  // namespace passerelle
