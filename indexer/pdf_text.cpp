#include "indexer/pdf_text.h"

#include <climits>
#include <memory>
#include <mutex>

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include "core/diagnostics.h"
#include "core/utf8.h"

namespace passerelle {

namespace {

// poppler prints what it finds odd in a file to standard error; the indexer reports what
// matters (a file it cannot open) at the document's line instead.
void quiet(const std::string&, void*) {}

// Control characters (form feeds between columns, stray bytes) become spaces, invalid UTF-8
// too, so that the text can be stored and cut anywhere a tokenizer would.
std::string clean(std::string s) {
    for (char& c : s)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7F) c = ' ';
    std::size_t from = 0;
    while (const auto bad = utf8::find_invalid(std::string_view(s).substr(from))) {
        s[from + *bad] = ' ';
        from += *bad + 1;
    }
    return s;
}

}  // namespace

PdfText pdf_text(std::string_view bytes, std::size_t max_bytes) {
    static std::once_flag silenced;
    std::call_once(silenced, [] { poppler::set_debug_error_function(quiet, nullptr); });
    if (bytes.size() > static_cast<std::size_t>(INT_MAX)) throw Error("the PDF is too large to read");
    const std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (!doc) throw Error("poppler cannot read this PDF (damaged, or not a PDF)");
    if (doc->is_locked()) throw Error("the PDF is locked by a password: its text cannot be read");
    PdfText out;
    out.pages = doc->pages();
    std::size_t total = 0;
    for (int i = 0; i < out.pages; ++i) {
        const std::unique_ptr<poppler::page> page(doc->create_page(i));
        std::string text;
        if (page) {
            const poppler::byte_array utf8 = page->text().to_utf8();
            text = clean(std::string(utf8.begin(), utf8.end()));
        }
        if (total + text.size() > max_bytes) {
            out.cut = true;
            break;
        }
        total += text.size();
        out.text.push_back(std::move(text));
    }
    return out;
}

}  // namespace passerelle
