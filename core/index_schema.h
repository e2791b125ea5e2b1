// The Xapian index schema, defined once: term prefixes, value slots, and how each field of
// the content model is indexed. docs/index-schema.md documents the same table, and
// tests/core/index_schema_test.cpp fails when the two disagree.
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"

namespace passerelle::schema {

// Free-text prefixes (terms are "Z" + folded stem, positional).
inline constexpr std::string_view k_title = "S";
// Xapian's mark of a stemmed term: "Z" + folded stem, or "Z" + prefix + stem for a prefixed field.
inline constexpr std::string_view k_stemmed = "Z";

// Boolean filter prefixes; values are lower case (QueryParser inserts ':' before upper case).
inline constexpr std::string_view k_uid = "Q";          // Q<id>@<lang>: one per document
inline constexpr std::string_view k_id = "XI";          // shared id of the language versions
inline constexpr std::string_view k_lang = "XL";
inline constexpr std::string_view k_kind = "K";
inline constexpr std::string_view k_country = "XC";
inline constexpr std::string_view k_theme = "XT";
inline constexpr std::string_view k_sector = "XS";      // 5-digit code, and its 3-digit category
inline constexpr std::string_view k_phase = "XP";
inline constexpr std::string_view k_project = "XJ";
inline constexpr std::string_view k_place = "XA";        // a place as written, lower case (schema 4)
inline constexpr std::string_view k_visibility = "XV";  // the effective visibility

// A glossary phrase found in the free text: "XG" + its synonym expansion ("XGfr:eau potable"),
// wdf as the words' (see core/concept_phrases.h).
inline constexpr std::string_view k_concept = "XG";
// Xapian refuses terms over 245 bytes; longer concept terms are not made.
inline constexpr std::size_t k_max_term_bytes = 240;

// Value slots.
// "YYYYMMDD" (unknown parts as 00, no date as 00000000) then "<id>@<lang>": sorts by date, and
// breaks ties of date or of weight by the version's uid, the same way in any layout of shards.
inline constexpr unsigned k_slot_date = 0;
inline constexpr unsigned k_slot_year = 1;    // Xapian::sortable_serialise(year): year ranges
inline constexpr unsigned k_slot_facets = 2;  // packed facet values, read by FacetSpy
inline constexpr unsigned k_slot_text = 3;    // display fields (JSON), a new line, then the snippet source
inline constexpr unsigned k_slot_id = 4;      // the id the language versions share: one hit per document (schema 3)
inline constexpr unsigned k_slot_attachments = 5;  // the text of PDF attachments by page (core/stored_fields.h); only on documents with one

// A glossary synonym's expansion (the synonyms' values, and concept terms after k_concept):
// "<lang>:<folded phrase>", as "fr:eau potable".
struct GlossaryForm {
    std::string lang, phrase;
};
std::string glossary_expansion(std::string_view lang, std::string_view folded_phrase);
// The parts of `expansion`; nullopt when it names no language.
std::optional<GlossaryForm> split_glossary_expansion(std::string_view expansion);

// Metadata keys of the Xapian database.
inline constexpr std::string_view k_meta_generation = "passerelle.generation";
inline constexpr std::string_view k_meta_schema = "passerelle.schema";
// 2: concept terms (k_concept). 3: k_slot_id. 4: places as filters and facets (k_place). An index of an older schema is rebuilt by its
// next run, and searched meanwhile with phrase queries instead of concept terms (before 2),
// and with one hit per language version (before 3).
inline constexpr int k_schema_version = 4;
// The schema version of `db` (k_meta_schema), 0 when it has none.
int schema_of(const Xapian::Database& db);
// The generation committed in `db` (k_meta_generation), 0 when it has none yet.
int generation_of(const Xapian::Database& db);

enum class Indexing { free_text, boolean_filter, sort_value, stored };

struct FieldRule {
    std::string_view field;   // front-matter field name
    Indexing how;
    std::string_view prefix;  // term prefix, or "" for unprefixed free text
    unsigned weight;          // wdf increment per word (free text)
    std::string_view query_name;  // name in the query language ("country:sn"), "" if none
    // The values of this field in `doc` (empty when absent).
    std::vector<std::string> (*values)(const Document& doc);
};

// Every field of the content model and how it is indexed, in the order the indexer applies them.
const std::vector<FieldRule>& field_rules();

// "Q" unique term of a language version.
std::string uid_term(std::string_view id, std::string_view lang);
// The value of k_slot_date for a version of `id` in `lang` dated `date`.
std::string order_key(const std::string& date, std::string_view id, std::string_view lang);
// The id and language an order key ends with; false for a key without them (older indexes).
bool split_order_key(std::string_view key, std::string& id, std::string& lang);
// "YYYYMMDD" for the date slot ("2021-06" -> "20210600"), "" when unknown.
std::string date_key(const std::string& date);

}  // namespace passerelle::schema
