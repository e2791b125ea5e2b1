#include "generator/page_flow.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>

#include "core/markdown.h"
#include "support/command.h"
#include "support/temp_dir.h"

namespace passerelle {
namespace {

// Lines of text on each page of `pdf` (distinct word baselines), as pdftotext sees them.
std::vector<std::size_t> lines_per_page(const std::string& pdf, const test::TempDir& dir) {
    const auto path = dir / "flow.pdf";
    std::ofstream(path, std::ios::binary) << pdf;
    const std::string out = test::run_command("pdftotext -bbox '" + path.string() + "' - 2>/dev/null").out;
    std::vector<std::size_t> counts;
    std::size_t at = 0;
    static const std::regex word(R"re(yMax="([\d.]+)")re");
    while ((at = out.find("<page ", at)) != std::string::npos) {
        const std::size_t end = out.find("</page>", at);
        const std::string page = out.substr(at, end - at);
        std::set<long> baselines;
        for (std::sregex_iterator it(page.begin(), page.end(), word), e; it != e; ++it) baselines.insert(std::lround(std::stod((*it)[1])));
        counts.push_back(baselines.size());
        at = end;
    }
    return counts;
}

// A paragraph of exactly `n` lines in `flow`'s width.
Spans paragraph_of(std::size_t n, Pdf& pdf, Hyphenator& h, double width) {
    std::string text;
    for (int words = 1;; ++words) {
        text += "mot" + std::to_string(words) + " ";
        const auto lines = text_lines({Span{text}}, width, Face::regular, "fr",
                                      [&](Face f, const std::string& s) { return pdf.width(f, 10.5, s); }, h);
        if (lines.size() == n) return {Span{text}};
        if (lines.size() > n) ADD_FAILURE() << "cannot make " << n << " lines";
        if (lines.size() > n) return {};
    }
}

struct Page {
    Pdf pdf;
    PageFrame frame{pdf};
    Hyphenator hyph;
    Flow flow{pdf, frame, hyph, PageFrame::k_left, 300, {0, PageFrame::k_top}, "fr"};
    double lead = 10.5 * 1.38;
};

TEST(PageFlowTest, NoSingleLineAloneAtTheTopOfAPage) {
    Page s;
    const Spans five = paragraph_of(5, s.pdf, s.hyph, 300);
    s.flow.move_to({0, PageFrame::k_bottom + 4.5 * s.lead});  // room for four lines of five
    s.flow.paragraph(five);
    test::TempDir dir;
    EXPECT_EQ(lines_per_page(s.pdf.save(), dir), (std::vector<std::size_t>{3, 2}));  // not 4 and a widow
}

TEST(PageFlowTest, NoSingleLineAloneAtTheBottomOfAPage) {
    Page s;
    const Spans five = paragraph_of(5, s.pdf, s.hyph, 300);
    s.flow.move_to({0, PageFrame::k_bottom + 1.5 * s.lead});  // room for one line
    s.flow.paragraph(five);
    test::TempDir dir;
    EXPECT_EQ(lines_per_page(s.pdf.save(), dir), (std::vector<std::size_t>{0, 5}));  // not an orphan line
}

TEST(PageFlowTest, AHeadingNeverEndsAPage) {
    Page s;
    s.flow.move_to({0, PageFrame::k_bottom + 2.5 * s.lead});  // room for the heading, not for what follows
    const Anchor a = s.flow.heading({Span{"Démarche"}}, 2);
    EXPECT_EQ(a.page, 1);
    s.flow.paragraph(paragraph_of(3, s.pdf, s.hyph, 300));
    test::TempDir dir;
    EXPECT_EQ(lines_per_page(s.pdf.save(), dir), (std::vector<std::size_t>{0, 4}));
}

// An image too tall for what is left of a page is made smaller (to half its size at most)
// rather than pushed to the next page when that would leave a quarter of this one or more
// blank; one that would need to shrink further goes to the next page.
TEST(PageFlowTest, AnImageShrinksRatherThanLeaveAQuarterOfThePageBlank) {
    test::TempDir dir;
    const auto png = dir / "tall.png";  // 300 x 400 pixels, grey: drawn 225 x 300 points at most
    test::run_command("python3 -c \"import zlib,struct\n"
                      "def chunk(t,d): return struct.pack('>I',len(d))+t+d+struct.pack('>I',zlib.crc32(t+d)&0xffffffff)\n"
                      "raw=b''.join(b'\\x00'+b'\\x80'*300 for _ in range(400))\n"
                      "open('" + png.string() + "','wb').write(b'\\x89PNG\\r\\n\\x1a\\n'+chunk(b'IHDR',struct.pack('>IIBBBBB',300,400,8,0,0,0,0))+"
                      "chunk(b'IDAT',zlib.compress(raw))+chunk(b'IEND',b''))\"");
    ASSERT_TRUE(std::filesystem::exists(png));
    const double page = PageFrame::k_top - PageFrame::k_bottom;
    for (const double left : {page * 0.3, page * 0.15}) {
        Page s;
        s.flow.move_to({0, PageFrame::k_bottom + left});
        s.flow.image(png.string(), "tall", "");
        const auto pdf = dir / "image.pdf";
        std::ofstream(pdf, std::ios::binary) << s.pdf.save();
        const std::string list = test::run_command("pdfimages -list '" + pdf.string() + "' 2>/dev/null").out;
        static const std::regex row(R"re(\n +(\d+) +\d+ +image )re");
        std::smatch m;
        ASSERT_TRUE(std::regex_search(list, m, row)) << list;
        if (left > page / 4) EXPECT_EQ(m[1], "1") << "30% of the page left: the image fits there, smaller";
        else EXPECT_EQ(m[1], "2") << "15% left: the image goes to the next page, whole";
    }
}

// Lists and quotes nested as deep as a document may have them stop moving right, so every
// line keeps room for its words and the page is laid out.
TEST(PageFlowTest, DeepNestingKeepsTheTextOnThePage) {
    Page s;
    std::string md;
    for (int i = 0; i < 45; ++i) md += "- ";
    md += "liste profonde\n\n";
    for (int i = 0; i < 45; ++i) md += "> ";
    md += "citation profonde\n";
    s.flow.blocks(markdown_blocks(md), 0, "");
    test::TempDir dir;
    const auto path = dir / "deep.pdf";
    std::ofstream(path, std::ios::binary) << s.pdf.save();
    const std::string text = test::run_command("pdftotext '" + path.string() + "' - 2>/dev/null").out;
    EXPECT_NE(text.find("liste profonde"), std::string::npos) << text;
    EXPECT_NE(text.find("citation profonde"), std::string::npos) << text;
}

// The input on which the markdown_pdf fuzzing target found the layout looping for ever (a link
// glued to text in a heading wider than its column), kept among the target's seeds.
TEST(PageFlowTest, TheInputThatOnceLoopedIsLaidOut) {
    const auto seed = std::filesystem::path(PASSERELLE_TEST_SOURCE_DIR) / "tests/fuzz/seeds/markdown_pdf/regression-link-glued-to-a-long-word.md";
    std::ifstream in(seed, std::ios::binary);
    const std::string markdown((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_EQ(markdown.size(), 286u);
    Pdf pdf;
    PageFrame frame(pdf);
    frame.ensure(0);
    Hyphenator hyph;
    Flow flow(pdf, frame, hyph, PageFrame::k_left, (PageFrame::k_right - PageFrame::k_left) / 2, {0, PageFrame::k_top}, "fr");
    flow.blocks(markdown_blocks(markdown), 0, "");
    frame.finish("regression", 0);
    test::TempDir dir;
    const auto path = dir / "regression.pdf";
    std::ofstream(path, std::ios::binary) << pdf.save();
    const std::string text = test::run_command("pdftotext '" + path.string() + "' - 2>/dev/null").out;
    EXPECT_NE(text.find("example.org"), std::string::npos) << text;
    EXPECT_NE(text.find("citation"), std::string::npos) << text;
}

}  // namespace
}  // namespace passerelle
