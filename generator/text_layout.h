// Breaking styled text into justified lines: words made of styled pieces, break opportunities
// at ordinary spaces only (non-breaking spaces glue), hyphenation of a word that does not fit
// (libhyphen patterns of the text's language), and French spacing rules applied first.
// Pure: widths come from a measuring function, so it is tested without a PDF.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/markdown.h"
#include "generator/hyphenator.h"
#include "generator/pdf.h"

namespace passerelle {

struct Piece {
    std::string text;
    Face face = Face::regular;
    std::string link;
    double width = 0;
};

struct Word {
    std::vector<Piece> pieces;
    double width = 0;
};

struct Line {
    std::vector<Word> words;
    double natural = 0;  // width with single spaces
    bool last = false;   // last line of its paragraph (or before a hard break): not justified
};

using Measure = std::function<double(Face, const std::string&)>;  // at the text's size

// French typography: a narrow no-break space (U+202F) before ; : ! ? and inside « », in place
// of an ordinary space or added when missing; a no-break space after short numbers' units is
// left to the author. Leaves code and links alone (see text_lines).
std::string french_spacing(const std::string& text);

// The lines of `spans` set in `width`. `base` is the face of plain text (bold for headings).
std::vector<Line> text_lines(const Spans& spans, double width, Face base, const std::string& lang, const Measure& measure,
                             Hyphenator& hyphenator);

}  // namespace passerelle
