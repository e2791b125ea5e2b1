// The API's handlers on plain requests (no sockets) over a real index whose partners-only and
// internal documents carry canary words: nothing hidden may show through any route or field.
#include "server/api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "support/command.h"
#include "support/canary_api.h"

namespace passerelle::http {
namespace {

using Json = nlohmann::json;

class ApiTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_env = new test::CanaryApi();
        ASSERT_EQ(s_env->index.report.errors, 0u) << s_env->index.messages.at(0);
        s_api = s_env->api.get();
    }
    static void TearDownTestSuite() { delete s_env; }

    // GET path?query as `role` ("" anonymous, "p" partners, "i" internal).
    static Response get(const std::string& path, std::vector<std::pair<std::string, std::string>> query = {},
                        const std::string& token = "", const std::string& method = "GET") {
        Request r;
        r.method = method;
        r.path = path;
        r.query = std::move(query);
        if (!token.empty()) r.headers["authorization"] = "Bearer tok-" + token;
        r.headers["accept-language"] = "fr-FR,fr;q=0.9";
        std::string route;
        return s_api->handle(r, route).resolved();
    }
    static Json json(const Response& r) { return Json::parse(r.body); }
    static std::uint64_t guides(Metrics::Guide event) { return s_env->metrics.guides(event); }

    static test::CanaryApi* s_env;
    static Api* s_api;
};

test::CanaryApi* ApiTest::s_env = nullptr;
Api* ApiTest::s_api = nullptr;

TEST_F(ApiTest, SearchReturnsPagedHitsFacetsAndLabels) {
    const Response r = get("/api/search", {{"q", "forages"}, {"per_page", "2"}});
    ASSERT_EQ(r.status, 200) << r.body;
    const Json j = json(r);
    EXPECT_EQ(j["total"], 2);  // pr-eau (in French and English), gp-pompes (in French: its English version is partners-only)
    EXPECT_EQ(j["total_all_words"], 2);
    EXPECT_EQ(j["total_exact"], true);
    EXPECT_EQ(j["page"], 1);
    EXPECT_EQ(j["per_page"], 2);
    EXPECT_EQ(j["hits"].size(), 2u);
    EXPECT_EQ(j["corrected"], nullptr);
    EXPECT_EQ(j["lang_pref"], "fr");
    for (const char* k : {"id", "lang", "kind", "title", "snippet", "countries", "themes", "year", "url", "translations",
                          "score", "all_words", "versions"})
        EXPECT_TRUE(j["hits"][0].contains(k)) << k;
    for (const auto& h : j["hits"]) EXPECT_EQ(h["lang"], "fr") << h["id"];
    EXPECT_EQ(j["facets"]["country"][0]["label"], "Sénégal");
    EXPECT_EQ(*r.header("Access-Control-Allow-Origin"), "*");
}

TEST_F(ApiTest, RepeatedFiltersAreOrWithinAFieldAndAndAcross) {
    const auto total = [](std::vector<std::pair<std::string, std::string>> q, const std::string& tok = "i") {
        return json(get("/api/search", std::move(q), tok))["total"].get<int>();
    };
    EXPECT_EQ(total({{"country", "GN"}}), 1);
    EXPECT_EQ(total({{"country", "GN"}, {"country", "MA"}}), 2);
    EXPECT_EQ(total({{"country", "GN"}, {"country", "MA"}, {"kind", "lesson"}, {"lang", "fr"}}), 2);
    EXPECT_EQ(total({{"kind", "lesson"}, {"kind", "evaluation"}}), 3);
    EXPECT_EQ(total({{"year_from", "2021"}, {"year_to", "2022"}}), 2);
}

