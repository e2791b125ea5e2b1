// The HTML pages, exports, feed and citations on plain requests (no sockets) over a real index
// with hostile titles and bodies, and partners-only and internal documents carrying canary
// words: escaping, security headers, language handling, page weight and access control.
#include "server/pages.h"

#include <gtest/gtest.h>

#include <map>

#include <nlohmann/json.hpp>
#include <regex>

#include "server/gzip.h"
#include "core/locale_format.h"
#include "support/canary_api.h"
#include "support/command.h"
#include "support/temp_dir.h"

namespace passerelle::http {
namespace {

using test::note;
using Query = std::vector<std::pair<std::string, std::string>>;

class PagesTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_env = new test::CanaryApi([](test::FixtureIndex& f) {
            f.add("p/rp-hostile.fr.md",
                  note("rp-hostile", "fr", "report", "=cmd|' /C calc'!A0 <script>alert(1)</script> & \\\"q\\\" 'x'",
                       "Forages <script>alert(2)</script> <img src=x onerror=alert(3)>\n\n[lien](javascript:alert(4)) "
                       "<a href=\"javascript:alert(5)\">a</a>",
                       "visibility: public\ndate: 2019\ncountries: [SN]\nauthors: [\"<b>Auteur</b>\"]\n"));
            // Cited by universities: an organisation and a person as authors, a full date; and
            // a document that has no date at all.
            f.add("p/rp-cite.fr.md", note("rp-cite", "fr", "report", "Rapport de capitalisation des jardins maraîchers",
                                          "Texte du rapport.",
                                          "visibility: public\ndate: 2019-05-14\npublisher: Le Partenariat\n"
                                          "summary: Ce que les jardins scolaires ont appris.\n"
                                          "authors: [Le Partenariat, \"Diop, Awa\", {name: Comité de gestion de Ndiaye, type: organisation}]\n"));
            // Followed over the years, against a target.
            f.add("p/rp-suivi.fr.md", note("rp-suivi", "fr", "report", "Suivi des jardins", "Texte.",
                                           "visibility: public\ndate: 2022\nplaces: [Podor]\ncountries: [SN]\nindicators:\n"
                                           "  - {name: Jardins, value: 4, unit: jardin, year: 2020}\n"
                                           "  - {name: Jardins, value: 9, unit: jardin, year: 2022, target: 12}\n"
                                           "  - {name: Surface, value: 2.5, unit: ha, year: 2022}\n"));
            f.add("p/gd-sans-date.fr.md", note("gd-sans-date", "fr", "guide", "Guide sans date", "Texte.",
                                               "visibility: public\nauthors: [Le Partenariat]\n"));
        });
        ASSERT_EQ(s_env->index.report.errors, 0u) << s_env->index.messages.at(0);
        s_api = s_env->api.get();
    }
    static void TearDownTestSuite() { delete s_env; }

    static Response get(const std::string& path, Query query = {}, const std::string& token = "",
                        const std::string& accept_language = "") {
        Request r;
        r.path = path;
        r.query = std::move(query);
        r.headers["host"] = "archive.example.org";
        if (!token.empty()) r.headers["authorization"] = "Bearer tok-" + token;
        if (!accept_language.empty()) r.headers["accept-language"] = accept_language;
        std::string route;
        return s_api->handle(r, route);
    }
    static std::string header(const Response& r, const std::string& name) {
        const std::string* h = r.header(name);
        return h ? *h : "";
    }

    static test::CanaryApi* s_env;
    static Api* s_api;
};

test::CanaryApi* PagesTest::s_env = nullptr;
Api* PagesTest::s_api = nullptr;

const std::vector<std::pair<std::string, Query>>& every_page() {
    static const std::vector<std::pair<std::string, Query>> pages = {
        {"/fr/", {}},
        {"/en/", {}},
        {"/fr/search", {{"q", "forages"}}},
        {"/en/search", {{"q", "boreholes"}, {"country", "SN"}}},
        {"/fr/search", {}},
        {"/fr/documents/pr-eau", {{"lang", "fr"}}},
        {"/en/documents/pr-eau", {{"lang", "en"}}},
        {"/fr/documents/rp-hostile", {{"lang", "fr"}}},
        {"/fr/projects/pr-eau", {}},
        {"/fr/browse", {}},
    };
    return pages;
}

// pr-eau carries a PDF (its page 2 alone has "margelle") and a photo (tests/support/canary_api.h).
TEST_F(PagesTest, ADocumentShowsItsPhotosWithTheirCreditAndListsItsPdfsToDownload) {
    const Response page = get("/fr/documents/pr-eau", {{"lang", "fr"}});
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("<img src=\"/fr/documents/pr-eau/files/puits.png?lang=fr\" alt=\"Le puits de l&#39;école\""), std::string::npos)
        << page.body;
    EXPECT_NE(page.body.find("<figcaption>Crédit\u00a0: <span lang=\"fr\">Photo Le Partenariat</span></figcaption>"), std::string::npos);
    EXPECT_NE(page.body.find("<a href=\"/fr/documents/pr-eau/files/rapport.pdf?lang=fr\" download>Rapport final</a> <span class=\"n\">PDF, 2 p."),
              std::string::npos);
    const Response pdf = get("/fr/documents/pr-eau/files/rapport.pdf", {{"lang", "fr"}});
    ASSERT_EQ(pdf.status, 200);
    EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
    EXPECT_EQ(header(pdf, "Content-Type"), "application/pdf");
    EXPECT_EQ(header(pdf, "Content-Disposition"), "attachment; filename=\"rapport.pdf\"");
    const Response image = get("/fr/documents/pr-eau/files/puits.png", {{"lang", "fr"}});
    EXPECT_EQ(header(image, "Content-Type"), "image/png");
    EXPECT_EQ(header(image, "Content-Disposition"), "attachment; filename=\"puits.png\"");  // never inline
    EXPECT_EQ(get("/fr/documents/pr-eau/files/nope.pdf", {{"lang", "fr"}}).status, 404);
    // The page without attachments has no such section.
    EXPECT_EQ(get("/fr/documents/gp-pompes", {{"lang", "fr"}}).body.find("att-h"), std::string::npos);
}

TEST_F(PagesTest, AHitFoundInAnAttachedPdfSaysWhichPage) {
    const Response fr = get("/fr/search", {{"q", "margelle"}});
    EXPECT_NE(fr.body.find(">Dans le PDF joint, p. 2</a> <span class=\"n\">(rapport.pdf)</span>"), std::string::npos) << fr.body;
    EXPECT_NE(fr.body.find("<mark>margelle</mark>"), std::string::npos);
    const Response en = get("/en/search", {{"q", "margelle"}, {"lang", "fr"}});  // the French version, which has the PDF
    EXPECT_NE(en.body.find(">In the attached PDF, p. 2</a>"), std::string::npos);
    // Words of the note itself: no such line.
    EXPECT_EQ(get("/fr/search", {{"q", "forages"}}).body.find("in-att"), std::string::npos);
}

TEST_F(PagesTest, RootRedirectsByAcceptLanguage) {
    EXPECT_EQ(header(get("/", {}, "", "en-GB,en;q=0.9"), "Location"), "/en/");
    EXPECT_EQ(header(get("/", {}, "", "fr-FR"), "Location"), "/fr/");
    EXPECT_EQ(header(get("/", {}, "", "de-DE, en;q=0.5"), "Location"), "/en/");
    EXPECT_EQ(header(get("/", {}, "", "fr;q=0.4, en;q=0.8"), "Location"), "/en/");
    EXPECT_EQ(header(get("/", {}, "", ""), "Location"), "/fr/");
    EXPECT_EQ(get("/").status, 303);
    EXPECT_EQ(header(get("/"), "Vary"), "Accept-Language");
}

