#include "core/facet_spy.h"

#include <algorithm>

#include "core/index_schema.h"

namespace passerelle {

FacetTable::FacetTable(const Xapian::Database& db) {
    constexpr std::uint32_t unset = ~0u;
    const Xapian::docid shards = std::max<Xapian::docid>(1, static_cast<Xapian::docid>(db.size()));
    // Combined number c is number (c - 1) / shards + 1 within shard (c - 1) % shards.
    const auto local = [shards](Xapian::docid c) { return (c - 1) / shards + 1; };
    m_values.emplace_back();
    m_index.emplace(std::string(), 0);
    m_by_doc.assign(static_cast<std::size_t>(local(std::max<Xapian::docid>(1, db.get_lastdocid()))) + 1, unset);
    // Every document has a facet value (its language at least), so every document is seen here.
    for (auto it = db.valuestream_begin(schema::k_slot_facets); it != db.valuestream_end(schema::k_slot_facets); ++it) {
        auto [pos, inserted] = m_index.emplace(*it, static_cast<std::uint32_t>(m_values.size()));
        if (inserted) m_values.push_back(*it);
        const Xapian::docid l = local(it.get_docid());
        if (l >= m_by_doc.size()) continue;
        if (m_by_doc[l] != unset) m_read_index = true;  // two shards use this number
        m_by_doc[l] = pos->second;
    }
    for (auto& v : m_by_doc)
        if (v == unset) v = 0;
    if (m_read_index) m_by_doc.clear();
}

std::uint32_t FacetTable::value_of(const Xapian::Document& doc) const {
    if (m_read_index) {
        const auto it = m_index.find(doc.get_value(schema::k_slot_facets));
        return it == m_index.end() ? 0 : it->second;
    }
    const Xapian::docid did = doc.get_docid();
    return did < m_by_doc.size() ? m_by_doc[did] : 0;
}

void FacetSpy::operator()(const Xapian::Document& doc, double) {
    ++m_packed[m_table.value_of(doc)];
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
