// The security review's tests (docs/security.md), against the real server on loopback over an
// index whose partners-only and internal documents carry canary words:
// - every route the server has is in the leak matrix below (a new route fails the test until
//   it is added), and through none of them, as any role, does a canary reach someone who may
//   not see it, whatever the format (JSON, HTML, CSV, BibTeX, RIS, Atom, OAI-PMH XML, PDF);
// - every response, errors included, carries the security headers;
// - no route that names a file reads anything outside what it serves.
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <map>
#include <set>

#include "core/accounts.h"
#include "core/editorial.h"
#include "server/pistache_server.h"
#include "support/canary_api.h"
#include "support/command.h"
#include "support/http_client.h"
#include "support/sample_files.h"

namespace passerelle {
namespace {

using test::http_get;

struct Call {
    std::string target;
    std::string method = "GET";
    std::string body;
};

// Each route, as "METHOD pattern", with the requests that exercise it.
const std::map<std::string, std::vector<Call>>& leak_matrix() {
    static const std::string all_kinds =
        R"({"title": {"fr": "Tout", "en": "All"}, "introduction": {"fr": "Tout.", "en": "All."}, "selection": {"kinds": ["project", "good_practice", "lesson", "evaluation"]}})";
    static const std::map<std::string, std::vector<Call>> m = {
        {"GET /api/search",
         {{"/api/search?q=forages"}, {"/api/search?q=zanzibarinterne"}, {"/api/search?q=zanzibarinteme"},
          {"/api/search?q=zanzibarpartnr"}, {"/api/search"}, {"/api/search?q=latrines&lang=fr"}, {"/api/search?country=GN"},
          {"/api/search?q=forages&sort=date&per_page=100"}, {"/api/search?q=pompes&lang_pref=en"},
          {"/api/search?q=zanzibarpartnr&correct=0"}, {"/api/search?q=forages%20latrines&collapse=none&match=all"},
          {"/api/search?q=zanzibarinterne%20pompes&lang_pref=en"}, {"/api/search?q=pdfcanaryinterne"},
          {"/api/search?q=pdfcanarypartner"}, {"/api/search?q=margelle"}}},
        {"GET /api/documents/{id}",
         {{"/api/documents/le-secret?lang=fr"}, {"/api/documents/le-part?lang=fr"}, {"/api/documents/gp-pompes?lang=en"},
          {"/api/documents/gp-pompes"}, {"/api/documents/pr-eau?lang=fr"}, {"/api/documents/le-secret"}}},
        {"GET /api/documents/{id}/similar",
         {{"/api/documents/pr-eau/similar?lang=fr"}, {"/api/documents/gp-pompes/similar?lang=fr"},
          {"/api/documents/le-secret/similar?lang=fr"}}},
        // Attachments: the PDFs of le-secret and le-part carry their canaries; a file of one
        // document asked through another, and a draft's attachment, are never served.
        {"GET /api/documents/{id}/files/{file}",
         {{"/api/documents/le-secret/files/secret.pdf"}, {"/api/documents/le-secret/files/secret.pdf?lang=fr"},
          {"/api/documents/le-part/files/part.pdf"}, {"/api/documents/pr-eau/files/secret.pdf"},
          {"/api/documents/pr-eau/files/rapport.pdf"}, {"/api/documents/gp-pompes/files/part.pdf?lang=en"},
          {"/api/documents/le-brouillon/files/brouillon.pdf"}, {"/api/documents/pr-eau/files/..%2F..%2Fp%2Fle-secret%2Fsecret.pdf"}}},
        {"GET /api/suggest", {{"/api/suggest?q=zanz"}, {"/api/suggest?q=Note"}, {"/api/suggest?q=Le%C3%A7"}, {"/api/suggest?q=for"}}},
        {"GET /api/projects", {{"/api/projects"}}},
        {"GET /api/projects/{id}", {{"/api/projects/pr-eau?lang=fr"}, {"/api/projects/pr-eau?lang=en"}}},
        {"GET /api/vocabularies", {{"/api/vocabularies"}}},
        {"GET /healthz", {{"/healthz"}}},
        {"GET /metrics", {{"/metrics"}}},
        {"GET /openapi.json", {{"/openapi.json"}}},
        {"GET /guides/{file}", {{"/guides/tout.pdf"}}},
        {"POST /api/guides", {{"/api/guides", "POST", all_kinds}}},
        {"GET /oai",
         {{"/oai?verb=ListRecords&metadataPrefix=oai_dc"}, {"/oai?verb=ListIdentifiers&metadataPrefix=oai_dc"},
          {"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:passerelle.example.org:le-secret"},
          {"/oai?verb=ListSets"}}},
        {"POST /oai", {{"/oai", "POST", "verb=ListRecords&metadataPrefix=oai_dc"}}},
        {"GET /", {{"/"}}},
        {"GET /{lang}", {{"/fr"}, {"/en"}}},
        {"GET /{lang}/search",
         {{"/fr/search?q=zanzibarinterne"}, {"/fr/search?q=forages"}, {"/en/search?q=zanzibarinteme"}, {"/fr/search"},
          {"/fr/search?country=GN"}, {"/en/search?q=pompes"}, {"/fr/search?q=zanzibarpartnr&correct=0"},
          {"/fr/search?q=latrines&collapse=none"}, {"/fr/search?q=pdfcanaryinterne"}, {"/en/search?q=pdfcanarypartner"}}},
        {"GET /{lang}/search.csv", {{"/fr/search.csv"}, {"/fr/search.csv?q=forages"}}},
        {"GET /{lang}/search.json", {{"/fr/search.json"}, {"/en/search.json?q=zanzibarinterne"}}},
        {"GET /{lang}/search.bib", {{"/fr/search.bib"}}},
        {"GET /{lang}/search.ris", {{"/fr/search.ris"}}},
        {"GET /{lang}/search.atom", {{"/fr/search.atom"}, {"/en/search.atom?q=forages"}}},
        {"GET /{lang}/documents/{id}",
         {{"/fr/documents/le-secret"}, {"/fr/documents/le-part"}, {"/en/documents/gp-pompes?lang=en"}, {"/fr/documents/gp-pompes"},
          {"/fr/documents/pr-eau"}}},
        {"GET /{lang}/documents/{id}/files/{file}",
         {{"/fr/documents/le-secret/files/secret.pdf"}, {"/fr/documents/le-part/files/part.pdf?lang=fr"},
          {"/en/documents/pr-eau/files/part.pdf"}, {"/fr/documents/le-brouillon/files/brouillon.pdf?lang=fr"},
          {"/fr/documents/pr-eau/files/puits.png"}}},
        {"GET /{lang}/documents/{id}/cite.bib", {{"/fr/documents/le-secret/cite.bib"}, {"/fr/documents/gp-pompes/cite.bib?lang=en"}}},
        {"GET /{lang}/documents/{id}/cite.ris", {{"/fr/documents/le-part/cite.ris"}}},
        {"GET /{lang}/documents/{id}/cite.json", {{"/fr/documents/le-secret/cite.json"}}},
        {"GET /{lang}/projects/{id}", {{"/fr/projects/pr-eau"}, {"/en/projects/pr-eau?lang=en"}}},
        {"GET /{lang}/browse", {{"/fr/browse"}, {"/en/browse"}}},
        {"GET /{lang}/guides", {{"/fr/guides"}, {"/en/guides"}}},
        {"GET /{lang}/projects", {{"/fr/projects"}, {"/en/projects"}}},
        {"GET /{lang}/about", {{"/fr/about"}, {"/en/about"}}},
        {"GET /robots.txt", {{"/robots.txt"}}},
        {"GET /sitemap.xml", {{"/sitemap.xml"}, {"/sitemap.xml?page=1"}}},
        {"GET /favicon.ico", {{"/favicon.ico"}}},
        {"GET /static/{name}", {{"/static/site.css"}, {"/static/suggest.js"}}},
        {"GET /{lang}/sign-in", {{"/fr/sign-in"}, {"/en/sign-in?next=%2Ffr%2Fdocuments%2Fle-secret"}}},
        // Refused (no form token): the forms themselves are tested in sign_in_test.cpp.
        {"POST /{lang}/sign-in", {{"/fr/sign-in", "POST", "name=staff-web&password=wrong"}}},
        {"POST /{lang}/sign-out", {{"/en/sign-out", "POST", "csrf=0"}}},
        // Writing is on, with a draft by someone else carrying the canary "zanzibardraft".
        {"GET /{lang}/notes", {{"/fr/notes"}}},
        {"GET /{lang}/notes/new", {{"/fr/notes/new"}, {"/fr/notes/new?translate=le-secret&from=fr"}}},
        {"GET /{lang}/notes/edit", {{"/fr/notes/edit?id=le-brouillon&lang=fr"}}},
        {"POST /{lang}/notes/edit", {{"/fr/notes/edit", "POST", "id=le-brouillon&lang=fr&kind=lesson&action=preview&base=1"}}},
        {"GET /{lang}/review", {{"/fr/review"}}},
        {"GET /{lang}/review.atom", {{"/en/review.atom"}}},
        {"GET /{lang}/review/note", {{"/fr/review/note?id=le-brouillon&lang=fr"}}},
        {"POST /{lang}/review/note", {{"/fr/review/note", "POST", "id=le-brouillon&lang=fr&action=publish"}}},
        {"GET /{lang}/notes/history", {{"/fr/notes/history?id=le-brouillon&lang=fr&n=1"}}},
        {"POST /{lang}/notes/restore", {{"/fr/notes/restore", "POST", "id=le-brouillon&lang=fr&n=1"}}},
        {"GET /{lang}/translations", {{"/fr/translations"}, {"/en/translations"}}},
        {"POST /{lang}/notes/attach", {{"/fr/notes/attach", "POST", "id=le-brouillon&lang=fr"}}},
    };
    return m;
}

struct Role {
    std::string name, header;
    std::vector<std::string> hidden;  // words this role must never see
};

// The session cookies of a partner and a staff member signed in through the form (set up once).
std::string s_partner_cookie, s_internal_cookie;

std::vector<Role> roles() {
    return {
        {"public", "", {"zanzibarpartner", "zanzibarinterne", "le-secret", "le-part", "zanzibardraft", "le-brouillon"}},
        {"partners", "Authorization: Bearer tok-p\r\n", {"zanzibarinterne", "le-secret", "zanzibardraft", "le-brouillon"}},
        {"internal", "Authorization: Bearer tok-i\r\n", {"zanzibardraft", "le-brouillon"}},
        {"partners-session", "Cookie: " + s_partner_cookie + "\r\n", {"zanzibarinterne", "le-secret", "zanzibardraft", "le-brouillon"}},
        // An author, but not of the draft, and no reviewer: unpublished notes are not for staff.
        {"internal-session", "Cookie: " + s_internal_cookie + "\r\n", {"zanzibardraft", "le-brouillon"}},
    };
}

// Signs in through the real server's form; the session cookie ("passerelle_session=...").
std::string sign_in(int port, const std::string& name, const std::string& password) {
    const test::HttpReply form = http_get(port, "/fr/sign-in");
    const std::string set = form.headers.count("set-cookie") ? form.headers.at("set-cookie") : "";
    const std::string cookie = set.substr(0, set.find(';'));
    const std::string before_token = "name=\"csrf\" value=\"";
    const auto at = form.body.find(before_token);
    if (at == std::string::npos) return "";
    const std::string token = form.body.substr(at + before_token.size(), 64);
    const std::string body = "csrf=" + token + "&name=" + name + "&password=" + password;
    test::HttpConnection c("127.0.0.1", port);
    const test::HttpReply r = c.exchange("POST /fr/sign-in HTTP/1.1\r\nHost: x\r\nCookie: " + cookie +
                                         "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                                         std::to_string(body.size()) + "\r\n\r\n" + body);
    if (r.status != 303 || !r.headers.count("set-cookie")) return "";
    const std::string session = r.headers.at("set-cookie");
    return session.substr(0, session.find(';'));
}

class SecurityTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        // A draft written in the browser by someone else: in content/.drafts/, which the
        // indexer must skip, and in the notes' history.
        s_env = new test::CanaryApi([](test::FixtureIndex& f) {
            f.add(".drafts/le-brouillon.fr.md", test::note("le-brouillon", "fr", "lesson", "Brouillon zanzibardraft",
                                                           "Texte zanzibardraft.", "visibility: public\nattachments:\n  - {file: brouillon.pdf}\n"));
            f.add(".drafts/attachments/le-brouillon/brouillon.pdf", test::sample_pdf({"Brouillon zanzibardraft."}));
        });
        {
            NoteEntry e;
            e.id = "le-brouillon", e.lang = "fr", e.kind = "lesson", e.title = "Brouillon zanzibardraft", e.state = "submitted";
            Editorial(s_env->config.db).save(e, test::note("le-brouillon", "fr", "lesson", "Brouillon zanzibardraft", "Texte zanzibardraft."),
                                             0, 999, "someone", "submitted");
        }
        s_env->index.dir.write("guides/tout.yaml", "title: {fr: Tout, en: All}\nintroduction: {fr: Tout., en: All.}\nselection:\n  kinds: [project, good_practice, lesson, evaluation]\n");
        ServerConfig c = s_env->config;
        c.port = 0;
        c.access_log = "";
        c.guides_dir = (s_env->index.dir / "guides").string();
        c.content = s_env->index.content().string();
        s_server = new HttpServer(c);
        s_server->start();
        s_port = s_server->port();
        Accounts accounts(c.db);
        accounts.add("partner-web", "", "partners", {}, "partner-web-password");
        accounts.add("staff-web", "", "internal", {"author"}, "staff-web-password");
        s_partner_cookie = sign_in(s_port, "partner-web", "partner-web-password");
        s_internal_cookie = sign_in(s_port, "staff-web", "staff-web-password");
        ASSERT_EQ(s_partner_cookie.size(), 19u + 64u);
        ASSERT_EQ(s_internal_cookie.size(), 19u + 64u);
    }
    static void TearDownTestSuite() {
        delete s_server;
        delete s_env;
    }

