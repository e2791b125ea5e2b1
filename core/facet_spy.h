// Counts facet values (kind, lang, country, theme, year, phase) over every match, reading the
// one packed value slot each document carries (schema::k_slot_facets).
#pragma once

#include <xapian.h>

#include <map>
#include <string>

namespace passerelle {

class FacetSpy : public Xapian::MatchSpy {
  public:
    void operator()(const Xapian::Document& doc, double weight) override;
    std::string get_description() const override { return "passerelle-facets"; }

    // counts[code][value], codes as in core/stored_fields.h (facet::k_kind, ...).
    const std::map<char, std::map<std::string, Xapian::doccount>>& counts() const { return m_counts; }

  private:
    std::map<char, std::map<std::string, Xapian::doccount>> m_counts;
};

}  // namespace passerelle
