// IATI activity files (versions 2.01 to 2.03, and 1.0x as far as it maps) as project
// documents: one document per activity, one language version per language of its title and
// descriptions. The mapping is documented in docs/content-format.md ("IATI activity files").
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/document.h"
#include "core/vocabulary.h"
#include "core/xml.h"

namespace passerelle {

struct IatiFileInfo {
    std::string version;       // the iati-activities version attribute ("2.03", "1.05")
    std::string default_lang;  // the root's xml:lang, or empty
};

// The language versions of one <iati-activity>, validated like any other document. Problems
// go to `sink` at `path`:line; an activity that cannot be read yields nothing.
std::vector<Document> iati_activity_documents(const XmlElement& activity, const IatiFileInfo& file, const std::string& path,
                                              const Vocabularies& vocab, DiagnosticSink& sink);

// Reads `file` as a stream and passes each document to `accept`, activity by activity. Throws
// XmlError (with its line) when the file is not well-formed, after the activities before the
// fault were passed on; Error when it is not an IATI activity file.
void read_iati_file(const std::filesystem::path& file, const std::string& display, const Vocabularies& vocab,
                    DiagnosticSink& sink, const std::function<void(Document&&)>& accept);

}  // namespace passerelle
