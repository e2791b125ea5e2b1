// Turns a parsed record into a Document, validating every field against the vocabularies.
#pragma once

#include <optional>
#include <string>

#include "core/document.h"
#include "core/record.h"
#include "core/vocabulary.h"

namespace passerelle {

struct BuildContext {
    SourcePos origin;          // where the record starts (for "missing field" errors)
    std::string source_path;   // the file
    // For Markdown files named <id>.<lang>.md: what the name says, checked against the fields.
    std::string expected_id, expected_lang;
    bool body_in_record = false;  // JSON Lines: `body` is a field of the record
    // Bulk records (JSON Lines, IATI) come from other systems: a country or sector code the
    // vocabularies do not know is a warning, and the record is indexed without it; an IATI
    // region code among the countries becomes a place with the region's name. Markdown in
    // content/ is strict: such a code is an error.
    bool bulk = false;
};

// Every problem goes to `sink` with its position: errors make the result empty, warnings
// (unknown fields) do not.
std::optional<Document> build_document(const FieldValue& record, std::string body, const BuildContext& ctx,
                                       const Vocabularies& vocab, DiagnosticSink& sink);

// True for ids of 1 to 200 bytes without control characters or surrounding white space, that
// do not look like file paths ('../', a leading '/'). Real IATI identifiers contain '/', ':',
// '#' and spaces, so ids are percent-encoded in URLs and never used as file names.
bool is_valid_id(const std::string& id);

// Whether an author written as a plain name is an organisation rather than a person, for
// citations: the document's publisher, a partner or a funder; an acronym; or a name that starts
// as organisations' do ("Le ", "Association", "Université", "Ministry" ...). A name with a comma
// ("Diop, Awa") is a person. `{name, type: person|organisation}` says it outright.
bool looks_like_organisation(const std::string& name, const Document& doc);

// Checks YYYY, YYYY-MM or YYYY-MM-DD with a real month and day; returns the year or 0.
int parse_date(const std::string& date);

}  // namespace passerelle