TEST_F(PagesTest, EveryPageHasItsLanguageSecurityHeadersAndASwitchLink) {
    for (const auto& [path, query] : every_page()) {
        const Response r = get(path, query);
        ASSERT_EQ(r.status, 200) << path << ": " << r.body.substr(0, 400);
        const std::string lang = path.substr(1, 2);
        EXPECT_EQ(header(r, "Content-Type"), "text/html; charset=utf-8");
        EXPECT_NE(r.body.find("<html lang=\"" + lang + "\">"), std::string::npos) << path;
        const std::string csp = header(r, "Content-Security-Policy");
        EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
        EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
        EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
        EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff");
        EXPECT_EQ(header(r, "Referrer-Policy"), "same-origin");
        const std::string other = lang == "fr" ? "en" : "fr";
        EXPECT_NE(r.body.find("hreflang=\"" + other + "\" lang=\"" + other + "\""), std::string::npos) << path;
        EXPECT_EQ(r.body.find("style="), std::string::npos) << path;  // no inline style: the CSP forbids it
        EXPECT_EQ(r.body.find("<script>"), std::string::npos) << path;  // no inline script either
        // Headings in order: no level skipped going down.
        int previous = 0;
        static const std::regex heading("<h([1-6])");
        for (std::sregex_iterator it(r.body.begin(), r.body.end(), heading), end; it != end; ++it) {
            const int level = (*it)[1].str()[0] - '0';
            EXPECT_LE(level, previous + 1) << path << " jumps to h" << level;
            previous = level;
        }
    }
    const Response sw = get("/fr/search", {{"q", "forages"}, {"country", "SN"}});
    EXPECT_NE(sw.body.find("href=\"/en/search?q=forages&amp;country=SN\""), std::string::npos);
    // The alternate's address is absolute, as hreflang wants.
    EXPECT_NE(sw.body.find("<link rel=\"alternate\" hreflang=\"en\" href=\"http://archive.example.org/en/search?q=forages&amp;country=SN\">"),
              std::string::npos);
}

