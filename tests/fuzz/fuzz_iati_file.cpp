// libFuzzer target: an IATI activity file, read as the importer streams it (from a file in
// /dev/shm, which the importer's interface takes). Faults end in XmlError or Error, each with
// where; nothing may crash, hang or leak.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "core/xml.h"
#include "fuzz_support.h"
#include "indexer/iati_import.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string file = "/dev/shm/passerelle-fuzz-iati-" + std::to_string(getpid()) + ".xml";
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    passerelle::DiagnosticSink sink;
    try {
        passerelle::read_iati_file(file, "fuzz.xml", passerelle::fuzz::vocabularies(), sink, [](passerelle::Document&&) {});
    } catch (const passerelle::XmlError&) {
    } catch (const passerelle::Error&) {
    }
    passerelle::fuzz::require_reported(false, sink, "fuzz.xml");
    return 0;
}
