// Builds a real index (Xapian + SQLite) in a temporary folder from small Markdown notes.
#pragma once

#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "indexer/indexer.h"
#include "support/temp_dir.h"

namespace passerelle::test {

// A Markdown note with front matter; `extra` is more front-matter lines.
std::string note(const std::string& id, const std::string& lang, const std::string& kind, const std::string& title,
                 const std::string& body, const std::string& extra = "visibility: public\n");

struct FixtureIndex {
    TempDir dir;
    IndexReport report;
    std::vector<std::string> messages;

    std::filesystem::path content() const { return dir / "content"; }
    std::filesystem::path db() const { return dir / "db"; }
    // Writes content/<relative> and returns its path.
    std::filesystem::path add(const std::string& relative, const std::string& text) const {
        return dir.write("content/" + relative, text);
    }
    // Runs the indexer over content/ into db/.
    const IndexReport& index(std::size_t batch_size = 100000);
};

}  // namespace passerelle::test
