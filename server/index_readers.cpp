#include "server/index_readers.h"

#include <chrono>

namespace passerelle {

namespace {
// The database the index folder's link names: it changes with every build, merge or compaction.
std::string link_target(const std::filesystem::path& db) {
    std::error_code ec;
    return std::filesystem::read_symlink(db / "xapian", ec).string();
}

double now_unix() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}
}  // namespace

IndexReaders::IndexReaders(std::filesystem::path db, SearcherOptions search) : m_db(std::move(db)), m_search(std::move(search)) {
    if (m_search.shards.empty()) m_search.shards = {m_db.string()};
    if (m_search.lexicon.empty()) m_search.lexicon = m_db.string();
    const int g = index_generation(m_db);
    if (g < 0) throw Error(m_db.string() + ": cannot open the index (run 'passerelle index' first?)");
    m_latest = g;
    m_target = link_target(m_db);
    m_last_reload = now_unix();
    Searcher check(m_search);  // fails early, with a clear message, on a broken index or a bad shard
}

IndexReaders::Reader& IndexReaders::current() {
    Reader* reader = nullptr;
    {
        std::lock_guard lock(m_mutex);
        auto& slot = m_readers[std::this_thread::get_id()];
        if (!slot) slot = std::make_unique<Reader>();
        reader = slot.get();
    }
    if (!reader->searcher || reader->version < m_version.load()) {
        reader->version = m_version.load();
        auto searcher = std::make_unique<Searcher>(m_search);
        reader->generation = searcher->generation();
        reader->catalogue = std::make_unique<Catalogue>(m_db / "catalogue.sqlite", Catalogue::Mode::read_only);
        reader->searcher = std::move(searcher);
    }
    return *reader;
}

bool IndexReaders::poll() {
    const int g = index_generation(m_db);
    std::string target = link_target(m_db);
    if (g <= m_latest.load() && target == m_target) return false;
    if (g > m_latest.load()) m_latest = g;
    m_target = std::move(target);
    ++m_version;
    m_last_reload = now_unix();
    return true;
}

}  // namespace passerelle
