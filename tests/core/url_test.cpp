#include "core/url.h"

#include <gtest/gtest.h>

namespace passerelle::http {
namespace {

TEST(UrlTest, DecodesUtf8EscapesAndPlus) {
    EXPECT_EQ(percent_decode("%C3%A9cole+primaire", true).value(), "école primaire");
    EXPECT_EQ(percent_decode("a%2Bb", true).value(), "a+b");
    EXPECT_EQ(percent_decode("a+b", false).value(), "a+b");
    EXPECT_EQ(percent_decode("US-GOV-1%2FREG", false).value(), "US-GOV-1/REG");
}

TEST(UrlTest, RejectsMalformedEscapesInvalidUtf8AndControlCharacters) {
    EXPECT_FALSE(percent_decode("%", true));
    EXPECT_FALSE(percent_decode("%4", true));
    EXPECT_FALSE(percent_decode("%GG", true));
    EXPECT_FALSE(percent_decode("%FF%FE", true));  // not UTF-8
    EXPECT_FALSE(percent_decode("a%00b", true));   // NUL
    EXPECT_FALSE(percent_decode("a%0Ab", true));   // new line
}

TEST(UrlTest, ParsesQueriesKeepingRepeatsInOrder) {
    std::string bad;
    const auto q = parse_query("country=SN&q=%C3%A9cole&country=MA&empty=&flag", bad);
    ASSERT_TRUE(q.has_value());
    ASSERT_EQ(q->size(), 5u);
    EXPECT_EQ((*q)[0], (std::pair<std::string, std::string>{"country", "SN"}));
    EXPECT_EQ((*q)[1].second, "école");
    EXPECT_EQ((*q)[2].second, "MA");
    EXPECT_EQ((*q)[3].second, "");
    EXPECT_EQ((*q)[4].first, "flag");
}

TEST(UrlTest, NamesTheParameterThatCannotBeDecoded) {
    std::string bad;
    EXPECT_FALSE(parse_query("q=ok&lang=%FF", bad).has_value());
    EXPECT_EQ(bad, "lang");
}

TEST(UrlTest, EncodesForUrls) {
    EXPECT_EQ(percent_encode("US-GOV-1/REG é"), "US-GOV-1%2FREG%20%C3%A9");
    EXPECT_EQ(percent_decode(percent_encode("a/b c?d=é"), false).value(), "a/b c?d=é");
}

TEST(UrlTest, DocumentPagesAreUnderTheirInterfaceLanguage) {
    EXPECT_EQ(document_page_path("pr-paems", "fr"), "/fr/documents/pr-paems");
    EXPECT_EQ(document_page_path("XM/odd:1#2", "en"), "/en/documents/XM%2Fodd%3A1%232");
    EXPECT_EQ(document_page_path("US-1", "es"), "/en/documents/US-1?lang=es");
}

}  // namespace
}  // namespace passerelle::http