TEST_F(ApiTest, BadParametersAre400NamingTheParameter) {
    const auto check = [](std::vector<std::pair<std::string, std::string>> q, const std::string& param) {
        const Response r = get("/api/search", std::move(q));
        EXPECT_EQ(r.status, 400) << r.body;
        EXPECT_EQ(json(r)["error"]["parameter"], param) << r.body;
    };
    check({{"per_page", "101"}}, "per_page");
    check({{"page", "0"}}, "page");
    check({{"page", "9"}}, "page");  // past the end
    check({{"year_from", "20x1"}}, "year_from");
    check({{"sort", "random"}}, "sort");
    check({{"colour", "red"}}, "colour");
    check({{"q", "a"}, {"q", "b"}}, "q");
    check({{"year_from", "2020"}, {"year_to", "2010"}}, "year");
}

TEST_F(ApiTest, MatchLangPrefCollapseAndCorrectAreCheckedLikeTheOtherParameters) {
    const auto check = [](std::vector<std::pair<std::string, std::string>> q, const std::string& param) {
        const Response r = get("/api/search", std::move(q));
        EXPECT_EQ(r.status, 400) << r.body;
        EXPECT_EQ(json(r)["error"]["parameter"], param) << r.body;
    };
    check({{"q", "forages"}, {"match", "any"}}, "match");
    check({{"q", "forages"}, {"match", "all"}, {"match", "most"}}, "match");
    check({{"q", "forages"}, {"lang_pref", "french"}}, "lang_pref");
    check({{"q", "forages"}, {"lang_pref", "fr-FR"}}, "lang_pref");
    check({{"q", "forages"}, {"lang_pref", "<b>"}}, "lang_pref");
    check({{"q", "forages"}, {"collapse", "version"}}, "collapse");
    check({{"q", "forages"}, {"correct", "yes"}}, "correct");
    for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
             {"match", "all"}, {"match", "most"}, {"lang_pref", "en"}, {"lang_pref", ""}, {"collapse", "none"},
             {"collapse", "document"}, {"correct", "0"}, {"correct", "1"}})
        EXPECT_EQ(get("/api/search", {{"q", "forages"}, {name, value}}).status, 200) << name << "=" << value;
}

TEST_F(ApiTest, LangPrefChoosesTheVersionShownAndEveryVersionIsListed) {
    for (const std::string lang : {"fr", "en"}) {
        const Json j = json(get("/api/search", {{"q", "latrines"}, {"kind", "project"}, {"lang_pref", lang}}));
        EXPECT_EQ(j["lang_pref"], lang);
        ASSERT_EQ(j["hits"].size(), 1u) << j.dump();
        const Json& h = j["hits"][0];
        EXPECT_EQ(h["id"], "pr-eau");
        EXPECT_EQ(h["lang"], lang);
        EXPECT_EQ(h["title"], lang == "fr" ? "Projet eau des écoles" : "School water project");
        EXPECT_EQ(h["url"], "/api/documents/pr-eau?lang=" + lang);
        EXPECT_EQ(h["translations"], Json::array({lang == "fr" ? "en" : "fr"}));
        EXPECT_EQ(h["versions"], Json::parse(R"([{"lang": "en", "title": "School water project"},
                                                 {"lang": "fr", "title": "Projet eau des écoles"}])"));
    }
    // Without it, the query's language where its words tell (here "the", "des"), else French.
    EXPECT_EQ(json(get("/api/search", {{"q", "latrines"}}))["lang_pref"], "fr");
    const Json english = json(get("/api/search", {{"q", "water for the schools"}}));
    EXPECT_EQ(english["lang_pref"], "en");
    EXPECT_EQ(english["hits"][0]["id"], "pr-eau");
    EXPECT_EQ(english["hits"][0]["lang"], "en");
    const Json french = json(get("/api/search", {{"q", "eau des écoles"}}));
    EXPECT_EQ(french["lang_pref"], "fr");
    EXPECT_EQ(french["hits"][0]["id"], "pr-eau");
    EXPECT_EQ(french["hits"][0]["lang"], "fr");
}

