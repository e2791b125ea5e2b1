// Finds the sources to index under the paths a user names: Markdown files (walked
// recursively in directories), JSON Lines files and IATI activity files (.xml).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/diagnostics.h"

namespace passerelle {

enum class SourceType { markdown, jsonl, iati };

struct Source {
    std::string display;  // the path as the user would write it, for messages
    std::string key;      // absolute, normalised path: the source's identity in the catalogue
    SourceType type;
};

struct ScanResult {
    std::vector<Source> sources;     // sorted by key, no duplicates
    std::vector<std::string> roots;  // keys of the directories and files named: what a run covers
};

// Directories are walked for *.md without following symbolic links (so link loops cannot
// trap the walk); files must end in .md, .jsonl or .xml (IATI activities). A path that does not exist or has another
// extension is reported as an error, and the others are still scanned. The vocabularies folder
// of a content tree is skipped.
ScanResult scan_sources(const std::vector<std::filesystem::path>& inputs, DiagnosticSink& sink);

// True when `key` is one of `roots` or lies under one of them.
bool covered_by(const std::string& key, const std::vector<std::string>& roots);

}  // namespace passerelle