    // The response to `call` as `role`; a PDF's body is replaced by its text (pdftotext).
    static test::HttpReply fetch(const Call& call, const Role& role) {
        test::HttpReply r;
        if (call.method == "POST") {
            test::HttpConnection c("127.0.0.1", s_port);
            const bool form = call.target == "/oai" || call.target.find("/sign-") != std::string::npos;
            const std::string type = form ? "application/x-www-form-urlencoded" : "application/json";
            r = c.exchange("POST " + call.target + " HTTP/1.1\r\nHost: x\r\n" + role.header + "Content-Type: " + type +
                           "\r\nContent-Length: " + std::to_string(call.body.size()) + "\r\n\r\n" + call.body);
        } else {
            r = http_get(s_port, call.target, role.header);
        }
        const auto type = r.headers.find("content-type");
        if (type != r.headers.end() && type->second.rfind("application/pdf", 0) == 0) {
            const auto pdf = s_env->index.dir / "reply.pdf";
            std::ofstream(pdf, std::ios::binary) << r.body;
            r.body = test::run_command("pdftotext '" + pdf.string() + "' - 2>/dev/null").out;
            // Words hyphenated at a line's end are joined again, so a canary cannot hide there.
            for (std::size_t at; (at = r.body.find("-\n")) != std::string::npos;) r.body.erase(at, 2);
            for (std::size_t at; (at = r.body.find("\xC2\xAD")) != std::string::npos;) r.body.erase(at, 2);  // soft hyphens
        }
        // Canaries are lower-case ASCII: a title set in capitals must not hide one either.
        for (char& ch : r.body) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        return r;
    }

