#include "indexer/compact.h"

#include <chrono>
#include <memory>

#include "core/diagnostics.h"
#include "core/xapian_writer.h"
#include "indexer/index_layout.h"
#include "indexer/indexer.h"

namespace passerelle {

namespace fs = std::filesystem;

namespace {

std::uintmax_t folder_bytes(const fs::path& dir) {
    std::uintmax_t total = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec)) total += it->file_size(ec);
    return total;
}

}  // namespace

CompactReport compact_index(const fs::path& db) {
    const auto start = std::chrono::steady_clock::now();
    if (!index_uses_link(db))
        throw Error(db.string() + ": not an index folder made by 'passerelle index' (no 'xapian' link)");
    const bool sharded = index_is_sharded(db);
    const std::vector<fs::path> sources = sharded ? index_shards(db) : std::vector<fs::path>{xapian_path(db)};
    if (sources.empty()) throw Error(db.string() + ": the database stub lists no shard");
    auto lock = std::make_unique<XapianWriter>(sources.front());  // the lock `passerelle index` takes

    CompactReport report;
    report.generation = lock->generation();
    report.sources = sources.size();
    for (const fs::path& s : sources) report.bytes_before += folder_bytes(s);

    std::error_code ec;
    const std::string live = fs::read_symlink(db / "xapian", ec).filename().string();
    std::string name = "xapian-" + std::to_string(report.generation) + "c";
    for (int k = 2; name == live; ++k) name = "xapian-" + std::to_string(report.generation) + "c" + std::to_string(k);
    fs::remove_all(db / name, ec);
    merge_databases(sources, db / name);
    report.bytes_after = folder_bytes(db / name);
    switch_index(db, name);
    lock.reset();  // unlock the old database before removing it
    remove_stale_databases(db);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

}  // namespace passerelle
