// Signing in from a browser, on plain requests (no sockets) over the canary index: the form
// and its token, the session cookie and its flags, a new session id at each sign-in, the
// slowing of failed sign-ins per account and per address, what a signed-in partner may read,
// and signing out. tests/server/server_test.cpp does the same once over a real socket.
#include "server/session_gate.h"

#include <gtest/gtest.h>

#include <regex>

#include "core/accounts.h"
#include "core/sessions.h"
#include "core/url.h"
#include "support/canary_api.h"

namespace passerelle::http {
namespace {

class SignInTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_env = new test::CanaryApi();
        Accounts accounts(s_env->config.db);
        accounts.add("awa", "awa@example.org", "partners", {"author"}, "sel-de-saloum-2024");
        accounts.add("moussa", "", "partners", {}, "mangrove-de-joal-1");
        accounts.add("gone", "", "internal", {}, "ne-sert-plus-99");
    }
    static void TearDownTestSuite() { delete s_env; }

    static Response send(const std::string& method, const std::string& path, const std::string& cookie = "",
                         const std::string& body = "", const std::string& remote = "192.0.2.1",
                         std::vector<std::pair<std::string, std::string>> query = {}) {
        Request r;
        r.method = method;
        r.path = path;
        r.query = std::move(query);
        r.remote = remote;
        r.headers["host"] = "archive.example.org";
        if (!cookie.empty()) r.headers["cookie"] = cookie;
        if (method == "POST") r.headers["content-type"] = "application/x-www-form-urlencoded";
        r.body = body;
        std::string route;
        return s_env->api->handle(r, route);
    }
    static std::string header(const Response& r, const std::string& name) {
        const std::string* h = r.header(name);
        return h ? *h : "";
    }
    // The value of a hidden field of a form in `html`.
    static std::string field(const std::string& html, const std::string& name) {
        std::smatch m;
        const std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
        return std::regex_search(html, m, re) ? m[1].str() : "";
    }
    // The form token and its cookie, as a browser has them after opening the sign-in page.
    struct Form {
        std::string token, cookie;
    };
    static Form open_form() {
        const Response r = send("GET", "/fr/sign-in");
        Form f;
        f.token = field(r.body, "csrf");
        const std::string set = header(r, "Set-Cookie");
        f.cookie = set.substr(0, set.find(';'));
        return f;
    }
    static std::string form_body(const Form& f, const std::string& name, const std::string& password, const std::string& next = "") {
        return "csrf=" + f.token + "&name=" + percent_encode(name) + "&password=" + percent_encode(password) +
               "&next=" + percent_encode(next);
    }
    // Signs in; the session cookie ("passerelle_session=...") or "" when it failed.
    static std::string sign_in(const std::string& name, const std::string& password, const std::string& remote = "192.0.2.1",
                               const std::string& old_session = "") {
        const Form f = open_form();
        const Response r = send("POST", "/fr/sign-in", f.cookie + (old_session.empty() ? "" : "; " + old_session),
                                form_body(f, name, password), remote);
        if (r.status != 303) return "";
        const std::string set = header(r, "Set-Cookie");
        return set.substr(0, set.find(';'));
    }

    static test::CanaryApi* s_env;
};

test::CanaryApi* SignInTest::s_env = nullptr;

TEST(CookieValueTest, FindsANamedCookieAmongOthers) {
    Request r;
    r.headers["cookie"] = "a=1; passerelle_session=abc; passerelle_sessionx=no";
    EXPECT_EQ(cookie_value(r, "passerelle_session"), "abc");
    EXPECT_EQ(cookie_value(r, "a"), "1");
    EXPECT_EQ(cookie_value(r, "b"), "");
    r.headers["cookie"] = "xpasserelle_session=no";
    EXPECT_EQ(cookie_value(r, "passerelle_session"), "");
}

