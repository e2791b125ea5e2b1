// Inline SVG bar charts: bars in proportion, a target drawn apart, quantities as each language
// writes them, text escaped, and nothing the pages' Content-Security-Policy would block.
#include "server/charts.h"

#include <gtest/gtest.h>

#include <regex>
#include <vector>

namespace passerelle::http {
namespace {

std::vector<double> widths(const std::string& svg) {
    std::vector<double> out;
    const std::regex rect(R"re(<rect x="[^"]*" y="[^"]*" width="([0-9.]+)")re");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), rect); it != std::sregex_iterator(); ++it)
        out.push_back(std::stod((*it)[1].str()));
    return out;
}

TEST(ChartsTest, BarsAreInProportionAndTheTargetIsDrawnApart) {
    const std::string svg = bar_chart_svg({{"Objectif", 200, true}, {"2021", 50, false}, {"2022", 120, false}}, "école", "fr");
    const auto w = widths(svg);
    ASSERT_EQ(w.size(), 3u);
    EXPECT_NEAR(w[1] / w[0], 0.25, 0.01);
    EXPECT_NEAR(w[2] / w[0], 0.60, 0.01);
    EXPECT_NE(svg.find("stroke-dasharray"), std::string::npos);  // the target, as an outline
    EXPECT_NE(svg.find(">200\u00a0écoles</text>"), std::string::npos) << svg;
    EXPECT_NE(svg.find(">2021</text>"), std::string::npos);
    EXPECT_NE(svg.find("aria-hidden=\"true\""), std::string::npos);
    EXPECT_EQ(svg.find("style"), std::string::npos);  // (no inline style: the CSP forbids it)
}

TEST(ChartsTest, QuantitiesFollowTheLanguageAndTextIsEscaped) {
    const std::string en = bar_chart_svg({{"<b>2022</b>", 10000, false}}, "pupil", "en");
    EXPECT_NE(en.find(">10,000\u00a0pupils</text>"), std::string::npos) << en;
    EXPECT_NE(en.find("&lt;b&gt;2022&lt;/b&gt;"), std::string::npos);
    EXPECT_EQ(en.find("<b>"), std::string::npos);
    EXPECT_EQ(bar_chart_svg({}, "x", "fr"), "");
    const auto zero = widths(bar_chart_svg({{"2020", 0, false}, {"2021", 0, false}}, "", "fr"));
    ASSERT_EQ(zero.size(), 2u);
    EXPECT_EQ(zero[0], 0);  // nothing to scale: no bar, no division by zero
}

}  // namespace
}  // namespace passerelle::http
