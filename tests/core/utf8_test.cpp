#include "core/utf8.h"

#include <gtest/gtest.h>

namespace passerelle::utf8 {
namespace {

TEST(Utf8Test, AcceptsValidText) {
    EXPECT_FALSE(find_invalid("plain ascii").has_value());
    EXPECT_FALSE(find_invalid("école, cœur, « guillemets », €, 𝄞").has_value());
}

TEST(Utf8Test, FindsTheFirstInvalidByte) {
    EXPECT_EQ(find_invalid("ab\xFF" "cd"), 2u);
    EXPECT_EQ(find_invalid("\xC3"), 0u);              // truncated sequence
    EXPECT_EQ(find_invalid("x\xC0\xAF"), 1u);         // overlong
    EXPECT_EQ(find_invalid("\xED\xA0\x80"), 0u);      // surrogate
    EXPECT_EQ(find_invalid("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
}

TEST(Utf8Test, LineAndColumnCountCodePoints) {
    const std::string text = "a\nécole\xFF";
    const auto off = find_invalid(text);
    ASSERT_TRUE(off.has_value());
    const LineCol lc = line_col(text, *off);
    EXPECT_EQ(lc.line, 2);
    EXPECT_EQ(lc.column, 6);
}

TEST(Utf8Test, LengthCountsCodePoints) {
    EXPECT_EQ(length(""), 0u);
    EXPECT_EQ(length("eau"), 3u);
    EXPECT_EQ(length("été"), 3u);                  // two letters of two bytes
    EXPECT_EQ(length("\xE2\x82\xAC\xF0\x9F\x8C\x8A"), 2u);  // three bytes, then four
}

TEST(Utf8Test, DecodeAndAppendRoundTrip) {
    const std::string text = "é€𝄞";
    std::size_t pos = 0;
    std::string out;
    while (pos < text.size()) append(out, decode(text, pos));
    EXPECT_EQ(out, text);
}

}  // namespace
}  // namespace passerelle::utf8
