// Builds a new Xapian database from many documents on several threads: each worker writes its
// own shard (with its spelling words; the first also gets the synonyms), committed with the
// generation. Xapian opens the shards together through a stub file, so nothing is copied; a
// later writer merges them (see indexer/index_layout.h). Used when an index is built from
// empty, where the result only has to appear at the end.
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
    // Shards are written to `build_dir`/shard-<k> (emptied first). Each shard writes out what it
    // holds every `flush_every` documents, which bounds the memory of a build.
    // `concepts`: the glossary phrases indexed as concept terms.
    ShardBuilder(const std::filesystem::path& build_dir, std::size_t shards, std::size_t flush_every,
                 const std::shared_ptr<const ConceptPhrases>& concepts);
    ~ShardBuilder();  // stops the workers if finish() was not reached

    // Queues a document for a worker; blocks while the workers are behind.
    void add(Document doc);
    // Waits for the workers, which commit their shards in parallel with the generation (and
    // the synonyms in the first). Rethrows the first error a worker met. Returns the shard
    // folder names (relative to the build folder's parent).
    std::vector<std::string> finish(const std::vector<SynonymSet>& synonyms, int generation);

    // Keeps the shards when the builder goes away (they became the live database).
    void keep() { m_keep = true; }

  private:
    struct Worker;
    void stop();

    std::filesystem::path m_build_dir;
    std::vector<std::unique_ptr<Worker>> m_workers;
    std::size_t m_next = 0;
    bool m_keep = false;
};

}  // namespace passerelle
