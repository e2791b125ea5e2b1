// The layout of an index folder: `xapian` is a symbolic link to `xapian-<generation>/`, the
// live Xapian database, so that a database built elsewhere can replace it atomically (rename of
// a new link over the old one); `catalogue.sqlite` is the catalogue. Only a writer holding the
// Xapian lock may switch the link or remove stale folders.
#pragma once

#include <filesystem>
#include <string>

namespace passerelle {

// Creates the folder and an empty `xapian-0` behind the link when the index is new. Returns the
// path readers and writers open (`db/xapian`).
std::filesystem::path ensure_index_layout(const std::filesystem::path& db);

// True when `db/xapian` is the link (indexes made before the link layout are plain folders).
bool index_uses_link(const std::filesystem::path& db);

// Points `db/xapian` at `db/<dir_name>` atomically. Throws Error on failure.
void switch_index(const std::filesystem::path& db, const std::string& dir_name);

// Removes `xapian-*` folders other than the link's target, left by builds that did not finish
// or by databases a switch replaced.
void remove_stale_databases(const std::filesystem::path& db);

}  // namespace passerelle
