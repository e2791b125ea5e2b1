// A fixed set of worker threads for work too long for a request thread (PDF guides), with a
// bounded queue: try_submit() never blocks, and refuses at once when every worker is busy and
// the queue is full, so a burst of requests costs bounded memory and CPU. Workers may run at a
// lower CPU priority than the request threads (a nice value added to theirs). Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace passerelle::http {

class WorkerPool {
  public:
    // `threads` workers (at least 1), at most `queue` jobs waiting, each worker `nice` steps less
    // favoured by the scheduler than the thread that made the pool (0: the same).
    WorkerPool(int threads, std::size_t queue, int nice = 0);
    ~WorkerPool();  // finishes the running and waiting jobs, then joins the workers
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // Queues `job`; false (and `job` dropped) when the pool is full or stopping. A job must not
    // throw.
    bool try_submit(std::function<void()> job);
    void stop();  // as the destructor; later submissions are refused

    struct Load {
        std::size_t running = 0, waiting = 0;
    };
    Load load() const;

  private:
    void work(int nice);

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::function<void()>> m_waiting;
    std::size_t m_running = 0;
    std::size_t m_threads;
    std::size_t m_queue;
    bool m_stopping = false;
    std::vector<std::thread> m_workers;
};

}  // namespace passerelle::http