TEST_F(ApiTest, CollapseNoneGivesOneHitPerLanguageVersion) {
    const auto ids = [](const Json& j) {
        std::multiset<std::string> out;
        for (const auto& h : j["hits"]) out.insert(h["id"].get<std::string>() + "." + h["lang"].get<std::string>());
        return out;
    };
    const auto count = [](const Json& j, const std::string& facet, const std::string& value) {
        for (const auto& v : j["facets"][facet])
            if (v["value"] == value) return v["count"].get<int>();
        return 0;
    };
    const Json documents = json(get("/api/search", {{"q", "forages"}, {"lang_pref", "fr"}}));
    const Json versions = json(get("/api/search", {{"q", "forages"}, {"collapse", "none"}}));
    EXPECT_EQ(ids(documents), (std::multiset<std::string>{"gp-pompes.fr", "pr-eau.fr"}));
    EXPECT_EQ(documents["total"], 2);
    EXPECT_EQ(ids(versions), (std::multiset<std::string>{"gp-pompes.fr", "pr-eau.en", "pr-eau.fr"}));
    EXPECT_EQ(versions["total"], 3);
    EXPECT_EQ(count(documents, "kind", "project"), 1);  // facets count documents...
    EXPECT_EQ(count(versions, "kind", "project"), 2);   // ...or versions
    EXPECT_EQ(count(documents, "lang", "fr"), 2);       // documents with a version in that language
    EXPECT_EQ(count(documents, "lang", "en"), 1);
    for (const auto& h : versions["hits"]) {  // each version still lists them all
        if (h["id"] == "pr-eau") {
            EXPECT_EQ(h["versions"].size(), 2u);
        }
    }
}

TEST_F(ApiTest, MatchAllKeepsOnlyHitsWithEveryWordWhichMostRanksFirst) {
    const Json most = json(get("/api/search", {{"q", "forages latrines"}}));
    const Json all = json(get("/api/search", {{"q", "forages latrines"}, {"match", "all"}}));
    EXPECT_EQ(most["total"], 3);  // pr-eau has both words; ev-eau only latrines, gp-pompes only forages
    EXPECT_EQ(most["total_all_words"], 1);
    EXPECT_EQ(most["total_exact"], true);
    ASSERT_EQ(most["hits"].size(), 3u);
    EXPECT_EQ(most["hits"][0]["id"], "pr-eau");
    EXPECT_EQ(most["hits"][0]["all_words"], true);
    EXPECT_EQ(most["hits"][1]["all_words"], false);
    EXPECT_EQ(most["hits"][2]["all_words"], false);
    EXPECT_EQ(all["total"], 1);
    EXPECT_EQ(all["total_all_words"], 1);
    ASSERT_EQ(all["hits"].size(), 1u);
    EXPECT_EQ(all["hits"][0]["id"], "pr-eau");
    const Json browse = json(get("/api/search", {}));
    EXPECT_EQ(browse["total_all_words"], browse["total"]);
}

TEST_F(ApiTest, AMisspeltWordIsCorrectedAndTheResponseSaysSo) {
    const Json fixed = json(get("/api/search", {{"q", "latrinnes"}}));
    EXPECT_EQ(fixed["corrected"], "latrines");
    EXPECT_GT(fixed["total"].get<int>(), 0);
    EXPECT_EQ(fixed["suggestion"], nullptr);
    const Json typed = json(get("/api/search", {{"q", "latrinnes"}, {"correct", "0"}}));
    EXPECT_EQ(typed["corrected"], nullptr);
    EXPECT_EQ(typed["total"], 0);
    EXPECT_EQ(typed["suggestion"], "latrines");
    EXPECT_EQ(json(get("/api/search", {{"q", "latrines"}}))["corrected"], nullptr);
}