TEST_F(PagesTest, HostileTitlesBodiesQueriesAndFiltersAreEscaped) {
    const std::vector<std::pair<std::string, Query>> hostile = {
        {"/fr/search", {{"q", "forages"}}},
        {"/fr/search", {{"q", "\"><script>alert(6)</script>"}}},
        {"/fr/search", {{"q", "forages"}, {"country", "<svg onload=alert(7)>"}, {"theme", "\" onmouseover=\"alert(8)"}}},
        {"/fr/documents/rp-hostile", {{"lang", "fr"}}},
        {"/fr/documents/<script>alert(9)<", {}},
        {"/fr/search.atom", {{"q", "forages"}}},
    };
    for (const auto& [path, query] : hostile) {
        const Response r = get(path, query);
        static const std::regex script_link("<a[^>]*href=\"\\s*javascript:");
        EXPECT_FALSE(std::regex_search(r.body, script_link)) << path;
        for (const char* bad : {"<script>alert", "<svg", "onerror=", "onload=", "<img src=x", "\" onmouseover", "<b>Auteur"}) {
            const auto at = r.body.find(bad);
            EXPECT_EQ(at, std::string::npos) << path << " shows " << bad << " in: "
                                             << r.body.substr(at < 80 ? 0 : at - 80, 200);
        }
    }
    const Response doc = get("/fr/documents/rp-hostile", {{"lang", "fr"}});
    EXPECT_NE(doc.body.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;x&#39;"), std::string::npos);
    EXPECT_NE(doc.body.find("&lt;b&gt;Auteur&lt;/b&gt;"), std::string::npos);
    const Response query = get("/fr/search", {{"q", "\"><script>alert(6)</script>"}});
    EXPECT_NE(query.body.find("value=\"&quot;&gt;&lt;script&gt;alert(6)&lt;/script&gt;\""), std::string::npos);
    // A filter value goes into links percent-encoded.
    const Response filtered = get("/fr/search", {{"q", "forages"}, {"country", "<svg onload=alert(7)>"}});
    EXPECT_NE(filtered.body.find("country=%3Csvg%20onload%3Dalert%287%29%3E"), std::string::npos);
    // A spreadsheet never sees a formula.
    const std::string csv = get("/fr/search.csv", {{"q", "forages"}}).body;
    EXPECT_NE(csv.find("\"'=cmd|' /C calc'!A0 <script>alert(1)</script> & \"\"q\"\" 'x'\""), std::string::npos) << csv;
}

TEST_F(PagesTest, NothingHiddenShowsOnAnyPageExportFeedOrCitation) {
    std::vector<std::pair<std::string, Query>> routes = every_page();
    for (const char* fmt : {"csv", "json", "bib", "ris", "atom"}) {
        routes.push_back({std::string("/fr/search.") + fmt, {{"q", "forages"}}});
        routes.push_back({std::string("/fr/search.") + fmt, {}});
    }
    for (const char* fmt : {"bib", "ris", "json"}) routes.push_back({std::string("/fr/documents/pr-eau/cite.") + fmt, {{"lang", "fr"}}});
    routes.push_back({"/fr/search", {{"q", "zanzibarinterne"}}});
    routes.push_back({"/fr/search", {{"q", "zanzibarinteme"}}});
    routes.push_back({"/en/documents/gp-pompes", {{"lang", "fr"}}});
    routes.push_back({"/fr/projects/pr-eau", {{"lang", "fr"}}});
    for (const auto& [path, query] : routes) {
        const Response pub = get(path, query);
        const bool asks_for_it = !query.empty() && query[0].second.find("zanzib") != std::string::npos;  // echoed back
        for (const char* canary : {"Note zanzibarinterne", "zanzibarinterne à Labé", "Leçon zanzibarpartner", "Podor zanzibarpartner"})
            EXPECT_EQ(pub.body.find(canary), std::string::npos) << "public " << path << ": " << canary;
        if (!asks_for_it) {
            EXPECT_EQ(pub.body.find("zanzibar"), std::string::npos) << "public " << path << ": " << pub.body.substr(0, 300);
        }
        EXPECT_EQ(pub.body.find("le-secret"), std::string::npos) << path;
        EXPECT_EQ(pub.body.find("le-part"), std::string::npos) << path;
        const Response partner = get(path, query, "p");
        if (!asks_for_it) {
            EXPECT_EQ(partner.body.find("zanzibarinterne"), std::string::npos) << "partners " << path;
        }
        EXPECT_EQ(partner.body.find("Note zanzibarinterne"), std::string::npos) << "partners " << path;
        EXPECT_EQ(partner.body.find("le-secret"), std::string::npos) << path;
    }
    // No suggestion points at a word only hidden documents hold.
    EXPECT_EQ(get("/fr/search", {{"q", "zanzibarinteme"}}).body.find("Essayez plutôt"), std::string::npos);
    // Hidden documents answer 404 like missing ones, on pages and citations.
    EXPECT_EQ(get("/fr/documents/le-secret", {{"lang", "fr"}}).status, 404);
    EXPECT_EQ(get("/fr/documents/le-secret/cite.bib", {{"lang", "fr"}}).status, 404);
    EXPECT_EQ(get("/fr/documents/gp-pompes", {{"lang", "en"}}).status, 404);
    // The project's indicators add up what the caller may see only.
    EXPECT_NE(get("/fr/projects/pr-eau").body.find("<td class=\"num\">10\u00a0écoles</td>"), std::string::npos);
    EXPECT_NE(get("/fr/projects/pr-eau", {}, "i").body.find("<td class=\"num\">109\u00a0écoles</td>"), std::string::npos);
    // The roles that may see them do.
    EXPECT_NE(get("/fr/search", {{"q", "zanzibarinterne"}}, "i").body.find("Note zanzibarinterne"), std::string::npos);
    EXPECT_NE(get("/fr/search.csv", {{"q", "zanzibarpartner"}}, "p").body.find("le-part"), std::string::npos);
}

TEST_F(PagesTest, ResultsPageWeighsUnderFiftyKilobytesWithItsCssAndScript) {
    std::size_t wire = gzip(get("/fr/search", {{"q", ""}, {"per_page", "100"}}).body).size();
    wire += gzip(get("/static/site.css").body).size() + gzip(get("/static/suggest.js").body).size();
    EXPECT_LT(wire, 50u * 1024u);
    std::printf("results page with CSS and script, gzip: %zu bytes\n", wire);
}

TEST_F(PagesTest, SearchPageOffersFacetsFiltersSortPagesSuggestionAndExports) {
    const std::string page = get("/fr/search", {{"q", "forages"}, {"per_page", "1"}}).body;
    // One hit per document: pr-eau (French and English), gp-pompes, rp-hostile; all with the one word.
    EXPECT_NE(page.find("<p class=\"count\" role=\"status\">3 résultats</p>"), std::string::npos) << page.substr(0, 2000);
    EXPECT_NE(page.find("rel=\"next\""), std::string::npos);
    EXPECT_NE(page.find("href=\"/fr/search?q=forages&amp;per_page=1&amp;page=2\""), std::string::npos);
    EXPECT_NE(page.find("href=\"/fr/search?q=forages&amp;country=SN\""), std::string::npos);  // a facet value adds its filter
    EXPECT_NE(page.find("Sénégal</a> <span class=\"n\">"), std::string::npos);
    EXPECT_NE(page.find("href=\"/fr/search?q=forages&amp;per_page=1&amp;sort=date\""), std::string::npos);
    // Every document is among the hits, in French where it can: no note sends to another language.
    EXPECT_EQ(page.find("Des résultats existent aussi dans une autre langue"), std::string::npos);
    const std::string versions = get("/fr/search", {{"q", "forages"}, {"collapse", "none"}}).body;
    EXPECT_NE(versions.find("Des résultats existent aussi dans une autre langue"), std::string::npos);  // English versions
    for (const char* fmt : {"csv", "json", "bib", "ris", "atom"})
        EXPECT_NE(page.find(std::string("href=\"/fr/search.") + fmt + "?q=forages\" download"), std::string::npos) << fmt;
    EXPECT_NE(page.find("type=\"application/atom+xml\""), std::string::npos);

    const std::string filtered = get("/fr/search", {{"q", "forages"}, {"kind", "project"}}).body;
    EXPECT_NE(filtered.find("Filtres actifs"), std::string::npos);
    // Removing the filter leads back to the plain search.
    EXPECT_NE(filtered.find("<li><a href=\"/fr/search?q=forages\">Par type de document\u00a0: Fiche projet"), std::string::npos)
        << filtered;

    // A word that matches nothing is corrected at once; the words as typed are one click away.
    const std::string typo = get("/fr/search", {{"q", "latrinnes"}}).body;
    EXPECT_NE(typo.find("<p class=\"dym\">Résultats pour <strong>latrines</strong>\u00a0; rechercher plutôt "
                        "<a href=\"/fr/search?q=latrinnes&amp;correct=0\">latrinnes</a></p>"),
              std::string::npos) << typo;
    EXPECT_EQ(typo.find("Essayez plutôt"), std::string::npos);
    EXPECT_NE(typo.find("<h2 class=\"hit\"><a href=\"/fr/documents/pr-eau?lang=fr\">"), std::string::npos);
    EXPECT_NE(typo.find("<h1>Résultats pour «\u00a0latrines\u00a0»</h1>"), std::string::npos);  // what the results are for
    EXPECT_NE(typo.find("value=\"latrines\""), std::string::npos);                     // and the box holds it
    const std::string as_typed = get("/fr/search", {{"q", "latrinnes"}, {"correct", "0"}}).body;
    EXPECT_NE(as_typed.find("<p class=\"count\" role=\"status\">0 résultat</p>"), std::string::npos);
    EXPECT_EQ(as_typed.find("rechercher plutôt"), std::string::npos);
    EXPECT_NE(as_typed.find("Essayez plutôt <a href=\"/fr/search?q=latrines\">latrines</a>"), std::string::npos) << as_typed;
    const std::string english = get("/en/search", {{"q", "latrinnes"}}).body;
    EXPECT_NE(english.find("<p class=\"dym\">Showing results for <strong>latrines</strong>; search instead for "
                           "<a href=\"/en/search?q=latrinnes&amp;correct=0\">latrinnes</a></p>"),
              std::string::npos);
}

TEST_F(PagesTest, SearchPageSaysHowManyHitsHaveEveryWord) {
    // pr-eau holds both words; ev-eau only latrines; gp-pompes and rp-hostile only forages.
    const std::string fr = get("/fr/search", {{"q", "forages latrines"}}).body;
    EXPECT_NE(fr.find("<p class=\"count\" role=\"status\">4 résultats, dont 1 contient tous les mots</p>"), std::string::npos)
        << fr.substr(0, 2000);
    const std::string en = get("/en/search", {{"q", "forages latrines"}}).body;
    EXPECT_NE(en.find("<p class=\"count\" role=\"status\">4 results, 1 with every word</p>"), std::string::npos);
    // The documents with every word come first.
    EXPECT_LT(fr.find("/fr/documents/pr-eau?"), fr.find("/fr/documents/ev-eau?"));
    // Nothing more when every hit has every word, nor when browsing.
    EXPECT_NE(get("/en/search", {{"q", "forages"}, {"kind", "project"}}).body.find("role=\"status\">1 result</p>"), std::string::npos);
    EXPECT_NE(get("/fr/search", {{"q", "forages latrines"}, {"match", "all"}}).body.find("role=\"status\">1 résultat</p>"),
              std::string::npos);
    EXPECT_NE(get("/fr/search", {{"kind", "project"}}).body.find("role=\"status\">1 résultat</p>"), std::string::npos);
}

TEST_F(PagesTest, AHitShowsTheInterfaceLanguageVersionAndLinksToTheOthers) {
    const std::string fr = get("/fr/search", {{"q", "latrines"}, {"kind", "project"}}).body;
    EXPECT_NE(fr.find("<h2 class=\"hit\"><a href=\"/fr/documents/pr-eau?lang=fr\">Projet eau des écoles</a></h2>"), std::string::npos)
        << fr;
    EXPECT_NE(fr.find("<p class=\"tr\" lang=\"fr\">Autres langues\u00a0: <a href=\"/fr/documents/pr-eau?lang=en\" hreflang=\"en\">"
                      "anglais</a> (<span lang=\"en\">School water project</span>)"),
              std::string::npos);
    const std::string en = get("/en/search", {{"q", "latrines"}, {"kind", "project"}}).body;
    EXPECT_NE(en.find("<li lang=\"en\">"), std::string::npos);
    EXPECT_NE(en.find("<h2 class=\"hit\"><a href=\"/en/documents/pr-eau?lang=en\">School water project</a></h2>"), std::string::npos)
        << en;
    EXPECT_NE(en.find("hreflang=\"fr\">French</a> (<span lang=\"fr\">Projet eau des écoles</span>)"), std::string::npos);
    // An address may ask for another language, or for every version.
    EXPECT_NE(get("/en/search", {{"q", "latrines"}, {"kind", "project"}, {"lang_pref", "fr"}}).body.find("<li lang=\"fr\">"),
              std::string::npos);
    const std::string versions = get("/fr/search", {{"q", "latrines"}, {"kind", "project"}, {"collapse", "none"}}).body;
    EXPECT_NE(versions.find("role=\"status\">2 résultats</p>"), std::string::npos);
    // The public never sees a version it may not: gp-pompes's English one is for partners.
    const std::string pompes = get("/en/search", {{"q", "pompes"}}).body;
    EXPECT_NE(pompes.find("<h2 class=\"hit\"><a href=\"/en/documents/gp-pompes?lang=fr\">"), std::string::npos);
    EXPECT_EQ(pompes.find("gp-pompes?lang=en"), std::string::npos);
    EXPECT_NE(get("/en/search", {{"q", "pompes"}}, "p").body.find("<a href=\"/en/documents/gp-pompes?lang=en\">"), std::string::npos);
}

TEST_F(PagesTest, DocumentPageShowsEverythingAboutADocument) {
    const std::string page = get("/fr/documents/pr-eau", {{"lang", "fr"}}).body;
    EXPECT_NE(page.find("<article lang=\"fr\">"), std::string::npos);
    EXPECT_NE(page.find("<h1>Projet eau des écoles</h1>"), std::string::npos);
    EXPECT_NE(page.find("<h2>Contexte</h2>"), std::string::npos);  // the body's own headings sit under the title
    EXPECT_NE(page.find("<caption lang=\"fr\">Indicateurs</caption>"), std::string::npos);
    EXPECT_NE(page.find("<th scope=\"row\">Écoles</th><td class=\"num\">10\u00a0écoles</td><td>2020</td>"), std::string::npos) << page;
    EXPECT_NE(page.find("<figure><figcaption>Écoles</figcaption><svg class=\"chart\""), std::string::npos);  // and drawn
    EXPECT_NE(page.find("href=\"/fr/documents/pr-eau?lang=en\" hreflang=\"en\">anglais</a>"), std::string::npos);
    EXPECT_NE(page.find("href=\"/fr/documents/ev-eau?lang=fr\""), std::string::npos);  // same project
    EXPECT_NE(page.find("Documents semblables"), std::string::npos);
    EXPECT_NE(page.find("http://archive.example.org/fr/documents/pr-eau?lang=fr"), std::string::npos);  // stable URL
    for (const char* fmt : {"bib", "ris", "json"})
        EXPECT_NE(page.find(std::string("/fr/documents/pr-eau/cite.") + fmt + "?lang=fr\" download"), std::string::npos);

    const std::string english = get("/en/documents/pr-eau", {{"lang", "fr"}}).body;
    EXPECT_NE(english.find("<dl class=\"meta\" lang=\"en\">"), std::string::npos);  // labels in the interface language
    EXPECT_NE(english.find("<dt>Countries</dt><dd><a href=\"/en/search?country=SN\">Senegal</a>"), std::string::npos);
}

// Indicators are drawn: one chart per indicator, its years in order after the latest target;
// the table says the same, with the quantities as the language writes them.
TEST_F(PagesTest, IndicatorsAreDrawnOverTheYearsAgainstTheirTarget) {
    const std::string page = get("/fr/documents/rp-suivi", {{"lang", "fr"}}).body;
    const std::size_t a = page.find("<figure><figcaption>Jardins</figcaption>");
    ASSERT_NE(a, std::string::npos) << page;
    const std::string chart = page.substr(a, page.find("</figure>", a) - a);
    const std::size_t target = chart.find(">Objectif</text>"), y2020 = chart.find(">2020</text>"), y2022 = chart.find(">2022</text>");
    ASSERT_TRUE(target != std::string::npos && y2020 != std::string::npos && y2022 != std::string::npos) << chart;
    EXPECT_TRUE(target < y2020 && y2020 < y2022);
    EXPECT_NE(chart.find(">12\u00a0jardins</text>"), std::string::npos);
    EXPECT_NE(page.find("<figure><figcaption>Surface</figcaption>"), std::string::npos);
    EXPECT_NE(page.find("<th scope=\"row\">Jardins</th><td class=\"num\">12\u00a0jardins</td><td class=\"num\">9\u00a0jardins</td><td>2022</td>"),
              std::string::npos);
    EXPECT_NE(page.find("<td class=\"num\">2,5\u00a0ha</td>"), std::string::npos);
    EXPECT_NE(get("/en/documents/rp-suivi", {{"lang", "fr"}}).body.find("<th scope=\"col\">Target</th>"), std::string::npos);
}

// The home, browse and project pages carry a map whose countries (and places) link to their
// documents, drawn from what the caller may see: Morocco has only a partners-only lesson.
TEST_F(PagesTest, MapsLinkTheCountriesTheCallerMaySee) {
    for (const char* path : {"/fr/", "/fr/browse"}) {
        const std::string page = get(path).body;
        const std::size_t at = page.find("<figure class=\"map\"><svg class=\"map\"");
        ASSERT_NE(at, std::string::npos) << path;
        const std::string map = page.substr(at, page.find("</figure>", at) - at);
        EXPECT_NE(map.find("<a href=\"/fr/search?country=SN\" aria-label=\"Sénégal\u00a0: "), std::string::npos) << map.substr(0, 400);
        EXPECT_EQ(map.find("country=MA"), std::string::npos) << path;
        EXPECT_NE(get(path, {}, "p").body.find("<a href=\"/fr/search?country=MA\""), std::string::npos) << path;
    }
    const std::string project = get("/en/projects/pr-eau").body;
    EXPECT_NE(project.find("<svg class=\"map\""), std::string::npos);
    EXPECT_NE(project.find("<a href=\"/en/search?country=SN\" aria-label=\"Senegal\"><title>Senegal</title>"), std::string::npos);
}

// Browse: years in date order (the latest first) with a from–to form that needs no script;
// places shown and filterable; headings that say what is filtered; the latest additions on
// the home, as the caller may see them.
TEST_F(PagesTest, BrowseHasYearsInOrderARangePlacesAndTheLatest) {
    const std::string browse = get("/fr/browse").body;
    const std::size_t at = browse.find("<h2 id=\"b-year\">");
    ASSERT_NE(at, std::string::npos);
    const std::string years_list = browse.substr(at, browse.find("</ul>", at) - at);
    std::vector<int> years;
    const std::regex year(R"re(>((?:19|20)\d\d)</a>)re");
    for (auto it = std::sregex_iterator(years_list.begin(), years_list.end(), year); it != std::sregex_iterator(); ++it)
        years.push_back(std::stoi((*it)[1]));
    ASSERT_GE(years.size(), 3u) << years_list;
    EXPECT_TRUE(std::is_sorted(years.rbegin(), years.rend())) << years_list;
    EXPECT_NE(browse.find("<form class=\"years\" method=\"get\" action=\"/fr/search\">"), std::string::npos);
    EXPECT_NE(browse.find("name=\"year_from\" min=\"2015\" max=\"2022\" value=\"2015\""), std::string::npos) << browse;
    EXPECT_NE(browse.find("<a href=\"/fr/search?place=Podor\">Podor</a>"), std::string::npos);
    // A range, a place and a project, said in the heading; the form keeps the other filters.
    const std::string range = get("/fr/search", {{"country", "SN"}, {"year_from", "2016"}, {"year_to", "2019"}}).body;
    EXPECT_NE(range.find("<h1>Documents\u00a0: Sénégal, 2016–2019</h1>"), std::string::npos) << range.substr(0, 2000);
    EXPECT_NE(range.find("<input type=\"hidden\" name=\"country\" value=\"SN\">"), std::string::npos);
    EXPECT_EQ(range.find("Suivi des jardins"), std::string::npos);  // 2022
    EXPECT_NE(range.find("Pompes solaires à Podor"), std::string::npos);  // 2018
    const std::string place = get("/en/search", {{"place", "Podor"}}).body;
    EXPECT_NE(place.find("<h1>Documents: Podor</h1>"), std::string::npos) << place.substr(0, 2000);
    EXPECT_NE(place.find("Suivi des jardins"), std::string::npos);
    EXPECT_NE(get("/fr/search", {{"place", "podor"}}).body.find("Suivi des jardins"), std::string::npos);  // whatever its case
    EXPECT_NE(get("/fr/documents/rp-suivi", {{"lang", "fr"}}).body.find("<dt>Lieux</dt><dd><a href=\"/fr/search?place=Podor\">Podor</a>"),
              std::string::npos);
    EXPECT_NE(get("/fr/search", {{"project", "pr-eau"}}).body.find("<h1>Documents\u00a0: Projet eau des écoles</h1>"), std::string::npos);
    // English punctuation in English.
    const std::string english = get("/en/search", {{"q", "forages"}}).body;
    EXPECT_NE(english.find("Sort by: "), std::string::npos);
    EXPECT_NE(english.find("<h1>Results for “forages”</h1>"), std::string::npos);
    EXPECT_EQ(english.find(" : "), std::string::npos);
    EXPECT_EQ(english.find("«"), std::string::npos);
    // The latest additions: the newest first, nothing the caller may not see.
    const auto latest = [](const std::string& page) {
        const std::size_t from = page.find("<ul class=\"latest\">");
        return from == std::string::npos ? std::string() : page.substr(from, page.find("</ul>", from) - from);
    };
    const std::string shown = latest(get("/fr/").body);
    ASSERT_FALSE(shown.empty());
    EXPECT_LT(shown.find("Suivi des jardins"), shown.find("Rapport de capitalisation des jardins maraîchers")) << shown;
    EXPECT_EQ(shown.find("zanzibar"), std::string::npos);
    EXPECT_NE(latest(get("/fr/", {}, "i").body).find("Note zanzibarinterne"), std::string::npos);
}

TEST_F(PagesTest, ProjectPageListsDocumentsByKindWithTheirPhase) {
    const std::string page = get("/fr/projects/pr-eau", {}, "i").body;
    EXPECT_NE(page.find("<h3 id=\"k-evaluation\">Évaluation</h3>"), std::string::npos) << page;
    EXPECT_NE(page.find("<h3 id=\"k-lesson\">"), std::string::npos);  // the internal lesson, for staff
    EXPECT_NE(page.find("Évaluation du projet eau</a> <span class=\"n\" lang=\"fr\">"), std::string::npos);
    EXPECT_NE(page.find("<caption>Indicateurs cumulés</caption>"), std::string::npos);
    EXPECT_EQ(get("/fr/projects/nope").status, 404);
}

// The guides page lists each definition with what the caller's role gets: the documents it
// selects, and for each layout the PDF's real page count and size; a document page names the
// guides that include it.
TEST_F(PagesTest, TheGuidesPageGivesEachLayoutsPagesAndSizeAndDocumentsNameTheirGuides) {
    s_env->index.dir.write("guide-list/eau.yaml", "title: {fr: \"L'eau à l'école\", en: Water at school}\n"
                                                  "subtitle: {fr: Forages et latrines, en: Boreholes and latrines}\n"
                                                  "introduction: {fr: Tout., en: All.}\nselection:\n  projects: [pr-eau]\n");
    s_env->index.dir.write("guide-list/lecons.yaml", "title: {fr: Leçons, en: Lessons}\nintroduction: {fr: Tout., en: All.}\n"
                                                     "selection:\n  kinds: [lesson]\n");
    s_env->index.dir.write("guide-list/broken.yaml", "title: [\n");  // listed by nobody, breaks nothing
    ServerConfig config = s_env->config;
    config.guides_dir = (s_env->index.dir / "guide-list").string();
    Api api(config, *s_env->readers, s_env->metrics);
    auto fetch = [&api](const std::string& path, const std::string& token = "", Query query = {}) {
        Request r;
        r.path = path;
        r.query = std::move(query);
        r.headers["host"] = "archive.example.org";
        if (!token.empty()) r.headers["authorization"] = "Bearer tok-" + token;
        std::string route;
        return api.handle(r, route).resolved();
    };
    // A document page names its guides from their selection alone: no PDF is built for it.
    const auto built = s_env->metrics.guides(Metrics::Guide::built);
    EXPECT_NE(fetch("/fr/documents/ev-eau", "", {{"lang", "fr"}}).body.find("/fr/guides#g-eau"), std::string::npos);
    EXPECT_EQ(s_env->metrics.guides(Metrics::Guide::built), built);
    // The guides page is built on a worker the first time (each guide in both layouts), then at once.
    Request first;
    first.path = "/fr/guides";
    first.headers["host"] = "archive.example.org";
    std::string route;
    Response deferred = api.handle(first, route);
    EXPECT_TRUE(static_cast<bool>(deferred.deferred));
    const Response page = std::move(deferred).resolved();
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(header(page, "Content-Language"), "fr");  // a deferred page gets the headers of every page
    EXPECT_FALSE(header(page, "Content-Security-Policy").empty());
    EXPECT_EQ(s_env->metrics.guides(Metrics::Guide::built), built + 4);
    EXPECT_FALSE(static_cast<bool>(api.handle(first, route).deferred));
    EXPECT_NE(page.body.find("<h2 id=\"g-eau-h\">L&#39;eau à l&#39;école</h2>"), std::string::npos) << page.body;
    EXPECT_NE(page.body.find("<p class=\"other\" lang=\"en\">Water at school</p>"), std::string::npos);
    EXPECT_NE(page.body.find("<p>Forages et latrines</p>"), std::string::npos);
    EXPECT_NE(page.body.find("Français et anglais"), std::string::npos);
    EXPECT_EQ(page.body.find("broken"), std::string::npos);
    // Each layout's figures are those of the PDF the link downloads.
    for (const std::string layout : {"parallel", "sequential"}) {
        const Response pdf = fetch("/guides/eau.pdf", "", {{"layout", layout}});
        ASSERT_EQ(pdf.status, 200);
        test::TempDir dir;
        dir.write("g.pdf", pdf.body);
        const std::string info = test::run_command("pdfinfo '" + (dir / "g.pdf").string() + "' 2>/dev/null").out;
        std::smatch m;
        ASSERT_TRUE(std::regex_search(info, m, std::regex("Pages:\\s+(\\d+)"))) << info;
        const std::string pages = m[1].str() + (m[1].str() == "1" ? " page" : " pages");
        const std::string line = "/guides/eau.pdf?layout=" + layout;
        const std::size_t at = page.body.find(line);
        ASSERT_NE(at, std::string::npos) << line;
        const std::string item = page.body.substr(at, page.body.find("</li>", at) - at);
        EXPECT_NE(item.find("PDF, " + pages + ", " + format_bytes(static_cast<double>(pdf.body.size()), "fr")), std::string::npos) << item;
    }
    // Counts are the role's: the public sees no lesson, partners one, staff two.
    auto lessons = [&](const std::string& token) {
        const std::string body = fetch("/en/guides", token).body;
        const std::size_t at = body.find("id=\"g-lecons\"");
        return at == std::string::npos ? std::string() : body.substr(at, body.find("</section>", at) - at);
    };
    EXPECT_NE(lessons("").find("French and English · 0 documents"), std::string::npos) << lessons("");
    EXPECT_NE(lessons("p").find("French and English · 1 document<"), std::string::npos) << lessons("p");
    EXPECT_NE(lessons("i").find("French and English · 2 documents"), std::string::npos) << lessons("i");
    // A document page names the guides that include it, and only those.
    const std::string doc = fetch("/fr/documents/ev-eau", "", {{"lang", "fr"}}).body;
    EXPECT_NE(doc.find("<a href=\"/fr/guides#g-eau\">L&#39;eau à l&#39;école</a> <a class=\"n\" href=\"/guides/eau.pdf\">PDF</a>"),
              std::string::npos) << doc;
    EXPECT_EQ(doc.find("/fr/guides#g-lecons"), std::string::npos);
    // Every page links to the guides and the projects.
    EXPECT_NE(doc.find("<a href=\"/fr/guides\">Guides</a>"), std::string::npos);
    EXPECT_NE(doc.find("<a href=\"/fr/projects\">Projets</a>"), std::string::npos);
}

// Every project with its countries, years, phase and document counts, as the role sees them;
// a document links to its project by the project's title.
TEST_F(PagesTest, TheProjectsPageGivesEachProjectsCountriesYearsPhaseAndDocuments) {
    const std::string page = get("/fr/projects").body;
    const std::size_t at = page.find("<a href=\"/fr/projects/pr-eau?lang=fr\">Projet eau des écoles</a>");
    ASSERT_NE(at, std::string::npos) << page;
    const std::string card = page.substr(at, page.find("</section>", at) - at);
    EXPECT_NE(card.find("<dt>Pays</dt><dd><a href=\"/fr/search?country=SN\">Sénégal</a>"), std::string::npos) << card;
    EXPECT_NE(card.find("<dt>Années</dt><dd>2015–2018</dd>"), std::string::npos) << card;
    // ev-eau and gp-pompes are public; le-secret (internal) is not counted for the public.
    EXPECT_NE(card.find(">2 documents</a>"), std::string::npos) << card;
    EXPECT_NE(card.find(">Bonne pratique</a> <span class=\"n\">1</span>"), std::string::npos) << card;
    const std::string staff = get("/fr/projects", {}, "i").body;
    EXPECT_EQ(staff.find(">2 documents</a>"), std::string::npos);
    EXPECT_NE(get("/fr/documents/ev-eau", {{"lang", "fr"}}).body.find(
                  "<dt>Projet</dt><dd><a href=\"/fr/projects/pr-eau?lang=fr\" lang=\"fr\">Projet eau des écoles</a>"),
              std::string::npos);
}

// robots.txt points to the sitemap; the sitemap lists every public page and nothing else,
// whoever asks; the about page names the licence (or says none is declared) and the contact,
// which every page's footer links to; the favicon is found where browsers look.
TEST_F(PagesTest, RobotsSitemapFaviconAboutAndFooter) {
    const Response robots = get("/robots.txt");
    ASSERT_EQ(robots.status, 200);
    EXPECT_NE(robots.body.find("Sitemap: http://archive.example.org/sitemap.xml"), std::string::npos) << robots.body;
    EXPECT_NE(robots.body.find("Disallow: /fr/sign-in"), std::string::npos);
    for (const char* token : {"", "i"}) {
        const Response map = get("/sitemap.xml", {}, token);
        ASSERT_EQ(map.status, 200);
        EXPECT_EQ(header(map, "Content-Type"), "application/xml; charset=utf-8");
        EXPECT_NE(map.body.find("<loc>http://archive.example.org/fr/documents/pr-eau?lang=fr</loc>"), std::string::npos) << map.body;
        EXPECT_NE(map.body.find("<loc>http://archive.example.org/en/projects/pr-eau?lang=en</loc>"), std::string::npos);
        EXPECT_NE(map.body.find("<loc>http://archive.example.org/fr/guides</loc>"), std::string::npos);
        for (const char* hidden : {"le-secret", "le-part", "gp-pompes?lang=en"})
            EXPECT_EQ(map.body.find(hidden), std::string::npos) << hidden << " (token '" << token << "')";
        const std::regex lastmod("<lastmod>\\d{4}-\\d{2}-\\d{2}</lastmod>");
        EXPECT_TRUE(std::regex_search(map.body, lastmod));
    }
    EXPECT_EQ(get("/sitemap.xml", {{"page", "7"}}).status, 404);
    const Response icon = get("/favicon.ico");
    EXPECT_EQ(icon.status, 301);
    EXPECT_EQ(header(icon, "Location"), "/static/favicon.svg");
    EXPECT_EQ(header(get("/static/favicon.svg"), "Content-Type"), "image/svg+xml");
    const std::string about = get("/fr/about").body;
    EXPECT_NE(about.find("<h2 id=\"licence\">Licence</h2>"), std::string::npos);
    EXPECT_NE(about.find("Aucune licence n’est déclarée"), std::string::npos);
    EXPECT_NE(about.find("mailto:contact@lepartenariat.org"), std::string::npos);
    ServerConfig config = s_env->config;
    config.licence_name = "CC BY 4.0";
    config.licence_url = "https://creativecommons.org/licenses/by/4.0/";
    Api licensed(config, *s_env->readers, s_env->metrics);
    Request r;
    r.path = "/en/about";
    std::string route;
    const std::string en = licensed.handle(r, route).body;
    EXPECT_NE(en.find("published under the licence <a href=\"https://creativecommons.org/licenses/by/4.0/\" rel=\"license\">CC BY 4.0</a>"),
              std::string::npos) << en;
    for (const auto& [path, query] : every_page()) {
        const std::string page = get(path, query).body;
        EXPECT_NE(page.find("/about#licence\">"), std::string::npos) << path;
        EXPECT_NE(page.find("/about#contact\">"), std::string::npos) << path;
        EXPECT_NE(page.find("<link rel=\"icon\" href=\"/static/favicon.svg\""), std::string::npos) << path;
    }
}

TEST_F(PagesTest, ExportsFeedAndCitationsAreWellFormed) {
    const std::string csv = get("/en/search.csv", {{"q", "forages"}}).body;
    EXPECT_EQ(csv.rfind("id,lang,kind,title,authors,publisher,year,date,countries,themes,url\r\n", 0), 0u);
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);  // header and 4 hits
    const Response json = get("/en/search.json", {{"q", "forages"}});
    const auto j = nlohmann::json::parse(json.body);
    EXPECT_EQ(j["total"], 4);
    EXPECT_EQ(j["hits"].size(), 4u);
    EXPECT_EQ(j["hits"][0]["url"].get<std::string>().rfind("http://archive.example.org/en/documents/", 0), 0u);
    EXPECT_EQ(header(json, "Content-Disposition"), "attachment; filename=\"passerelle-forages.json\"");
    const std::string bib = get("/en/search.bib", {{"q", "forages"}}).body;
    EXPECT_NE(bib.find("@misc{passerelle:pr-eau-fr,\n  title = {{Projet eau des écoles}},\n  year = {2015},"), std::string::npos) << bib;
    const std::string ris = get("/en/search.ris", {{"q", "forages"}}).body;
    EXPECT_NE(ris.find("TY  - RPRT\r\nTI  - Projet eau des écoles\r\n"), std::string::npos) << ris;
    std::size_t records = 0;
    for (std::size_t at = ris.find("ER  - "); at != std::string::npos; at = ris.find("ER  - ", at + 1)) ++records;
    EXPECT_EQ(records, 4u);
    const std::string atom = get("/en/search.atom", {{"q", "forages"}}).body;
    EXPECT_EQ(atom.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">", 0), 0u);
    std::size_t entries = 0;
    for (std::size_t at = atom.find("<entry "); at != std::string::npos; at = atom.find("<entry ", at + 1)) ++entries;
    EXPECT_EQ(entries, 4u);
    EXPECT_NE(atom.find("<entry xml:lang=\"fr\">"), std::string::npos);
    EXPECT_EQ(atom.find("<mark>"), std::string::npos);  // summaries are plain text

    const auto csl = nlohmann::json::parse(get("/fr/documents/pr-eau/cite.json", {{"lang", "fr"}}).body);
    EXPECT_EQ(csl[0]["type"], "report");
    EXPECT_EQ(csl[0]["title"], "Projet eau des écoles");
    EXPECT_EQ(csl[0]["issued"]["date-parts"][0][0], 2015);
    EXPECT_EQ(csl[0]["URL"], "http://archive.example.org/fr/documents/pr-eau?lang=fr");
    const std::string cite = get("/fr/documents/rp-hostile/cite.bib", {{"lang", "fr"}}).body;
    EXPECT_NE(cite.find("title = {{=cmd|' /C calc'!A0 <script>alert(1)</script> \\& \"q\" 'x'}}"), std::string::npos) << cite;
}

