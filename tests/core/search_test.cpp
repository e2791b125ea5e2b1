#include "core/search.h"

#include <gtest/gtest.h>

#include <set>

#include <algorithm>
#include <atomic>
#include <thread>

#include "support/fixture_index.h"

namespace passerelle {
namespace {

using test::note;

class SearchTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_index = new test::FixtureIndex();
        auto& f = *s_index;
        f.add("practices/gp-ecole.fr.md",
              note("gp-ecole", "fr", "good_practice", "L'école de Kédougou et ses latrines",
                   "Le comité de gestion de **l’école** entretient les latrines. Le cœur du projet : les élèves.",
                   "visibility: public\ndate: 2019-05\ncountries: [SN]\nthemes: [wash-schools]\n"));
        f.add("practices/gp-ecole.en.md",
              note("gp-ecole", "en", "good_practice", "The Kédougou school and its latrines",
                   "The school management committee maintains the latrines. Pupils wash their hands.",
                   "visibility: public\ndate: 2019-05\ncountries: [SN]\nthemes: [wash-schools]\n"));
        f.add("reports/rp-forages.fr.md",
              note("rp-forages", "fr", "report", "Forages et pompes solaires à Podor",
                   "Trois forages équipés de pompes solaires alimentent les bornes-fontaines.",
                   "visibility: public\ndate: 2021\ncountries: [SN]\nsectors: [\"14031\"]\n"));
        f.add("reports/rp-sanitation.en.md",
              note("rp-sanitation", "en", "report", "Sanitation in Safi primary schools",
                   "Toilet blocks and handwashing stations were built in twelve schools.",
                   "visibility: public\ndate: 2016-03-02\ncountries: [MA]\nthemes: [wash-schools]\n"));
        f.add("projects/pr-vault.en.md",
              note("pr-vault", "en", "project", "Nubian vault in the Fouta",
                   "Masons are trained to build earth roofs without timber.",
                   "visibility: public\ndate: 2015\ncountries: [SN]\nthemes: [earth-building]\n"));
        f.add("practices/gp-comites.fr.md",
              note("gp-comites", "fr", "good_practice", "Des comités qui réunissent les acteurs",
                   "Le comité de suivi se réunit à chaque étape.",
                   "visibility: public\ndate: 2014\nphase: steering-committees\n"));
        f.add("reports/rp-insertion.fr.md",
              note("rp-insertion", "fr", "report", "Jeunes de Saint-Louis",
                   "La formation et l'insertion professionnelle des jeunes.", "visibility: public\ndate: 2013\n"));
        f.add("lessons/le-canary-partners.fr.md",
              note("le-canary-partners", "fr", "lesson", "Leçon réservée aux partenaires",
                   "Le mot témoin est zanzibarpartenaire.", "visibility: partners\ndate: 2020\ncountries: [GN]\n"));
        f.add("lessons/le-canary-internal.fr.md",
              note("le-canary-internal", "fr", "lesson", "Note interne",
                   "Le mot témoin est zanzibarinterne. Les latrines de l'école et le comité de gestion.",
                   "date: 2022\ncountries: [MA]\n"));
        f.add("lessons/le-canary-draft.en.md",
              note("le-canary-draft", "en", "lesson", "A draft", "The canary word is zanzibardraft.",
                   "visibility: public\nstatus: draft\n"));
        f.index();
        ASSERT_EQ(f.report.errors, 0u) << (f.messages.empty() ? "" : f.messages[0]);
        s_searcher = new Searcher(f.db());
    }
    static void TearDownTestSuite() {
        delete s_searcher;
        delete s_index;
    }

    static SearchResult run(const std::string& q, SearchRequest r = {}) {
        r.query = q;
        r.limit = 50;
        return s_searcher->search(r);
    }
    static std::vector<std::string> ids(const SearchResult& r) {
        std::vector<std::string> out;
        for (const auto& h : r.hits) out.push_back(h.id + "." + h.lang);
        return out;
    }
    static bool has(const SearchResult& r, const std::string& id_lang) {
        const auto v = ids(r);
        return std::find(v.begin(), v.end(), id_lang) != v.end();
    }

