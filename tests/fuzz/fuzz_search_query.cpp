// libFuzzer target: the query planner and search over a small real index, with what a person
// can type (the query language, any bytes). A query that cannot be read ends in SearchError
// naming the parameter; anything else must answer; nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/search.h"
#include "fuzz_index.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static passerelle::Searcher searcher(passerelle::fuzz::bundled_index());
    passerelle::SearchRequest r;
    r.query.assign(reinterpret_cast<const char*>(data), size);
    r.role = size % 3 == 0 ? "public" : size % 3 == 1 ? "partners" : "internal";
    r.limit = 5;
    try {
        (void)searcher.search(r);
    } catch (const passerelle::SearchError&) {
    }
    return 0;
}