TEST_F(ApiTest, DocumentHasBodyTranslationsAndProjectDocuments) {
    const Response r = get("/api/documents/pr-eau", {{"lang", "fr"}});
    ASSERT_EQ(r.status, 200) << r.body;
    const Json j = json(r);
    EXPECT_EQ(j["title"], "Projet eau des écoles");
    EXPECT_NE(j["body_html"].get<std::string>().find("<p>Latrines"), std::string::npos);
    EXPECT_EQ(j["translations"].size(), 1u);
    EXPECT_EQ(j["indicators"][0]["value"], 10);
    std::set<std::string> related;
    for (const auto& d : j["project_documents"]) related.insert(d["id"]);
    EXPECT_EQ(related, (std::set<std::string>{"ev-eau", "gp-pompes"}));
    ASSERT_NE(r.header("ETag"), nullptr);
    EXPECT_NE(r.header("Cache-Control"), nullptr);
    Request again;
    again.path = "/api/documents/pr-eau";
    again.query = {{"lang", "fr"}};
    again.headers["if-none-match"] = *r.header("ETag");
    std::string route;
    EXPECT_EQ(s_api->handle(again, route).status, 304);
}

TEST_F(ApiTest, RawHtmlInBodiesIsNeverPassedThrough) {
    // (The fixture has none; the renderer is checked on hostile input directly.)
    const Response r = get("/api/documents/gp-pompes", {{"lang", "fr"}});
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(json(r)["body_html"].get<std::string>().find("<script"), std::string::npos);
}

TEST_F(ApiTest, HiddenDocumentsAnswer404AsIfTheyDidNotExist) {
    for (const char* path : {"/api/documents/le-secret", "/api/documents/le-secret/similar"}) {
        const Response pub = get(path, {{"lang", "fr"}});
        const Response missing = get("/api/documents/nothing-here", {{"lang", "fr"}});
        EXPECT_EQ(pub.status, 404) << path;
        EXPECT_EQ(get(path, {{"lang", "fr"}}, "p").status, 404) << path;
        EXPECT_EQ(get(path, {{"lang", "fr"}}, "i").status, 200) << path;
        EXPECT_EQ(json(pub)["error"]["code"], json(missing)["error"]["code"]);
    }
    EXPECT_EQ(get("/api/documents/gp-pompes", {{"lang", "en"}}).status, 404);
    EXPECT_EQ(get("/api/documents/gp-pompes", {{"lang", "en"}}, "p").status, 200);
}

