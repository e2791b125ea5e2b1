// Request heads as bytes: what waits for more, what passes, and the 4xx of each hostile shape.
#include "server/request_head.h"

#include <gtest/gtest.h>

namespace passerelle::http {
namespace {

RequestHead read(const std::string& bytes, bool with_request_line = true) {
    HeadLimits limits;
    limits.max_head_bytes = 1024;
    limits.max_header_lines = 10;
    limits.max_body_bytes = 100;
    return read_request_head(bytes, with_request_line, limits);
}

TEST(RequestHeadTest, AnIncompleteHeadWaitsUnlessItIsAlreadyTooLong) {
    EXPECT_FALSE(read("GET / HTTP/1.1\r\nHost: x\r\n").complete);
    EXPECT_EQ(read("GET / HTTP/1.1\r\nHost: x\r\n").status, 0);
    const RequestHead long_head = read("GET / HTTP/1.1\r\nX: " + std::string(2000, 'a'));
    EXPECT_EQ(long_head.status, 431);
}

TEST(RequestHeadTest, AGoodHeadIsMeasuredAndItsHeadersFound) {
    const std::string bytes = "GET /a?b=c HTTP/1.1\r\nHost: x\r\nCookie: a=1; b\r\n\r\nGET / HTTP/1.1\r\n";
    const RequestHead h = read(bytes);
    ASSERT_TRUE(h.complete);
    EXPECT_EQ(h.status, 0) << h.message;
    EXPECT_EQ(h.size, bytes.find("\r\n\r\n") + 4);
    ASSERT_EQ(h.headers.size(), 2u);
    EXPECT_EQ(bytes.substr(h.headers[1].name_at, h.headers[1].name_size), "Cookie");
    EXPECT_EQ(bytes.substr(h.headers[1].value_at, h.headers[1].value_size), "a=1; b");
    EXPECT_EQ(read("GET / HTTP/1.1\r\nX: a \r\n\r\n").headers[0].value_size, 2u);  // as the parser reads it: "a "
    EXPECT_EQ(read("GET / HTTP/1.0\r\n\r\n").size, 18u);
    EXPECT_EQ(read("\r\n", false).size, 2u);
    EXPECT_EQ(read("POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n").status, 0);
    EXPECT_EQ(read("GET / HTTP/1.1\r\nX-Name: caf\xC3\xA9\t ok\r\n\r\n").status, 0);  // obs-text and tabs
}

TEST(RequestHeadTest, EveryHostileShapeGetsItsOwn4xx) {
    const std::vector<std::pair<std::string, int>> cases = {
        {"GARBAGE\r\n\r\n", 400},
        {"GET /\r\n\r\n", 400},
        {"GET / HTTP/2.0\r\n\r\n", 400},
        {"GET  / HTTP/1.1\r\n\r\n", 400},
        {"GET /\x01 HTTP/1.1\r\n\r\n", 400},
        {"GET /caf\xC3\xA9 HTTP/1.1\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\n: empty name\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nNoColonHere\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nSpace before : colon\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nX-A: 1\r\n folded continuation\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nBad\x01Name: 1\r\n\r\n", 400},
        {std::string("GET / HTTP/1.1\r\nX-Nul: a") + '\0' + "b\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nX-Del: a\x7F\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nContent-Length: \r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400},
        {"POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", 413},
        {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 411},
        {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400},
        {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 411},
        {"POST / HTTP/1.1\r\nTransfer-Encoding : chunked\r\n\r\n", 400},
    };
    for (const auto& [bytes, status] : cases) {
        const RequestHead h = read(bytes);
        EXPECT_TRUE(h.complete) << bytes;
        EXPECT_EQ(h.status, status) << bytes << ": " << h.message;
        EXPECT_FALSE(h.message.empty()) << bytes;
    }
    std::string many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 11; ++i) many += "X-" + std::to_string(i) + ": 1\r\n";
    EXPECT_EQ(read(many + "\r\n").status, 431);
}

}  // namespace
}  // namespace passerelle::http