    static test::FixtureIndex* s_index;
    static Searcher* s_searcher;
};

test::FixtureIndex* SearchTest::s_index = nullptr;
Searcher* SearchTest::s_searcher = nullptr;

// Golden cases: accents, case and French elisions are folded at index and query time.
TEST_F(SearchTest, AccentsCaseAndElisionsAreFolded) {
    for (const char* q : {"ecole", "école", "ECOLES", "l'ecole", "Écoles"}) EXPECT_TRUE(has(run(q), "gp-ecole.fr")) << q;
    EXPECT_TRUE(has(run("coeur"), "gp-ecole.fr"));
    EXPECT_TRUE(has(run("kedougou"), "gp-ecole.fr"));
    EXPECT_TRUE(has(run("comites"), "gp-ecole.fr"));
}

TEST_F(SearchTest, SnippetsShowTheOriginalTextHighlighted) {
    const SearchResult r = run("ecole", {.langs = {"fr"}});
    ASSERT_FALSE(r.hits.empty());
    EXPECT_NE(r.hits[0].snippet.find("<mark>l’école</mark>"), std::string::npos) << r.hits[0].snippet;
}

TEST_F(SearchTest, EnglishIsStemmedInEnglish) {
    const SearchRequest versions{.collapse = false};
    EXPECT_TRUE(has(run("school", versions), "gp-ecole.en"));
    EXPECT_TRUE(has(run("maintain", versions), "gp-ecole.en"));
    EXPECT_TRUE(has(run("washing hand", versions), "gp-ecole.en"));
}

TEST_F(SearchTest, GlossarySynonymsCrossLanguages) {
    const SearchResult fr_query = run("assainissement", {.explain = true});
    EXPECT_TRUE(has(fr_query, "rp-sanitation.en")) << fr_query.description;
    const SearchResult en_query = run("boreholes", {.explain = true});
    EXPECT_TRUE(has(en_query, "rp-forages.fr")) << en_query.description;
    EXPECT_TRUE(has(run("standpipes"), "rp-forages.fr"));  // borne-fontaine, hyphenated in the text
}

TEST_F(SearchTest, ANamedCountryAlsoMatchesDocumentsTaggedWithIt) {
    // The vault record never names Senegal in its text.
    EXPECT_TRUE(has(run("Sénégal"), "pr-vault.en"));
    EXPECT_TRUE(has(run("senegal"), "pr-vault.en"));
    const SearchResult r = run("maçons Sénégal");
    EXPECT_TRUE(has(r, "pr-vault.en"));  // "masons" via the glossary, Senegal via the tag
    EXPECT_FALSE(has(run("Maroc"), "pr-vault.en"));
}

TEST_F(SearchTest, ANamedPhaseAlsoMatchesDocumentsInThatPhase) {
    // "comité de pilotage" is an alias of the steering-committees phase; the note never says it.
    EXPECT_TRUE(has(run("comite de pilotage"), "gp-comites.fr"));
    EXPECT_TRUE(has(run("steering committee"), "gp-comites.fr"));
}

TEST_F(SearchTest, TypedVocabularyPhrasesMatchTheirWordsAnywhere) {
    // "formation professionnelle" names a theme, but the words the person typed still match
    // apart, as any other words do; only quotes ask for the exact phrase.
    EXPECT_TRUE(has(run("formation professionnelle"), "rp-insertion.fr"));
    EXPECT_FALSE(has(run("\"formation professionnelle\""), "rp-insertion.fr"));
}

