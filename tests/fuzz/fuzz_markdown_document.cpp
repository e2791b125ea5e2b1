// libFuzzer target: a Markdown file with front matter, as the indexer reads it. A refused file
// must get an error that names it; nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/document_reader.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    passerelle::DiagnosticSink sink;
    const std::string path = "gp-fuzz.fr.md";
    const auto doc = passerelle::read_markdown_document(std::string_view(reinterpret_cast<const char*>(data), size), path,
                                                        passerelle::fuzz::vocabularies(), sink);
    passerelle::fuzz::require_reported(!doc, sink, path);
    return 0;
}
