// JSON views of core results for the API: hits, facets with labels in the caller's language,
// documents, projects, vocabularies.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/catalogue.h"
#include "core/search.h"
#include "core/vocabulary.h"

namespace passerelle::http {

using Json = nlohmann::ordered_json;

// "/api/documents/<id>?lang=<lang>", prefixed with the configured base URL.
std::string document_url(const std::string& base_url, const std::string& id, const std::string& lang);
// The API address of a document's attachment.
std::string attachment_url(const std::string& base_url, const std::string& id, const std::string& lang, const std::string& file);

// A hit with its fields as /api/search gives them (but `all_words`), `versions` included.
Json hit_json(const SearchHit& h, const std::string& base_url);
// The whole /api/search response (total, total_all_words, total_exact, page, per_page, hits,
// facets with their labels in `label_lang`, suggestion, corrected, lang_pref, missing_shards),
// written directly without building a tree.
std::string search_json(const SearchResult& r, long page, long per_page, const std::string& base_url,
                        const Vocabularies& vocab, const std::string& label_lang);
// A document's metadata (every stored field) and its indicators; body separately.
Json document_json(const StoredDocument& d);
Json vocabularies_json(const Vocabularies& vocab);

// Indicators of a project's documents added up: per indicator name and unit, the latest value
// each document reports; identical reports (same year and value, such as a project record and
// its evaluation quoting the same figure) count once; the rest are summed.
Json indicator_totals(const std::vector<std::pair<StoredDocument, Indicator>>& rows, const std::string& lang);

}  // namespace passerelle::http
