// The scan that finds, before cmark-gfm parses, what would make it superlinear: tables too wide
// or too large, and '[' left open by the hundred. Ordinary documents pass it untouched.
#include "core/markdown_cost.h"

#include <gtest/gtest.h>

#include "core/limits.h"

namespace passerelle {
namespace {

std::string repeat(const std::string& s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

std::string table(std::size_t columns, std::size_t rows) {
    return "|" + repeat(" a |", columns) + "\n|" + repeat("---|", columns) + "\n" + repeat("|" + repeat(" x |", columns) + "\n", rows);
}

TEST(MarkdownCostTest, OrdinaryDocumentsPass) {
    EXPECT_FALSE(markdown_over_cost(""));
    EXPECT_FALSE(markdown_over_cost("# Titre\n\nUn [lien](https://example.org) et [un autre][ref], [^1].\n\n[ref]: https://x.org\n"));
    EXPECT_FALSE(markdown_over_cost(table(12, 400)));
    EXPECT_FALSE(markdown_over_cost("Liste :\n\n- [a] x\n- [b] y\n\n---\n\nFin - a | b\n"));
}

TEST(MarkdownCostTest, ATableWiderThanTheLimitIsRefusedAtItsDelimiterRow) {
    const auto over = markdown_over_cost("Avant.\n\n" + table(limits::k_markdown_table_columns + 1, 1));
    ASSERT_TRUE(over);
    EXPECT_EQ(over->line, 4);
    EXPECT_EQ(over->message, "a table of 129 columns: a table may have at most 128");
    EXPECT_FALSE(markdown_over_cost(table(limits::k_markdown_table_columns, 10)));
    // Colons and spaces are part of a delimiter row; a line of dashes alone is not one.
    EXPECT_TRUE(markdown_over_cost("a\n" + repeat(" :--: |", 200) + "\n"));
    EXPECT_FALSE(markdown_over_cost(repeat("-", 5000) + "\n"));
}

TEST(MarkdownCostTest, TheCellsOfAllTablesTogetherAreBounded) {
    // 100 columns: the 2,000th row of the first table reaches 200,000 cells with the others'.
    const std::string one = table(100, 998);  // 1,000 rows with its header and delimiter: 100,000 cells
    EXPECT_FALSE(markdown_over_cost(one + "\n" + one));
    const auto over = markdown_over_cost(one + "\n" + one + "\n" + table(1, 0));
    ASSERT_TRUE(over);
    EXPECT_EQ(over->line, 2 * 1000 + 2 + 2);  // two tables, two blank lines, a header
    EXPECT_EQ(over->message, "tables of more than 200000 cells in all: split the document, or link to the data");
    // A narrow table's rows count as its columns: a million rows of two columns is too many.
    EXPECT_TRUE(markdown_over_cost(table(2, 200000)));
}

TEST(MarkdownCostTest, LinksAndEmphasisMarksOfOneParagraphAreBounded) {
    // 300 units of three marks each ('[', '*', '*') make 900; the next line goes over 1,000.
    const auto over = markdown_over_cost("Début.\n\n" + repeat("[a](b) *K* ", 300) + "\n" + repeat("[a](b) *K* ", 50) + "\n");
    ASSERT_TRUE(over);
    EXPECT_EQ(over->line, 4);
    EXPECT_EQ(over->message, "more than 1000 links and emphasis marks in one paragraph: separate its parts by blank lines");
    EXPECT_TRUE(markdown_over_cost(repeat("![[]()", 1001)));
    EXPECT_TRUE(markdown_over_cost(repeat("_a ", 1001)));
    // A run of marks is one mark; escaped ones and code are not marks.
    EXPECT_FALSE(markdown_over_cost(repeat("***a*** ", 300)));
    EXPECT_FALSE(markdown_over_cost(repeat("\\[\\* ", 5000)));
    EXPECT_FALSE(markdown_over_cost("```\n" + repeat("[*", 5000) + "\n```\n"));
    // A blank line, a list item, a heading or a table row starts a new count.
    EXPECT_FALSE(markdown_over_cost(repeat(repeat("[a](b) ", 900) + "\n\n", 10)));
    EXPECT_FALSE(markdown_over_cost(repeat("- [a](b) *c*\n", 5000)));
    EXPECT_FALSE(markdown_over_cost(repeat("* [a](b) *c*\n", 5000)));
    EXPECT_FALSE(markdown_over_cost(repeat("12. [a](b) *c*\n", 5000)));
    EXPECT_FALSE(markdown_over_cost(repeat("## [a](b) *c*\n", 5000)));
    EXPECT_FALSE(markdown_over_cost("| a | b |\n|---|---|\n" + repeat("| [a](b) *c* | [d](e) |\n", 5000)));
    // A line that only looks like an item goes on the paragraph.
    EXPECT_TRUE(markdown_over_cost(repeat("-[a](b) *c*\n", 5000)));
}

}  // namespace
}  // namespace passerelle
