#include "indexer/shard_builder.h"

#include <pthread.h>

#include "core/diagnostics.h"
#include "core/markdown.h"

namespace passerelle {

namespace {
constexpr std::size_t k_queue_limit = 512;
}

struct ShardBuilder::Worker {
    std::filesystem::path dir;
    XapianWriter writer;
    std::mutex mutex;
    std::condition_variable cv;
    std::deque<Document> queue;
    bool closing = false;
    int generation = -1;  // set before closing when the shard is to be committed
    const std::vector<SynonymSet>* synonyms = nullptr;  // stored in this shard when set
    std::exception_ptr error;
    std::thread thread;

    std::size_t flush_every = 0;
    std::size_t since_flush = 0;

    Worker(std::filesystem::path d, unsigned index, unsigned count, std::size_t flush,
           std::shared_ptr<const ConceptPhrases> concepts)
        : dir(std::move(d)), writer(XapianWriter::for_shard(dir, index, count)), flush_every(flush) {
        writer.set_concepts(std::move(concepts));
        thread = std::thread([this] {
            pthread_setname_np(pthread_self(), "pass-shard");  // visible in top and perf
            run();
        });
    }

    void run() {
        for (;;) {
            Document doc;
            bool was_full = false;
            {
                std::unique_lock lock(mutex);
                cv.wait(lock, [&] { return closing || !queue.empty(); });
                if (queue.empty()) {
                    if (generation >= 0 && !error) commit();
                    return;
                }
                was_full = queue.size() >= k_queue_limit;
                doc = std::move(queue.front());
                queue.pop_front();
            }
            if (was_full) cv.notify_all();  // the producer may be waiting for room
            if (error) continue;  // drain after a failure
            try {
                writer.replace(doc, markdown_to_text(doc.body), false);
                if (flush_every && ++since_flush >= flush_every) {
                    writer.flush();
                    since_flush = 0;
                }
            } catch (...) {
                error = std::current_exception();
            }
        }
    }

    void commit() {
        try {
            if (synonyms) writer.set_synonyms(*synonyms);
            writer.commit(generation);  // with this shard's spelling words
        } catch (...) {
            error = std::current_exception();
        }
    }

    void push(Document doc) {
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return queue.size() < k_queue_limit; });
        queue.push_back(std::move(doc));
        const bool was_empty = queue.size() == 1;
        lock.unlock();
        if (was_empty) cv.notify_all();  // the worker may be waiting for work
    }

    void close() {
        {
            std::lock_guard lock(mutex);
            closing = true;
        }
        cv.notify_all();
        if (thread.joinable()) thread.join();
    }
};

ShardBuilder::ShardBuilder(const std::filesystem::path& build_dir, std::size_t shards, std::size_t flush_every,
                           const std::shared_ptr<const ConceptPhrases>& concepts)
    : m_build_dir(build_dir) {
    std::error_code ec;
    std::filesystem::remove_all(build_dir, ec);
    for (std::size_t i = 0; i < shards; ++i)
        m_workers.push_back(std::make_unique<Worker>(build_dir / ("shard-" + std::to_string(i)), static_cast<unsigned>(i),
                                                     static_cast<unsigned>(shards), flush_every, concepts));
}

ShardBuilder::~ShardBuilder() {
    stop();
    std::error_code ec;
    if (!m_keep) std::filesystem::remove_all(m_build_dir, ec);
}

void ShardBuilder::stop() {
    for (auto& w : m_workers) w->close();
}

void ShardBuilder::add(Document doc) {
    m_workers[m_next]->push(std::move(doc));
    m_next = (m_next + 1) % m_workers.size();
}

std::vector<std::string> ShardBuilder::finish(const std::vector<SynonymSet>& synonyms, int generation) {
    for (auto& w : m_workers) w->generation = generation;
    m_workers.front()->synonyms = &synonyms;
    stop();  // each worker commits its shard as it finishes, in parallel
    std::vector<std::string> names;
    for (auto& w : m_workers) {
        if (w->error) std::rethrow_exception(w->error);
        names.push_back((m_build_dir.filename() / w->dir.filename()).string());
    }
    return names;
}

}  // namespace passerelle