TEST(ClientAddressTest, ATrustedProxysForwardedAddressIsTheClient) {
    Request r;
    r.remote = "127.0.0.1";
    r.headers["x-forwarded-for"] = "203.0.113.9, 198.51.100.4 ";
    EXPECT_EQ(client_address(r, {}), "127.0.0.1");               // no proxy trusted: the header is anyone's
    EXPECT_EQ(client_address(r, {"127.0.0.1"}), "198.51.100.4");  // the address the proxy added
    r.remote = "192.0.2.77";
    EXPECT_EQ(client_address(r, {"127.0.0.1"}), "192.0.2.77");   // not from the proxy: ignored
    r.remote = "127.0.0.1";
    r.headers.erase("x-forwarded-for");
    EXPECT_EQ(client_address(r, {"127.0.0.1"}), "127.0.0.1");
}

TEST_F(SignInTest, EveryPageLinksTheSignInFormWhichComesBackToIt) {
    for (const char* path : {"/fr/", "/en/browse", "/fr/search", "/fr/documents/pr-eau", "/en/no-such-page"}) {
        const Response r = send("GET", path);
        EXPECT_NE(r.body.find("href=\"/" + std::string(path).substr(1, 2) + "/sign-in?next=" + percent_encode(path) + "\""),
                  std::string::npos) << path;
    }
    const Response form = send("GET", "/en/sign-in", "", "", "192.0.2.1", {{"next", "/en/documents/le-part"}});
    EXPECT_EQ(form.status, 200);
    EXPECT_NE(form.body.find("<form class=\"sign-in\" method=\"post\" action=\"/en/sign-in\">"), std::string::npos);
    EXPECT_NE(form.body.find("type=\"password\""), std::string::npos);
    EXPECT_EQ(field(form.body, "next"), "/en/documents/le-part");
    EXPECT_EQ(form.body.find("<script>"), std::string::npos);  // works without JavaScript
    EXPECT_EQ(header(form, "Cache-Control"), "no-store");
    const std::string token = field(form.body, "csrf");
    EXPECT_EQ(token.size(), 64u);
    EXPECT_EQ(header(form, "Set-Cookie"), "passerelle_form=" + token + "; Path=/; HttpOnly; SameSite=Strict");
}

TEST_F(SignInTest, APartnerSignsInByNameOrEmailAndReadsPartnersOnlyLessons) {
    EXPECT_EQ(send("GET", "/fr/documents/le-part").status, 404);
    const Form f = open_form();
    const Response r = send("POST", "/fr/sign-in", f.cookie, form_body(f, "awa@example.org", "sel-de-saloum-2024", "/fr/documents/le-part"));
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(header(r, "Location"), "/fr/documents/le-part");
    const std::string set = header(r, "Set-Cookie");
    EXPECT_TRUE(std::regex_match(set, std::regex("passerelle_session=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Lax"))) << set;
    const std::string session = set.substr(0, set.find(';'));
    const Response page = send("GET", "/fr/documents/le-part", session);
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Leçon zanzibarpartner"), std::string::npos);
    EXPECT_NE(page.body.find("Connecté en tant que <strong>awa</strong>"), std::string::npos);
    EXPECT_NE(page.body.find("documents publics et ceux réservés aux partenaires"), std::string::npos);
    EXPECT_EQ(page.body.find("sign-in?next="), std::string::npos);
    EXPECT_EQ(header(page, "Cache-Control"), "private, no-cache");
    EXPECT_EQ(send("GET", "/fr/documents/le-secret", session).status, 404);  // internal: not for partners
    // The API answers the browser's reads as the account too.
    EXPECT_EQ(send("GET", "/api/documents/le-part", session).status, 200);
    EXPECT_EQ(sign_in("moussa", "mangrove-de-joal-1").empty(), false);
}

