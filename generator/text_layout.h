// Breaking styled text into lines: words made of styled pieces, break opportunities at
// ordinary spaces (non-breaking spaces glue) and at hyphenation points (libhyphen patterns of
// the text's language, within the rules of each language's typography). The breaks of a
// paragraph are chosen together, by total fit (Knuth and Plass, as TeX does): the least
// demerits over all its lines, with word spaces between two thirds and 1.8 times their
// natural width, and at most two hyphenated lines in a row. A paragraph that cannot be
// justified within those bounds (a narrow column, a long address) is set ragged right.
// Typographic apostrophes and quotes, and French spacing, are applied first.
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
    std::string lang;  // its language when not the paragraph's
};

struct Word {
    std::vector<Piece> pieces;
    double width = 0;
};

struct Line {
    std::vector<Word> words;
    double natural = 0;  // width with single spaces
    // Set with natural spaces, not stretched to the width: the last line of its paragraph (or
    // one before a hard break), or a line of a paragraph set ragged right.
    bool last = false;
    bool hyphenated = false;  // ends with a hyphen the layout added, or after an explicit one
};

using Measure = std::function<double(Face, const std::string&)>;  // at the text's size

struct LineOptions {
    bool hyphenate = true;  // false for headings, titles, the cover
    bool justify = true;    // false: ragged right from the start
    double max_space = 1.8;  // a justified word space stays within this times its natural width
};

// French typography: a narrow no-break space (U+202F) before ; : ! ? and inside « », in place
// of an ordinary space or added when missing; a no-break space after short numbers' units is
// left to the author. Leaves code and links alone (see text_lines).
std::string french_spacing(const std::string& text);

// Typographic apostrophes (’) for straight ones, and quotes in the language's convention for
// straight double quotes: « » in French (spaced by french_spacing), “ ” in English.
std::string typographic(const std::string& text, const std::string& lang);

// The byte offsets in `word` after which it may be broken with a hyphen: the patterns' points
// that keep two letters before and three after, never in a capitalised word (a name, "l’État"),
// never between two vowels, and in French never before a final mute syllable ("-que").
std::vector<std::size_t> hyphenation_points(const std::string& word, const std::string& lang, Hyphenator& hyphenator);

// The lines of `spans` set in `width`. `base` is the face of plain text (bold for headings).
std::vector<Line> text_lines(const Spans& spans, double width, Face base, const std::string& lang, const Measure& measure,
                             Hyphenator& hyphenator, const LineOptions& options = {});

}  // namespace passerelle
