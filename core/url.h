// Percent-encoding and decoding of paths and query strings (Pistache 0.0.5 leaves them encoded;
// the IATI export and the OAI-PMH provider build addresses).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace passerelle::http {

// Decodes %XX escapes (and '+' as a space when `plus_is_space`). Nothing when an escape is
// malformed, the result is not valid UTF-8, or it contains a NUL or another control character
// (but line breaks and tabs when `line_breaks`: a form's text areas).
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space, bool line_breaks = false);

// Splits "a=1&b=%C3%A9&a=2" into decoded pairs, repeats kept in order. Nothing, with the bad
// parameter's name (or raw text) in `bad`, when a name or value cannot be decoded.
// `line_breaks`: values may hold line breaks and tabs (a form body).
std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query, std::string& bad,
                                                                             bool line_breaks = false);

// Encodes a path segment or query value (unreserved characters kept).
std::string percent_encode(std::string_view s);

// The server's address of the page of a document's `lang` version, from the site's root:
// /fr/documents/{id} or /en/documents/{id}, and for another language the English interface
// with ?lang= (the IATI export and OAI-PMH link to it).
std::string document_page_path(std::string_view id, std::string_view lang);

}  // namespace passerelle::http