TEST_F(PagesTest, CitationsTellPersonsFromOrganisationsAndSayNdWithoutADate) {
    const Response bib = get("/fr/documents/rp-cite/cite.bib", {{"lang", "fr"}});
    EXPECT_EQ(header(bib, "Content-Disposition"), "attachment; filename=\"rp-cite-fr.bib\"");
    EXPECT_NE(bib.body.find("@techreport{passerelle:rp-cite-fr,\n"
                            "  author = {{Le Partenariat} and Diop, Awa and {Comité de gestion de Ndiaye}},\n"
                            "  title = {{Rapport de capitalisation des jardins maraîchers}},\n"
                            "  institution = {Le Partenariat},\n"
                            "  year = {2019},\n"
                            "  type = {Rapport},\n"), std::string::npos) << bib.body;
    const std::string undated = get("/fr/documents/gd-sans-date/cite.bib", {{"lang", "fr"}}).body;
    EXPECT_NE(undated.find("@misc{passerelle:gd-sans-date-fr,\n  author = {{Le Partenariat}},"), std::string::npos) << undated;
    EXPECT_NE(undated.find("  year = {n.d.},\n"), std::string::npos);
    EXPECT_EQ(undated.find("{0}"), std::string::npos);

    const std::string ris = get("/fr/documents/rp-cite/cite.ris", {{"lang", "fr"}}).body;
    EXPECT_NE(ris.find("AU  - Le Partenariat\r\nAU  - Diop, Awa\r\nAU  - Comité de gestion de Ndiaye\r\nPB  - Le Partenariat\r\n"
                       "PY  - 2019\r\nDA  - 2019/05/14\r\nAB  - Ce que les jardins scolaires ont appris.\r\n"), std::string::npos) << ris;
    EXPECT_EQ(get("/fr/documents/gd-sans-date/cite.ris", {{"lang", "fr"}}).body.find("PY  -"), std::string::npos);

    const auto csl = nlohmann::json::parse(get("/fr/documents/rp-cite/cite.json", {{"lang", "fr"}}).body);
    EXPECT_EQ(csl[0]["author"], nlohmann::json::parse(R"([{"literal": "Le Partenariat"}, {"family": "Diop", "given": "Awa"},
                                                          {"literal": "Comité de gestion de Ndiaye"}])"));
    EXPECT_EQ(csl[0]["issued"]["date-parts"], nlohmann::json::parse("[[2019, 5, 14]]"));
    EXPECT_EQ(csl[0]["publisher"], "Le Partenariat");
    EXPECT_FALSE(nlohmann::json::parse(get("/fr/documents/gd-sans-date/cite.json", {{"lang", "fr"}}).body)[0].contains("issued"));
}