// Canary words of hidden documents never appear, through any route, in any field.
TEST_F(ApiTest, NothingHiddenLeaksThroughAnyRoute) {
    const std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> calls = {
        {"/api/search", {{"q", "forages"}}},         {"/api/search", {{"q", "zanzibarinterne"}}},
        {"/api/search", {{"q", "zanzibarinteme"}}},   {"/api/search", {{"q", ""}}},
        {"/api/search", {{"q", "latrines"}, {"lang", "fr"}}},
        {"/api/search", {{"q", "forages"}, {"lang_pref", "en"}}}, {"/api/search", {{"q", "forages"}, {"collapse", "none"}}},
        {"/api/search", {{"q", "zanzibarinteme"}, {"correct", "0"}}}, {"/api/search", {{"q", "forages pompes"}, {"match", "all"}}},
        {"/api/search", {{"q", ""}, {"collapse", "none"}, {"lang_pref", "en"}}},
        {"/api/documents/pr-eau", {{"lang", "fr"}}},  {"/api/documents/gp-pompes", {{"lang", "fr"}}},
        {"/api/documents/pr-eau/similar", {{"lang", "fr"}}}, {"/api/documents/gp-pompes/similar", {{"lang", "fr"}}},
        {"/api/suggest", {{"q", "zanz"}}},            {"/api/suggest", {{"q", "Note"}}},
        {"/api/projects", {}},                        {"/api/projects/pr-eau", {{"lang", "fr"}}},
        {"/api/vocabularies", {}},                    {"/metrics", {}},  {"/healthz", {}},
    };
    for (const auto& [path, query] : calls) {
        const Response pub = get(path, query);
        EXPECT_EQ(pub.body.find("zanzibar"), std::string::npos) << "public " << path << ": " << pub.body.substr(0, 300);
        EXPECT_EQ(pub.body.find("le-secret"), std::string::npos) << path;
        EXPECT_EQ(pub.body.find("le-part"), std::string::npos) << path;
        const Response partner = get(path, query, "p");
        EXPECT_EQ(partner.body.find("zanzibarinterne"), std::string::npos) << "partners " << path;
        EXPECT_EQ(partner.body.find("le-secret"), std::string::npos) << path;
    }
    // Totals, facets, translations, aggregates and metrics as the public sees them.
    const Json browse = json(get("/api/search", {}));
    EXPECT_EQ(browse["total"], 3);  // pr-eau, ev-eau, gp-pompes: documents
    EXPECT_EQ(json(get("/api/search", {{"collapse", "none"}}))["total"], 4);  // pr-eau in two languages
    for (const auto& c : browse["facets"]["country"]) EXPECT_NE(c["value"], "GN");
    const Json pompes = json(get("/api/search", {{"q", "pompes"}, {"lang", "fr"}}));
    EXPECT_EQ(pompes["hits"][0]["translations"].size(), 0u);  // its English version is partners-only
    EXPECT_EQ(pompes["hits"][0]["versions"], Json::parse(R"([{"lang": "fr", "title": "Pompes solaires à Podor"}])"));
    const Json pompes_p = json(get("/api/search", {{"q", "pompes"}, {"lang", "fr"}}, "p"));
    EXPECT_EQ(pompes_p["hits"][0]["versions"].size(), 2u);  // partners see it
    // Preferring English does not bring out the partners-only English version.
    const Json english = json(get("/api/search", {{"q", "pompes"}, {"lang_pref", "en"}}));
    ASSERT_EQ(english["hits"].size(), 1u);
    EXPECT_EQ(english["hits"][0]["lang"], "fr");
    EXPECT_EQ(json(get("/api/search", {{"q", "pompes"}, {"lang_pref", "en"}}, "p"))["hits"][0]["lang"], "en");
    const Json project = json(get("/api/projects/pr-eau", {{"lang", "fr"}}));
    EXPECT_EQ(project["indicators"][0]["value"], 10);  // the internal note's 99 is not added
    EXPECT_EQ(json(get("/api/projects/pr-eau", {{"lang", "fr"}}, "i"))["indicators"][0]["value"], 109);
    EXPECT_EQ(get("/metrics", {}).body.find("visibility=\"internal\""), std::string::npos);
    EXPECT_NE(get("/metrics", {}, "i").body.find("visibility=\"internal\"} 1"), std::string::npos);
    // The roles that may see them do find them.
    EXPECT_EQ(json(get("/api/search", {{"q", "zanzibarinterne"}}, "i"))["total"], 1);
    EXPECT_EQ(json(get("/api/search", {{"q", "zanzibarpartner"}}, "p"))["total"], 2);
}

TEST_F(ApiTest, SuggestCompletesFromVisibleWordsAndTitles) {
    const Json j = json(get("/api/suggest", {{"q", "pomp"}}));
    EXPECT_FALSE(j["suggestions"].empty());
    EXPECT_LE(j["suggestions"].size(), 10u);
    EXPECT_EQ(json(get("/api/suggest", {{"q", "zanz"}}))["suggestions"].size(), 0u);
    EXPECT_FALSE(json(get("/api/suggest", {{"q", "zanz"}}, "i"))["suggestions"].empty());
}

