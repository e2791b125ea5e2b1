// libFuzzer target: Markdown laid out into a PDF page flow and saved, as a guide's sections
// are. Nothing may crash, hang or leak, and the file must be whole.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/markdown.h"
#include "generator/hyphenator.h"
#include "generator/page_flow.h"
#include "generator/pdf.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static passerelle::Hyphenator hyphenator;
    const std::string_view markdown(reinterpret_cast<const char*>(data), size);
    passerelle::Pdf pdf;
    passerelle::PageFrame frame(pdf);
    frame.ensure(0);
    const double width = passerelle::PageFrame::k_right - passerelle::PageFrame::k_left;
    passerelle::Flow flow(pdf, frame, hyphenator, passerelle::PageFrame::k_left, size % 2 ? width : width / 2,
                          {0, passerelle::PageFrame::k_top}, size % 3 ? "fr" : "en");
    flow.blocks(passerelle::markdown_blocks(markdown), 0, "");
    frame.finish("fuzz", 0);
    const std::string bytes = pdf.save();
    if (bytes.compare(0, 5, "%PDF-") != 0 || bytes.find("%%EOF") == std::string::npos) {
        std::fprintf(stderr, "not a whole PDF\n");
        std::abort();
    }
    return 0;
}
