#include "core/facet_spy.h"

#include <algorithm>

#include "core/index_schema.h"
#include "core/stored_fields.h"

namespace passerelle {

FacetTable::FacetTable(const Xapian::Database& db) {
    constexpr std::uint32_t k_unset = ~0u;
    const Xapian::docid shards = std::max<Xapian::docid>(1, static_cast<Xapian::docid>(db.size()));
    m_shards = shards;
    // Combined number c is number (c - 1) / shards + 1 within shard (c - 1) % shards.
    const auto local = [shards](Xapian::docid c) { return (c - 1) / shards + 1; };
    add_value(std::string());
    m_by_doc.assign(static_cast<std::size_t>(local(std::max<Xapian::docid>(1, db.get_lastdocid()))) + 1, k_unset);
    // Every document has a facet value (its language at least), so every document is seen here.
    for (auto it = db.valuestream_begin(schema::k_slot_facets); it != db.valuestream_end(schema::k_slot_facets); ++it) {
        const std::uint32_t index = add_value(*it);
        const Xapian::docid l = local(it.get_docid());
        if (l >= m_by_doc.size()) continue;
        if (m_by_doc[l] != k_unset) m_read_index = true;  // two shards use this number
        m_by_doc[l] = index;
    }
    // Shard s numbers its documents s + 1, s + 1 + shards, ... (XapianWriter::for_shard): the
    // documents up to a number are counted within its shard.
    m_present_up_to.assign(m_by_doc.size(), 0);
    m_shard_documents.assign(shards, 0);
    for (std::size_t d = 1; d < m_by_doc.size(); ++d) {
        const bool present = m_by_doc[d] != k_unset;
        if (!present) m_by_doc[d] = 0;
        m_present_up_to[d] = (d > shards ? m_present_up_to[d - shards] : 0) + (present ? 1 : 0);
        m_shard_documents[(d - 1) % shards] += present ? 1 : 0;
    }
    if (!m_by_doc.empty()) m_by_doc[0] = m_by_doc[0] == k_unset ? 0 : m_by_doc[0];
    if (m_read_index) {
        m_present_up_to.clear();
        m_by_doc.clear();
        return;
    }
    // Groups and languages, from the order key every document has ("...<id>@<lang>").
    m_group_by_doc.assign(m_by_doc.size(), 0);
    m_lang_by_doc.assign(m_by_doc.size(), k_max_langs);
    std::unordered_map<std::string, std::uint32_t> groups;
    std::map<std::string, std::uint8_t> langs;
    std::string id, lang;
    for (auto it = db.valuestream_begin(schema::k_slot_date); it != db.valuestream_end(schema::k_slot_date); ++it) {
        const Xapian::docid l = local(it.get_docid());
        if (l >= m_by_doc.size() || !schema::split_order_key(*it, id, lang)) continue;
        m_group_by_doc[l] = groups.emplace(id, static_cast<std::uint32_t>(groups.size() + 1)).first->second;
        auto bit = langs.find(lang);
        if (bit == langs.end() && langs.size() < k_max_langs) {
            const auto label = m_label_index.find(std::string(1, facet::k_lang) + lang);
            if (label != m_label_index.end()) {
                bit = langs.emplace(lang, static_cast<std::uint8_t>(langs.size())).first;
                m_lang_labels.push_back(label->second);
            }
        }
        if (bit != langs.end()) m_lang_by_doc[l] = bit->second;
    }
    m_groups = groups.size();
}

std::uint32_t FacetTable::add_value(const std::string& packed) {
    auto [pos, inserted] = m_index.emplace(packed, static_cast<std::uint32_t>(m_values.size()));
    if (!inserted) return pos->second;
    m_values.push_back(packed);
    std::vector<std::uint32_t>& labels = m_labels_of.emplace_back();
    for (auto& [code, value] : unpack_facets(packed)) {
        auto [l, added] = m_label_index.emplace(std::string(1, code) + value, static_cast<std::uint32_t>(m_labels.size()));
        if (added) m_labels.push_back({code, std::move(value)});
        labels.push_back(l->second);
    }
    return pos->second;
}

Xapian::docid FacetTable::database_docid(Xapian::docid doc) const {
    // A shard's numbers are shard+1, shard+1+shards, ... (XapianWriter::for_shard), and the
    // database numbers a shard's document n as (n - 1) * shards + shard + 1.
    const Xapian::docid shard = (doc - 1) % m_shards;
    return (doc - 1) * m_shards + shard + 1;
}

std::uint32_t FacetTable::value_of(const Xapian::Document& doc) const {
    if (m_read_index) {
        const auto it = m_index.find(doc.get_value(schema::k_slot_facets));
        return it == m_index.end() ? 0 : it->second;
    }
    const Xapian::docid did = doc.get_docid();
    return did < m_by_doc.size() ? m_by_doc[did] : 0;
}

void FacetSpy::operator()(const Xapian::Document& doc, double weight) {
    if (m_how.limit && m_shown >= m_how.limit) {  // past the sample
        ++m_shown;
        return;
    }
    ++m_shown;
    m_last = doc.get_docid();
    if (m_record) m_matches.emplace_back(weight, doc.get_docid());
    m_split = false;
    const bool heavy = m_how.all_weight > 0 && weight >= m_how.all_weight;
    if (!m_how.documents) {
        count_packed(m_table.value_of(doc));
        ++m_total;
        m_heavy += heavy;
        return;
    }
    if (m_seen.empty()) m_seen.assign(m_table.groups() + 1, 0);
    const Xapian::docid did = doc.get_docid();
    std::uint16_t& seen = m_seen[m_table.group_of(did)];
    const std::uint8_t bit = m_table.lang_bit_of(did);
    if (!(seen & k_seen)) {  // the document's first matching version: every facet value it has
        seen |= k_seen;
        count_packed(m_table.value_of(doc));
        ++m_total;
    } else if (bit < FacetTable::k_max_langs && !(seen & (1u << bit))) {  // a version in another language
        ++m_more_langs[m_table.lang_label(bit)];
    }
    if (bit < FacetTable::k_max_langs) seen |= static_cast<std::uint16_t>(1u << bit);
    if (heavy && !(seen & k_heavy)) {
        seen |= k_heavy;
        ++m_heavy;
    }
}

void FacetSpy::count_packed(std::uint32_t index) {
    if (m_packed.empty()) m_packed.assign(m_table.values().size(), 0);
    if (m_packed[index]++ == 0) m_touched.push_back(index);
}

double FacetTable::share_up_to(Xapian::docid doc) const {
    if (m_present_up_to.size() < 2 || doc == 0) return 1.0;
    doc = std::min<Xapian::docid>(doc, static_cast<Xapian::docid>(m_present_up_to.size() - 1));
    // Xapian reads the shards one after another: every document of the shards before this
    // one's, and this shard's up to it.
    const std::size_t shard = (doc - 1) % m_shards;
    double before = 0, all = 0;
    for (std::size_t s = 0; s < m_shard_documents.size(); ++s) {
        if (s < shard) before += m_shard_documents[s];
        all += m_shard_documents[s];
    }
    return all > 0 ? std::min(1.0, (before + m_present_up_to[doc]) / all) : 1.0;
}

double FacetSpy::share_counted() const {
    if (!m_how.limit || m_shown < m_how.limit) return 1.0;
    return m_table.share_up_to(m_last);
}

const FacetCounts& FacetSpy::counts() const {
    if (m_split) return m_counts;
    m_counts.clear();
    std::vector<Xapian::doccount> by_label(m_table.labels().size(), 0);
    for (std::uint32_t index : m_touched)
        for (std::uint32_t label : m_table.labels_of(index)) by_label[label] += m_packed[index];
    for (const auto& [label, n] : m_more_langs) by_label[label] += n;
    for (std::size_t i = 0; i < by_label.size(); ++i)
        if (by_label[i]) m_counts[m_table.labels()[i].code][m_table.labels()[i].value] = by_label[i];
    m_split = true;
    return m_counts;
}

FacetCounter::FacetCounter(const FacetTable* table, bool remote_only, bool record, FacetCounting how) : m_table(table) {
    if (table) m_table_spy.emplace(*table, record && !table->reads_index(), how);
    else if (remote_only) m_remote_spy.emplace(schema::k_slot_facets);
    else m_value_spy.emplace(schema::k_slot_facets);
}

Xapian::MatchSpy* FacetCounter::spy() {
    if (m_table_spy) return &*m_table_spy;
    if (m_remote_spy) return &*m_remote_spy;
    return &*m_value_spy;
}

const std::vector<std::pair<double, Xapian::docid>>* FacetCounter::matches() const {
    if (!m_table_spy || !m_table_spy->recording()) return nullptr;
    if (!m_mapped) {
        m_matches = m_table_spy->matches();
        for (auto& [weight, doc] : m_matches) doc = m_table->database_docid(doc);
        m_mapped = true;
    }
    return &m_matches;
}

std::optional<Xapian::doccount> FacetCounter::total() const {
    if (!m_table_spy) return std::nullopt;
    return m_table_spy->total();
}

std::optional<Xapian::doccount> FacetCounter::shown() const {
    if (!m_table_spy) return std::nullopt;
    return m_table_spy->shown();
}

std::optional<Xapian::doccount> FacetCounter::total_heavy() const {
    if (!m_table_spy) return std::nullopt;
    return m_table_spy->total_heavy();
}

std::optional<std::vector<std::pair<double, Xapian::docid>>> FacetCounter::heaviest_per_document() const {
    if (!m_table_spy || !m_table_spy->recording() || !m_table_spy->counts_documents()) return std::nullopt;
    constexpr std::uint32_t k_none = ~0u;
    std::vector<std::uint32_t> at(m_table->groups() + 1, k_none);  // group -> index in out
    std::vector<std::pair<double, Xapian::docid>> out;
    for (const auto& [weight, doc] : m_table_spy->matches()) {  // the spy's numbers: group_of takes them
        const std::uint32_t g = m_table->group_of(doc);
        const Xapian::docid did = m_table->database_docid(doc);
        if (g == 0) {
            out.emplace_back(weight, did);
        } else if (at[g] == k_none) {
            at[g] = static_cast<std::uint32_t>(out.size());
            out.emplace_back(weight, did);
        } else if (weight > out[at[g]].first) {
            out[at[g]] = {weight, did};
        }
    }
    return out;
}

FacetCounts FacetCounter::counts() const {
    if (m_table_spy) return m_table_spy->counts();
    const Xapian::ValueCountMatchSpy& spy = m_remote_spy ? *m_remote_spy : *m_value_spy;
    FacetCounts out;
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it)
        for (const auto& [code, value] : unpack_facets(*it)) out[code][value] += it.get_termfreq();
    return out;
}

}  // namespace passerelle
