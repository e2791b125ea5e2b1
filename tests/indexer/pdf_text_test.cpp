#include "indexer/pdf_text.h"

#include <gtest/gtest.h>

#include "core/diagnostics.h"
#include "support/sample_files.h"

namespace passerelle {
namespace {

TEST(PdfTextTest, ReadsEachPageAndStopsAtTheLimit) {
    const std::string pdf = test::sample_pdf({"alpha page one", "beta page two", "gamma page three"});
    const PdfText all = pdf_text(pdf, 1 << 20);
    EXPECT_EQ(all.pages, 3);
    ASSERT_EQ(all.text.size(), 3u);
    EXPECT_NE(all.text[1].find("beta page two"), std::string::npos) << all.text[1];
    EXPECT_FALSE(all.cut);
    const PdfText some = pdf_text(pdf, all.text[0].size() + all.text[1].size());
    EXPECT_EQ(some.pages, 3);
    EXPECT_EQ(some.text.size(), 2u);
    EXPECT_TRUE(some.cut);
    EXPECT_THROW(pdf_text("%PDF-1.7\n garbage", 1 << 20), Error);
}

}  // namespace
}  // namespace passerelle
