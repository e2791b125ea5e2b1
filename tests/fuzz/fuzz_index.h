// A small real index of the bundled content, built once per fuzzing process in a temporary
// folder (removed at exit), for the targets that search.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/diagnostics.h"
#include "indexer/indexer.h"

namespace passerelle::fuzz {

inline const std::filesystem::path& bundled_index() {
    static const std::filesystem::path dir = [] {
        const std::filesystem::path d =
            std::filesystem::temp_directory_path() / ("passerelle-fuzz-index-" + std::to_string(getpid()));
        std::filesystem::remove_all(d);
        IndexOptions o;
        o.inputs = {PASSERELLE_SOURCE_DIR "/content"};
        o.db = d;
        o.vocabularies = PASSERELLE_SOURCE_DIR "/content/vocabularies";
        DiagnosticSink sink;
        run_indexer(o, sink, {});
        std::atexit([] { std::filesystem::remove_all(bundled_index()); });
        return d;
    }();
    return dir;
}

}  // namespace passerelle::fuzz