TEST_F(PagesTest, ExportsOfASearchCarryTheFieldsOfASingleCitation) {
    const Response bib = get("/fr/search.bib", {{"q", "jardins capitalisation"}});
    EXPECT_EQ(header(bib, "Content-Disposition"), "attachment; filename=\"passerelle-jardins-capitalisation.bib\"");
    EXPECT_NE(bib.body.find("author = {{Le Partenariat} and Diop, Awa and {Comité de gestion de Ndiaye}},"), std::string::npos) << bib.body;
    EXPECT_NE(bib.body.find("institution = {Le Partenariat},"), std::string::npos);
    const std::string ris = get("/fr/search.ris", {{"q", "jardins capitalisation"}}).body;
    EXPECT_NE(ris.find("AU  - Diop, Awa\r\n"), std::string::npos);
    EXPECT_NE(ris.find("PB  - Le Partenariat\r\n"), std::string::npos);
    const std::string csv = get("/fr/search.csv", {{"q", "jardins capitalisation"}}).body;
    EXPECT_NE(csv.find("\"Le Partenariat; Diop, Awa; Comité de gestion de Ndiaye\",Le Partenariat,2019,2019-05-14,"), std::string::npos) << csv;
    EXPECT_EQ(header(get("/fr/search.csv"), "Content-Disposition"), "attachment; filename=\"passerelle-archive.csv\"");
}

