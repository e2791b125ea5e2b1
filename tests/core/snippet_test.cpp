#include "core/snippet.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <fstream>
#include <sstream>

#include "core/folding_stem.h"
#include "core/tokenizer.h"
#include "support/temp_dir.h"

namespace passerelle {
namespace {

struct Stemmer {
    Xapian::Stem stem;
    explicit Stemmer(const std::string& lang) : stem(make_folding_stem(lang)) {}
    SnippetMaker::StemFunction fn() {
        return [this](const std::string& w) { return stem(w); };
    }
};

std::string snippet(const std::string& text, std::unordered_map<std::string, double> stems, const std::string& lang = "fr",
                    std::size_t length = 200) {
    Stemmer s(lang);
    SnippetStyle style;
    style.length = length;
    return SnippetMaker(stems).make(text, s.fn(), style);
}

TEST(SnippetTest, MarksWordsThatStemToAQueryTermWithAccentsAndElisions) {
    EXPECT_EQ(snippet("Les latrines de l’école et les ECOLES voisines.", {{"ecol", 1}}),
              "Les latrines de <mark>l’école</mark> et les <mark>ECOLES</mark> voisines.");
    EXPECT_EQ(snippet("Water points were repaired.", {{"water", 1}, {"repair", 1}}, "en"),
              "<mark>Water</mark> points were <mark>repaired</mark>.");
}

TEST(SnippetTest, EscapesHtmlAndCollapsesWhitespace) {
    EXPECT_EQ(snippet("<script>alert('eau')</script>\n\n  A & B   eau", {{"eau", 1}}),
              "&lt;script&gt;alert('<mark>eau</mark>')&lt;/script&gt; A &amp; B <mark>eau</mark>");
}

TEST(SnippetTest, ShortTextIsShownWholeWithoutOmissionMarks) {
    EXPECT_EQ(snippet("Forage réparé.", {{"forag", 1}}), "<mark>Forage</mark> réparé.");
    EXPECT_EQ(snippet("Forage réparé.", {}), "Forage réparé.");
}

TEST(SnippetTest, LongTextWithoutMatchesShowsItsStart) {
    std::string text;
    for (int i = 0; i < 60; ++i) text += "mot" + std::to_string(i) + " ";
    const std::string s = snippet(text, {{"latrin", 1}}, "fr", 50);
    EXPECT_EQ(s.rfind("mot0 mot1 ", 0), 0u) << s;
    EXPECT_EQ(s.substr(s.size() - 3), "…");
    EXPECT_LE(s.size(), 50u + 3u);
}

TEST(SnippetTest, ChoosesThePassageWithTheMostDistinctQueryTerms) {
    std::string text = "Le forage du village a été creusé en 2015. ";
    for (int i = 0; i < 40; ++i) text += "Rien à signaler cette semaine-là. ";
    text += "Le comité de gestion entretient le forage et les latrines. ";
    for (int i = 0; i < 40; ++i) text += "Rien à signaler cette semaine-là. ";
    const std::string s = snippet(text, {{"forag", 1}, {"latrin", 1}, {"comit", 1}});
    EXPECT_EQ(s.rfind("…Le <mark>comité</mark> de gestion entretient le <mark>forage</mark> et les <mark>latrines</mark>.", 0), 0u) << s;
    EXPECT_EQ(s.substr(s.size() - 3), "…");
}

TEST(SnippetTest, HeavierTermsWin) {
    std::string text = "Le forage est propre. ";
    for (int i = 0; i < 40; ++i) text += "Rien à signaler. ";
    text += "Les latrines sont propres. ";
    for (int i = 0; i < 40; ++i) text += "Rien à signaler. ";
    EXPECT_NE(snippet(text, {{"forag", 1}, {"latrin", 5}}).find("<mark>latrines</mark>"), std::string::npos);
    EXPECT_NE(snippet(text, {{"forag", 5}, {"latrin", 1}}).find("<mark>forage</mark>"), std::string::npos);
}

TEST(SnippetTest, CutTextEndsWithTheOmissionMark) {
    Stemmer s("fr");
    const std::string out = SnippetMaker({{"forag", 1}}).make("Forage réparé.", s.fn(), SnippetStyle{}, true);
    EXPECT_EQ(out, "<mark>Forage</mark> réparé.…");
}

// The shortcut that skips stemming must never skip a word whose stem is a query term: checked
// on every word of the bundled content, in both languages.
struct Words : WordSink {
    std::vector<std::string> all;
    void word(const std::string& w) override { all.push_back(w); }
};

TEST(SnippetTest, ShortcutNeverSkipsAWordThatMatches) {
    std::size_t checked = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(test::source_dir() / "content")) {
        if (entry.path().extension() != ".md") continue;
        const std::string name = entry.path().filename().string();
        const std::string lang = name.find(".en.") != std::string::npos ? "en" : "fr";
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        Words words;
        tokenize(text.str(), words);
        Stemmer s(lang);
        for (const std::string& w : words.all) {
            const std::string stem = s.stem(w);
            if (stem.empty()) continue;
            EXPECT_TRUE(SnippetMaker({{stem, 1}}).may_match(w)) << w << " -> " << stem << " in " << name;
            ++checked;
        }
    }
    EXPECT_GT(checked, 10000u);
}

// And the passage finder, which passes over pieces of text between spaces, finds every word:
// a snippet for any word of a document, searched alone, marks it.
TEST(SnippetTest, EveryWordOfTheContentIsFoundAndMarked) {
    std::size_t checked = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(test::source_dir() / "content")) {
        if (entry.path().extension() != ".md") continue;
        const std::string name = entry.path().filename().string();
        Stemmer s(name.find(".en.") != std::string::npos ? "en" : "fr");
        std::ifstream in(entry.path());
        std::stringstream buffer;
        buffer << in.rdbuf();
        const std::string text = buffer.str();
        Words words;
        tokenize(text, words);
        for (std::size_t i = 0; i < words.all.size(); i += 5) {
            const std::string stem = s.stem(words.all[i]);
            if (stem.empty()) continue;
            const std::string out = SnippetMaker({{stem, 1}}).make(text, s.fn(), SnippetStyle{});
            EXPECT_NE(out.find("<mark>"), std::string::npos) << words.all[i] << " in " << name;
            ++checked;
        }
    }
    EXPECT_GT(checked, 2000u);
}

TEST(SnippetTest, AcronymsAndUnderscoresAreFound) {
    EXPECT_EQ(snippet("Rapport des U.N. sur _eau et (école).", {{"un", 1}, {"_eau", 1}, {"ecol", 1}}),
              "Rapport des <mark>U.N.</mark> sur <mark>_eau</mark> et (<mark>école</mark>).");
}

TEST(SnippetTest, ShortcutSkipsUnrelatedWords) {
    const SnippetMaker m({{"latrin", 1}, {"ecol", 1}});
    EXPECT_TRUE(m.may_match("latrines"));
    EXPECT_TRUE(m.may_match("l'ecole"));
    EXPECT_TRUE(m.may_match("école"));  // accented: folding decides
    EXPECT_FALSE(m.may_match("forage"));
    EXPECT_FALSE(m.may_match("d'eau"));
}

}  // namespace
}  // namespace passerelle
