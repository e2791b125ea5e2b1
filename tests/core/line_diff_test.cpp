// The line diff of a note's history.
#include "core/line_diff.h"

#include <gtest/gtest.h>

namespace passerelle {
namespace {

std::string render(const std::vector<DiffLine>& d) {
    std::string out;
    for (const auto& l : d) out += std::string(1, l.op) + l.text + "\n";
    return out;
}

TEST(LineDiffTest, KeptRemovedAndAddedLinesInOrder) {
    EXPECT_EQ(render(line_diff("a\nb\nc\n", "a\nx\nc\nd\n")), " a\n-b\n+x\n c\n+d\n");
    EXPECT_EQ(render(line_diff("", "a\n")), "+a\n");
    EXPECT_EQ(render(line_diff("a\n", "")), "-a\n");
    EXPECT_EQ(render(line_diff("same\n", "same\n")), " same\n");
}

TEST(LineDiffTest, HugeTextsAreShownWholeRatherThanCompared) {
    EXPECT_EQ(render(line_diff("a\nb\n", "a\nc\n", 4)), "-a\n-b\n+a\n+c\n");
}

}  // namespace
}  // namespace passerelle
