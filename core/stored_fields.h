// What the Xapian index keeps with each document for display without a catalogue look-up:
// a compact JSON object, and the packed facet value of schema::k_slot_facets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"

namespace passerelle {

struct StoredFields {
    std::string id, lang, kind, title, date, visibility;
    int year = 0;
    std::vector<std::string> countries, themes;
};

// Longest text kept for snippets, in bytes (cut at a UTF-8 boundary, then "…" added to show
// that the text goes on). Snippets look at the whole of it; 2 KiB is the whole of most
// documents' summary and first paragraphs, and a longer value costs more block reads per hit.
inline constexpr std::size_t k_max_snippet_source = std::size_t{2} * 1024;

// The document data: display fields only. The snippet source goes in schema::k_slot_text
// (values are not compressed by Xapian, unlike document data).
std::string encode_stored_fields(const Document& doc);
StoredFields decode_stored_fields(std::string_view data);

// Facet codes in the packed value: one "<code>:<value>" line per value.
namespace facet {
inline constexpr char k_kind = 'k', k_lang = 'l', k_country = 'c', k_theme = 't', k_year = 'y', k_phase = 'p', k_place = 'a';
inline constexpr char k_visibility = 'v';  // not a facet: lets a reader check a version's level cheaply
}
std::string pack_facets(const Document& doc);
// The (code, value) pairs of a packed value, in order.
std::vector<std::pair<char, std::string>> unpack_facets(std::string_view packed);

// Joins summary and body and cuts the result to k_max_snippet_source bytes, ending it with "…"
// when it was cut.
std::string snippet_source(const std::string& summary, const std::string& plain_body);

// The value of schema::k_slot_text: what a hit shows, read with one look-up. The display
// fields as JSON (which has no raw new line), a new line, then the snippet source.
std::string encode_hit_value(const Document& doc, const std::string& plain_body);
// Splits a hit value into its display fields and its snippet source.
std::pair<StoredFields, std::string_view> decode_hit_value(std::string_view value);

// The value of schema::k_slot_attachments: the text of a document's PDF attachments, page by
// page, for snippets that say where in which PDF a query's words are; "" when it has none. Each
// PDF is its file name, then its pages, each after a '\f' (the text holds no control
// characters: the indexer turned them into spaces), the PDFs separated by '\x1d'.
std::string encode_attachment_pages(const Document& doc);
struct AttachmentPage {
    std::string_view file, text;
    int page = 0;  // from 1
};
std::vector<AttachmentPage> decode_attachment_pages(std::string_view value);

}  // namespace passerelle
