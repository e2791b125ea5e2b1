// Search exports and citations, as pure functions over the API's JSON (hits of /api/search,
// a document of /api/documents/{id}): CSV, JSON, BibTeX, RIS, CSL-JSON and an Atom feed.
// Every format escapes what it must (CSV quotes and formula prefixes, BibTeX specials, XML).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace passerelle::http {

using ExportJson = nlohmann::ordered_json;

// The text of `key` in `j`, or "" when it is missing or not a string (the API's JSON, read by
// the exports and the pages).
std::string str(const ExportJson& j, const char* key);

// `hits`: an array of /api/search hits whose "url" is the absolute page URL to cite.
std::string hits_csv(const ExportJson& hits);
std::string hits_bibtex(const ExportJson& hits);
std::string hits_ris(const ExportJson& hits);
// `feed`: {"title", "url" (this feed), "page_url" (the search page), "updated" (RFC 3339)}.
std::string hits_atom(const ExportJson& hits, const ExportJson& feed);

// One document (/api/documents/{id}) with "url" set to its stable absolute page URL.
std::string document_bibtex(const ExportJson& doc);
std::string document_ris(const ExportJson& doc);
std::string document_csl(const ExportJson& doc);  // CSL-JSON: an array of one item
std::string csl_items(const ExportJson& docs);      // CSL-JSON: an array of items
// A file name for a citation or an export: `stem` folded to [a-z0-9-] (at most 60), then `extension`.
std::string export_file_name(const std::string& stem, const std::string& extension);

}  // namespace passerelle::http
