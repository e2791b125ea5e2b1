// Assembling a bilingual practice guide: the documents a definition selects (as a role may
// see them), paired by language, ordered, and laid out as a PDF with a cover, a table of
// contents, bookmarks, running headers and footers, in two layouts: `parallel` (French and
// English side by side, each section starting level) or `sequential` (French, then English,
// with links between the two versions of each section).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "generator/guide_definition.h"

namespace passerelle {

struct GuideOptions {
    std::filesystem::path db;
    std::string layout = "parallel";  // or sequential
    std::string role = "public";
    std::string date;                 // YYYY-MM-DD on the cover and in the PDF; fixed output for fixed inputs
    bool strict = false;              // a missing or outdated translation is an error
    std::string base_url;  // the site's public address, where each section's source is read ("": named without a link)
    std::string images;  // folder that images' relative addresses in the Markdown are read from ("": none)
    std::string theme;   // the theme file (templates/theme.yaml): cover colours and logo ("": built-in colours)
    // The licence the guide is published under, named in its colophon ("": none is declared,
    // and the colophon says whom to ask).
    std::string licence_name, licence_url;
};

struct GuideReport {
    std::vector<std::string> missing;   // "id: English version missing"
    std::vector<std::string> outdated;  // "id: English version (2019-03) older than the French one (2021-05)"
    std::size_t sections = 0;
    std::vector<std::string> documents;  // the ids of the sections' documents, in their order
    int pages = 0;
};

struct GuideResult {
    std::string pdf;
    GuideReport report;
};

class Searcher;

// True for a date written YYYY-MM-DD (the form --date and the PDF information take).
bool is_guide_date(const std::string& date);

// The ids of the documents `guide` selects for `role`, as build_guide would take them (those
// with a French or English version the role may see), without laying anything out: one search.
std::vector<std::string> guide_document_ids(const GuideDefinition& guide, const std::string& role, Searcher& searcher);

// Throws Error for a bad option, an unreadable index, or (strict) translations to fix.
// `searcher`: one already open on options.db, or null to open one.
GuideResult build_guide(const GuideDefinition& guide, const GuideOptions& options, Searcher* searcher = nullptr);
// The same from a definition file, checked against the index's vocabularies; the hyphenation
// patterns are read on other threads meanwhile.
GuideResult build_guide_file(const std::filesystem::path& definition, const GuideOptions& options,
                             std::string* name = nullptr);

}  // namespace passerelle
