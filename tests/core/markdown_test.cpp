// core/markdown.cpp: the nesting check that refuses hostile Markdown, and the block builder's
// guard, which keeps any input from exhausting the stack.
#include "core/markdown.h"

#include <gtest/gtest.h>

#include <string>

namespace passerelle {
namespace {

std::string repeat(const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

TEST(MarkdownTest, NestingWithinTheLimitIsAccepted) {
    EXPECT_EQ(line_nested_deeper_than("Plain text, with no syntax at all.", 3), 0);
    EXPECT_EQ(line_nested_deeper_than("- one\n  - two\n\n> quoted *and **strong***\n", 10), 0);
}

TEST(MarkdownTest, NestingOverTheLimitIsFoundAtItsLine) {
    // Each list level is a list and an item: 60 levels are 120 elements, then a paragraph.
    EXPECT_EQ(line_nested_deeper_than("Intro.\n\n" + repeat("- ", 60) + "fond\n", 100), 3);
    EXPECT_EQ(line_nested_deeper_than("a\n\nb\n\n" + repeat(">", 10000) + " fond\n", 100), 5);
    EXPECT_EQ(line_nested_deeper_than(repeat("*", 5000) + "x" + repeat("*", 5000), 100), 1);
    // Exactly at the limit passes: 98 quotes, their paragraph and its text are 100 levels.
    EXPECT_EQ(line_nested_deeper_than(repeat(">", 98) + " x", 100), 0);
    EXPECT_EQ(line_nested_deeper_than(repeat(">", 99) + " x", 100), 1);
}

TEST(MarkdownTest, BlocksLeaveOutWhatIsNestedTooDeep) {
    const auto blocks = markdown_blocks("Avant.\n\n" + repeat("> ", 10000) + "fond\n\nAprès.\n", 50);
    ASSERT_EQ(blocks.size(), 2u);
    EXPECT_EQ(blocks[0].spans.at(0).text, "Avant.");
    EXPECT_EQ(blocks[1].spans.at(0).text, "Après.");
    const auto shallow = markdown_blocks("> > fond\n", 50);
    ASSERT_EQ(shallow.size(), 1u);
    EXPECT_EQ(shallow[0].quote, 2);
    const auto emphasis = markdown_blocks(repeat("*", 20000) + "x" + repeat("*", 20000), 50);
    ASSERT_EQ(emphasis.size(), 1u);
    EXPECT_TRUE(emphasis[0].spans.empty());  // the text sits below 50 levels of emphasis
}

}  // namespace
}  // namespace passerelle