// Every document matching a concept of the query is a hit; those matching all of them first.
TEST_F(SearchTest, AllWordsFirstThenMostWords) {
    const SearchResult both = run("latrines kedougou");
    EXPECT_FALSE(both.relaxed);
    ASSERT_GE(both.hits.size(), 2u);
    EXPECT_EQ(both.hits[0].id, "gp-ecole");
    EXPECT_TRUE(both.hits[0].all_words);
    EXPECT_EQ(both.total_all, 1u);
    EXPECT_TRUE(both.total_exact);
    EXPECT_TRUE(has(both, "rp-sanitation.en"));  // toilets: latrines through the glossary, not Kédougou
    for (std::size_t i = 1; i < both.hits.size(); ++i) EXPECT_FALSE(both.hits[i].all_words) << both.hits[i].id;
    EXPECT_EQ(both.total, both.hits.size());
    const SearchResult strict = run("latrines kedougou", {.match_all = true});
    EXPECT_EQ(ids(strict), std::vector<std::string>{"gp-ecole.fr"});
    const SearchResult none_has_all = run("latrines podor");
    EXPECT_TRUE(none_has_all.relaxed);
    EXPECT_EQ(none_has_all.total_all, 0u);
    EXPECT_TRUE(has(none_has_all, "rp-forages.fr"));
    EXPECT_TRUE(has(none_has_all, "gp-ecole.fr"));
    EXPECT_EQ(run("latrines podor", {.match_all = true}).total, 0u);
    // A phrase and +word stay strict.
    EXPECT_FALSE(has(run("+kedougou latrines"), "rp-sanitation.en"));
    EXPECT_FALSE(has(run("\"pompes solaires\" latrines"), "gp-ecole.fr"));
}

// A French query prefers French versions, an English one English versions; lang_pref decides
// when given, and the archive's default language when the query does not tell.
TEST_F(SearchTest, TheQueryLanguageOrTheAskedOneIsShown) {
    EXPECT_EQ(run("les latrines de l'école").hits.at(0).lang, "fr");
    const SearchResult en = run("the school latrines");
    EXPECT_EQ(en.lang_pref, "en");
    EXPECT_EQ(en.hits.at(0).id, "gp-ecole");
    EXPECT_EQ(en.hits.at(0).lang, "en");
    EXPECT_EQ(run("latrines").lang_pref, "fr");
    EXPECT_EQ(run("latrines", {.default_lang = "en"}).lang_pref, "en");
    const SearchResult asked = run("les latrines de l'école", {.lang_pref = "en"});
    EXPECT_EQ(asked.hits.at(0).lang, "en");
    ASSERT_EQ(asked.hits.at(0).versions.size(), 2u);
    EXPECT_EQ(asked.hits.at(0).versions[0].lang, "en");
    EXPECT_EQ(asked.hits.at(0).versions[0].title, "The Kédougou school and its latrines");
    EXPECT_EQ(asked.hits.at(0).versions[1].title, "L'école de Kédougou et ses latrines");
}

TEST_F(SearchTest, QueryLanguage) {
    EXPECT_TRUE(has(run("\"pompes solaires\""), "rp-forages.fr"));
    EXPECT_FALSE(has(run("\"solaires pompes\""), "rp-forages.fr"));
    EXPECT_FALSE(has(run("latrines -kedougou"), "gp-ecole.fr"));
    EXPECT_TRUE(has(run("title:forages"), "rp-forages.fr"));
    EXPECT_FALSE(has(run("title:solaires"), "gp-ecole.fr"));
    EXPECT_EQ(ids(run("country:ma")), std::vector<std::string>{"rp-sanitation.en"});
    EXPECT_EQ(ids(run("country:MA")), std::vector<std::string>{"rp-sanitation.en"});
    EXPECT_TRUE(has(run("forag*"), "rp-forages.fr"));
}

// An operand that is a vocabulary word (a country, a glossary term) stays with its operator.
TEST_F(SearchTest, BooleanOperatorsJoinVocabularyWordsToo) {
    const SearchResult r = run("latrines OR forages");
    EXPECT_TRUE(has(r, "gp-ecole.fr"));
    EXPECT_TRUE(has(r, "rp-forages.fr"));
    EXPECT_EQ(ids(run("latrines AND forages")), std::vector<std::string>{});
    EXPECT_TRUE(has(run("sanitation OR maroc"), "rp-sanitation.en"));
    EXPECT_EQ(run("latrines OR forages").lang_pref, "fr");  // operators tell nothing of the language
}

