// Builds a new Xapian database from many documents on several threads: each worker writes its
// own shard, then the shards are compacted into one database. Used when an index is built from
// empty, where the result only has to appear at the end (see indexer/index_layout.h).
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/document.h"
#include "core/xapian_writer.h"

namespace passerelle {

class ShardBuilder {
  public:
    // Shards are written under `build_dir` (emptied first).
    ShardBuilder(const std::filesystem::path& build_dir, std::size_t shards);
    ~ShardBuilder();  // stops the workers if finish() was not reached

    // Queues a document for a worker; blocks while the workers are behind.
    void add(Document doc);
    // Waits for the workers, commits the shards and compacts them into `dest` with the synonyms
    // and generation. Rethrows the first error a worker met. Returns the number of documents.
    std::size_t finish(const std::filesystem::path& dest, const std::vector<SynonymSet>& synonyms, int generation);

  private:
    struct Worker;
    void stop();

    std::filesystem::path m_build_dir;
    std::vector<std::unique_ptr<Worker>> m_workers;
    std::size_t m_next = 0, m_count = 0;
};

}  // namespace passerelle
