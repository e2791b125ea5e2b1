// Maps from the bundled Natural Earth outlines: framed on what is shown, every country and
// place a link with its name, neighbours plain, nothing outside the picture, small enough for
// a page; and a broken outline table is an error that names its line.
#include "core/world_map.h"

#include <gtest/gtest.h>

#include <regex>

#include "core/diagnostics.h"

namespace passerelle {
namespace {

// The viewBox's width and height.
std::pair<double, double> box(const std::string& svg) {
    std::smatch m;
    if (!std::regex_search(svg, m, std::regex(R"re(viewBox="0 0 ([0-9.]+) ([0-9.]+)")re"))) return {0, 0};
    return {std::stod(m[1]), std::stod(m[2])};
}

TEST(WorldMapTest, TheBundledOutlinesHaveTheArchivesCountries) {
    const WorldMap& map = WorldMap::bundled();
    for (const char* code : {"SN", "MA", "GN", "FR", "ML", "MR", "BR", "FJ"}) EXPECT_TRUE(map.has(code)) << code;
    EXPECT_FALSE(map.has("XX"));
}

TEST(WorldMapTest, CountriesAndPlacesAreLinksInsideTheFrame) {
    const std::string svg = WorldMap::bundled().svg(
        {{"SN", "Sénégal : 12 documents", "/fr/search?country=SN"}, {"XX", "nowhere", "/x"}},
        {{"Podor", "Podor : 3 documents", "/fr/search?place=Podor", 16.65, -14.96},
         {"Saint-Louis", "Saint-Louis : 9 documents", "/fr/search?place=Saint-Louis", 16.03, -16.50}},
        "Carte");
    ASSERT_FALSE(svg.empty());
    EXPECT_NE(svg.find("role=\"group\" aria-label=\"Carte\""), std::string::npos);
    EXPECT_NE(svg.find("<a href=\"/fr/search?country=SN\" aria-label=\"Sénégal : 12 documents\"><title>"), std::string::npos);
    EXPECT_NE(svg.find("<a href=\"/fr/search?place=Podor\""), std::string::npos);
    EXPECT_EQ(svg.find("/x\""), std::string::npos);  // an unknown country is left out
    EXPECT_EQ(svg.find("style"), std::string::npos);  // presentation attributes only (the CSP forbids inline styles)
    // Each place's dot is inside the picture, and Saint-Louis west of Podor.
    const auto [w, h] = box(svg);
    ASSERT_GT(w, 0);
    std::vector<std::pair<double, double>> dots;
    const std::regex dot(R"re(<circle cx="([-0-9.]+)" cy="([-0-9.]+)" r="4.5")re");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), dot); it != std::sregex_iterator(); ++it)
        dots.emplace_back(std::stod((*it)[1]), std::stod((*it)[2]));
    ASSERT_EQ(dots.size(), 2u);
    for (const auto& [x, y] : dots) {
        EXPECT_TRUE(x > 0 && x < w && y > 0 && y < h) << x << "," << y;
    }
    EXPECT_LT(dots[1].first, dots[0].first);
    EXPECT_LT(svg.size(), 30000u);
}

TEST(WorldMapTest, AWorldOfCountriesStaysSmallAndNothingShownGivesNoMap) {
    std::vector<MapArea> all;
    for (const char* code : {"SN", "BR", "IN", "US", "FR", "ZA", "AU", "CN", "RU", "CA", "MX", "KE"}) all.push_back({code, code, "/x"});
    const std::string svg = WorldMap::bundled().svg(all, {}, "World");
    EXPECT_GT(box(svg).first, 0);
    EXPECT_LT(svg.size(), 120000u) << svg.size();
    EXPECT_EQ(WorldMap::bundled().svg({}, {}, "Nothing"), "");
    EXPECT_EQ(WorldMap::bundled().svg({{"XX", "x", "/x"}}, {}, "Unknown"), "");
}

TEST(WorldMapTest, ABrokenOutlineNamesItsLine) {
    try {
        const WorldMap broken("code\trings\nSN\t-17.1,14.6 -16.0,15.0 -15.5,14.2\nGN\t-13.1,9.5 oops\n", "countries.tsv");
        FAIL() << "no error: " << broken.has("SN");
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("countries.tsv:3:"), std::string::npos) << e.what();
    }
    const WorldMap small("code\trings\nSN\t-17.1,14.6 -16.0,15.0 -15.5,14.2 -17.1,14.6\n", "countries.tsv");
    EXPECT_TRUE(small.has("SN"));
}

}  // namespace
}  // namespace passerelle