// Equal dates are ordered by id and language, whatever order the documents were indexed in.
TEST_F(SearchTest, EqualDatesAndWeightsHaveOneOrder) {
    SearchRequest r;
    r.sort = SearchRequest::Sort::date;
    r.collapse = false;
    const auto v = ids(run("latrines", r));
    const auto fr = std::find(v.begin(), v.end(), "gp-ecole.fr"), en = std::find(v.begin(), v.end(), "gp-ecole.en");
    ASSERT_TRUE(fr != v.end() && en != v.end());
    // The same date: newest first sorts the keys down, "…gp-ecole@fr" before "…gp-ecole@en"
    // (indexed the other way round: the English file is read first).
    EXPECT_EQ(en - fr, 1);
}

// Documents of equal weight come in the order of their keys (date, then id and language), not
// in the order they were indexed, on every page: the same order over any layout of shards.
TEST(SearchTieTest, EqualWeightsOrderByKeyOnEveryPage) {
    test::FixtureIndex f;
    for (const std::string id : {"tie-a", "tie-b", "tie-c", "tie-d"})  // read in this order
        f.add(id + ".fr.md", note(id, "fr", "report", "Rapport", "Le mot zanzitie.", "visibility: public\ndate: 2020\n"));
    f.index();
    ASSERT_EQ(f.report.errors, 0u);
    Searcher s(f.db());
    SearchRequest r;
    r.query = "zanzitie";
    r.limit = 4;
    std::vector<std::string> all;
    for (const SearchHit& h : s.search(r).hits) all.push_back(h.id);
    EXPECT_EQ(all, (std::vector<std::string>{"tie-d", "tie-c", "tie-b", "tie-a"}));
    r.limit = 1;
    for (std::size_t page = 0; page < 4; ++page) {  // a tie across every page edge
        r.offset = page;
        const SearchResult res = s.search(r);
        ASSERT_EQ(res.hits.size(), 1u);
        EXPECT_EQ(res.hits[0].id, all[page]) << "page " << page;
    }
    r.limit = 2;
    r.offset = 1;
    const SearchResult middle = s.search(r);
    ASSERT_EQ(middle.hits.size(), 2u);
    EXPECT_EQ(middle.hits[0].id, "tie-c");
    EXPECT_EQ(middle.hits[1].id, "tie-b");
}

TEST_F(SearchTest, MalformedQueryNamesTheParameter) {
    try {
        run("title:(latrines");
        run("\"unclosed AND OR (");
    } catch (const SearchError& e) {
        EXPECT_EQ(e.parameter(), "q");
        return;
    }
    SUCCEED() << "Xapian accepted both queries leniently";
}

TEST_F(SearchTest, FiltersCombineOrWithinAndAcross) {
    EXPECT_EQ(run("", {.countries = {"MA"}}).total, 1u);
    EXPECT_EQ(run("", {.countries = {"MA", "SN"}}).total, 4u);  // documents, whatever their versions
    EXPECT_EQ(run("", {.countries = {"MA", "SN"}, .collapse = false}).total, 5u);
    EXPECT_EQ(run("", {.phases = {"steering-committees"}}).total, 1u);
    EXPECT_EQ(run("", {.countries = {"SN"}, .kinds = {"report"}}).total, 1u);
    EXPECT_EQ(run("", {.langs = {"en"}}).total, 3u);
    EXPECT_EQ(run("", {.themes = {"water"}}).total, 1u);  // from sector 14031 alone
    SearchRequest years;
    years.year_from = 2016;
    years.year_to = 2019;
    EXPECT_EQ(run("", years).total, 2u);
}

TEST_F(SearchTest, BrowsingListsNewestFirst) {
    const SearchResult r = run("");
    ASSERT_EQ(r.total, 6u);
    EXPECT_EQ(r.hits[0].id, "rp-forages");
    EXPECT_EQ(r.hits.back().id, "rp-insertion");
}

TEST_F(SearchTest, FacetsCountEveryMatch) {
    const SearchResult r = run("");
    auto count = [&](const std::string& facet, const std::string& value) -> std::size_t {
        for (const auto& v : r.facets.at(facet))
            if (v.value == value) return v.count;
        return 0;
    };
    // Documents: gp-ecole, in French and English, counts once, and under both languages.
    EXPECT_EQ(count("lang", "fr"), 4u);
    EXPECT_EQ(count("lang", "en"), 3u);
    EXPECT_EQ(count("country", "SN"), 3u);
    EXPECT_EQ(count("kind", "report"), 3u);
    EXPECT_EQ(count("theme", "wash-schools"), 2u);
    EXPECT_EQ(count("year", "2019"), 1u);
}

