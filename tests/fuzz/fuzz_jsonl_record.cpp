// libFuzzer target: one line of a JSON Lines bulk file. A refused line must get an error that
// names the file; nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/document_reader.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    passerelle::DiagnosticSink sink;
    const std::string path = "fuzz.jsonl";
    const auto doc = passerelle::read_jsonl_document(std::string_view(reinterpret_cast<const char*>(data), size), path, 7,
                                                     passerelle::fuzz::vocabularies(), sink);
    passerelle::fuzz::require_reported(!doc, sink, path);
    return 0;
}
