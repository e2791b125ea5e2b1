// libFuzzer target: a guide definition, as `POST /api/guides` reads its body (and `passerelle
// guide` a file). A refused definition must be an Error that names where; anything else thrown,
// a crash, a hang or memory past the run's limits is a fault.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_support.h"
#include "generator/guide_definition.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body(reinterpret_cast<const char*>(data), size);
    try {
        (void)passerelle::parse_guide_definition(body, "request body", "guide", passerelle::fuzz::vocabularies());
    } catch (const passerelle::Error& e) {
        if (std::string(e.what()).rfind("request body:", 0) != 0) {
            std::fprintf(stderr, "error that does not say where: %s\n", e.what());
            std::abort();
        }
    }
    return 0;
}