TEST_F(SearchTest, WithoutCollapsingFacetsCountVersions) {
    const SearchResult r = run("", {.collapse = false});
    auto count = [&](const std::string& facet, const std::string& value) -> std::size_t {
        for (const auto& v : r.facets.at(facet))
            if (v.value == value) return v.count;
        return 0;
    };
    EXPECT_EQ(r.total, 7u);
    EXPECT_EQ(count("lang", "fr"), 4u);
    EXPECT_EQ(count("lang", "en"), 3u);
    EXPECT_EQ(count("country", "SN"), 4u);
    EXPECT_EQ(count("theme", "wash-schools"), 3u);
    EXPECT_EQ(count("year", "2019"), 2u);
}

TEST_F(SearchTest, OneHitPerDocumentListingItsVersions) {
    const SearchResult r = run("kedougou latrines");
    std::set<std::string> seen;
    for (const auto& h : r.hits) EXPECT_TRUE(seen.insert(h.id).second) << h.id << " twice";
    ASSERT_FALSE(r.hits.empty());
    EXPECT_EQ(r.hits[0].id, "gp-ecole");
    ASSERT_EQ(r.hits[0].versions.size(), 2u);
    EXPECT_EQ(r.hits[0].versions[0].lang, "en");
    EXPECT_EQ(r.hits[0].versions[1].lang, "fr");
    const SearchResult paged = run("kedougou latrines", {.offset = 1, .limit = 1});
    for (const auto& h : paged.hits) EXPECT_NE(h.id, "gp-ecole");  // the next page does not repeat it
}

TEST_F(SearchTest, EachRoleSeesOnlyWhatItMay) {
    for (const char* canary : {"zanzibarpartenaire", "zanzibarinterne", "zanzibardraft"}) {
        const SearchResult r = run(canary);
        EXPECT_EQ(r.total, 0u) << canary;
        EXPECT_FALSE(r.suggestion.has_value()) << canary << " leaked through a suggestion";
    }
    EXPECT_EQ(run("zanzibarpartenaire", {.role = "partners"}).total, 1u);
    EXPECT_EQ(run("zanzibarinterne", {.role = "partners"}).total, 0u);
    EXPECT_EQ(run("zanzibarinterne", {.role = "internal"}).total, 1u);
    EXPECT_EQ(run("zanzibardraft", {.role = "internal"}).total, 1u);
    const SearchResult browse = run("");
    EXPECT_EQ(browse.facets.at("country").size(), 2u);  // GN only in non-public documents
    EXPECT_THROW(run("x", {.role = "admin"}), SearchError);
}

TEST_F(SearchTest, SpellingSuggestionsNeverRevealWordsOfHiddenDocuments) {
    // A near miss of a word found only in an internal document.
    const SearchResult pub = run("zanzibarinteme");
    EXPECT_FALSE(pub.suggestion.has_value()) << *pub.suggestion;
    EXPECT_FALSE(run("zanzibarinteme", {.role = "partners"}).suggestion.has_value());
    EXPECT_FALSE(pub.corrected.has_value());
    EXPECT_EQ(pub.total, 0u);
    const SearchResult internal = run("zanzibarinteme", {.role = "internal"});
    ASSERT_TRUE(internal.corrected.has_value());  // matches nothing: corrected at once
    EXPECT_EQ(*internal.corrected, "zanzibarinterne");
    EXPECT_EQ(internal.total, 1u);
    const SearchResult asked = run("zanzibarinteme", {.role = "internal", .correct = false});
    ASSERT_TRUE(asked.suggestion.has_value());
    EXPECT_EQ(*asked.suggestion, "zanzibarinterne");
}

TEST_F(SearchTest, HitsListTheirVisibleTranslations) {
    const SearchResult r = run("kedougou", {.langs = {"fr"}});
    ASSERT_FALSE(r.hits.empty());
    EXPECT_EQ(r.hits[0].translations, std::vector<std::string>{"en"});
}