TEST_F(ApiTest, ProjectsAddUpIndicatorsWithoutCountingTheSameFigureTwice) {
    const Json j = json(get("/api/projects", {}));
    ASSERT_EQ(j["projects"].size(), 1u);
    const Json& p = j["projects"][0];
    EXPECT_EQ(p["id"], "pr-eau");
    EXPECT_EQ(p["lang"], "fr");  // Accept-Language: fr
    EXPECT_EQ(p["indicators"][0]["value"], 10);  // the record and its evaluation quote the same 10
    EXPECT_EQ(p["indicators"][0]["sources"].size(), 2u);
    EXPECT_EQ(get("/api/projects/nope", {}).status, 404);
}

TEST_F(ApiTest, AttachmentsAreListedWithTheirAddressAndAHitInAPdfSaysWhere) {
    const Json doc = json(get("/api/documents/pr-eau", {{"lang", "fr"}}));
    ASSERT_EQ(doc["attachments"].size(), 2u);
    EXPECT_EQ(doc["attachments"][0]["file"], "rapport.pdf");
    EXPECT_EQ(doc["attachments"][0]["type"], "application/pdf");
    EXPECT_EQ(doc["attachments"][0]["pages"], 2);
    EXPECT_EQ(doc["attachments"][0]["url"], "/api/documents/pr-eau/files/rapport.pdf?lang=fr");
    EXPECT_FALSE(doc["attachments"][0].contains("hash"));
    EXPECT_EQ(doc["attachments"][1]["alt"], "Le puits de l'école");
    EXPECT_EQ(doc["attachments"][1]["credit"], "Photo Le Partenariat");
    const Json hits = json(get("/api/search", {{"q", "margelle"}, {"lang", "fr"}}))["hits"];
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0]["in_attachment"], Json({{"file", "rapport.pdf"}, {"page", 2}, {"url", "/api/documents/pr-eau/files/rapport.pdf?lang=fr"}}));
    EXPECT_FALSE(json(get("/api/search", {{"q", "latrines"}}))["hits"][0].contains("in_attachment"));
    // Under the document's visibility: the partners' PDF for partners only.
    EXPECT_EQ(get("/api/documents/le-part/files/part.pdf", {}).status, 404);
    EXPECT_EQ(get("/api/documents/le-part/files/part.pdf", {}, "p").status, 200);
    EXPECT_EQ(get("/api/documents/le-secret/files/secret.pdf", {}, "p").status, 404);
    EXPECT_EQ(get("/api/documents/le-secret/files/secret.pdf", {}, "i").status, 200);
}

// Every path of the OpenAPI description is served (and the description is the served one).
const std::string k_guide_body =
    R"({"title": {"fr": "Guide des leçons", "en": "Lessons guide"}, "introduction": {"fr": "Intro.", "en": "Intro."},)"
    R"( "selection": {"kinds": ["lesson"]}})";

TEST_F(ApiTest, EveryDocumentedPathIsServed) {
    const Json doc = json(get("/openapi.json", {}));
    std::size_t checked = 0;
    for (const auto& [path, item] : doc["paths"].items()) {
        for (const auto& [method, operation] : item.items()) {
            std::string concrete = path;
            if (const auto at = concrete.find("{id}"); at != std::string::npos) concrete.replace(at, 4, "pr-eau");
            if (const auto at = concrete.find("{file}"); at != std::string::npos) concrete.replace(at, 6, path.rfind("/api/", 0) == 0 ? "rapport.pdf" : "eau-ecoles.pdf");
            Request r;
            r.path = concrete;
            r.method = method == "post" ? "POST" : "GET";
            if (r.method == "POST") {
                r.body = k_guide_body;
                r.headers["authorization"] = "Bearer tok-p";
            }
            std::string route;
            const Response res = s_api->handle(r, route).resolved();
            EXPECT_NE(route, "unmatched") << path;
            EXPECT_EQ(res.status, 200) << method << " " << path << " " << res.body.substr(0, 200);
            ++checked;
        }
    }
    EXPECT_EQ(checked, 13u);
}

