// A guide's definition: a YAML file in templates/guides/ (see docs/guides.md) with its titles
// and introduction in French and English, the selection of documents, the order of sections
// and the parts to show. Loading checks every key and value against the vocabularies and
// reports errors with file and line.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/vocabulary.h"

namespace passerelle {

inline const std::vector<std::string>& guide_outline_parts() {
    static const std::vector<std::string> parts = {"key_messages", "introduction", "map", "documents", "avoid", "checklist", "glossary", "contacts"};
    return parts;
}

struct GuideDefinition {
    std::string name;  // the file name without .yaml
    std::map<std::string, std::string> title, subtitle, introduction;  // by language: fr, en
    std::string author = "Le Partenariat";
    std::vector<std::string> keywords;
    // Selection.
    std::string query;
    std::vector<std::string> themes, kinds, countries, projects, phases;
    int year_from = 0, year_to = 0;
    // Sections in order of project-cycle phase, then date, then title ("phase"); or by "date"
    // or "title".
    std::string order = "phase";
    // Parts shown in each section.
    std::vector<std::string> parts = {"summary", "steps", "indicators", "partners"};
    // The key messages (Markdown, by language); without them, the guide's notes' summaries.
    std::map<std::string, std::string> key_messages;
    // Documents placed first, in this order; the others follow by `order`.
    std::vector<std::string> documents;
    // The guide's parts, in order (see guide_outline_parts()); sources and colophon end it.
    std::vector<std::string> outline = guide_outline_parts();
    // The offices given as contacts (ids of contacts.tsv); empty: the head office and those of
    // the countries the guide's documents are about.
    std::vector<std::string> contacts;
};

inline const std::vector<std::string>& guide_parts() {
    static const std::vector<std::string> parts = {"summary", "steps", "indicators", "partners", "contacts"};
    return parts;
}

// Reads and checks `path`; throws Error naming file, line and key.
GuideDefinition load_guide_definition(const std::filesystem::path& path, const Vocabularies& vocab);
// The same from text (YAML, or JSON, which YAML reads too); `where` names it in errors.
GuideDefinition parse_guide_definition(const std::string& source, const std::string& where, const std::string& name,
                                       const Vocabularies& vocab);

// The file of guide `name_or_file`: a path to a .yaml file, or a name in `guides_dir`.
// The definitions in `guides_dir` (*.yaml), by name.
std::vector<std::filesystem::path> list_guides(const std::filesystem::path& guides_dir);
std::filesystem::path find_guide(const std::string& name_or_file, const std::filesystem::path& guides_dir);

}  // namespace passerelle