// Both language versions among the hits: each lists the other (the cache of translations is
// filled once per id, even when the id comes twice).
TEST_F(SearchTest, BothVersionsAmongTheHitsListEachOther) {
    const SearchResult r = run("kedougou", {.collapse = false});
    std::map<std::string, std::vector<std::string>> by_lang;
    for (const auto& h : r.hits)
        if (h.id == r.hits[0].id) by_lang[h.lang] = h.translations;
    ASSERT_EQ(by_lang.size(), 2u);
    EXPECT_EQ(by_lang["fr"], std::vector<std::string>{"en"});
    EXPECT_EQ(by_lang["en"], std::vector<std::string>{"fr"});
    EXPECT_EQ(run("kedougou", {.collapse = false}).hits[0].translations, r.hits[0].translations);  // from the cache now
}

TEST_F(SearchTest, AFacetCountsAsIfItsOwnFilterWereNotSet) {
    const SearchResult r = run("", {.countries = {"MA"}});
    EXPECT_EQ(r.total, 1u);
    bool senegal_offered = false;
    for (const auto& v : r.facets.at("country")) senegal_offered |= v.value == "SN" && v.count == 3;
    EXPECT_TRUE(senegal_offered);                 // the other countries stay offered with their counts
    EXPECT_EQ(r.facets.at("kind").size(), 1u);    // other facets follow the country filter
}

TEST_F(SearchTest, SimilarDocumentsAreOthersTheCallerMaySee) {
    const auto hits = s_searcher->similar("gp-ecole", "fr", "public");
    ASSERT_FALSE(hits.empty());
    for (const auto& h : hits) {
        EXPECT_NE(h.id, "gp-ecole");             // neither itself nor its translation
        EXPECT_NE(h.id, "le-canary-internal");   // close in words, but internal
    }
    bool internal_seen = false;
    for (const auto& h : s_searcher->similar("gp-ecole", "fr", "internal")) internal_seen |= h.id == "le-canary-internal";
    EXPECT_TRUE(internal_seen);
    EXPECT_TRUE(s_searcher->similar("le-canary-internal", "fr", "public").empty());
    EXPECT_TRUE(s_searcher->similar("no-such-doc", "fr", "internal").empty());
}

TEST_F(SearchTest, CompletionsComeFromVisibleTitlesAndWords) {
    const auto c = s_searcher->complete("latr", "public");
    EXPECT_NE(std::find(c.begin(), c.end(), "latrines"), c.end());
    EXPECT_NE(std::find(c.begin(), c.end(), "L'école de Kédougou et ses latrines"), c.end());
    EXPECT_TRUE(s_searcher->complete("zanzibar", "public").empty());
    const auto internal = s_searcher->complete("zanzibar", "internal");
    EXPECT_NE(std::find(internal.begin(), internal.end(), "zanzibarinterne"), internal.end());
    const auto two = s_searcher->complete("pompes sol", "public");
    EXPECT_NE(std::find(two.begin(), two.end(), "pompes solaires"), two.end());
    EXPECT_TRUE(s_searcher->complete("l", "public").empty());
}

// A word that matches nothing is corrected at once, even when the other words find documents.
TEST_F(SearchTest, AWordThatMatchesNothingIsCorrected) {
    const SearchResult r = run("latrinnes");
    ASSERT_TRUE(r.corrected.has_value());
    EXPECT_EQ(*r.corrected, "latrines");
    EXPECT_TRUE(has(r, "gp-ecole.fr"));
    EXPECT_FALSE(r.suggestion.has_value());
    const SearchResult other_words_find = run("latrinnes kedougou");
    ASSERT_TRUE(other_words_find.corrected.has_value());
    EXPECT_EQ(*other_words_find.corrected, "latrines kedougou");
    EXPECT_EQ(other_words_find.total_all, 1u);
    const SearchResult as_typed = run("latrinnes", {.correct = false});
    EXPECT_EQ(as_typed.total, 0u);
    ASSERT_TRUE(as_typed.suggestion.has_value());
    EXPECT_EQ(*as_typed.suggestion, "latrines");
    EXPECT_FALSE(run("latrines").suggestion.has_value());
    EXPECT_FALSE(run("latrines").corrected.has_value());
}

