// Facet counting. FacetTable holds every document's packed facet value (schema::k_slot_facets)
// in memory, read once per index generation, with identical values stored once; FacetSpy
// counts over every match by document number, with no read from the index. Neither may be
// shared between threads while counting.
//
// Over several shards opened together (the stub a parallel build leaves), a match spy is given
// a document's number within its shard, not the combined one. The parallel build numbers the
// shards' documents so that no number is used twice (XapianWriter::for_shard), and the table is
// keyed by those numbers. Shards that do not satisfy this (made otherwise) are detected, and
// the spy then reads each match's value from the index instead: slower, never wrong.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace passerelle {

class FacetTable {
  public:
    explicit FacetTable(const Xapian::Database& db);  // reads the whole value stream of the slot
    // Index in values() of the packed value of the document a spy sees as `doc`, or 0 (empty).
    std::uint32_t value_of(const Xapian::Document& doc) const;
    const std::vector<std::string>& values() const { return m_values; }
    bool reads_index() const { return m_read_index; }  // shard numbers collide: values are read

    // The facet values a packed value holds, as indexes into labels(): split once, here.
    struct Label {
        char code;
        std::string value;
    };
    const std::vector<std::uint32_t>& labels_of(std::uint32_t packed) const { return m_labels_of[packed]; }
    const std::vector<Label>& labels() const { return m_labels; }
    // The number in the database (as Database::get_document takes it) of the document a spy
    // sees as `doc`; only when !reads_index().
    Xapian::docid database_docid(Xapian::docid doc) const;
    Xapian::docid spy_docid(Xapian::docid database) const { return (database - 1) / m_shards + 1; }  // the inverse

    // Documents, as opposed to language versions: the versions of one id make one group.
    // Only when !reads_index(); the spy's document number, as value_of takes it.
    std::uint32_t group_of(Xapian::docid doc) const { return doc < m_group_by_doc.size() ? m_group_by_doc[doc] : 0; }
    std::size_t groups() const { return m_groups; }
    // The share of the index's documents that Xapian reads before `doc` and `doc` itself (as a
    // spy numbers them): numbers freed by deletions count for nothing.
    double share_up_to(Xapian::docid doc) const;
    // The language of a version: a bit number below k_max_langs, or k_max_langs when there are
    // more languages than that; lang_label(bit) is the label of the `lang` facet it counts.
    static constexpr std::uint8_t k_max_langs = 14;
    std::uint8_t lang_bit_of(Xapian::docid doc) const { return doc < m_lang_by_doc.size() ? m_lang_by_doc[doc] : k_max_langs; }
    std::uint32_t lang_label(std::uint8_t bit) const { return m_lang_labels[bit]; }

  private:
    std::uint32_t add_value(const std::string& packed);

    std::vector<std::uint32_t> m_by_doc;  // document number as a spy sees it -> index into m_values
    std::vector<std::string> m_values;    // distinct packed values; [0] is empty
    std::vector<std::vector<std::uint32_t>> m_labels_of;  // per packed value: its labels
    std::vector<Label> m_labels;                          // distinct (facet, value) pairs
    std::unordered_map<std::string, std::uint32_t> m_label_index;  // code + value -> index into m_labels
    std::unordered_map<std::string, std::uint32_t> m_index;  // packed value -> index into m_values
    bool m_read_index = false;
    Xapian::docid m_shards = 1;
    std::vector<std::uint32_t> m_group_by_doc;  // spy's document number -> group (from 1)
    std::vector<std::uint8_t> m_lang_by_doc;    // spy's document number -> language bit
    std::vector<std::uint32_t> m_lang_labels;   // language bit -> label index
    std::vector<std::uint32_t> m_present_up_to;  // spy's document number -> its shard's documents numbered up to it
    std::vector<std::uint32_t> m_shard_documents;  // per shard: its documents
    std::size_t m_groups = 0;
};

// counts[code][value], codes as in core/stored_fields.h (facet::k_kind, ...).
using FacetCounts = std::map<char, std::map<std::string, Xapian::doccount>>;

// What a FacetSpy counts: language versions, or documents (a document counts once for each
// facet value, and for the `lang` facet once for each language it has a matching version in).
// `all_weight`: matches at least this heavy are also counted apart (those matching every
// concept of the query, see PlannedQuery::concepts); 0 counts none.
// `limit`: count (and record) only the first `limit` matches the spy is shown, a sample of
// the matches in index order; 0 counts every one. shown() tells whether it was shown more.
struct FacetCounting {
    bool documents = true;
    double all_weight = 0;
    Xapian::doccount limit = 0;
};