TEST_F(ApiTest, GuidesArePdfsOfWhatTheCallerMaySee) {
    const Response named = get("/guides/eau-ecoles.pdf", {{"date", "2026-11-22"}, {"layout", "sequential"}});
    ASSERT_EQ(named.status, 200) << named.body.substr(0, 300);
    EXPECT_EQ(named.body.rfind("%PDF-", 0), 0u);
    EXPECT_EQ(*named.header("Content-Type"), "application/pdf");
    EXPECT_EQ(get("/guides/eau-ecoles.pdf", {{"date", "2026-11-22"}, {"layout", "sequential"}}).body, named.body);  // same bytes
    EXPECT_EQ(get("/guides/nothing.pdf", {}).status, 404);
    EXPECT_EQ(get("/guides/..%2Fsecret.pdf", {}).status, 404);
    EXPECT_EQ(get("/guides/eau-ecoles.pdf", {{"layout", "diagonal"}}).status, 400);

    Request post;
    post.method = "POST";
    post.path = "/api/guides";
    post.body = k_guide_body;
    std::string route;
    post.headers["authorization"] = "Bearer tok-p";
    const Response partner = s_api->handle(post, route).resolved();
    ASSERT_EQ(partner.status, 200) << partner.body.substr(0, 300);
    post.headers["authorization"] = "Bearer tok-i";
    const Response staff = s_api->handle(post, route).resolved();
    ASSERT_EQ(staff.status, 200);
    test::TempDir dir;
    const auto text_of = [&](const std::string& pdf) {
        const auto path = dir.write("g.pdf", pdf);
        return test::run_command("pdftotext '" + path.string() + "' - 2>/dev/null").out;
    };
    EXPECT_EQ(text_of(partner.body).find("zanzibarinterne"), std::string::npos);  // one lesson is internal
    EXPECT_NE(text_of(partner.body).find("zanzibarpartner"), std::string::npos);
    EXPECT_NE(text_of(staff.body).find("zanzibarinterne"), std::string::npos);

    post.body = R"({"title": {"fr": "T", "en": "T"}, "introduction": {"fr": "I", "en": "I"}, "selection": {"kinds": ["lessons"]}})";
    const Response bad = s_api->handle(post, route).resolved();
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(json(bad)["error"]["message"].get<std::string>().find("request body:1:"), std::string::npos) << bad.body;
    EXPECT_NE(json(bad)["error"]["message"].get<std::string>().find("did you mean 'lesson'"), std::string::npos) << bad.body;
}

// A guide is built off the request thread (a deferred response), once per generation, role and
// options: the same request again is answered at once from the cache, with the same bytes.
TEST_F(ApiTest, GuidesAreBuiltOnceThenServedFromTheCache) {
    const std::vector<std::pair<std::string, std::string>> query = {{"date", "2026-01-05"}};
    std::string route;
    Request r;
    r.path = "/guides/eau-ecoles.pdf";
    r.query = query;
    const std::uint64_t built = guides(Metrics::Guide::built), cached = guides(Metrics::Guide::cached);
    Response first = s_api->handle(r, route);
    ASSERT_TRUE(first.deferred) << "built on the request thread";
    EXPECT_EQ(route, "/guides/{file}");
    EXPECT_EQ(guides(Metrics::Guide::built), built);  // nothing built until a worker runs it
    first = std::move(first).resolved();
    ASSERT_EQ(first.status, 200) << first.body.substr(0, 300);
    EXPECT_EQ(guides(Metrics::Guide::built), built + 1);
    EXPECT_NE(first.header("X-Content-Type-Options"), nullptr);  // the headers of every response
    const Response again = s_api->handle(r, route);
    EXPECT_FALSE(again.deferred);
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.body, first.body);
    EXPECT_NE(again.header("X-Content-Type-Options"), nullptr);
    EXPECT_EQ(guides(Metrics::Guide::built), built + 1);
    EXPECT_EQ(guides(Metrics::Guide::cached), cached + 1);
    // Another role, layout or date is another guide.
    EXPECT_TRUE(get("/guides/eau-ecoles.pdf", query, "p").status == 200);
    EXPECT_TRUE(get("/guides/eau-ecoles.pdf", {{"date", "2026-01-05"}, {"layout", "sequential"}}).status == 200);
    EXPECT_TRUE(get("/guides/eau-ecoles.pdf", {{"date", "2026-01-06"}}).status == 200);
    EXPECT_EQ(guides(Metrics::Guide::built), built + 4);
    EXPECT_NE(get("/metrics", {}).body.find("passerelle_guides_total{outcome=\"built\"}"), std::string::npos);
}