// Zotero's "Embedded Metadata" translator, as far as these fields go: citation_* first, Dublin
// Core for what they lack; an author "Family, Given" is split at the comma; an institution
// makes the item a report.
std::map<std::string, std::vector<std::string>> meta_tags(const std::string& html) {
    std::map<std::string, std::vector<std::string>> out;
    static const std::regex tag(R"re(<meta (?:name|property)="([^"]+)" content="([^"]*)">)re");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator(); ++it)
        out[(*it)[1]].push_back((*it)[2]);
    return out;
}

TEST_F(PagesTest, DocumentPagesCarryTheTagsReferenceManagersRead) {
    const std::string page = get("/fr/documents/rp-cite", {{"lang", "fr"}}).body;
    EXPECT_NE(page.find("<time datetime=\"2019-05-14\">14 mai 2019</time>"), std::string::npos);  // the date as French writes it
    EXPECT_NE(get("/en/documents/rp-cite", {{"lang", "fr"}}).body.find(">14 May 2019</time>"), std::string::npos);
    const auto tags = meta_tags(page);
    auto one = [&](const std::string& name) { return tags.count(name) ? tags.at(name).front() : std::string(); };
    // The item Zotero makes of them.
    const std::string item_type = tags.count("citation_technical_report_institution") ? "report" : "webpage";
    EXPECT_EQ(item_type, "report");
    EXPECT_EQ(one("citation_title"), "Rapport de capitalisation des jardins maraîchers");
    ASSERT_EQ(tags.count("citation_author"), 1u);
    ASSERT_EQ(tags.at("citation_author").size(), 1u);  // the person; organisations are the institution
    const std::string author = tags.at("citation_author")[0];
    EXPECT_EQ(author.substr(0, author.find(',')), "Diop");  // lastName
    EXPECT_EQ(author.substr(author.find(',') + 2), "Awa");  // firstName
    EXPECT_EQ(one("citation_publication_date"), "2019/05/14");
    EXPECT_EQ(one("citation_technical_report_institution"), "Le Partenariat");
    EXPECT_EQ(one("citation_language"), "fr");
    EXPECT_EQ(one("citation_abstract_html_url"), "http://archive.example.org/fr/documents/rp-cite?lang=fr");
    EXPECT_EQ(one("DC.description"), "Ce que les jardins scolaires ont appris.");  // Zotero's abstract
    EXPECT_EQ(tags.at("DC.creator").size(), 3u);
    EXPECT_EQ(one("og:title"), "Rapport de capitalisation des jardins maraîchers");
    EXPECT_EQ(one("og:url"), "http://archive.example.org/fr/documents/rp-cite?lang=fr");
    EXPECT_EQ(one("og:locale"), "fr_FR");
    // A PDF attached: its address for the "PDF" attachment Zotero saves.
    EXPECT_EQ(meta_tags(get("/fr/documents/pr-eau", {{"lang", "fr"}}).body)["citation_pdf_url"],
              std::vector<std::string>{"http://archive.example.org/fr/documents/pr-eau/files/rapport.pdf?lang=fr"});
    // Hostile titles stay inside their attribute.
    EXPECT_EQ(meta_tags(get("/fr/documents/rp-hostile", {{"lang", "fr"}}).body)["citation_title"].size(), 1u);
}

