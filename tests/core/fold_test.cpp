#include "core/fold.h"

#include <gtest/gtest.h>

#include "core/folding_stem.h"

namespace passerelle {
namespace {

TEST(FoldTest, LowersAndRemovesAccents) {
    EXPECT_EQ(fold("École"), "ecole");
    EXPECT_EQ(fold("ÉCOLES"), "ecoles");
    EXPECT_EQ(fold("Sénégal"), "senegal");
    EXPECT_EQ(fold("Guinée"), "guinee");
    EXPECT_EQ(fold("maïs à Kédougou"), "mais a kedougou");
    EXPECT_EQ(fold("ça, où, être, naïf, Noël"), "ca, ou, etre, naif, noel");
}

TEST(FoldTest, ExpandsLigaturesNfdDoesNotDecompose) {
    EXPECT_EQ(fold("cœur"), "coeur");
    EXPECT_EQ(fold("Œuvre"), "oeuvre");
    EXPECT_EQ(fold("ex æquo"), "ex aequo");
}

TEST(FoldTest, TypographicApostropheBecomesPlain) {
    EXPECT_EQ(fold("l’école"), "l'ecole");
    EXPECT_EQ(fold("aujourd’hui"), "aujourd'hui");
}

TEST(FoldTest, AsciiFastPathOnlyLowers) {
    EXPECT_EQ(fold("Water AND Sanitation 2021"), "water and sanitation 2021");
}

TEST(FoldTest, DecomposedInputFoldsLikeComposed) {
    EXPECT_EQ(fold("e\xCC\x81" "cole"), "ecole");  // e + U+0301 COMBINING ACUTE
}

TEST(FoldTest, FoldsOutsideTheLatinTable) {
    EXPECT_EQ(fold("ẞ"), "ss");
    EXPECT_EQ(fold("Ắ"), "a");    // Latin Extended Additional, through ICU
    EXPECT_EQ(fold("Ж"), "ж");    // Cyrillic: lower-cased, no accent to remove
}

TEST(StripElisionTest, StripsFrenchElisions) {
    EXPECT_EQ(strip_elision("l'ecole"), "ecole");
    EXPECT_EQ(strip_elision("d'ecoles"), "ecoles");
    EXPECT_EQ(strip_elision("qu'il"), "il");
    EXPECT_EQ(strip_elision("jusqu'a"), "a");
    EXPECT_EQ(strip_elision("lorsqu'on"), "on");
}

TEST(StripElisionTest, LeavesOtherApostrophesAlone) {
    EXPECT_EQ(strip_elision("aujourd'hui"), "aujourd'hui");
    EXPECT_EQ(strip_elision("don't"), "don't");
    EXPECT_EQ(strip_elision("l'"), "l'");
    EXPECT_EQ(strip_elision("ecole"), "ecole");
}

TEST(FoldWordTest, FoldsThenStripsElision) {
    EXPECT_EQ(fold_word("L’École"), "ecole");
    EXPECT_EQ(fold_word("D'ÉCOLES"), "ecoles");
}

// Golden cases: every spelling a person may type reaches the same stem.
TEST(FoldingStemTest, FrenchVariantsShareOneStem) {
    Xapian::Stem fr = make_folding_stem("fr");
    const std::string ecole = fr("école");
    for (const char* w : {"ecole", "École", "ECOLES", "écoles", "l'école", "l’école", "d'écoles"})
        EXPECT_EQ(fr(w), ecole) << w;
    EXPECT_EQ(fr("cœur"), fr("coeur"));
    EXPECT_EQ(fr("comités"), fr("comites"));
    EXPECT_EQ(fr("santé"), fr("sante"));
    EXPECT_EQ(fr("assainissement"), fr("Assainissement"));
    EXPECT_NE(fr("école"), fr("écolier") + "x");
}

TEST(FoldingStemTest, EnglishStemsAndFolds) {
    Xapian::Stem en = make_folding_stem("en");
    EXPECT_EQ(en("schools"), en("school"));
    EXPECT_EQ(en("Sanitation"), en("sanitation"));
    EXPECT_EQ(en("boreholes"), en("borehole"));
    EXPECT_EQ(en("café"), en("cafe"));
    EXPECT_EQ(en("don't"), "don't");  // no French elision stripping in English
}

TEST(FoldingStemTest, OtherLanguagesUseTheirSnowballStemmer) {
    EXPECT_TRUE(has_stemmer("es"));
    EXPECT_TRUE(has_stemmer("pt"));
    EXPECT_FALSE(has_stemmer("wo"));
    Xapian::Stem es = make_folding_stem("es");
    EXPECT_EQ(es("escuelas"), es("Escuela"));
    Xapian::Stem wo = make_folding_stem("wo");  // Wolof: no stemmer, folding only
    EXPECT_EQ(wo("Jàmm"), "jamm");
}

}  // namespace
}  // namespace passerelle
