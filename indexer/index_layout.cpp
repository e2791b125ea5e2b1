#include "indexer/index_layout.h"

#include <fcntl.h>
#include <unistd.h>

#include "core/diagnostics.h"

namespace passerelle {

namespace fs = std::filesystem;

namespace {

void sync_dir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

}  // namespace

fs::path ensure_index_layout(const fs::path& db) {
    const fs::path link = db / "xapian";
    std::error_code ec;
    if (fs::exists(fs::symlink_status(link, ec))) return link;
    fs::create_directories(db / "xapian-0", ec);
    if (ec) throw Error(db.string() + ": cannot create the index folder: " + ec.message());
    switch_index(db, "xapian-0");
    return link;
}

bool index_uses_link(const fs::path& db) {
    std::error_code ec;
    return fs::is_symlink(db / "xapian", ec);
}

void switch_index(const fs::path& db, const std::string& dir_name) {
    const fs::path tmp = db / "xapian.switch";
    std::error_code ec;
    fs::remove(tmp, ec);
    fs::create_directory_symlink(dir_name, tmp, ec);
    if (!ec) fs::rename(tmp, db / "xapian", ec);  // rename(2) replaces the old link atomically
    if (ec) throw Error(db.string() + ": cannot switch to the new index: " + ec.message());
    sync_dir(db);
}

void remove_stale_databases(const fs::path& db) {
    std::error_code ec;
    const fs::path target = fs::read_symlink(db / "xapian", ec);
    if (ec) return;
    for (const auto& entry : fs::directory_iterator(db, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("xapian-", 0) == 0 && name != target.filename().string()) fs::remove_all(entry.path(), ec);
    }
}

}  // namespace passerelle
