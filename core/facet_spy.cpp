#include "core/facet_spy.h"

#include "core/index_schema.h"

namespace passerelle {

FacetTable::FacetTable(const Xapian::Database& db) {
    m_values.emplace_back();
    m_by_doc.assign(static_cast<std::size_t>(db.get_lastdocid()) + 1, 0);
    std::unordered_map<std::string, std::uint32_t> index{{std::string(), 0}};
    for (auto it = db.valuestream_begin(schema::k_slot_facets); it != db.valuestream_end(schema::k_slot_facets); ++it) {
        auto [pos, inserted] = index.emplace(*it, static_cast<std::uint32_t>(m_values.size()));
        if (inserted) m_values.push_back(*it);
        if (it.get_docid() < m_by_doc.size()) m_by_doc[it.get_docid()] = pos->second;
    }
}

void FacetSpy::operator()(const Xapian::Document& doc, double) {
    ++m_packed[m_table.value_of(doc.get_docid())];
    m_split = false;
}

const std::map<char, std::map<std::string, Xapian::doccount>>& FacetSpy::counts() const {
    if (m_split) return m_counts;
    m_counts.clear();
    for (const auto& [index, n] : m_packed) {
        const std::string& packed = m_table.values()[index];
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
