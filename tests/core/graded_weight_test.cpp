#include "core/graded_weight.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <map>
#include <vector>

#include "core/query_planner.h"
#include "core/vocabulary.h"
#include "support/fixture_index.h"

namespace passerelle {
namespace {

using test::note;

class GradedWeightTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_index = new test::FixtureIndex();
        auto& f = *s_index;
        f.add("a.fr.md", note("a", "fr", "report", "Forages au Sénégal", "Les forages et les latrines des écoles du Sénégal. Les forages.",
                              "visibility: public\ncountries: [SN]\n"));
        f.add("b.fr.md", note("b", "fr", "report", "Latrines", "Des latrines dans les écoles, entretenues par les comités.",
                              "visibility: public\ncountries: [MA]\n"));
        f.add("c.en.md", note("c", "en", "report", "Boreholes", "Boreholes with solar pumps in the Fouta.",
                              "visibility: public\ncountries: [SN]\n"));
        f.add("d.en.md", note("d", "en", "report", "Schools", "School latrines and handwashing in twelve schools of Safi.",
                              "visibility: public\ncountries: [MA]\n"));
        f.index();
        ASSERT_EQ(f.report.errors, 0u);
        s_db = new Xapian::Database((f.db() / "xapian").string());
        s_vocab = new Vocabularies(Vocabularies::load(Vocabularies::default_dir()));
    }
    static void TearDownTestSuite() {
        delete s_vocab;
        delete s_db;
        delete s_index;
    }
    // Every match's weight, by document number.
    static std::map<Xapian::docid, double> weights(const Xapian::Query& q, bool graded) {
        Xapian::Enquire e(*s_db);
        if (graded) e.set_weighting_scheme(GradedWeight());
        e.set_query(q);
        std::map<Xapian::docid, double> out;
        const Xapian::MSet m = e.get_mset(0, s_db->get_doccount());
        for (auto it = m.begin(); it != m.end(); ++it) out[*it] = it.get_weight();
        return out;
    }
    static test::FixtureIndex* s_index;
    static Xapian::Database* s_db;
    static Vocabularies* s_vocab;
};

test::FixtureIndex* GradedWeightTest::s_index = nullptr;
Xapian::Database* GradedWeightTest::s_db = nullptr;
Vocabularies* GradedWeightTest::s_vocab = nullptr;

TEST_F(GradedWeightTest, WithoutConceptsItWeighsAsXapiansBM25) {
    const std::vector<Xapian::Query> terms = {Xapian::Query("Zforag"), Xapian::Query("Zlatrin"), Xapian::Query("Zschool"),
                                              Xapian::Query("Zecol")};
    const Xapian::Query q(Xapian::Query::OP_OR, terms.begin(), terms.end());
    const auto bm25 = weights(q, false), graded = weights(q, true);
    ASSERT_EQ(bm25.size(), 3u);  // a, b, d
    ASSERT_EQ(graded.size(), bm25.size());
    for (const auto& [doc, w] : bm25) {
        EXPECT_GT(w, 0);
        EXPECT_NEAR(graded.at(doc), w, 1e-9) << doc;
    }
}

TEST_F(GradedWeightTest, AConceptAddsItsWeightOnceToEachOfItsDocuments) {
    const Xapian::Query words(Xapian::Query::OP_OR, Xapian::Query("Zlatrin"), Xapian::Query("Zforag"));
    const auto plain = weights(Xapian::Query(Xapian::Query::OP_SYNONYM, &words, &words + 1), false);
    const auto graded = weights(graded_concept(words), true);
    ASSERT_EQ(plain.size(), 3u);  // a, b, d
    ASSERT_EQ(graded.size(), plain.size());
    for (const auto& [doc, w] : plain) EXPECT_NEAR(graded.at(doc), w + k_concept_weight, 1e-9) << doc;  // a has both words: once
}

// The planner's two forms of a graded query give every document the same weight: a word, and a
// vocabulary phrase whose country tag also matches documents that do not name it.
TEST_F(GradedWeightTest, BothFormsOfAPlanWeighTheSame) {
    for (const std::string text : {"latrines écoles", "forages Sénégal", "boreholes senegal schools"}) {
        QueryPlanner scheme(*s_vocab, *s_db, *s_db, ConceptBonus::weighting_scheme);
        QueryPlanner mixed(*s_vocab, *s_db, *s_db, ConceptBonus::weighting_scheme_without_max);
        QueryPlanner source(*s_vocab, *s_db, *s_db, ConceptBonus::posting_source);
        const PlannedQuery a = scheme.plan(text, MatchMode::most, {}), b = source.plan(text, MatchMode::most, {});
        const PlannedQuery c = mixed.plan(text, MatchMode::most, {});
        ASSERT_EQ(a.concepts, b.concepts) << text;
        EXPECT_EQ(c.query.get_description().find(" MAX "), std::string::npos) << text;
        const auto by_scheme = weights(a.query, true), by_source = weights(b.query, false), by_mixed = weights(c.query, true);
        ASSERT_FALSE(by_scheme.empty()) << text;
        ASSERT_EQ(by_scheme.size(), by_source.size()) << text;
        ASSERT_EQ(by_mixed.size(), by_source.size()) << text;
        for (const auto& [doc, w] : by_source) {
            EXPECT_NEAR(by_scheme.at(doc), w, 1e-9) << text << " " << doc;
            EXPECT_NEAR(by_mixed.at(doc), w, 1e-9) << text << " " << doc;
            EXPECT_GE(w, k_concept_weight) << text << " " << doc;  // every match matches a concept
        }
    }
    // "forages Sénégal": c is tagged SN without naming forages or Senegal in French; it matches
    // the country concept through its tag alone.
    QueryPlanner scheme(*s_vocab, *s_db, *s_db, ConceptBonus::weighting_scheme);
    const auto w = weights(scheme.plan("forages Sénégal", MatchMode::most, {}).query, true);
    EXPECT_EQ(w.size(), 2u);  // a (both concepts) and c (the tag)
    double heaviest = 0;
    for (const auto& [doc, x] : w) heaviest = std::max(heaviest, x);
    EXPECT_GE(heaviest, 2 * k_concept_weight);
}

}  // namespace
}  // namespace passerelle
