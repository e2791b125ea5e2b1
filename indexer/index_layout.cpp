#include "indexer/index_layout.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "core/catalogue.h"
#include "core/diagnostics.h"
#include "core/xapian_writer.h"

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

// The link is made last, once an empty database and the catalogue both exist, so that a kill at
// any moment leaves either no index at all or one that opens. It is made with symlink(2), which
// fails if another process made the link first; this call then removes its own folder and the
// index is the other's.
fs::path ensure_index_layout(const fs::path& db) {
    fs::path link = db / "xapian";
    std::error_code ec;
    if (fs::exists(fs::symlink_status(link, ec))) return link;
    fs::create_directories(db, ec);
    if (ec) throw Error(db.string() + ": cannot create the index folder: " + ec.message());
    { const Catalogue created(db / "catalogue.sqlite", Catalogue::Mode::read_write); }
    std::string folder = (db / "xapian-0.XXXXXX").string();  // unique to this call, see mkdtemp(3)
    if (::mkdtemp(folder.data()) == nullptr)
        throw Error(db.string() + ": cannot create the index folder: " + std::strerror(errno));
    const std::string name = fs::path(folder).filename().string();
    fs::permissions(folder, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                                fs::perms::others_exec, ec);  // as a folder made by mkdir, not mkdtemp's 0700
    XapianWriter(db / name).commit(0);
    if (::symlink(name.c_str(), link.c_str()) != 0) {
        const int err = errno;
        fs::remove_all(db / name, ec);
        if (err != EEXIST) throw Error(db.string() + ": cannot link the new index: " + std::strerror(err));
    }
    sync_dir(db);
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
    const std::string target = fs::read_symlink(db / "xapian", ec).filename().string();
    if (ec) return;
    const std::string target_dir = target.size() > 5 && target.compare(target.size() - 5, 5, ".stub") == 0
                                       ? target.substr(0, target.size() - 5) : target;
    for (const auto& entry : fs::directory_iterator(db, ec)) {
        const std::string name = entry.path().filename().string();
        if ((name.rfind("xapian-", 0) == 0 && name != target && name != target_dir) || name.rfind("catalogue.sqlite.new-", 0) == 0)
            fs::remove_all(entry.path(), ec);
    }
}

bool index_is_sharded(const fs::path& db) {
    std::error_code ec;
    return fs::is_regular_file(db / "xapian", ec);  // follows the link: a stub file, not a folder
}

std::vector<fs::path> index_shards(const fs::path& db) {
    std::vector<fs::path> out;
    std::ifstream in(db / "xapian");
    std::string kind, path;
    while (in >> kind >> path)
        if (kind == "auto") out.push_back(db / path);
    return out;
}

std::string write_stub(const fs::path& db, int generation, const std::vector<std::string>& shards) {
    std::string name = "xapian-" + std::to_string(generation) + ".stub";
    std::ofstream out(db / name, std::ios::trunc);
    for (const auto& s : shards) out << "auto " << s << '\n';
    out.flush();
    if (!out) throw Error((db / name).string() + ": cannot write the database stub");
    return name;
}

}  // namespace passerelle
