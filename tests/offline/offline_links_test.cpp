// Where pages go in the offline copy and how their links are rewritten (offline/offline_links.h).
#include "offline/offline_links.h"

#include <gtest/gtest.h>

#include <regex>

namespace passerelle::offline {
namespace {

std::optional<std::string> path_of(const std::string& href) {
    std::string fragment;
    const auto a = site_address(href, "", fragment);
    return a ? offline_path(*a) : std::nullopt;
}

TEST(OfflineLinksTest, EveryKindOfPageHasAPathThatServesAsAFileNameAndAZimPath) {
    EXPECT_EQ(path_of("/fr/"), "fr/index.html");
    EXPECT_EQ(path_of("/en"), "en/index.html");
    EXPECT_EQ(path_of("/fr/browse"), "fr/browse.html");
    EXPECT_EQ(path_of("/en/guides"), "en/guides.html");
    EXPECT_EQ(path_of("/fr/projects/pr-paems?lang=en"), "fr/projects/pr-paems~en.html");
    EXPECT_EQ(path_of("/fr/documents/pr-paems?lang=en"), "fr/documents/pr-paems~en.html");
    EXPECT_EQ(path_of("/fr/search?country=SN"), "fr/country/SN.html");
    EXPECT_EQ(path_of("/fr/search?country=SN&page=2"), "fr/country/SN/2.html");
    EXPECT_EQ(path_of("/fr/search?page=1&theme=water"), "fr/theme/water.html");
    EXPECT_EQ(path_of("/en/search?year_from=2016&year_to=2016"), "en/year/2016.html");
    EXPECT_EQ(path_of("/fr/search?place=Saint-Louis"), "fr/place/Saint-Louis.html");
    EXPECT_EQ(path_of("/fr/search?place=Thi%C3%A8s"), "fr/place/Thiès.html");  // UTF-8 kept
    EXPECT_EQ(path_of("/guides/eau-ecoles.pdf?layout=sequential"), "guides/eau-ecoles.sequential.pdf");
    EXPECT_EQ(path_of("/guides/eau-ecoles.pdf"), "guides/eau-ecoles.parallel.pdf");  // the server's default layout
    EXPECT_EQ(path_of("/static/site.css"), "static/site.css");
    EXPECT_EQ(path_of("/fr/documents/pr-eau/files/rapport.pdf?lang=fr"), "files/pr-eau/fr/rapport.pdf");
    // Ids with any character give one path each, and never a folder of their own.
    EXPECT_EQ(path_of("/fr/documents/lohelp%3A%3Aswriter%2Fguide.html?lang=en"), "fr/documents/lohelp~3A~3Aswriter~2Fguide.html~en.html");
    EXPECT_EQ(path_of("/fr/projects/a~b%20c?lang=fr"), "fr/projects/a~7Eb~20c~fr.html");
    EXPECT_EQ(path_of("/fr/projects/.."), "fr/projects/~2E~2E.html");
    // An id with a dot, without its language, is not the same page as another id with one.
    EXPECT_NE(path_of("/fr/documents/x.en"), path_of("/fr/documents/x?lang=en"));
    EXPECT_EQ(path_of("/fr/documents/x/files/fr?lang=fr"), "files/x/fr/fr");
    EXPECT_EQ(path_of("/fr/documents/x/files/fr"), "files/x/~/fr");
}

TEST(OfflineLinksTest, WhatOnlyAServerCanAnswerHasNoPath) {
    for (const char* href : {"/fr/search?q=latrines", "/fr/search?country=SN&kind=lesson", "/fr/search", "/fr/search?country=SN&page=x",
                             "/fr/search?year_from=2015&year_to=2016", "/fr/search?country=SN&sort=date", "/fr/search.csv?country=SN",
                             "/fr/sign-in", "/fr/notes/new", "/fr/documents/x/cite.bib?lang=fr", "/api/search?q=x", "/oai?verb=Identify",
                             "/fr/browse?x=1", "/fr/search?project=pr-paems", "/guides/eau-ecoles.pdf?date=2026-01-01", "/es/", "/fr/documents/x?lang=fr&lang=en"})
        EXPECT_EQ(path_of(href), std::nullopt) << href;
    std::string fragment;
    EXPECT_EQ(site_address("https://iatistandard.org/", "", fragment), std::nullopt);
    EXPECT_EQ(site_address("//cdn.example.org/x.js", "", fragment), std::nullopt);
    EXPECT_EQ(site_address("https://archive.example.org/en/about#licence", "https://archive.example.org", fragment)->path, "/en/about");
    EXPECT_EQ(fragment, "licence");
}

TEST(OfflineLinksTest, LinksBecomeRelativeAndTheOthersLoseTheirAddressOrGoAway) {
    const std::string page =
        R"(<html><head><link rel="stylesheet" href="/static/site.css">)"
        R"(<link rel="alternate" hreflang="en" href="https://archive.example.org/en/documents/d?lang=fr">)"
        R"(<link rel="alternate" type="application/atom+xml" href="/fr/search.atom?country=SN">)"
        R"(<meta name="citation_abstract_html_url" content="https://archive.example.org/fr/documents/d?lang=fr">)"
        R"(<meta name="citation_pdf_url" content="/fr/documents/d/files/r.pdf?lang=fr"></head><body>)"
        R"(<nav><a href="/fr/browse">Parcourir</a> <a href="/fr/sign-in?next=%2Ffr%2F">Se connecter</a></nav>)"
        R"(<form class="search" action="/fr/search" method="get" role="search"><label for="q">Rechercher</label>)"
        R"(<input id="q" name="q" type="search" value="" autocomplete="off" list="q-list" data-suggest="/api/suggest">)"
        R"(<datalist id="q-list"></datalist><button type="submit">OK</button></form>)"
        R"(<main id="main"><a href="/fr/search?country=SN&amp;kind=lesson" class="facet">Leçons <span class="n">3</span></a>)"
        R"(<a href="/fr/search?country=SN">Sénégal</a> <a href="https://iatistandard.org/">IATI</a> <a href="#top">haut</a>)"
        R"(<a href="/fr/search?country=SN#a&quot;b">SN</a>)"
        R"(<a href="/fr/search.csv?country=SN">CSV</a><img src="/fr/documents/d/files/p.png?lang=fr" alt="Puits">)"
        R"(<form class="years" action="/fr/search" method="get"><input name="year_from"></form>)"
        R"(<svg><a href="/fr/search?country=GN"><path d="M0 0"/></a></svg></main>)"
        R"(<script src="/static/suggest.js" defer></script></body></html>)";
    std::vector<SiteAddress> found;
    const std::string out = rewrite_page(page, "fr/documents/d~fr.html", "https://archive.example.org", found);
    EXPECT_NE(out.find(R"(<link rel="stylesheet" href="../../static/site.css">)"), std::string::npos) << out;
    EXPECT_NE(out.find(R"(hreflang="en" href="../../en/documents/d~fr.html")"), std::string::npos) << out;
    EXPECT_EQ(out.find("search.atom"), std::string::npos) << "a feed cannot be read offline";
    EXPECT_NE(out.find("citation_abstract_html_url"), std::string::npos) << "the online address, for citing, stays";
    EXPECT_EQ(out.find("citation_pdf_url"), std::string::npos) << "an address on no server goes";
    EXPECT_NE(out.find(R"(<a href="../../fr/browse.html">Parcourir</a>)"), std::string::npos);
    EXPECT_EQ(out.find("Se connecter"), std::string::npos) << "signing in needs the server";
    EXPECT_NE(out.find(R"(<form class="search" method="get" role="search" hidden data-offline-search>)"), std::string::npos) << out;
    EXPECT_NE(out.find(R"(<input id="q" name="pattern" type="search" value="">)"), std::string::npos) << out;
    EXPECT_EQ(out.find("datalist"), std::string::npos);
    EXPECT_NE(out.find(R"(<span class="facet">Leçons <span class="n">3</span></span>)"), std::string::npos) << out;
    EXPECT_NE(out.find(R"(<a href="../../fr/country/SN.html">Sénégal</a>)"), std::string::npos);
    EXPECT_NE(out.find(R"(<a href="https://iatistandard.org/">IATI</a>)"), std::string::npos);
    EXPECT_NE(out.find(R"(<a href="#top">haut</a>)"), std::string::npos);
    EXPECT_NE(out.find(R"(<a href="../../fr/country/SN.html#a&quot;b">)"), std::string::npos) << "a fragment stays inside its quotes";
    EXPECT_EQ(out.find("CSV"), std::string::npos);
    EXPECT_NE(out.find(R"(<img src="../../files/d/fr/p.png" alt="Puits">)"), std::string::npos) << out;
    EXPECT_EQ(out.find("year_from"), std::string::npos) << "a form that needs the server goes";
    EXPECT_NE(out.find(R"(<a href="../../fr/country/GN.html"><path)"), std::string::npos) << "the map's links too";
    EXPECT_NE(out.find(R"(<script src="../../static/offline.js" defer></script>)"), std::string::npos) << out;
    // No address is left that would leave the copy or need the server.
    EXPECT_FALSE(std::regex_search(out, std::regex(R"((href|src|action|data-suggest)="/)"))) << out;
    EXPECT_EQ(out.find("href=\"https://archive.example.org"), std::string::npos) << "the site's own pages are in the copy";
    std::vector<std::string> targets;
    for (const auto& a : found) targets.push_back(*offline_path(a));
    const std::vector<std::string> expected = {"static/site.css", "en/documents/d~fr.html", "fr/browse.html", "fr/country/SN.html",
                                               "fr/country/SN.html", "files/d/fr/p.png", "fr/country/GN.html", "static/offline.js"};
    EXPECT_EQ(targets, expected);
}

TEST(OfflineLinksTest, RelativeLinksClimbToTheRootFirst) {
    EXPECT_EQ(relative_link("fr/index.html", "fr/browse.html"), "../fr/browse.html");
    EXPECT_EQ(relative_link("fr/country/SN/2.html", "static/site.css"), "../../../static/site.css");
    EXPECT_EQ(relative_link("index.html", "fr/index.html"), "fr/index.html");
}

}  // namespace
}  // namespace passerelle::offline
