// The real server on a loopback port, spoken to over HTTP: encodings, compression, HEAD,
// keep-alive, every error status, live reload under requests, and a graceful stop.
#include "server/pistache_server.h"

#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "indexer/compact.h"
#include "support/canary_api.h"
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

// Hostile requests: each gets a clear 4xx (JSON for the API, a page for pages), never a
// timeout (the client waits 10 s at most), and the server stays up.
TEST_F(ServerTest, HostileRequestsGetAClear4xxAndTheServerStaysUp) {
    auto words = [](int n, const std::string& suffix = "") {
        std::string q;
        for (int i = 0; i < n; ++i) q += (i ? "+" : "") + std::string("mot") + std::to_string(i) + suffix;
        return q;
    };
    struct Case {
        std::string target, extra_headers;
        int status;
        std::string says;
    };
    const std::vector<Case> cases = {
        {"/api/search?q=" + std::string(10000, 'a'), "", 414, "the address is"},
        {"/fr/search?q=" + std::string(10000, 'a'), "", 414, "<!DOCTYPE html>"},
        {"/api/search?q=eau", "X-Filler: " + std::string(20000, 'x') + "\r\n", 431, "the request headers are"},
        {"/api/search?q=" + std::string(1200, 'a'), "", 400, "bytes long; at most 1000"},
        {"/api/search?q=" + words(40), "", 400, "the query has 40 words; at most 32"},
        {"/api/search?q=" + words(5, "*"), "", 400, "the query has 5 wildcards; at most 4"},
        {"/api/search?q=la*", "", 400, "'la*': a wildcard needs at least 3 letters"},
        {"/api/search?q=%C3%A9*", "", 400, "a wildcard needs at least 3 letters"},
        {"/fr/search?q=a*", "", 400, "un mot tronqué (mot*) a au moins 3 lettres"},
        {"/api/search?q=%00", "", 400, "parameter 'q'"},
        {"/api/search?q=eau%00forage", "", 400, "parameter 'q'"},
        {"/api/search?q=%C3%28", "", 400, "invalid UTF-8"},
        {"/api/search?country=%FF%FE", "", 400, "parameter 'country'"},
        {"/api/documents/d1%00?lang=fr", "", 400, ""},
        {"/api/search?page=1000000", "", 400, "past the last page"},
        {"/api/search?page=99999999999999999999", "", 400, "parameter 'page'"},
        {"/api/search?page=-3", "", 400, "parameter 'page'"},
        {"/api/search?per_page=100000", "", 400, "parameter 'per_page'"},
        {"/fr/search?q=latrines&page=99999999999999999999", "", 400, "<!DOCTYPE html>"},
        {"/api/suggest?q=" + std::string(500, 'a'), "", 400, "parameter 'q'"},
    };
    for (const auto& c : cases) {
        const auto r = http_get(s_port, c.target, c.extra_headers);
        EXPECT_EQ(r.status, c.status) << c.target.substr(0, 80) << ": " << r.body.substr(0, 300);
        EXPECT_NE(r.body.find(c.says), std::string::npos) << c.target.substr(0, 80) << ": " << r.body.substr(0, 300);
    }
    // Headers larger than any request's head (32 KiB): refused as soon as that much has
    // arrived, and the server goes on.
    const auto huge = http_get(s_port, "/api/search?q=eau", "X-Filler: " + std::string(300000, 'x') + "\r\n");
    EXPECT_EQ(huge.status, 431);
    // Hostile header shapes: each is refused with a 4xx, or ignored (cookies: the server uses
    // none), never a 5xx and never a wait; the connection of a refused request is closed.
    std::string many_headers;
    for (int i = 0; i < 150; ++i) many_headers += "X-H" + std::to_string(i) + ": 1\r\n";
    const std::vector<std::pair<std::string, int>> shapes = {
        {"Cookie: a=1; b\r\n", 200},
        {"Cookie: ;;;=\r\n", 200},
        {"Cookie: =\r\n", 200},
        {"Cookie: a=\"unterminated\r\n", 200},
        {"Cookie: a=1\r\nCookie: b\r\n", 200},
        {"Set-Cookie: b\r\n", 200},
        {"cOOKIE: x\r\n", 200},
        {": no name\r\n", 400},
        {"NoColonAtAll\r\n", 400},
        {"X-Space : before the colon\r\n", 400},
        {"X-Folded: a\r\n  continued\r\n", 400},
        {many_headers, 431},
        {"X\x01" "Bad: 1\r\n", 400},
        {"X-Ctl: a\x1b[31mred\r\n", 400},
        {std::string("X-Nul: a") + '\0' + "b\r\n", 400},
        {"X-Latin: caf\xE9 \xFF\r\n", 200},
        {"Content-Length: abc\r\n", 400},
        {"Content-Length: -1\r\n", 400},
        {"Content-Length: 1e3\r\n", 400},
        {"Content-Length: 99999999999999999999999999\r\n", 400},
        {"Content-Length: 999999999999\r\n", 413},
        {"Content-Length: 0\r\nContent-Length: 0\r\n", 400},
        {"Content-Length: 0\r\nContent-Length: 5\r\n", 400},
        {"Transfer-Encoding: chunked\r\n", 411},
        {"Transfer-Encoding: chunked\r\nContent-Length: 0\r\n", 400},
        {"Transfer-Encoding: xchunked\r\n", 411},
        {"Transfer-Encoding: chunked, identity\r\n", 411},
        {"Host: [::1\r\n", -1},
        {"Host: a:b:c:99999999999\r\n", -1},
        {"Accept: /;q=;;,,\r\n", -1},
        {"Accept-Encoding: ;;;q=x\r\n", -1},
        {"Content-Type: ///;;;\r\n", -1},
        {"Date: not a date\r\n", -1},
        {"If-Modified-Since: 99\r\n", -1},
        {"User-Agent: \xC3\x28\r\n", -1},
        {"Connection: ,,,\r\n", -1},
        {"Accept-Language: \xFF\xFE\r\n", -1},
        {"Authorization: Basic\r\n", 401},
        {"Expect: 100-continue\r\n", -1},
    };
    for (const auto& [headers, status] : shapes) {
        test::HttpConnection c("127.0.0.1", s_port);
        const auto r = c.exchange("GET /api/search?q=eau HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n");
        const std::string shown = test::lower(headers.substr(0, 60));
        if (status == -1) {  // any 2xx or 4xx
            EXPECT_TRUE(r.status == 200 || (r.status >= 400 && r.status < 500)) << shown << " -> " << r.status << " " << r.body;
        } else {
            EXPECT_EQ(r.status, status) << shown << " -> " << r.body.substr(0, 200);
        }
        if (r.status >= 400 && r.status != 401) {
            EXPECT_TRUE(c.wait_for_close(5000)) << shown << ": the connection stayed open";
        }
    }
    const std::vector<std::string> lines = {"GARBAGE\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n",
                                            "GET /a b HTTP/1.1\r\n\r\n", "\r\n\r\n", "GET\r\n\r\n"};
    for (const std::string& line : lines) {
        test::HttpConnection c("127.0.0.1", s_port);
        const auto r = c.exchange(line);
        EXPECT_GE(r.status, 400) << line;
        EXPECT_LT(r.status, 500) << line << r.body;
    }
    // Allowed wildcards and long but reasonable queries are answered.
    EXPECT_EQ(http_get(s_port, "/api/search?q=lat*+for*").status, 200);
    EXPECT_EQ(http_get(s_port, "/api/search?q=" + words(32)).status, 200);
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

// Re-indexing while clients keep asking, over several routes at once: a build of two shards
// behind a stub, an update of every document in small batches (each its own generation, the
// first one rewriting the shards into one database), a compaction switched in, and one more
// update. No request may fail, whatever state of the index it meets.
TEST(ServerReindexTest, ReindexingUnderLoadFailsNoRequest) {
    test::TempDir dir;
    const auto jsonl = dir / "import.jsonl";
    auto write_corpus = [&](const std::string& word) {
        std::ofstream out(jsonl, std::ios::trunc);
        for (int i = 0; i < 3000; ++i)
            out << R"({"id": "k)" << i << R"(", "lang": "fr", "kind": "report", "title": "Latrines )" << word << ' ' << i
                << R"(", "body": "Les forages et les latrines de l'école )" << i << ' ' << word
                << R"( sont entretenus par le comité de gestion.", "visibility": "public", "countries": ["SN"], "year": )" << 2000 + i % 20
                << "}\n";
    };
    IndexOptions opt;
    opt.inputs = {jsonl};
    opt.db = dir / "db";
    opt.vocabularies = test::source_dir() / "content" / "vocabularies";
    DiagnosticSink sink;
    write_corpus("premier");
    ASSERT_EQ(run_indexer(opt, sink).documents, 3000u);

    ServerConfig c;
    c.db = opt.db.string();
    c.port = 0;
    c.threads = 4;
    c.access_log = "";
    c.reload_seconds = 0.05;
    HttpServer server(c);
    server.start();
    const int port = server.port();

    const std::vector<std::string> routes = {
        "/api/search?q=latrines&country=SN", "/api/documents/k17?lang=fr", "/api/suggest?q=latr",
        "/fr/search?q=forages", "/fr/documents/k2500", "/api/documents/k9/similar?lang=fr", "/api/search?q=comite&page=3",
    };
    std::atomic<bool> done{false};
    std::atomic<int> requests{0};
    std::mutex failed_mutex;
    std::vector<std::string> failed;
    std::vector<std::thread> clients;
    for (int t = 0; t < 4; ++t)
        clients.emplace_back([&, t] {
            const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
            for (std::size_t n = static_cast<std::size_t>(t); !done && std::chrono::steady_clock::now() < until; ++n) {
                const std::string& target = routes[n % routes.size()];
                const auto r = http_get(port, target);
                ++requests;
                if (r.status != 200) {
                    const std::lock_guard<std::mutex> lock(failed_mutex);
                    failed.push_back(target + " -> " + std::to_string(r.status) + " " + r.body.substr(0, 200));
                }
            }
        });
    std::string thrown;  // whatever goes wrong, the clients are joined below
    int generations = 0;
    try {
        write_corpus("second");
        opt.batch_size = 250;
        const IndexReport updated = run_indexer(opt, sink);
        compact_index(opt.db);
        write_corpus("troisieme");
        opt.batch_size = 1000;
        const IndexReport last = run_indexer(opt, sink);
        generations = last.generation;
        if (updated.updated != 3000 || last.updated != 3000) thrown = "the updates did not rewrite every document";
        // The last state is served before the load stops.
        const auto committed = std::chrono::steady_clock::now();
        while (std::chrono::steady_clock::now() - committed < std::chrono::seconds(5) &&
               nlohmann::json::parse(http_get(port, "/api/search?q=troisieme").body, nullptr, false).value("total", 0) != 3000)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } catch (const std::exception& e) {
        thrown = e.what();
    }
    done = true;
    for (auto& t : clients) t.join();
    EXPECT_EQ(thrown, "");
    EXPECT_GE(generations, 16);  // 12 batches, then 3
    EXPECT_GE(requests.load(), 200);
    EXPECT_EQ(failed.size(), 0u) << (failed.empty() ? "" : failed.front());
    const Json last = Json::parse(http_get(port, "/api/search?q=troisieme").body);
    EXPECT_EQ(last["total"], 3000);
    EXPECT_EQ(sink.error_count(), 0u);
}

