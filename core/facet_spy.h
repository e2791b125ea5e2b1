// Counts facet values (kind, lang, country, theme, year, phase) over every match, reading the
// one packed value slot each document carries (schema::k_slot_facets). Many documents share the
// same packed value, so whole values are counted first and split once, at the end.
#pragma once

#include <xapian.h>

#include <map>
#include <string>
#include <unordered_map>

namespace passerelle {

class FacetSpy : public Xapian::MatchSpy {
  public:
    void operator()(const Xapian::Document& doc, double weight) override;
    std::string get_description() const override { return "passerelle-facets"; }

    // counts[code][value], codes as in core/stored_fields.h (facet::k_kind, ...).
    const std::map<char, std::map<std::string, Xapian::doccount>>& counts() const;

  private:
    std::unordered_map<std::string, Xapian::doccount> m_packed;
    mutable std::map<char, std::map<std::string, Xapian::doccount>> m_counts;
    mutable bool m_split = false;
};

}  // namespace passerelle
