// Connections over raw sockets on loopback: keep-alive by default in HTTP/1.1 (RFC 9112 9.3),
// closing on request, HTTP/1.0, pipelined requests answered in order, and idle connections
// closed after the keep-alive timeout. Every wait is bounded.
#include <gtest/gtest.h>

#include "server/pistache_server.h"
#include "support/fixture_index.h"
#include "support/http_client.h"

namespace passerelle {
namespace {

using test::note;

class ConnectionTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_fx = new test::FixtureIndex();
        s_fx->add("a.fr.md", note("a", "fr", "report", "Latrines", "Les latrines de l'école.", "visibility: public\n"));
        s_fx->index();
        ServerConfig c;
        c.db = s_fx->db().string();
        c.port = 0;
        c.access_log = "";
        c.keepalive_timeout_seconds = 1;
        s_server = new HttpServer(c);
        s_server->start();
        s_port = s_server->port();
    }
    static void TearDownTestSuite() {
        delete s_server;
        delete s_fx;
    }
    static std::string get(const std::string& target, const std::string& version = "HTTP/1.1", const std::string& extra = "") {
        return "GET " + target + " " + version + "\r\nHost: x\r\n" + extra + "\r\n";
    }
    // Waits (at most 5 s) for the server to hold `n` connections.
    static bool connections_become(long n) {
        for (int i = 0; i < 500 && s_server->open_connections() != n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return s_server->open_connections() == n;
    }
    static test::FixtureIndex* s_fx;
    static HttpServer* s_server;
    static int s_port;
};

test::FixtureIndex* ConnectionTest::s_fx = nullptr;
HttpServer* ConnectionTest::s_server = nullptr;
int ConnectionTest::s_port = 0;

TEST_F(ConnectionTest, Http11WithoutAConnectionHeaderKeepsTheConnectionUntilTheIdleTimeout) {
    test::HttpConnection c("127.0.0.1", s_port);
    const auto first = c.exchange(get("/healthz"));
    EXPECT_EQ(first.status, 200);
    EXPECT_EQ(test::lower(first.headers.at("connection")), "keep-alive");
    EXPECT_EQ(c.exchange(get("/api/search?q=latrines")).status, 200);
    EXPECT_TRUE(c.open());
    // Idle past the keep-alive timeout (1 s; Pistache looks every 0.5 s): the server closes it.
    EXPECT_TRUE(c.wait_for_close(5000));
    EXPECT_EQ(c.exchange(get("/healthz")).status, 0);
    EXPECT_TRUE(connections_become(0)) << s_server->open_connections() << " connections still held";
}

TEST_F(ConnectionTest, ConnectionCloseGetsTheResponseThenTheEnd) {
    test::HttpConnection c("127.0.0.1", s_port);
    const auto r = c.exchange(get("/healthz", "HTTP/1.1", "Connection: close\r\n"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(test::lower(r.headers.at("connection")), "close");
    EXPECT_TRUE(c.wait_for_close(5000));
}

TEST_F(ConnectionTest, Http10ClosesUnlessItAsksForKeepAlive) {
    {
        test::HttpConnection c("127.0.0.1", s_port);
        EXPECT_EQ(c.exchange(get("/healthz", "HTTP/1.0")).status, 200);
        EXPECT_TRUE(c.wait_for_close(5000));
    }
    test::HttpConnection c("127.0.0.1", s_port);
    const auto r = c.exchange(get("/healthz", "HTTP/1.0", "Connection: keep-alive\r\n"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(test::lower(r.headers.at("connection")), "keep-alive");
    EXPECT_EQ(c.exchange(get("/healthz", "HTTP/1.0", "Connection: keep-alive\r\n")).status, 200);
    EXPECT_TRUE(c.open());
}

TEST_F(ConnectionTest, TheBenchmarksExplicitKeepAliveStillWorks) {
    test::HttpConnection c("127.0.0.1", s_port);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(c.exchange(get("/healthz", "HTTP/1.1", "Connection: keep-alive\r\n")).status, 200) << i;
}

TEST_F(ConnectionTest, PipelinedRequestsAreAllAnsweredInOrder) {
    test::HttpConnection c("127.0.0.1", s_port);
    ASSERT_TRUE(c.send(get("/api/search?q=latrines") + get("/healthz") + get("/api/nowhere") + get("/healthz")));
    const auto one = c.receive(), two = c.receive(), three = c.receive(), four = c.receive();
    EXPECT_EQ(one.status, 200);
    EXPECT_NE(one.body.find("\"total\""), std::string::npos) << one.body;
    EXPECT_EQ(two.status, 200);
    EXPECT_NE(two.body.find("\"status\""), std::string::npos) << two.body;
    EXPECT_EQ(three.status, 404);
    EXPECT_EQ(four.status, 200);
    EXPECT_TRUE(c.open());
    // Pipelined after Connection: close: the first is answered, then the connection ends.
    test::HttpConnection d("127.0.0.1", s_port);
    ASSERT_TRUE(d.send(get("/healthz", "HTTP/1.1", "Connection: close\r\n") + get("/healthz")));
    EXPECT_EQ(d.receive().status, 200);
    EXPECT_TRUE(d.wait_for_close(5000));
}

TEST_F(ConnectionTest, AClosedConnectionIsReallyRemoved) {
    ASSERT_TRUE(connections_become(0));
    {
        test::HttpConnection c("127.0.0.1", s_port);
        EXPECT_EQ(c.exchange(get("/healthz")).status, 200);
        EXPECT_TRUE(connections_become(1));
    }
    EXPECT_TRUE(connections_become(0));
    test::HttpConnection c("127.0.0.1", s_port);
    EXPECT_EQ(c.exchange(get("/healthz", "HTTP/1.1", "Connection: close\r\n")).status, 200);
    EXPECT_TRUE(c.wait_for_close(5000));
    c.close();
    EXPECT_TRUE(connections_become(0));
}

}  // namespace
}  // namespace passerelle
