#include "core/locale_format.h"

#include <gtest/gtest.h>

namespace passerelle {
namespace {

TEST(LocaleFormatTest, NumbersAreGroupedAsEachLanguageWritesThem) {
    EXPECT_EQ(format_number(10000, "fr"), "10\u202f000");
    EXPECT_EQ(format_number(10000, "en"), "10,000");
    EXPECT_EQ(format_number(1.25, "fr", 1), "1,2");
    EXPECT_EQ(format_number(1.25, "en", 2), "1.25");
    EXPECT_EQ(format_number(120, "fr"), "120");
}

TEST(LocaleFormatTest, PluralCategoriesFollowEachLanguagesRules) {
    EXPECT_EQ(plural_category(0, "fr"), "one");  // « 0 résultat »
    EXPECT_EQ(plural_category(1, "fr"), "one");
    EXPECT_EQ(plural_category(2, "fr"), "other");
    EXPECT_EQ(plural_category(0, "en"), "other");
    EXPECT_EQ(plural_category(1, "en"), "one");
    EXPECT_EQ(plural_category(120, "en"), "other");
}

TEST(LocaleFormatTest, DatesAreWrittenOutInEachLanguage) {
    EXPECT_EQ(format_date("2026-12-04", "fr"), "4 décembre 2026");
    EXPECT_EQ(format_date("2026-12-04", "en"), "4 December 2026");
    EXPECT_EQ(format_date("2019-03", "fr"), "mars 2019");
    EXPECT_EQ(format_date("2019-03", "en"), "March 2019");
    EXPECT_EQ(format_date("2021", "fr"), "2021");
    EXPECT_EQ(format_date("n.d.", "en"), "n.d.");
    EXPECT_EQ(format_date("2021-1", "en"), "2021-1");
}

TEST(LocaleFormatTest, SizesUseEachLanguagesUnits) {
    EXPECT_EQ(format_bytes(850, "fr"), "850\u00a0o");
    EXPECT_EQ(format_bytes(48200, "fr"), "48\u00a0Ko");
    EXPECT_EQ(format_bytes(48200, "en"), "48\u00a0KB");
    EXPECT_EQ(format_bytes(1250000, "fr"), "1,2\u00a0Mo");
    EXPECT_EQ(format_bytes(1250000, "en"), "1.2\u00a0MB");
}

}  // namespace
}  // namespace passerelle