// Clients that trickle a request, a byte at a time, never finishing its headers: they hold no
// worker (other requests are answered while they go on), and each is answered 408 and cut off
// once the header timeout has passed since it began, although it never stopped sending.
TEST(ServerSlowClientTest, TricklingClientsAreCutOffAndHoldNoWorker) {
    test::FixtureIndex f;
    f.add("a.fr.md", note("a", "fr", "report", "Latrines", "Les latrines de l'école.", "visibility: public\n"));
    f.index();
    ServerConfig c;
    c.db = f.db().string();
    c.port = 0;
    c.threads = 2;
    c.access_log = "";
    c.header_timeout_seconds = 2;
    HttpServer server(c);
    server.start();
    const int port = server.port();

    constexpr int k_slow = 40;
    struct Slow {
        int fd = -1;
        bool cut = false;
        std::string reply;
        double cut_after = 0;
    };
    std::vector<Slow> slow(k_slow);
    const std::string request = "GET /api/search?q=latrines HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(200, 'a');
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const auto started = std::chrono::steady_clock::now();
    for (auto& s : slow) {
        s.fd = socket(AF_INET, SOCK_STREAM, 0);
        ASSERT_EQ(connect(s.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
        fcntl(s.fd, F_SETFL, O_NONBLOCK);
    }
    auto seconds_since_start = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
    // One step of every slow client: send its next byte, and read what the server said.
    std::size_t sent = 0;
    auto trickle = [&] {
        for (auto& s : slow) {
            if (s.cut) continue;
            if (sent < request.size()) (void)send(s.fd, request.data() + sent, 1, MSG_NOSIGNAL);
            char buf[512];
            const ssize_t n = recv(s.fd, buf, sizeof buf, 0);
            if (n > 0) s.reply.append(buf, static_cast<std::size_t>(n));
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                s.cut = true;
                s.cut_after = seconds_since_start();
            }
        }
        ++sent;
    };
    // Other clients are answered while every slow one is still connected and sending.
    int answered = 0;
    for (int i = 0; i < 10; ++i) {
        trickle();
        if (http_get(port, "/api/search?q=latrines").status == 200) ++answered;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const double others_done = seconds_since_start();
    int open_then = 0;
    for (const auto& s : slow) open_then += s.cut ? 0 : 1;
    // Bounded: go on trickling until every slow client is cut off, or 10 s.
    while (seconds_since_start() < 10 && std::any_of(slow.begin(), slow.end(), [](const Slow& s) { return !s.cut; })) {
        trickle();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(answered, 10);
    EXPECT_LT(others_done, c.header_timeout_seconds) << "the other requests were not answered before the slow clients were cut";
    EXPECT_EQ(open_then, k_slow) << "slow clients were cut before the header timeout";
    EXPECT_LT(sent, request.size()) << "a slow client finished its request: the test showed nothing";
    for (const auto& s : slow) {
        EXPECT_TRUE(s.cut);
        EXPECT_GE(s.cut_after, c.header_timeout_seconds * 0.9);
        EXPECT_NE(s.reply.find(" 408 "), std::string::npos) << s.reply;
        close(s.fd);
    }
    EXPECT_EQ(http_get(port, "/healthz").status, 200);
}

// Guides over HTTP: built by the worker pool (one builder, no queue here), so that a request
// that finds it busy gets 503 with Retry-After at once while searches are answered; a guide
// built once is then served from the cache.
TEST(ServerGuidesTest, ABusyBuilderAnswers503AtOnceAndABuiltGuideComesFromTheCache) {
    test::CanaryApi env;
    ServerConfig c = env.config;
    c.port = 0;
    c.access_log = "";
    c.guide_builds = 1;
    c.guide_queue = 0;
    HttpServer server(c);
    server.start();
    const int port = server.port();
    constexpr int k_requests = 6;
    std::vector<std::unique_ptr<test::HttpConnection>> connections;
    for (int i = 0; i < k_requests; ++i) {
        connections.push_back(std::make_unique<test::HttpConnection>("127.0.0.1", port));
        ASSERT_TRUE(connections.back()->send("GET /guides/eau-ecoles.pdf?date=2026-02-0" + std::to_string(i + 1) +
                                             " HTTP/1.1\r\nHost: x\r\n\r\n"));
    }
    EXPECT_EQ(http_get(port, "/api/search?q=latrines").status, 200);  // answered while the builder works
    int built = 0, busy = 0;
    std::string first_built;
    for (int i = 0; i < k_requests; ++i) {
        const auto r = connections[static_cast<std::size_t>(i)]->receive();
        if (r.status == 200) {
            ++built;
            EXPECT_EQ(r.body.rfind("%PDF-", 0), 0u);
            EXPECT_EQ(r.headers.at("connection"), "Close");  // answered later: the connection ends after it
            if (first_built.empty()) first_built = "/guides/eau-ecoles.pdf?date=2026-02-0" + std::to_string(i + 1);
        } else {
            EXPECT_EQ(r.status, 503) << r.body;
            EXPECT_EQ(r.headers.count("retry-after"), 1u);
            EXPECT_NE(r.body.find("\"busy\""), std::string::npos) << r.body;
            ++busy;
        }
    }
    EXPECT_GE(built, 1);
    EXPECT_GE(busy, 1) << "the builder was never busy: the test showed nothing";
    ASSERT_FALSE(first_built.empty());
    test::HttpConnection later("127.0.0.1", port);  // the same Host: the same links in the guide
    const auto again = later.exchange("GET " + first_built + " HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.headers.at("connection"), "Keep-Alive");  // from the cache, at once
    const std::string metrics = http_get(port, "/metrics").body;
    EXPECT_NE(metrics.find("passerelle_guides_total{outcome=\"built\"} " + std::to_string(built)), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("passerelle_guides_total{outcome=\"cached\"} 1"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("passerelle_guides_total{outcome=\"refused\"} " + std::to_string(busy)), std::string::npos);
}

// Guides sent late, while clients keep opening and closing connections: a response's end (or
// the guide itself) once reached the next connection to get the same socket number, whose
// client then saw the connection end without an answer. Every request must get its answer.
TEST(ServerGuidesTest, NoClientLosesItsAnswerToAnotherConnectionOnTheSameSocket) {
    const std::string k_all_kinds = R"({"title": {"fr": "Tout", "en": "All"}, "introduction": {"fr": "Tout.", "en": "All."},)"
                                    R"( "selection": {"kinds": ["project", "good_practice", "lesson", "evaluation"]}})";
    test::CanaryApi env;
    ServerConfig c = env.config;
    c.port = 0;
    c.access_log = "";
    HttpServer server(c);
    server.start();
    const int port = server.port();
    std::atomic<int> answered{0}, lost{0}, next{0};
    std::mutex reasons_lock;
    std::map<std::string, int> reasons;  // why each lost request got nothing
    std::vector<std::thread> clients;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(4);
    for (int t = 0; t < 50; ++t)
        clients.emplace_back([&] {
            while (std::chrono::steady_clock::now() < until) {
                const int n = next++;
                const std::string date = "20" + std::to_string(10 + n / 336 % 80) + "-" + (n / 28 % 12 < 9 ? "0" : "") +
                                         std::to_string(1 + n / 28 % 12) + "-" + (n % 28 < 9 ? "0" : "") + std::to_string(1 + n % 28);
                test::HttpConnection c("127.0.0.1", port);
                // Whether an answer comes, not how soon: a guide queued behind others on a
                // loaded machine (the sanitizer build) may take longer than the usual 10 s.
                c.set_read_timeout_ms(60000);
                const auto r = n % 2 ? c.exchange("GET /guides/eau-ecoles.pdf?date=" + date + " HTTP/1.1\r\nHost: x\r\n\r\n")
                                     : c.exchange("POST /api/guides?date=" + date + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok-i\r\n"
                                                  "Content-Length: " + std::to_string(k_all_kinds.size()) + "\r\n\r\n" + k_all_kinds);
                ++(r.status == 0 ? lost : answered);
                if (r.status == 0) {
                    const std::lock_guard<std::mutex> hold(reasons_lock);
                    ++reasons[r.failure];
                }
                if (r.status == 503) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        });
    for (auto& t : clients) t.join();
    EXPECT_GE(answered.load(), 100);
    std::string why;
    for (const auto& [reason, count] : reasons) why += " " + reason + ": " + std::to_string(count);
    EXPECT_EQ(lost.load(), 0) << "of " << answered.load() + lost.load() << " requests;" << why;
}

// A guide that waits for a builder longer than the header timeout is still answered: Pistache
// sees no request in progress on its connection meanwhile, and would answer 408 and close it.
TEST(ServerGuidesTest, AGuideWaitingLongerThanTheHeaderTimeoutIsStillAnswered) {
    test::CanaryApi env;
    ServerConfig c = env.config;
    c.port = 0;
    c.access_log = "";
    c.guide_builds = 1;
    c.guide_queue = 39;
    c.header_timeout_seconds = 0.5;  // far shorter than forty builds one after the other
    HttpServer server(c);
    server.start();
    const std::string body = R"({"title": {"fr": "Tout", "en": "All"}, "introduction": {"fr": "Tout.", "en": "All."},)"
                             R"( "selection": {"kinds": ["project", "good_practice", "lesson", "evaluation"]}})";
    std::vector<std::unique_ptr<test::HttpConnection>> connections;
    for (int i = 0; i < 40; ++i) {
        connections.push_back(std::make_unique<test::HttpConnection>("127.0.0.1", server.port()));
        ASSERT_TRUE(connections.back()->send("POST /api/guides?date=20" + std::to_string(10 + i) + "-03-01" +
                                             " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok-i\r\nContent-Length: " +
                                             std::to_string(body.size()) + "\r\n\r\n" + body));
    }
    for (int i = 0; i < 40; ++i) {
        const auto r = connections[static_cast<std::size_t>(i)]->receive();
        EXPECT_EQ(r.status, 200) << i << ": " << r.body.substr(0, 200);
    }
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
