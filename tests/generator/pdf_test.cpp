#include "generator/pdf.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "support/command.h"
#include "support/temp_dir.h"

namespace passerelle {
namespace {

struct Box {
    std::string word;
    double x_min = 0, y_min = 0, x_max = 0, y_max = 0;
    int page = 0;
};

// Every word of `pdf` with its box, as pdftotext (poppler) reads the file.
std::vector<Box> words_of(const std::string& pdf, const test::TempDir& dir) {
    const auto path = dir / "words.pdf";
    std::ofstream(path, std::ios::binary) << pdf;
    const std::string out = test::run_command("pdftotext -bbox '" + path.string() + "' - 2>/dev/null").out;
    static const std::regex word(R"re(<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>)re");
    std::vector<Box> boxes;
    int page = -1;
    std::size_t at = 0;
    while ((at = out.find("<page ", at)) != std::string::npos) {
        ++page;
        const std::size_t end = out.find("</page>", at);
        const std::string text = out.substr(at, end - at);
        for (std::sregex_iterator it(text.begin(), text.end(), word), e; it != e; ++it)
            boxes.push_back({(*it)[5], std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]), std::stod((*it)[4]), page});
        at = end;
    }
    return boxes;
}

TEST(PdfTest, GlyphLookupAgreesWithLibharusOwnOnEveryCharacter) {
    // The adapter's binary search stands in for libharu's scan (see pdf.cpp); it must give the
    // same glyph for all 65,536 characters of every face, and be the one libharu calls.
    for (Face face : {Face::regular, Face::bold, Face::italic, Face::bold_italic, Face::mono})
        EXPECT_EQ(Pdf::glyph_lookup_differences(face), 0u) << "face " << static_cast<int>(face);
}

TEST(PdfTest, MeasuredWidthsAreTheWidthsOfTheDrawnWords) {
    // Widths are added up from each character's; a viewer places the glyphs by the widths the
    // file declares. Both must agree for every kind of character a guide prints.
    test::TempDir dir;
    Pdf pdf;
    const int page = pdf.add_page();
    const std::vector<std::string> words = {
        "capitalisation", "École", "Œuvre", "l’assainissement", "«\u202Fvoûte\u202F»", "bilan\u202F:",
        "ɓalli", "Labé", "Ŋaaŋ", "Ελλάδα", "—2024—", "x²+y²", "mot…",
    };
    const Face faces[] = {Face::regular, Face::bold, Face::italic, Face::bold_italic, Face::mono};
    struct Drawn {
        std::string word;
        double x, width;
    };
    std::vector<Drawn> drawn;
    double y = Pdf::k_height - 60;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const Face face = faces[i % 5];
        const double size = 9 + static_cast<double>(i % 4) * 2.5;
        pdf.text(page, face, size, 60, y, words[i]);
        drawn.push_back({words[i], 60, pdf.width(face, size, words[i])});
        y -= 30;
    }
    // pdftotext splits a drawn word at its no-break spaces: each line's extent is compared.
    std::vector<Box> lines;
    for (const Box& b : words_of(pdf.save(), dir)) {
        if (!lines.empty() && std::abs(lines.back().y_max - b.y_max) < 1) {
            lines.back().word += " " + b.word;
            lines.back().x_max = b.x_max;
        } else {
            lines.push_back(b);
        }
    }
    ASSERT_EQ(lines.size(), drawn.size());
    for (std::size_t i = 0; i < drawn.size(); ++i) {
        EXPECT_NEAR(lines[i].x_min, drawn[i].x, 0.01) << drawn[i].word;
        EXPECT_NEAR(lines[i].x_max - lines[i].x_min, drawn[i].width, 0.01) << drawn[i].word << " read as " << lines[i].word;
    }
}

TEST(PdfTest, TextLandsWhereItIsDrawnWhateverComesBetween) {
    // Words of a page share a text object until a drawing needs the page; pages are written in
    // any order (the running header and the contents are written last). Every word must still
    // land at its own coordinates, in its own face.
    test::TempDir dir;
    Pdf pdf;
    pdf.add_page();
    pdf.add_page();
    struct Drawn {
        int page;
        double x, y;
        std::string word;
    };
    const std::vector<Drawn> drawn = {
        {0, 72, 700, "un"},      {0, 140.25, 700, "deux"}, {1, 72, 600, "trois"},  {0, 300.5, 650.75, "quatre"},
        {1, 200, 500, "cinq"},   {0, 72, 400, "six"},      {1, 420.125, 300, "sept"}, {0, 90, 120.5, "huit"},
    };
    for (std::size_t i = 0; i < drawn.size(); ++i) {
        const Drawn& d = drawn[i];
        pdf.text(d.page, i % 2 ? Face::bold : Face::regular, 11, d.x, d.y, d.word, i % 3 ? 0.0 : 0.4);
        if (i == 2) pdf.box(0, 60, 500, 100, 20, 0.9);         // a drawing between two words of page 0
        if (i == 4) pdf.line(1, 60, 450, 400, 450, 0.5, 0.2);  // and of page 1
    }
    const auto boxes = words_of(pdf.save(), dir);
    ASSERT_EQ(boxes.size(), drawn.size());
    // pdftotext gives word boxes from the top of the page; a box's bottom is the baseline less
    // the face's descent, the same for every word of one face and size.
    std::map<int, double> descent;  // face -> PDF y of the box's bottom minus the baseline
    for (std::size_t i = 0; i < drawn.size(); ++i) {
        const Drawn& d = drawn[i];
        const auto b = std::find_if(boxes.begin(), boxes.end(), [&](const Box& x) { return x.word == d.word; });
        ASSERT_NE(b, boxes.end()) << d.word;
        EXPECT_EQ(b->page, d.page) << d.word;
        EXPECT_NEAR(b->x_min, d.x, 0.01) << d.word;
        const double bottom = Pdf::k_height - b->y_max;
        const auto [it, first] = descent.emplace(static_cast<int>(i % 2), bottom - d.y);
        if (!first) {
            EXPECT_NEAR(bottom - d.y, it->second, 0.01) << d.word;
        }
    }
}

}  // namespace
}  // namespace passerelle
