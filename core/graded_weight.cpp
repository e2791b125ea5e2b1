#include "core/graded_weight.h"

#include <algorithm>
#include <cmath>

#include "core/query_planner.h"

namespace passerelle {

namespace {

// Xapian's BM25Weight defaults: k1 = 1, k2 = 0, k3 = 1, b = 0.5, min_normlen = 0.5. The same
// formula gives the same weights as Xapian's scheme, which the remote shards of a federation use.
constexpr double k_k1 = 1.0, k_k3 = 1.0, k_b = 0.5, k_min_normlen = 0.5;

}  // namespace

Xapian::Query graded_concept(const Xapian::Query& words) {
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(Xapian::Query::OP_SYNONYM, &words, &words + 1),
                         k_graded_marker);
}

GradedWeight::GradedWeight() {
    need_stat(COLLECTION_SIZE);
    need_stat(TERMFREQ);
    need_stat(WDF);
    need_stat(WDF_MAX);
    need_stat(WQF);
    need_stat(DOC_LENGTH);
    need_stat(DOC_LENGTH_MIN);
    need_stat(AVERAGE_LENGTH);
}

GradedWeight* GradedWeight::clone() const { return new GradedWeight(); }

void GradedWeight::init(double factor) {
    m_bonus = 0;
    m_termweight = 0;
    if (factor == 0) return;  // a boolean context: no weight
    if (factor >= k_graded_marker / 2) {
        m_bonus = k_concept_weight;
        factor /= k_graded_marker;
    }
    const double n = get_collection_size(), tf = get_termfreq();
    double ratio = (n - tf + 0.5) / (tf + 0.5);
    if (ratio < 2) ratio = ratio * 0.5 + 1;  // keeps the weight of very common terms above 0
    const double wqf = get_wqf();
    m_termweight = std::log(ratio) * factor * ((k_k3 + 1) * wqf / (k_k3 + wqf)) * (k_k1 + 1);
    const double average = get_average_length();
    m_length_factor = average != 0 ? 1 / average : 0;
}

double GradedWeight::bm25(double wdf, double normlen) const {
    if (m_termweight == 0 || wdf == 0) return 0;
    return m_termweight * (wdf / (k_k1 * (normlen * k_b + (1 - k_b)) + wdf));
}

double GradedWeight::get_sumpart(Xapian::termcount wdf, Xapian::termcount doclen, Xapian::termcount) const {
    return m_bonus + bm25(wdf, std::max(doclen * m_length_factor, k_min_normlen));
}

double GradedWeight::get_maxpart() const {
    return m_bonus + bm25(get_wdf_upper_bound(), std::max(get_doclength_lower_bound() * m_length_factor, k_min_normlen));
}

}  // namespace passerelle
