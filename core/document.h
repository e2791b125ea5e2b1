// The content model: one document in one language. Field meanings are documented in
// docs/content-format.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"

namespace passerelle {

struct Indicator {
    std::string name;
    double value = 0;
    std::string unit;
    int year = 0;  // 0 when not given
    std::optional<double> target;  // what was aimed at, when the document says
};

struct Party {
    std::string name;
    std::string role;  // free text: "maître d'ouvrage", "funder", ...
};

// A file a note carries (`attachments:`): a PDF or an image, in the folder named after the
// note's id beside its file. The indexer reads the bytes: their type, size, hash and, for a
// PDF, the text of each page (indexer/attachments.h); the reader only checks the fields.
struct Attachment {
    std::string file;           // its name in the note's folder: letters, digits, '.', '-', '_'
    std::string title;          // optional
    std::string alt, credit;    // an image's alternative text and credit (both required for images)
    std::string type;           // application/pdf, image/png or image/jpeg, from the bytes
    std::string hash;           // content_hash of the bytes: its name in the index's file store
    long long bytes = 0;
    int page_count = 0;                  // a PDF's pages
    std::vector<std::string> pages;      // a PDF's text, page by page (not kept in the catalogue)
    SourcePos pos;                       // where the front matter declares it
};

struct Document {
    std::string id;    // shared by the language versions
    std::string lang;  // fr, en, ... (BCP 47 primary tag)
    std::string kind;  // project, report, good_practice, lesson, evaluation, guide
    std::string title;
    std::string summary;
    std::string date;  // YYYY, YYYY-MM or YYYY-MM-DD; empty when unknown
    int year = 0;      // from `date` (or the JSON Lines `year`); 0 when unknown
    std::string visibility = "internal";
    std::string status = "published";  // draft, published
    std::vector<std::string> countries;  // ISO 3166-1 alpha-2, upper case
    std::vector<std::string> places;
    std::vector<std::string> themes;   // declared themes
    std::vector<std::string> sectors;  // DAC 5-digit codes or 3-digit categories
    std::string phase;
    std::string project;  // id of the project record
    std::vector<Party> partners;
    std::vector<std::string> funders;
    std::vector<std::string> authors;
    // For each author: "person" or "organisation", as written ({name, type}) or as told from the
    // name (see looks_like_organisation in core/document_builder.h).
    std::vector<std::string> author_types;
    std::string publisher;
    std::string source;
    std::vector<Indicator> indicators;
    std::vector<std::string> tags;
    std::vector<std::string> steps;  // a practice's steps to repeat it elsewhere, in order (a guide's checklist)
    std::string body;  // Markdown
    std::vector<Attachment> attachments;

    SourcePos origin;         // file and line where the record starts
    std::string source_path;  // the file it was read from
    std::string hash;         // content hash of the record's bytes, for incremental runs

    // Themes declared plus those implied by sectors, without duplicates (filled by the builder).
    std::vector<std::string> all_themes;
    // The visibility that applies: drafts are internal whatever they declare.
    const std::string& effective_visibility() const {
        static const std::string internal = "internal";
        return status == "draft" ? internal : visibility;
    }
};

}  // namespace passerelle