// A word found in far fewer documents than a close correction keeps its own results, and the
// correction is offered as a suggestion.
TEST(SearchSpellingTest, ARareWordKeepsItsResultsAndItsCorrectionIsSuggested) {
    test::FixtureIndex f;
    for (int i = 0; i < 30; ++i)
        f.add("r" + std::to_string(i) + ".fr.md",
              note("r" + std::to_string(i), "fr", "report", "Rapport " + std::to_string(i), "Les latrines de l'école.",
                   "visibility: public\ndate: 2020\n"));
    f.add("typo.fr.md", note("typo", "fr", "report", "Coquille", "Les latrinnes du village.", "visibility: public\ndate: 2020\n"));
    f.index();
    ASSERT_EQ(f.report.errors, 0u);
    Searcher s(f.db());
    SearchRequest r;
    r.query = "latrinnes";
    const SearchResult rare = s.search(r);
    EXPECT_FALSE(rare.corrected.has_value());  // it matches a document: not replaced
    ASSERT_EQ(rare.total, 1u);
    EXPECT_EQ(rare.hits[0].id, "typo");
    ASSERT_TRUE(rare.suggestion.has_value());
    EXPECT_EQ(*rare.suggestion, "latrines");
}

// The visibility filter is left out only when every document is at a level the role may see:
// an index of partners' documents alone shows the public nothing, by any route of a search.
TEST(SearchVisibilityTest, AnIndexOfPartnersDocumentsAloneShowsThePublicNothing) {
    test::FixtureIndex f;
    for (const std::string id : {"p-a", "p-b"})
        f.add(id + ".fr.md", note(id, "fr", "lesson", "Leçon " + id, "Les latrines zanzivis.", "visibility: partners\ndate: 2020\n"));
    f.index();
    ASSERT_EQ(f.report.errors, 0u);
    Searcher s(f.db());
    for (const std::string q : {"zanzivis", "latrines", ""}) {
        SearchRequest r;
        r.query = q;
        const SearchResult pub = s.search(r);
        EXPECT_EQ(pub.total, 0u) << q;
        EXPECT_TRUE(pub.hits.empty()) << q;
        for (const auto& [name, values] : pub.facets) EXPECT_TRUE(values.empty()) << q << " " << name;
        r.role = "partners";
        EXPECT_EQ(s.search(r).total, 2u) << q;
        r.role = "public";
        r.kinds = {"lesson"};  // a facet counted as if its own filter were not set
        const SearchResult filtered = s.search(r);
        EXPECT_EQ(filtered.total, 0u) << q;
        for (const auto& [name, values] : filtered.facets) EXPECT_TRUE(values.empty()) << q << " " << name;
    }
}

// Over a large result, a search counts its first matches (SearcherOptions::exact_count_limit)
// and estimates the rest; its pages are those of counting every match.
class SearchBudgetTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_index = new test::FixtureIndex();
        for (int i = 0; i < 30; ++i) {  // 30 documents in French and English, each weighing differently
            const std::string id = "bud-" + std::to_string(100 + i);
            std::string fr = "Le mot", en = "The word";
            for (int k = 0; k <= i; ++k) fr += " zanzibudget";
            for (int k = 0; k <= i / 3; ++k) en += " zanzibudget";
            const std::string meta = std::string("visibility: public\ndate: 2020\ncountries: [") + (i % 3 ? "SN" : "MA") + "]\n";
            s_index->add(id + ".fr.md", note(id, "fr", i % 2 ? "report" : "lesson", "Rapport " + id, fr + ".", meta));
            s_index->add(id + ".en.md", note(id, "en", i % 2 ? "report" : "lesson", "Report " + id, en + ".", meta));
        }
        s_index->index();
        ASSERT_EQ(s_index->report.errors, 0u);
    }
    static void TearDownTestSuite() { delete s_index; }
    static SearchResult search(unsigned limit, SearchRequest r) {
        SearcherOptions o;
        o.shards = {s_index->db().string()};
        o.exact_count_limit = limit;
        r.query = "zanzibudget";
        return Searcher(o).search(r);
    }
    static std::vector<std::string> ids(const SearchResult& r) {
        std::vector<std::string> out;
        for (const auto& h : r.hits) out.push_back(h.id + "." + h.lang);
        return out;
    }
    static std::size_t count(const SearchResult& r, const std::string& facet, const std::string& value) {
        for (const auto& v : r.facets.at(facet))
            if (v.value == value) return v.count;
        return 0;
    }
    static test::FixtureIndex* s_index;
};

