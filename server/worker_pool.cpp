#include "server/worker_pool.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace passerelle::http {

WorkerPool::WorkerPool(int threads, std::size_t queue, int nice)
    : m_threads(static_cast<std::size_t>(std::max(1, threads))), m_queue(queue) {
    for (std::size_t i = 0; i < m_threads; ++i) m_workers.emplace_back([this, nice] { work(nice); });
}

WorkerPool::~WorkerPool() { stop(); }

bool WorkerPool::try_submit(std::function<void()> job) {
    {
        std::lock_guard lock(m_mutex);
        // Room for one job per worker (an idle one takes it at once), and `m_queue` more.
        if (m_stopping || m_running + m_waiting.size() >= m_threads + m_queue) return false;
        m_waiting.push_back(std::move(job));
    }
    m_cv.notify_one();
    return true;
}

void WorkerPool::stop() {
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping && m_workers.empty()) return;
        m_stopping = true;
    }
    m_cv.notify_all();
    for (auto& t : m_workers)
        if (t.joinable()) t.join();
    m_workers.clear();
}

WorkerPool::Load WorkerPool::load() const {
    std::lock_guard lock(m_mutex);
    return {m_running, m_waiting.size()};
}

void WorkerPool::work(int nice) {
    // Linux schedules threads one by one: this lowers this worker only.
    if (nice > 0) {
        const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
        errno = 0;
        const int current = ::getpriority(PRIO_PROCESS, tid);
        if (errno == 0) (void)::setpriority(PRIO_PROCESS, tid, std::min(19, current + nice));
    }
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_cv.wait(lock, [this] { return m_stopping || !m_waiting.empty(); });
        if (m_waiting.empty()) return;  // stopping, and nothing left to do
        std::function<void()> job = std::move(m_waiting.front());
        m_waiting.pop_front();
        ++m_running;
        lock.unlock();
        job();
        job = nullptr;  // what it holds is released before the next job
        lock.lock();
        --m_running;
    }
}

}  // namespace passerelle::http
