// The weighting scheme of graded queries on one database (see PlannedQuery::concepts): BM25, with
// Xapian's default parameters, plus k_concept_weight for each concept of the query a document
// matches. A concept is one weighted leaf, marked by graded_concept(): its own weight is the
// BM25 weight of its words taken as one term (OP_SYNONYM), and the concept's documents are
// read once. Over remote shards, which know only Xapian's schemes, the planner adds the same
// weight with a FixedWeightPostingSource filtered by the concept instead, which reads them twice;
// so it does over the shards behind a stub for a concept with tags (OP_MAX of its words' leaf
// and its tags' leaf), as Xapian 1.4.22 crashes there in OP_MAX weighed by this scheme.
#pragma once

#include <xapian.h>

#include <string>

namespace passerelle {

// The OP_SCALE_WEIGHT factor that marks a concept's leaf. Scale factors multiply, and none of a
// query's others come near it, so a leaf with a factor at least half of it is a concept's.
inline constexpr double k_graded_marker = 1048576.0;

// A concept's query (`words`) as one weighted leaf of a graded query, worth k_concept_weight more to the documents
// it matches (with GradedWeight as the Enquire's weighting scheme). `words` must hold no
// posting source (OP_SYNONYM cannot weigh one).
Xapian::Query graded_concept(const Xapian::Query& words);

class GradedWeight : public Xapian::Weight {
  public:
    GradedWeight();
    GradedWeight* clone() const override;
    std::string name() const override { return "passerelle.graded"; }
    void init(double factor) override;
    double get_sumpart(Xapian::termcount wdf, Xapian::termcount doclen, Xapian::termcount uniqterms) const override;
    double get_maxpart() const override;
    double get_sumextra(Xapian::termcount, Xapian::termcount) const override { return 0; }
    double get_maxextra() const override { return 0; }

  private:
    double bm25(double wdf, double normlen) const;
    double m_bonus = 0;         // k_concept_weight for a concept's leaf, else 0
    double m_termweight = 0;    // BM25's inverse document frequency part, scaled
    double m_length_factor = 0;  // 1 / the average document length
};

}  // namespace passerelle
