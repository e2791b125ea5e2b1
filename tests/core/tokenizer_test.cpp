#include "core/tokenizer.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/temp_dir.h"

namespace passerelle {
namespace {

struct Collect : WordSink {
    std::vector<std::string> words;
    void word(const std::string& w) override { words.push_back(w); }
};

std::vector<std::string> ours(std::string_view text) {
    Collect c;
    tokenize(text, c);
    return c.words;
}

// The words Xapian's own TermGenerator produces, in position order.
std::vector<std::string> xapians(const std::string& text) {
    Xapian::Document doc;
    Xapian::TermGenerator tg;
    tg.set_document(doc);
    tg.index_text(text);
    std::vector<std::pair<Xapian::termpos, std::string>> pos;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) pos.emplace_back(*p, *t);
    std::sort(pos.begin(), pos.end());
    std::vector<std::string> out;
    for (auto& [p, w] : pos) out.push_back(w);
    return out;
}

TEST(TokenizerTest, SplitsAndLowerCases) {
    EXPECT_EQ(ours("L'École de Kédougou, 2021 !"), (std::vector<std::string>{"l'école", "de", "kédougou", "2021"}));
    EXPECT_EQ(ours("borne-fontaine"), (std::vector<std::string>{"borne", "fontaine"}));
    EXPECT_EQ(ours("l’été"), (std::vector<std::string>{"l'été"}));
}

TEST(TokenizerTest, KeepsNumbersSuffixesAndAcronyms) {
    EXPECT_EQ(ours("1,5 million et 3.14"), (std::vector<std::string>{"1,5", "million", "et", "3.14"}));
    EXPECT_EQ(ours("C++ and C# at AT&T"), (std::vector<std::string>{"c++", "and", "c#", "at", "at&t"}));
    EXPECT_EQ(ours("the U.S.A. and U.N."), (std::vector<std::string>{"the", "usa", "and", "un"}));
}

TEST(TokenizerTest, AgreesWithXapiansTermGenerator) {
    for (const char* text : {
             "L'école de Kédougou : « un cœur », l’été 2021 ; C++ et C#, AT&T, U.S.A., 1,000.5 et 3;4",
             "Water, Sanitation and Hygiene (WASH) facilities in schools—and health centres.",
             "snake_case words, aujourd'hui, jusqu'à, o'clock's, naïve façade Œuvre ÉCOLES",
             "x'  'y  don't  rock'n'roll  a&b&c  ++c  d++e  f+++  9.  .5  1..2",
         })
        EXPECT_EQ(ours(text), xapians(text)) << text;
}

TEST(TokenizerTest, AgreesWithXapianOnTheRealCorpus) {
    std::ifstream in(test::source_dir() / ".." / "shared" / "corpus" / "real-20k.jsonl");
    if (!in) GTEST_SKIP() << "shared/corpus not beside the repository";
    std::string line;
    int n = 0, checked = 0;
    while (std::getline(in, line) && checked < 400) {
        if (n++ % 50) continue;
        const auto j = nlohmann::json::parse(line);
        const std::string text = j.value("title", "") + "\n" + j.value("body", "");
        ASSERT_EQ(ours(text), xapians(text)) << "record " << n;
        ++checked;
    }
    EXPECT_GT(checked, 300);
}

struct Spans : WordSink {
    std::vector<std::pair<std::string, std::string>> words;  // word, text it came from
    std::string_view text;
    void word(const std::string&) override { ADD_FAILURE() << "word_at() should be called"; }
    void word_at(const std::string& w, std::size_t b, std::size_t e) override {
        words.emplace_back(w, std::string(text.substr(b, e - b)));
    }
};

TEST(TokenizerTest, GivesEachWordsByteRange) {
    Spans s;
    s.text = "L’École  U.N. C++ 1,5 ÉTÉ.";
    tokenize(s.text, s);
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"l'école", "L’École"}, {"un", "U.N."}, {"c++", "C++"}, {"1,5", "1,5"}, {"été", "ÉTÉ"}};
    EXPECT_EQ(s.words, expected);
}

}  // namespace
}  // namespace passerelle
