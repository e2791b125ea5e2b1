#include "generator/theme.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/diagnostics.h"
#include "support/temp_dir.h"

namespace passerelle {
namespace {

TEST(GuideThemeTest, TheBundledThemeLoadsAndABadLineSaysWhere) {
    const GuideTheme theme = load_theme(test::source_dir() / "templates" / "theme.yaml");
    EXPECT_NEAR(theme.primary.r, 0x1d / 255.0, 1e-9);
    test::TempDir dir;
    const auto bad = dir / "theme.yaml";
    std::ofstream(bad) << "# colours\nprimary: \"#1d5c63\"\naccent: \"orange\"\n";
    try {
        load_theme(bad);
        FAIL() << "a bad colour was accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("theme.yaml:3: 'accent': 'orange' is not a colour"), std::string::npos) << e.what();
    }
    std::ofstream(bad) << "colour: \"#000000\"\n";
    EXPECT_THROW(load_theme(bad), Error);
}

}  // namespace
}  // namespace passerelle
