// The text of a PDF, page by page: the one place Passerelle calls poppler (poppler-cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace passerelle {

struct PdfText {
    int pages = 0;                    // the document's page count
    std::vector<std::string> text;    // the text of pages 1.. (as many as were read), UTF-8
    bool cut = false;                 // `max_bytes` was reached: later pages were not read
};

// Reads the text of the PDF `bytes`, at most `max_bytes` of it in all. Throws Error saying why
// when poppler cannot open it (damaged, or locked by a password). The text has no control
// characters but new lines, and is valid UTF-8.
PdfText pdf_text(std::string_view bytes, std::size_t max_bytes);

}  // namespace passerelle
