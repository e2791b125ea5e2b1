// One Searcher and one Catalogue per request thread (neither is thread-safe), reopened when the
// index has moved to a newer generation or another database (a compaction): poll() (called by
// a watcher every few tenths of a second) notices, and the next request of each thread reads it. Requests
// in flight keep the reader they started with, so a reload never fails a request.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/catalogue.h"
#include "core/search.h"

namespace passerelle {

class IndexReaders {
  public:
    struct Reader {
        std::unique_ptr<Searcher> searcher;
        std::unique_ptr<Catalogue> catalogue;
        int generation = 0;
        unsigned version = 0;  // the IndexReaders version it was opened at
    };

    // Opens the index once to check it; throws Error when it cannot be read. `db` is the home
    // folder (its catalogue, its generation); `search` what searches read (`db` when it has no shards).
    explicit IndexReaders(std::filesystem::path db, SearcherOptions search = {});

    Reader& current();  // this thread's reader, as fresh as the last poll
    bool poll();        // true when a newer generation or another database appeared
    int generation() const { return m_latest.load(); }
    double last_reload() const { return m_last_reload.load(); }  // Unix time of the last change seen

  private:
    std::filesystem::path m_db;
    SearcherOptions m_search;
    std::atomic<int> m_latest{0};
    std::atomic<unsigned> m_version{1};  // bumped by poll() at each change
    std::string m_target;                // the link's target at the last poll (watcher thread only)
    std::atomic<double> m_last_reload{0};
    std::mutex m_mutex;
    std::map<std::thread::id, std::unique_ptr<Reader>> m_readers;
};

}  // namespace passerelle
