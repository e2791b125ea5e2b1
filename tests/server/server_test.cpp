// The real server on a loopback port, spoken to over HTTP: encodings, compression, HEAD,
// keep-alive, every error status, live reload under requests, and a graceful stop.
#include "server/pistache_server.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/fixture_index.h"
#include "support/http_client.h"

namespace passerelle {
namespace {

using test::http_get;
using test::note;
using Json = nlohmann::json;

std::string gunzip(const std::string& data) {
    z_stream z{};
    inflateInit2(&z, 15 + 16);
    std::string out(data.size() * 20 + 1024, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    inflate(&z, Z_FINISH);
    out.resize(z.total_out);
    inflateEnd(&z);
    return out;
}

class ServerTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_fx = new test::FixtureIndex();
        for (int i = 0; i < 30; ++i)
            s_fx->add("n/d" + std::to_string(i) + ".fr.md",
                      note("d" + std::to_string(i), "fr", "report", "L'école de Kédougou numéro " + std::to_string(i),
                           "Les latrines de l'école et les forages du village, entretenus par le comité de gestion. " + std::string(200, 'x'),
                           std::string("visibility: public\ndate: 2019\ncountries: [") + (i % 2 ? "SN" : "MA") + "]\n"));
        s_fx->index();
        ServerConfig c;
        c.db = s_fx->db().string();
        c.port = 0;
        c.access_log = "";
        c.reload_seconds = 0.1;
        c.max_request_bytes = 4096;
        s_server = new HttpServer(c);
        s_server->start();
        s_port = s_server->port();
    }
    static void TearDownTestSuite() {
        delete s_server;
        delete s_fx;
    }
    static test::FixtureIndex* s_fx;
    static HttpServer* s_server;
    static int s_port;
};

test::FixtureIndex* ServerTest::s_fx = nullptr;
HttpServer* ServerTest::s_server = nullptr;
int ServerTest::s_port = 0;

TEST_F(ServerTest, FrenchQueriesSentPercentEncoded) {
    const auto r = http_get(s_port, "/api/search?q=%C3%A9cole+K%C3%A9dougou&per_page=5");
    ASSERT_EQ(r.status, 200) << r.body;
    const Json j = Json::parse(r.body);
    EXPECT_EQ(j["total"], 30);
    EXPECT_NE(j["hits"][0]["snippet"].get<std::string>().find("<mark>"), std::string::npos);
    EXPECT_EQ(r.headers.at("content-type"), "application/json; charset=utf-8");
}

TEST_F(ServerTest, RepeatedParametersSurviveTheHttpLayer) {
    const auto one = Json::parse(http_get(s_port, "/api/search?country=SN").body);
    const auto both = Json::parse(http_get(s_port, "/api/search?country=SN&country=MA").body);
    EXPECT_EQ(one["total"], 15);
    EXPECT_EQ(both["total"], 30);
}

TEST_F(ServerTest, GzipWhenAccepted) {
    const auto plain = http_get(s_port, "/api/search?q=latrines&per_page=20");
    const auto zipped = http_get(s_port, "/api/search?q=latrines&per_page=20", "Accept-Encoding: gzip, deflate\r\n");
    ASSERT_EQ(zipped.status, 200);
    EXPECT_EQ(zipped.headers.at("content-encoding"), "gzip");
    EXPECT_LT(zipped.body.size(), plain.body.size());
    EXPECT_EQ(gunzip(zipped.body), plain.body);
    EXPECT_EQ(plain.headers.count("content-encoding"), 0u);
}

TEST_F(ServerTest, HeadHasTheHeadersAndLengthOfGetButNoBody) {
    const auto get = http_get(s_port, "/api/documents/d1?lang=fr");
    test::HttpConnection c("127.0.0.1", s_port);
    const auto head = c.exchange("HEAD /api/documents/d1?lang=fr HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n", true);
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    EXPECT_EQ(head.headers.at("etag"), get.headers.at("etag"));
    EXPECT_EQ(head.headers.at("content-length"), std::to_string(get.body.size()));
    // No stray body bytes: the next request on the same connection reads cleanly.
    const auto next = c.exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n");
    EXPECT_EQ(next.status, 200);
    EXPECT_EQ(nlohmann::json::parse(next.body)["status"], "ok");
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
    test::HttpConnection c("127.0.0.1", s_port);
    for (int i = 0; i < 3; ++i) {
        const auto r = c.exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n");
        EXPECT_EQ(r.status, 200) << i;
    }
}

TEST_F(ServerTest, EveryErrorIsJsonWithItsStatusAndTheServerStaysUp) {
    const std::vector<std::pair<std::string, int>> cases = {
        {"/api/search?per_page=500", 400}, {"/api/search?q=%FF", 400},       {"/api/search?q=%ZZ", 400},
        {"/api/search?nope=1", 400},      {"/api/documents/missing?lang=fr", 404}, {"/api/nowhere", 404},
        {"/api/documents/%FF", 400},
    };
    for (const auto& [target, status] : cases) {
        const auto r = http_get(s_port, target);
        EXPECT_EQ(r.status, status) << target << " " << r.body;
        EXPECT_TRUE(Json::parse(r.body).contains("error")) << target;
    }
    EXPECT_EQ(http_get(s_port, "/api/search", "Authorization: Bearer nope\r\n").status, 401);
    EXPECT_EQ(http_get(s_port, "/api/search", "", "DELETE").status, 405);
    test::HttpConnection big("127.0.0.1", s_port);
    const std::string body(6000, 'x');
    const auto large = big.exchange("POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 6000\r\n\r\n" + body);
    EXPECT_EQ(large.status, 413);
    EXPECT_EQ(http_get(s_port, "/healthz").status, 200);
}

// An index run commits while requests keep coming: the new document is served within two
// seconds, and no request fails.
TEST_F(ServerTest, LiveReloadUnderRequests) {
    std::atomic<bool> done{false};
    std::atomic<int> requests{0}, failures{0};
    std::thread load([&] {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(8);
        while (!done && std::chrono::steady_clock::now() < until && requests < 5000) {
            const auto r = http_get(s_port, "/api/search?q=latrines");
            ++requests;
            if (r.status != 200) ++failures;
        }
    });
    std::string thrown;  // whatever goes wrong, the load thread is joined below
    try {
        s_fx->add("n/nouveau.fr.md", note("nouveau", "fr", "report", "Nouvelle note", "Le mot gazogenerateur apparait.", "visibility: public\n"));
        s_fx->index();
    } catch (const std::exception& e) {
        thrown = e.what();
    }
    const auto committed = std::chrono::steady_clock::now();
    bool found = false;
    std::string odd;  // a reply that was not a search result, for the message below
    while (!found && std::chrono::steady_clock::now() - committed < std::chrono::seconds(2)) {
        const auto reply = http_get(s_port, "/api/search?q=gazogenerateur");
        const Json j = Json::parse(reply.body, nullptr, false);  // never throws: the load thread must be joined
        if (reply.status != 200 || !j.is_object()) odd = std::to_string(reply.status) + " " + reply.body;
        found = j.is_object() && j.value("total", 0) == 1;
        if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // Keep the load on across and after the reload: at least 50 requests (bounded in time).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (requests < 50 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    done = true;
    load.join();
    EXPECT_TRUE(found) << "not served within 2 s of the commit; healthz: " << http_get(s_port, "/healthz").body
                       << " index: " << s_fx->report.generation << " added " << s_fx->report.added;
    EXPECT_GE(requests.load(), 50);
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(odd, "");
    EXPECT_EQ(thrown, "");
}

// The real program: SIGTERM stops it cleanly (exit 0).
TEST(ServeCommandTest, StopsGracefullyOnSigterm) {
    test::FixtureIndex f;
    f.add("a.fr.md", note("a", "fr", "report", "A", "texte", "visibility: public\n"));
    f.index();
    const std::string exe = std::string(PASSERELLE_TEST_BINARY_DIR) + "/cli/passerelle";
    int out[2];
    ASSERT_EQ(pipe(out), 0);
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        execl(exe.c_str(), exe.c_str(), "serve", "--db", f.db().c_str(), "--port", "0", "--access-log", "", static_cast<char*>(nullptr));
        _exit(127);
    }
    close(out[1]);
    std::string line;
    char c;
    while (line.find('\n') == std::string::npos && read(out[0], &c, 1) == 1) line += c;
    const auto at = line.find("127.0.0.1:");
    ASSERT_NE(at, std::string::npos) << line;
    const int port = std::stoi(line.substr(at + 10));
    EXPECT_EQ(http_get(port, "/healthz").status, 200);
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    close(out[0]);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace passerelle