TEST_F(ApiTest, GuidesFromARequestNeedATokenAndASmallBody) {
    Request post;
    post.method = "POST";
    post.path = "/api/guides";
    post.body = k_guide_body;
    std::string route;
    const Response anonymous = s_api->handle(post, route);
    EXPECT_FALSE(anonymous.deferred);
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(json(anonymous)["error"]["code"], "unauthorized");
    EXPECT_EQ(*anonymous.header("Content-Type"), "application/json; charset=utf-8");
    post.headers["authorization"] = "Bearer tok-p";
    post.body = k_guide_body + std::string(64 * 1024, ' ');
    const Response large = s_api->handle(post, route);
    EXPECT_FALSE(large.deferred);
    EXPECT_EQ(large.status, 413);
    EXPECT_EQ(json(large)["error"]["code"], "too_large");
    post.body = "{not json";
    EXPECT_EQ(s_api->handle(post, route).status, 400);  // checked before any worker is asked
}

TEST_F(ApiTest, BusyBuildersAnswer503WithRetryAfter) {
    Request r;
    r.path = "/guides/eau-ecoles.pdf";
    const std::uint64_t refused = guides(Metrics::Guide::refused);
    const Response busy = s_api->overloaded(r);
    EXPECT_EQ(busy.status, 503);
    EXPECT_EQ(*busy.header("Retry-After"), "5");
    EXPECT_EQ(json(busy)["error"]["code"], "busy");
    EXPECT_NE(busy.header("X-Content-Type-Options"), nullptr);
    EXPECT_EQ(guides(Metrics::Guide::refused), refused + 1);
}

TEST_F(ApiTest, ServiceRoutesAndErrors) {
    EXPECT_EQ(json(get("/healthz", {}))["status"], "ok");
    EXPECT_NE(get("/metrics", {}).body.find("passerelle_requests_total"), std::string::npos);
    EXPECT_EQ(json(get("/openapi.json", {}))["openapi"], "3.0.3");
    EXPECT_EQ(json(get("/api/vocabularies", {}))["themes"][0]["id"], "water");
    EXPECT_EQ(get("/api/nowhere", {}).status, 404);
    EXPECT_EQ(get("/api/search", {}, "", "POST").status, 405);
    EXPECT_EQ(get("/api/search", {}, "bad").status, 401);
    EXPECT_EQ(json(get("/api/search", {}, "bad"))["error"]["parameter"], "Authorization");
    const Response pre = get("/api/search", {}, "", "OPTIONS");
    EXPECT_EQ(pre.status, 204);
    EXPECT_NE(pre.header("Access-Control-Allow-Methods"), nullptr);
    Request big;
    big.method = "GET";
    big.path = "/api/search";
    big.body.assign(s_env->config.max_request_bytes + 1, 'x');
    std::string route;
    EXPECT_EQ(s_api->handle(big, route).status, 413);
    const Response bad_query = get("/api/search", {{"q", "\"unclosed AND ( OR"}});
    if (bad_query.status != 200) {
        EXPECT_EQ(bad_query.status, 400);
        EXPECT_EQ(json(bad_query)["error"]["parameter"], "q");
    }
}

}  // namespace
}  // namespace passerelle::http
