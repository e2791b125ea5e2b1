// `passerelle index` and `passerelle check`: validates sources and, unless checking only, brings
// the index (Xapian database + SQLite catalogue in one folder) up to date with them.
//
// Incremental: a source whose content hash is unchanged is not read again; in a changed JSON
// Lines file, only records whose line changed are re-indexed; documents whose source is gone
// (under the paths named) are removed. Atomic: each batch commits the catalogue and then the
// Xapian database with a new generation, and the Xapian commit is the moment it takes effect;
// killing the process at any moment leaves the last committed state readable and consistent.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/diagnostics.h"

namespace passerelle {

struct IndexOptions {
    std::vector<std::filesystem::path> inputs;
    std::filesystem::path db;            // folder holding xapian/ and catalogue.sqlite
    std::filesystem::path vocabularies;  // folder of the vocabulary files
    bool check_only = false;             // validate, write nothing
    std::size_t batch_size = 100000;     // documents written per commit (bounds memory)
    std::size_t batch_bytes = 4 << 20;   // or this much text (titles, summaries, bodies), whichever comes first
    // A build from empty: each shard writes out what it buffers every this many documents. It
    // bounds the build's memory, and smaller buffers are also faster (Xapian's default is 10,000;
    // 4,000 measured about 11% faster and 80 MB smaller on 100,000 documents).
    std::size_t flush_every = 4000;
};

struct IndexReport {
    std::size_t sources = 0, unchanged_sources = 0;
    std::size_t added = 0, updated = 0, removed = 0, unchanged = 0, skipped = 0;
    std::size_t errors = 0, warnings = 0;
    std::size_t documents = 0;  // in the index after the run
    int generation = 0;
    double seconds = 0;
};

// Called as records are processed: (done, total).
using ProgressCallback = std::function<void(std::size_t, std::size_t)>;

// Paths of the two stores inside an index folder.
std::filesystem::path xapian_path(const std::filesystem::path& db);
std::filesystem::path catalogue_path(const std::filesystem::path& db);

// Runs the indexer. Diagnostics go to `sink` as they are found; throws Error for failures that
// stop the whole run (index locked, unreadable vocabularies).
IndexReport run_indexer(const IndexOptions& options, DiagnosticSink& sink, const ProgressCallback& progress = {});

}  // namespace passerelle
