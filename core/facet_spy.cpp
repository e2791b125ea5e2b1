#include "core/facet_spy.h"

#include "core/index_schema.h"

namespace passerelle {

void FacetSpy::operator()(const Xapian::Document& doc, double) {
    const std::string packed = doc.get_value(schema::k_slot_facets);
    std::size_t pos = 0;
    while (pos + 2 <= packed.size()) {
        const auto nl = packed.find('\n', pos);
        const std::size_t end = nl == std::string::npos ? packed.size() : nl;
        if (end > pos + 2 && packed[pos + 1] == ':') ++m_counts[packed[pos]][packed.substr(pos + 2, end - pos - 2)];
        pos = end + 1;
    }
}

}  // namespace passerelle