TEST_F(SignInTest, TheSessionCookieIsSecureWhenTheSiteIsServedOverTls) {
    ServerConfig c = s_env->config;
    c.tls = true;
    EXPECT_NE(SessionGate(c).session_cookie(std::string(64, 'a')).find("; Secure"), std::string::npos);
    c.tls = false;
    c.base_url = "https://archive.example.org";
    EXPECT_NE(SessionGate(c).cleared_session_cookie().find("; Secure"), std::string::npos);
    EXPECT_NE(SessionGate(c).form_cookie(std::string(64, 'a')).find("; Secure"), std::string::npos);
    c.base_url = "http://archive.example.org";
    EXPECT_EQ(SessionGate(c).session_cookie(std::string(64, 'a')).find("Secure"), std::string::npos);
}

TEST_F(SignInTest, AFormWithoutItsTokenOrWithAWrongOneIsRefused) {
    const Form f = open_form();
    Response r = send("POST", "/fr/sign-in", f.cookie, "name=moussa&password=mangrove-de-joal-1");
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(header(r, "Set-Cookie").find("passerelle_session"), std::string::npos);
    EXPECT_NE(r.body.find("Ce formulaire a expiré"), std::string::npos);
    r = send("POST", "/fr/sign-in", f.cookie, "csrf=" + std::string(64, '0') + "&name=moussa&password=mangrove-de-joal-1");
    EXPECT_EQ(r.status, 403);
    r = send("POST", "/fr/sign-in", "", form_body(f, "moussa", "mangrove-de-joal-1"));  // the token without its cookie
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(header(r, "Set-Cookie").rfind("passerelle_form=", 0), 0u);  // a new form, which works
    // Signing out needs the session's own token.
    const std::string session = sign_in("moussa", "mangrove-de-joal-1");
    ASSERT_FALSE(session.empty());
    r = send("POST", "/fr/sign-out", session, "csrf=" + f.token);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(send("GET", "/fr/documents/le-part", session).status, 200);  // still signed in
    r = send("POST", "/fr/sign-out", session, "");
    EXPECT_EQ(r.status, 403);
}

TEST_F(SignInTest, EachSignInGivesANewSessionIdAndEndsTheOldOne) {
    const std::string first = sign_in("moussa", "mangrove-de-joal-1");
    ASSERT_FALSE(first.empty());
    const std::string second = sign_in("moussa", "mangrove-de-joal-1", "192.0.2.1", first);
    ASSERT_FALSE(second.empty());
    EXPECT_NE(first, second);
    EXPECT_EQ(send("GET", "/fr/documents/le-part", first).status, 404);
    EXPECT_EQ(send("GET", "/fr/documents/le-part", second).status, 200);
    // A session fixed by someone else beforehand is never adopted: the browser gets a new one.
    const std::string planted = "passerelle_session=" + std::string(64, 'f');
    const std::string third = sign_in("moussa", "mangrove-de-joal-1", "192.0.2.1", planted);
    EXPECT_NE(third, planted);
    EXPECT_EQ(send("GET", "/fr/documents/le-part", planted).status, 404);
}

