// The server over a federation: four offices' indexes behind real xapian-tcpsrv processes on
// loopback, against a server over one index of the same documents.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

TEST_F(FederationServerTest, TheApiAnswersOverShardsAsOverOneIndex) {
    std::size_t hits = 0;
    for (const std::string target :
         {"/api/search?q=eau", "/api/search?q=water&page=2", "/api/search?q=&country=SN&country=MA",
          "/api/search?q=renforcement%20de%20capacit%C3%A9s&lang=fr&sort=date", "/api/search?q=latrines%20%C3%A9coles",
          "/api/search?q=watr%20suply", "/api/search?q=mangrove&kind=project&per_page=3"}) {
        const auto a = http_get(static_cast<int>(s_one->port()), target), b = http_get(static_cast<int>(s_shards->port()), target);
        ASSERT_EQ(a.status, 200) << target;
        EXPECT_EQ(b.status, 200) << target;
        EXPECT_EQ(b.body, a.body) << target;  // hits, scores, translations, facets, suggestion: byte for byte
        hits += Json::parse(a.body)["hits"].size();
    }
    EXPECT_GT(hits, 30u);
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