TEST_F(PagesTest, AForgedHostNeverReachesAnotherVisitor) {
    // With allowed_hosts, another Host is refused before anything is built.
    ServerConfig config = s_env->config;
    config.allowed_hosts = {"archive.example.org"};
    Api guarded(config, *s_env->readers, s_env->metrics);
    auto fetch = [](Api& api, const std::string& path, const std::string& host) {
        Request r;
        r.path = path;
        if (path.rfind("/fr/", 0) == 0) r.query = {{"lang", "fr"}};
        r.headers["host"] = host;
        std::string route;
        return api.handle(r, route).resolved();
    };
    EXPECT_EQ(fetch(guarded, "/fr/documents/pr-eau", "evil.example").status, 400);
    EXPECT_EQ(fetch(guarded, "/fr/documents/pr-eau", "ARCHIVE.example.org:443").status, 200);
    // Without it, a guide's sources link to the configured base_url only, never to the Host a
    // request came by: a guide asked for with a forged Host, then normally, names neither.
    s_env->index.dir.write("guides/projets.yaml", "title: {fr: Projets, en: Projects}\nintroduction: {fr: Tout., en: All.}\n"
                                                  "selection:\n  kinds: [project]\n");
    ServerConfig open_config = s_env->config;
    open_config.guides_dir = (s_env->index.dir / "guides").string();
    Api open(open_config, *s_env->readers, s_env->metrics);
    const Response forged = fetch(open, "/guides/projets.pdf", "evil.example");
    ASSERT_EQ(forged.status, 200);
    EXPECT_EQ(forged.body.find("evil.example"), std::string::npos);
    const Response normal = fetch(open, "/guides/projets.pdf", "archive.example.org");
    ASSERT_EQ(normal.status, 200);
    EXPECT_EQ(normal.body.find("evil.example"), std::string::npos);
    EXPECT_EQ(fetch(*s_api, "/fr/documents/pr-eau", "archive.example.org").body.find("evil.example"), std::string::npos);
    EXPECT_EQ(fetch(*s_api, "/fr/documents/pr-eau/cite.bib", "archive.example.org").body.find("evil.example"), std::string::npos);
}

