#include "server/router.h"

#include <gtest/gtest.h>

namespace passerelle::http {
namespace {

Router make() {
    Router r;
    r.add("GET", "/api/documents/{id}", [](const Request&, const Params& p, const Context&) {
        Response res;
        res.body = "doc " + p.at("id");
        return res;
    });
    r.add("GET", "/api/documents/{id}/similar", [](const Request&, const Params& p, const Context&) {
        Response res;
        res.body = "similar " + p.at("id");
        return res;
    });
    return r;
}

Response get(const Router& r, const std::string& method, const std::string& path, std::string& route) {
    Request req;
    req.method = method;
    req.path = path;
    return r.dispatch(req, Context{}, route);
}

TEST(RouterTest, MatchesPatternsAndDecodesEachSegment) {
    const Router r = make();
    std::string route;
    EXPECT_EQ(get(r, "GET", "/api/documents/US-GOV-1%2FREG", route).body, "doc US-GOV-1/REG");
    EXPECT_EQ(route, "/api/documents/{id}");
    EXPECT_EQ(get(r, "GET", "/api/documents/x/similar", route).body, "similar x");
    EXPECT_EQ(get(r, "HEAD", "/api/documents/x", route).status, 200);  // HEAD is served by GET routes
}

TEST(RouterTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
    const Router r = make();
    std::string route;
    const Response missing = get(r, "GET", "/api/nothing", route);
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(route, "unmatched");
    EXPECT_NE(missing.body.find("\"code\":\"not_found\""), std::string::npos);
    const Response post = get(r, "POST", "/api/documents/x", route);
    EXPECT_EQ(post.status, 405);
    ASSERT_NE(post.header("Allow"), nullptr);
    EXPECT_EQ(*post.header("Allow"), "GET, HEAD");
}

TEST(RouterTest, MalformedPathEscapeIs400) {
    const Router r = make();
    std::string route;
    const Response res = get(r, "GET", "/api/documents/%FF", route);
    EXPECT_EQ(res.status, 400);
    EXPECT_NE(res.body.find("\"parameter\":\"path\""), std::string::npos);
}

}  // namespace
}  // namespace passerelle::http