    static test::CanaryApi* s_env;
    static HttpServer* s_server;
    static int s_port;
};

test::CanaryApi* SecurityTest::s_env = nullptr;
HttpServer* SecurityTest::s_server = nullptr;
int SecurityTest::s_port = 0;

TEST_F(SecurityTest, EveryRouteIsInTheLeakMatrix) {
    std::set<std::string> routes;
    for (const auto& r : s_env->api->routes()) routes.insert(r);
    std::set<std::string> covered;
    for (const auto& [route, calls] : leak_matrix()) covered.insert(route);
    for (const auto& r : routes) EXPECT_EQ(covered.count(r), 1u) << "route '" << r << "' is not in the leak matrix";
    for (const auto& r : covered) EXPECT_EQ(routes.count(r), 1u) << "'" << r << "' is in the matrix but is no route";
}

TEST_F(SecurityTest, NoCanaryReachesARoleThatMayNotSeeItThroughAnyRoute) {
    std::size_t responses = 0, calls_in_matrix = 0;
    for (const auto& [route, calls] : leak_matrix()) calls_in_matrix += calls.size();
    std::map<std::string, int> internal_sees, session_sees;  // where the internal role does see its canary
    for (const auto& [route, calls] : leak_matrix()) {
        for (const Call& call : calls) {
            for (const Role& role : roles()) {
                const auto r = fetch(call, role);
                ASSERT_NE(r.status, 0) << role.name << " " << call.target << ": no answer";
                EXPECT_LT(r.status, 500) << role.name << " " << call.target;
                ++responses;
                for (const auto& word : role.hidden) {
                    if (call.target.find(word) != std::string::npos) continue;  // its own words, echoed in a 404
                    EXPECT_EQ(r.body.find(word), std::string::npos)
                        << "'" << word << "' shows to " << role.name << " through " << call.method << " " << call.target << ": "
                        << r.body.substr(r.body.find(word) > 200 ? r.body.find(word) - 200 : 0, 400);
                    for (const auto& [name, value] : r.headers)
                        EXPECT_EQ(value.find(word), std::string::npos) << "'" << word << "' in header " << name << " of " << call.target;
                }
                if (role.name == "internal" && r.body.find("zanzibarinterne") != std::string::npos) ++internal_sees[route];
                if (role.name == "internal-session" && r.body.find("zanzibarinterne") != std::string::npos) ++session_sees[route];
            }
        }
    }
    EXPECT_EQ(responses, calls_in_matrix * roles().size());
    // The canaries are there to be found by those who may see them: the test can fail.
    for (const char* route : {"GET /api/search", "GET /api/documents/{id}", "GET /{lang}/search", "GET /{lang}/documents/{id}",
                              "GET /{lang}/search.csv", "GET /{lang}/search.atom", "GET /api/suggest", "POST /api/guides",
                              "GET /guides/{file}", "GET /api/documents/{id}/files/{file}", "GET /{lang}/documents/{id}/files/{file}"})
        EXPECT_GT(internal_sees[route], 0) << "the internal role never sees its canary through " << route;
    for (const char* route : {"GET /api/search", "GET /{lang}/search", "GET /{lang}/documents/{id}", "GET /{lang}/search.csv"})
        EXPECT_GT(session_sees[route], 0) << "a signed-in staff member never sees the canary through " << route;
}

TEST_F(SecurityTest, EveryResponseCarriesTheSecurityHeaders) {
    std::vector<Call> calls;
    for (const auto& [route, list] : leak_matrix()) calls.insert(calls.end(), list.begin(), list.end());
    // Errors too: unknown routes, wrong methods, bad parameters, bad tokens, oversize requests.
    for (const char* t : {"/nowhere", "/api/nowhere", "/api/search?per_page=5000", "/fr/search?page=0", "/api/documents/x?lang=fr",
                          "/xx/search", "/static/nope.css", "/guides/nope.pdf", "/oai?verb=Nope"})
        calls.push_back({t});
    calls.push_back({"/api/search", "DELETE"});
    calls.push_back({"/api/search?q=" + std::string(9000, 'a')});
    for (const Call& call : calls) {
        const auto r = call.method == "DELETE" ? http_get(s_port, call.target, "", "DELETE") : fetch(call, roles()[0]);
        const std::string where = call.method + " " + call.target.substr(0, 60) + " (" + std::to_string(r.status) + ")";
        ASSERT_NE(r.status, 0) << where;
        auto header = [&](const char* name) { return r.headers.count(name) ? r.headers.at(name) : std::string(); };
        EXPECT_EQ(header("x-content-type-options"), "nosniff") << where;
        EXPECT_EQ(header("referrer-policy"), "same-origin") << where;
        EXPECT_EQ(header("x-frame-options"), "DENY") << where;
        const std::string type = header("content-type");
        if (type.rfind("application/pdf", 0) != 0) {
            EXPECT_NE(header("content-security-policy").find("default-src"), std::string::npos) << where;
            EXPECT_NE(header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos) << where;
        }
    }
    // A bad token is refused, with the headers too.
    const auto bad = http_get(s_port, "/api/search", "Authorization: Bearer nope\r\n");
    EXPECT_EQ(bad.status, 401);
    EXPECT_EQ(bad.headers.count("x-content-type-options"), 1u);
}

// Routes that name a file read only what they serve: encoded dots and slashes, absolute paths
// and NUL bytes get a 4xx, and nothing of the files around them.
TEST_F(SecurityTest, NoRouteReadsAFileOutsideWhatItServes) {
    const std::vector<std::string> targets = {
        "/static/..%2F..%2FCMakeLists.txt", "/static/%2E%2E%2F%2E%2E%2FCMakeLists.txt", "/static/..", "/static/%2Fetc%2Fpasswd",
        "/static/site.css%00.txt", "/static/..%5C..%5CCMakeLists.txt", "/static/pages%2Fsearch.html",
        "/guides/..%2F..%2Ftemplates%2Fguides%2Feau-ecoles.pdf", "/guides/%2Fetc%2Fpasswd.pdf", "/guides/....%2F%2Fetc%2Fpasswd.pdf",
        "/guides/..%2Ftout.pdf", "/guides/tout.yaml", "/guides/tout.pdf%00", "/guides/%2E%2E.pdf",
        "/fr/documents/..%2F..%2Fcatalogue.sqlite", "/api/documents/..%2Fcatalogue.sqlite?lang=fr", "/api/documents/%2E%2E?lang=fr",
        "/../CMakeLists.txt", "/fr/../../CMakeLists.txt", "/static/../../CMakeLists.txt",
    };
    for (const auto& t : targets) {
        const auto r = http_get(s_port, t);
        EXPECT_GE(r.status, 400) << t;
        EXPECT_LT(r.status, 500) << t;
        for (const char* marker : {"cmake_minimum_required", "root:x:0", "SQLite format", "selection:", "{{"})
            EXPECT_EQ(r.body.find(marker), std::string::npos) << t << " shows '" << marker << "'";
    }
    // The files themselves are served under their own names.
    EXPECT_EQ(http_get(s_port, "/static/site.css").status, 200);
    EXPECT_EQ(http_get(s_port, "/guides/tout.pdf").status, 200);
}

}  // namespace
}  // namespace passerelle