TEST_F(SignInTest, SigningOutEndsTheSessionAndClearsItsCookie) {
    const std::string session = sign_in("moussa", "mangrove-de-joal-1");
    const Response page = send("GET", "/en/", session);
    const std::string csrf = field(page.body, "csrf");
    ASSERT_EQ(csrf.size(), 64u);
    EXPECT_NE(page.body.find("<form class=\"sign-out\" method=\"post\" action=\"/en/sign-out\">"), std::string::npos);
    const Response out = send("POST", "/en/sign-out", session, "csrf=" + csrf);
    EXPECT_EQ(out.status, 303);
    EXPECT_EQ(header(out, "Location"), "/en/");
    EXPECT_EQ(header(out, "Set-Cookie"), "passerelle_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    EXPECT_EQ(send("GET", "/en/documents/le-part", session).status, 404);
    EXPECT_NE(send("GET", "/en/", session).body.find("/en/sign-in?next="), std::string::npos);
}

TEST_F(SignInTest, RepeatedFailedSignInsAreSlowedPerAccountAndPerAddress) {
    // Three free failures for "awa", then a wait, even with the right password.
    for (int i = 0; i < 3; ++i) {
        const Form f = open_form();
        const Response r = send("POST", "/en/sign-in", f.cookie, form_body(f, "awa", "wrong-password-" + std::to_string(i)), "198.51.100." + std::to_string(i));
        EXPECT_EQ(r.status, 401);
        EXPECT_NE(r.body.find("Wrong name or password."), std::string::npos);
        EXPECT_NE(r.body.find("value=\"awa\""), std::string::npos);  // the name stays typed
    }
    Form f = open_form();
    Response r = send("POST", "/en/sign-in", f.cookie, form_body(f, "awa", "sel-de-saloum-2024"), "198.51.100.9");
    EXPECT_EQ(r.status, 429);
    EXPECT_GE(std::stol(header(r, "Retry-After")), 1);
    EXPECT_NE(r.body.find("try again in"), std::string::npos);
    // Per address: one address trying many names is slowed too.
    for (int i = 0; i < 3; ++i) {
        f = open_form();
        EXPECT_EQ(send("POST", "/en/sign-in", f.cookie, form_body(f, "nobody" + std::to_string(i), "whatever-it-is"), "203.0.113.7").status, 401);
    }
    f = open_form();
    EXPECT_EQ(send("POST", "/en/sign-in", f.cookie, form_body(f, "moussa", "mangrove-de-joal-1"), "203.0.113.7").status, 429);
    EXPECT_EQ(send("POST", "/en/sign-in", f.cookie, form_body(f, "moussa", "mangrove-de-joal-1"), "203.0.113.8").status, 303);
}

TEST_F(SignInTest, ADisabledAccountCannotSignInAndItsSessionsEnd) {
    const std::string session = sign_in("gone", "ne-sert-plus-99");
    ASSERT_FALSE(session.empty());
    EXPECT_EQ(send("GET", "/fr/documents/le-secret", session).status, 200);
    Accounts(s_env->config.db).disable("gone");
    EXPECT_EQ(send("GET", "/fr/documents/le-secret", session).status, 404);
    EXPECT_TRUE(sign_in("gone", "ne-sert-plus-99", "192.0.2.50").empty());
}

TEST_F(SignInTest, HostileInputIsEscapedAndNextNeverLeavesTheSite) {
    const Form f = open_form();
    const Response r = send("POST", "/fr/sign-in", f.cookie, form_body(f, "\"><script>alert(1)</script>", "x", "//evil.example/"), "192.0.2.99");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body.find("<script>alert(1)"), std::string::npos);
    EXPECT_NE(r.body.find("&lt;script&gt;"), std::string::npos);
    EXPECT_EQ(field(r.body, "next"), "/fr/");
    for (const char* next : {"https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)"}) {
        const Form g = open_form();
        const Response ok = send("POST", "/fr/sign-in", g.cookie, form_body(g, "moussa", "mangrove-de-joal-1", next), "192.0.2.100");
        ASSERT_EQ(ok.status, 303) << next;
        EXPECT_EQ(header(ok, "Location"), "/fr/") << next;
    }
}

TEST_F(SignInTest, ApiTokensStillWorkAndASessionNeverChangesThingsThroughTheApi) {
    Request r;
    r.path = "/api/documents/le-secret";
    r.headers["authorization"] = "Bearer tok-i";
    std::string route;
    EXPECT_EQ(s_env->api->handle(r, route).status, 200);
    // POST /api/guides needs a token: a browser's session cookie is not one.
    const std::string session = sign_in("moussa", "mangrove-de-joal-1", "192.0.2.101");
    EXPECT_EQ(send("POST", "/api/guides", session, "name: x").status, 401);
}

}  // namespace
}  // namespace passerelle::http
