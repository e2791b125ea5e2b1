#include "core/facet_spy.h"

#include "core/index_schema.h"

namespace passerelle {

void FacetSpy::operator()(const Xapian::Document& doc, double) {
    ++m_packed[doc.get_value(schema::k_slot_facets)];
    m_split = false;
}

const std::map<char, std::map<std::string, Xapian::doccount>>& FacetSpy::counts() const {
    if (m_split) return m_counts;
    m_counts.clear();
    for (const auto& [packed, n] : m_packed) {
        std::size_t pos = 0;
        while (pos + 2 <= packed.size()) {
            const auto nl = packed.find('\n', pos);
            const std::size_t end = nl == std::string::npos ? packed.size() : nl;
            if (end > pos + 2 && packed[pos + 1] == ':') m_counts[packed[pos]][packed.substr(pos + 2, end - pos - 2)] += n;
            pos = end + 1;
        }
    }
    m_split = true;
    return m_counts;
}

}  // namespace passerelle
