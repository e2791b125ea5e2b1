// Small real files for attachment tests, made here rather than kept as binaries: a PDF whose
// pages hold given text (ASCII, Helvetica), and a PNG image.
#pragma once

#include <string>
#include <vector>

namespace passerelle::test {

// A valid PDF with one page per string of `pages`, each showing its text in lines of at most
// 80 characters. Text is ASCII: other bytes become '?'.
std::string sample_pdf(const std::vector<std::string>& pages);

// A valid width x height RGB PNG, filled with one colour.
std::string sample_png(int width = 4, int height = 3, unsigned rgb = 0x2a7f62);

}  // namespace passerelle::test
