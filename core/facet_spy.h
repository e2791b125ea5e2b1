// Facet counting. FacetTable holds every document's packed facet value (schema::k_slot_facets)
// in memory, read once per index generation, with identical values stored once; FacetSpy
// counts over every match by document number, with no read from the index. Neither may be
// shared between threads while counting.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace passerelle {

class FacetTable {
  public:
    explicit FacetTable(const Xapian::Database& db);  // reads the whole value stream of the slot
    // Index of the document's packed value in values(), or 0 (the empty value).
    std::uint32_t value_of(Xapian::docid did) const { return did < m_by_doc.size() ? m_by_doc[did] : 0; }
    const std::vector<std::string>& values() const { return m_values; }

  private:
    std::vector<std::uint32_t> m_by_doc;  // docid -> index into m_values
    std::vector<std::string> m_values;    // distinct packed values; [0] is empty
};

class FacetSpy : public Xapian::MatchSpy {
  public:
    explicit FacetSpy(const FacetTable& table) : m_table(table) {}
    void operator()(const Xapian::Document& doc, double weight) override;
    std::string get_description() const override { return "passerelle-facets"; }

    // counts[code][value], codes as in core/stored_fields.h (facet::k_kind, ...).
    const std::map<char, std::map<std::string, Xapian::doccount>>& counts() const;

  private:
    const FacetTable& m_table;
    std::unordered_map<std::uint32_t, Xapian::doccount> m_packed;
    mutable std::map<char, std::map<std::string, Xapian::doccount>> m_counts;
    mutable bool m_split = false;
};

}  // namespace passerelle