TEST_F(PagesTest, NoResultsGiveAdviceAndNoEmptyHeadingsAndAPagePastTheEndGoesToTheLast) {
    const std::string none = get("/fr/search", {{"q", "qwzxv"}, {"country", "SN"}, {"lang", "fr"}}).body;
    EXPECT_NE(none.find("Aucun document ne correspond."), std::string::npos);
    EXPECT_NE(none.find("Vérifiez l’orthographe"), std::string::npos) << none;
    EXPECT_NE(none.find("Retirez un filtre\u00a0:"), std::string::npos);
    EXPECT_NE(none.find("href=\"/fr/search?q=qwzxv&amp;country=SN\">Chercher aussi dans l’autre langue</a>"), std::string::npos);
    EXPECT_NE(none.find("href=\"/fr/browse\">Parcourir l’archive"), std::string::npos);
    for (const char* empty : {"Trier par", "Exporter ces résultats", "<h2 id=\"refine\">", "<h3>"})
        EXPECT_EQ(none.find(empty), std::string::npos) << empty;
    // Hits: the sort, exports and only facets that have values.
    const std::string some = get("/fr/search", {{"q", "forages"}}).body;
    EXPECT_NE(some.find("Trier par"), std::string::npos);
    EXPECT_NE(some.find("<h3>Par type de document</h3>"), std::string::npos);
    EXPECT_EQ(some.find("Par phase du projet"), std::string::npos);  // no hit for "forages" has a phase
    // A page past the end: to the last page of hits (here the first), never an error.
    const Response past = get("/fr/search", {{"q", "forages"}, {"page", "99"}});
    EXPECT_EQ(past.status, 303);
    EXPECT_EQ(header(past, "Location"), "/fr/search?q=forages");
}

TEST_F(PagesTest, EveryErrorPageHasASearchBox) {
    for (const char* path : {"/fr/documents/nope", "/en/nowhere", "/fr/projects/nope"}) {
        const Response r = get(path);
        EXPECT_GE(r.status, 400) << path;
        EXPECT_NE(r.body.find("role=\"search\""), std::string::npos) << path;
    }
}

TEST_F(PagesTest, ErrorsArePagesInTheRightLanguage) {
    const Response missing = get("/en/documents/nope");
    EXPECT_EQ(missing.status, 404);
    EXPECT_NE(missing.body.find("<h1>Page not found</h1>"), std::string::npos);
    EXPECT_EQ(get("/fr/nowhere").status, 404);
    EXPECT_NE(get("/fr/nowhere").body.find("Page introuvable"), std::string::npos);
    const Response bad = get("/fr/search", {{"q", "x"}, {"per_page", "1000"}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("per_page"), std::string::npos);
    EXPECT_EQ(header(bad, "Content-Type"), "text/html; charset=utf-8");
    const Response token = get("/fr/", {}, "nope");
    EXPECT_EQ(token.status, 401);
    EXPECT_EQ(header(token, "Content-Type"), "text/html; charset=utf-8");
    EXPECT_NE(header(token, "Content-Security-Policy"), "");
}

TEST_F(PagesTest, StaticFilesAreCachedWithAnEtag) {
    const Response css = get("/static/site.css");
    EXPECT_EQ(css.status, 200);
    EXPECT_EQ(header(css, "Content-Type"), "text/css; charset=utf-8");
    Request again;
    again.path = "/static/site.css";
    again.headers["if-none-match"] = header(css, "ETag");
    std::string route;
    EXPECT_EQ(s_api->handle(again, route).status, 304);
    EXPECT_EQ(get("/static/nothing.js").status, 404);
}

}  // namespace
}  // namespace passerelle::http
