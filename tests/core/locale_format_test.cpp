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

TEST(LocaleFormatTest, UnitsAgreeWithTheirNumber) {
    EXPECT_EQ(quantity(120, "école", "fr"), "120\u00a0écoles");
    EXPECT_EQ(quantity(1, "école", "fr"), "1\u00a0école");
    EXPECT_EQ(quantity(0, "école", "fr"), "0\u00a0école");
    EXPECT_EQ(quantity(10000, "élève", "fr"), "10\u202f000\u00a0élèves");
    EXPECT_EQ(quantity(10000, "pupil", "en"), "10,000\u00a0pupils");
    EXPECT_EQ(quantity(20, "young person", "en"), "20\u00a0young people");
    EXPECT_EQ(quantity(22, "municipality", "en"), "22\u00a0municipalities");
    EXPECT_EQ(quantity(3, "bureau", "fr"), "3\u00a0bureaux");
    EXPECT_EQ(quantity(2, "local", "fr"), "2\u00a0locaux");
    EXPECT_EQ(quantity(10, "ha", "fr"), "10\u00a0ha");
    EXPECT_EQ(quantity(12.5, "km2", "en"), "12.5\u00a0km2");
    EXPECT_EQ(quantity(4, "", "en"), "4");
    EXPECT_EQ(quantity(2, "biodigester", "en"), "2\u00a0biodigesters");
    EXPECT_EQ(quantity(5, "church", "en"), "5\u00a0churches");
    EXPECT_EQ(quantity(3, "litre d’eau", "fr"), "3\u00a0litres d’eau");
    EXPECT_EQ(quantity(3, "litre of water", "en"), "3\u00a0litres of water");
    EXPECT_EQ(quantity(4, "pneu", "fr"), "4\u00a0pneus");
}

TEST(LocaleFormatTest, SizesUseEachLanguagesUnits) {
    EXPECT_EQ(format_bytes(850, "fr"), "850\u00a0o");
    EXPECT_EQ(format_bytes(48200, "fr"), "48\u00a0Ko");
    EXPECT_EQ(format_bytes(48200, "en"), "48\u00a0KB");
    EXPECT_EQ(format_bytes(1250000, "fr"), "1,2\u00a0Mo");
    EXPECT_EQ(format_bytes(1250000, "en"), "1.2\u00a0MB");
    EXPECT_EQ(format_bytes(999700, "en"), "1\u00a0MB");  // never "1,000 KB"
}

}  // namespace
}  // namespace passerelle