class FacetSpy : public Xapian::MatchSpy {
  public:
    // `record`: also keep every match's weight and number (for ordering runs of equal weights).
    explicit FacetSpy(const FacetTable& table, bool record = false, FacetCounting how = {})
        : m_table(table), m_record(record), m_how(how) {
        m_how.documents = m_how.documents && !table.reads_index();
    }
    void operator()(const Xapian::Document& doc, double weight) override;
    // Every match's weight and number as the spy saw it (FacetTable::database_docid maps it).
    const std::vector<std::pair<double, Xapian::docid>>& matches() const { return m_matches; }
    bool recording() const { return m_record; }
    std::string get_description() const override { return "passerelle-facets"; }

    const FacetCounts& counts() const;
    // The matches counted (documents or versions, as FacetCounting says), and those heavy enough.
    Xapian::doccount total() const { return m_total; }
    Xapian::doccount total_heavy() const { return m_heavy; }
    bool counts_documents() const { return m_how.documents; }
    Xapian::doccount shown() const { return m_shown; }  // every match the spy was shown, counted or not
    // The share of the index's document numbers that the counted matches span (1 when every
    // match was counted): matches come in number order, so a sample's counts divided by it
    // estimate those of every match.
    double share_counted() const;

  private:
    const FacetTable& m_table;
    bool m_record = false;
    FacetCounting m_how;
    Xapian::doccount m_total = 0, m_heavy = 0, m_shown = 0;
    Xapian::docid m_last = 0;  // the last match counted
    std::vector<std::uint16_t> m_seen;  // per group: language bits, then k_seen and k_heavy
    std::unordered_map<std::uint32_t, Xapian::doccount> m_more_langs;  // lang label -> later versions
    static constexpr std::uint16_t k_seen = 1u << 14, k_heavy = 1u << 15;
    std::vector<std::pair<double, Xapian::docid>> m_matches;
    void count_packed(std::uint32_t index);
    std::vector<Xapian::doccount> m_packed;  // packed value index -> matches (sized on the first)
    std::vector<std::uint32_t> m_touched;    // the packed value indexes counted, once each
    mutable FacetCounts m_counts;
    mutable bool m_split = false;
};

// Xapian's ValueCountMatchSpy, counting only what remote shards report. Xapian 1.4 runs a
// spy's copy on each remote shard, over all its matches, and merges the counts; it also shows
// the client's own spy the hits those shards send back, which would count them twice. For
// searches whose shards are all remote.
class RemoteValueCountMatchSpy : public Xapian::ValueCountMatchSpy {
  public:
    using Xapian::ValueCountMatchSpy::ValueCountMatchSpy;
    void operator()(const Xapian::Document&, double) override {}
};

// Counts the matches of one search per facet value: with a FacetTable, from memory; without
// one, from each match's packed value through Xapian's ValueCountMatchSpy, which remote shards
// (xapian-tcpsrv) know and run themselves, so that the counts of shards add up.
class FacetCounter {
  public:
    // `remote_only`: every shard is remote (RemoteValueCountMatchSpy). `record`: with a table
    // that does not read the index, keep every match's weight and number (matches()).
    explicit FacetCounter(const FacetTable* table, bool remote_only = false, bool record = false, FacetCounting how = {});
    Xapian::MatchSpy* spy();  // to add to the Enquire; owned here
    FacetCounts counts() const;
    // With a table: the matches counted, and those at least FacetCounting::all_weight heavy, in
    // documents when counts_documents(); nullopt without a table (the caller estimates).
    std::optional<Xapian::doccount> total() const;
    std::optional<Xapian::doccount> total_heavy() const;
    // With a table: every match the spy was shown, counted or not (FacetCounting::limit), and
    // FacetSpy::share_counted().
    std::optional<Xapian::doccount> shown() const;
    double share_counted() const { return m_table_spy ? m_table_spy->share_counted() : 1.0; }
    bool counts_documents() const { return m_table_spy && m_table_spy->counts_documents(); }
    // Every match's weight and number in the database, when recorded; else null.
    const std::vector<std::pair<double, Xapian::docid>>* matches() const;
    // The heaviest recorded match of each document (its language versions are one), by weight
    // and number in the database, in no order; nullopt unless matches are recorded by a table
    // that knows documents.
    std::optional<std::vector<std::pair<double, Xapian::docid>>> heaviest_per_document() const;

  private:
    std::optional<FacetSpy> m_table_spy;
    const FacetTable* m_table = nullptr;
    mutable std::vector<std::pair<double, Xapian::docid>> m_matches;  // in database numbers
    mutable bool m_mapped = false;
    std::optional<Xapian::ValueCountMatchSpy> m_value_spy;
    std::optional<RemoteValueCountMatchSpy> m_remote_spy;
};

}  // namespace passerelle
