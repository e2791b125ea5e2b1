// The layout of an index folder: `xapian` is a symbolic link to the live Xapian database, so
// that a database built elsewhere replaces it atomically (rename of a new link over the old
// one). The link names either a folder `xapian-<generation>/` (one database) or, right after a
// parallel build, a stub file `xapian-<generation>.stub` listing its shards
// (`xapian-<generation>/shard-*`), which Xapian opens as one database. `catalogue.sqlite` is
// the catalogue. Only a writer holding the Xapian lock may switch the link or remove stale
// entries.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace passerelle {

// When the index is new, creates the folder, the catalogue and an empty database (generation 0),
// and only then the link to it, so that `db/xapian`, once it exists, always opens. Returns the
// path readers and writers open (`db/xapian`).
std::filesystem::path ensure_index_layout(const std::filesystem::path& db);

// True when `db/xapian` is the link (indexes made before the link layout are plain folders).
bool index_uses_link(const std::filesystem::path& db);

// Points `db/xapian` at `db/<dir_name>` atomically. Throws Error on failure.
void switch_index(const std::filesystem::path& db, const std::string& dir_name);

// Removes `xapian-*` entries other than the link's target (and a stub's shard folder), left by
// builds that did not finish or by databases a switch replaced, and catalogues whose creation
// did not finish (`catalogue.sqlite.new-*`).
void remove_stale_databases(const std::filesystem::path& db);

// True when the link names a stub of several shards (a writer must merge them first).
bool index_is_sharded(const std::filesystem::path& db);

// The shard folders a stub lists, for a sharded index.
std::vector<std::filesystem::path> index_shards(const std::filesystem::path& db);

// Writes `xapian-<generation>.stub` listing `shards` (folders inside `db`) and returns its name.
std::string write_stub(const std::filesystem::path& db, int generation, const std::vector<std::string>& shards);

}  // namespace passerelle
