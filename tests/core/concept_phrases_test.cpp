#include "core/concept_phrases.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <set>

#include "core/index_schema.h"
#include "core/search.h"
#include "core/folding_stem.h"
#include "core/tokenizer.h"
#include "support/fixture_index.h"
#include "support/vocab.h"

namespace passerelle {
namespace {

// The concept terms a matcher finds in `text`, written in `lang`, tokenised as the indexer does.
std::set<std::string> concepts_in(const std::string& text, const std::string& lang) {
    static const ConceptPhrases phrases(test::bundled_vocabularies());
    struct Sink : WordSink {
        std::unique_ptr<ConceptMatcher> matcher;
        std::unique_ptr<WordStems> stems;
        Xapian::termpos pos = 0;
        std::set<std::string> found;
        void word(const std::string& w) override {
            const StemmedWord& s = (*stems)(w);
            matcher->word(s.tag, ++pos, [&](const std::string& t) { found.insert(t); });
        }
    } sink;
    sink.matcher = phrases.matcher(lang);
    ConceptMatcher* m = sink.matcher.get();
    sink.stems = std::make_unique<WordStems>(lang, nullptr,
                                             [m](const std::string& f, const std::string& s) { return m->tag(f, s); });
    tokenize(text, sink);
    return sink.found;
}

bool found(const std::string& text, const std::string& lang, const std::string& expansion) {
    return concepts_in(text, lang).count(std::string(schema::k_concept) + expansion) == 1;
}

TEST(ConceptPhrasesTest, TermsAreMadeForPhrasesOfTwoToEightContentWords) {
    EXPECT_EQ(concept_term("fr:renforcement des capacites"), "XGfr:renforcement des capacites");
    EXPECT_EQ(concept_term("en:capacity building"), "XGen:capacity building");
    EXPECT_EQ(concept_term("fr:assainissement"), "");  // one word is its own term
    EXPECT_EQ(concept_term("fr:acces a l eau"), "XGfr:acces a l eau");
    EXPECT_EQ(concept_term("fr:de la"), "XGfr:de la");   // only stopwords: all of them count
    EXPECT_EQ(concept_term("en:water soap pump tank pipe roof wall door gate"), "");  // nine content words
    EXPECT_EQ(concept_term("no language"), "");
    EXPECT_EQ(concept_term("en:" + std::string(300, 'x') + " y"), "");  // longer than a term may be
}

TEST(ConceptPhrasesTest, APhraseIsFoundWhateverItsStopwordsCaseAccentsAndInflection) {
    EXPECT_TRUE(found("Le renforcement des capacités des élus.", "fr", "fr:renforcement des capacites"));
    EXPECT_TRUE(found("RENFORCEMENT DE CAPACITES", "fr", "fr:renforcement des capacites"));
    EXPECT_TRUE(found("les renforcements des capacités", "fr", "fr:renforcement des capacites"));
    EXPECT_TRUE(found("Capacity-building for local NGOs", "en", "en:capacity building"));
    EXPECT_FALSE(found("building the capacity of the capacity built", "en", "en:capacity building"));
    // Several phrases in one text, and a phrase inside a longer one.
    const auto c = concepts_in("accès à l'eau en milieu scolaire et eau potable", "fr");
    EXPECT_TRUE(c.count("XGfr:acces a eau"));
    EXPECT_TRUE(c.count("XGfr:acces a eau en milieu scolaire"));
    EXPECT_TRUE(c.count("XGfr:eau potable"));
}

TEST(ConceptPhrasesTest, WordsOutOfOrderApartOrInterruptedAreNoPhrase) {
    EXPECT_FALSE(found("les capacités de renforcement", "fr", "fr:renforcement des capacites"));
    EXPECT_FALSE(found("renforcement local des capacités", "fr", "fr:renforcement des capacites"));
    // Stopwords in between count as positions: more words than the phrase has is too far.
    EXPECT_FALSE(found("renforcement de la de la capacité", "fr", "fr:renforcement des capacites"));
    EXPECT_FALSE(found("water. Drinking", "en", "en:drinking water"));
}

TEST(ConceptPhrasesTest, APhraseInAnotherLanguageIsFoundWithTheDocumentsStems) {
    // An English document quoting the French term carries the French term's concept.
    EXPECT_TRUE(found("the so-called renforcement des capacités approach", "en", "fr:renforcement des capacites"));
    EXPECT_TRUE(found("Wolof text: eau potable", "wo", "fr:eau potable"));  // no stemmer: folding only
}

// Through the indexer and the searcher: the concept term is in the index, the planner uses it
// instead of a phrase check, and what a person sees is the same.
class ConceptSearchTest : public ::testing::Test {
  protected:
    void SetUp() override {
        f.add("a.fr.md", test::note("a", "fr", "report", "Appui aux communes",
                                    "Le renforcement de capacités des élus de Podor."));
        f.add("b.fr.md", test::note("b", "fr", "report", "Bâtiments",
                                    "Les capacités de stockage et le renforcement des murs."));
        f.add("c.fr.md", test::note("c", "fr", "report", "Titre qui finit par renforcement",
                                    "Des capacités sont là."));
        f.index();
        ASSERT_EQ(f.report.errors, 0u);
    }
    std::vector<std::string> ids(const std::string& q, std::string* description = nullptr) {
        Searcher s(f.db());
        SearchRequest r;
        r.query = q;
        r.explain = description != nullptr;
        const SearchResult res = s.search(r);
        if (description) *description = res.description;
        std::vector<std::string> out;
        for (const auto& h : res.hits) out.push_back(h.id);
        return out;
    }
    test::FixtureIndex f;
};

TEST_F(ConceptSearchTest, ATranslationIsMatchedThroughItsConceptTerm) {
    std::string how;
    EXPECT_EQ(ids("capacity building", &how), std::vector<std::string>{"a"});
    // "renforcement des capacités" or its variant "renforcement de capacités": the same words
    EXPECT_NE(how.find("XGfr:renforcement de"), std::string::npos) << how;
    EXPECT_EQ(how.find("PHRASE"), std::string::npos) << how;
    // Fields are apart: a title ending with one word and a body starting with the next is no phrase.
    Xapian::Database db((f.db() / "xapian").string());
    EXPECT_EQ(db.get_termfreq("XGfr:renforcement des capacites"), 1u);
    EXPECT_EQ(schema::schema_of(db), schema::k_schema_version);
}

TEST_F(ConceptSearchTest, TheSnippetShowsTheTranslationsWords) {
    Searcher s(f.db());
    SearchRequest r;
    r.query = "capacity building";
    const SearchResult res = s.search(r);
    ASSERT_EQ(res.hits.size(), 1u);
    EXPECT_NE(res.hits[0].snippet.find("<mark>renforcement</mark>"), std::string::npos) << res.hits[0].snippet;
    EXPECT_NE(res.hits[0].snippet.find("<mark>capacités</mark>"), std::string::npos) << res.hits[0].snippet;
}

TEST_F(ConceptSearchTest, AnIndexOfTheOlderSchemaIsSearchedWithPhrasesThenRebuilt) {
    {  // what Passerelle before concept terms wrote: no XG terms, schema 1
        Xapian::WritableDatabase db((f.db() / "xapian").string(), Xapian::DB_OPEN);
        for (Xapian::PostingIterator p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
            Xapian::Document d = db.get_document(*p);
            std::vector<std::string> xg;
            for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t)
                if ((*t).rfind(schema::k_concept, 0) == 0) xg.push_back(*t);
            for (const auto& t : xg) d.remove_term(t);
            db.replace_document(*p, d);
        }
        db.set_metadata(std::string(schema::k_meta_schema), "1");
        db.commit();
    }
    std::string how;
    EXPECT_EQ(ids("capacity building", &how), std::vector<std::string>{"a"});
    EXPECT_NE(how.find("PHRASE"), std::string::npos) << how;

    // The next run writes every document again, although no source changed.
    f.index();
    EXPECT_EQ(f.report.updated, 3u);
    EXPECT_EQ(ids("capacity building", &how), std::vector<std::string>{"a"});
    EXPECT_EQ(how.find("PHRASE"), std::string::npos) << how;
    Xapian::Database db((f.db() / "xapian").string());
    EXPECT_EQ(schema::schema_of(db), schema::k_schema_version);
    EXPECT_EQ(db.get_termfreq("XGfr:renforcement des capacites"), 1u);
}

}  // namespace
}  // namespace passerelle