test::FixtureIndex* SearchBudgetTest::s_index = nullptr;

TEST_F(SearchBudgetTest, UnderTheLimitEverythingIsExact) {
    const SearchResult r = search(1000, {.limit = 5});
    EXPECT_TRUE(r.total_exact);
    EXPECT_EQ(r.total, 30u);
    EXPECT_EQ(count(r, "country", "MA"), 10u);
    EXPECT_EQ(count(r, "lang", "en"), 30u);
}

TEST_F(SearchBudgetTest, OverTheLimitTotalsAndFacetsAreEstimatesAndPagesTheSame) {
    for (const bool collapse : {true, false}) {
        const std::size_t all = collapse ? 30 : 60;
        for (std::size_t offset : {0u, 5u, 25u}) {
            SearchRequest r;
            r.limit = 5;
            r.offset = offset;
            r.collapse = collapse;
            const SearchResult exact = search(0, r), sampled = search(8, r);
            SCOPED_TRACE(std::string(collapse ? "one hit per document" : "one hit per version") + ", from " + std::to_string(offset));
            EXPECT_TRUE(exact.total_exact);
            EXPECT_EQ(exact.total, all);
            EXPECT_EQ(ids(sampled), ids(exact));  // the same hits, in the same order
            ASSERT_EQ(sampled.hits.size(), 5u);
            EXPECT_FALSE(sampled.total_exact);
            // 8 versions counted (4 documents) scaled to the whole index: near the true count,
            // far from what was counted.
            EXPECT_GE(sampled.total, all * 2 / 3);
            EXPECT_LE(sampled.total, all * 3 / 2);
            EXPECT_GE(count(sampled, "lang", "fr"), 30u * 2 / 3);
            EXPECT_LE(count(sampled, "lang", "fr"), 30u * 3 / 2);
        }
    }
}

TEST_F(SearchBudgetTest, AFilteredFacetOverTheLimitIsAnEstimateToo) {
    SearchRequest r;
    r.limit = 5;
    r.countries = {"SN"};
    const SearchResult exact = search(0, r), sampled = search(30, r);  // 20 documents, 40 versions
    EXPECT_EQ(exact.total, 20u);
    EXPECT_TRUE(sampled.total_exact == false);
    EXPECT_EQ(ids(sampled), ids(exact));
    EXPECT_EQ(count(exact, "country", "MA"), 10u);  // counted as if the country were not filtered: 60 versions
    EXPECT_GE(count(sampled, "country", "MA"), 5u);
    EXPECT_LE(count(sampled, "country", "MA"), 15u);
}

// Searches on several threads, each with its own Searcher, as the server's request threads and
// the offline export run them: browsing (a blank query) once copied one Xapian query shared by
// the whole process, whose reference count is not thread-safe, and crashed in set_query.
TEST_F(SearchTest, BrowsingOnSeveralThreadsAtOnceSharesNoQuery) {
    // (Before the fix, about one round in seven crashed: eight rounds, each of new threads with
    // new Searchers starting together, crash nearly every run.)
    std::atomic<int> found{0};
    for (int round = 0; round < 8; ++round) {
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                Searcher own(s_index->db());
                for (int i = 0; i < 3000; ++i) {
                    SearchRequest r;
                    r.kinds = {i % 2 ? "report" : "good_practice"};
                    found += own.search(r).total > 0 ? 1 : 0;
                }
            });
        for (auto& t : threads) t.join();
    }
    EXPECT_EQ(found.load(), 8 * 4 * 3000);
}

}  // namespace
}  // namespace passerelle
