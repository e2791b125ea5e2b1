// The guide builders' pool: bounded, refusing at once when full, finishing its work on stop,
// and running its workers at a lower priority. No timing: jobs wait on a gate the test opens.
#include "server/worker_pool.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace passerelle::http {
namespace {

class Gate {
  public:
    void wait() {
        std::unique_lock lock(m_mutex);
        ++m_waiting;
        m_cv.notify_all();
        m_cv.wait(lock, [this] { return m_open; });
    }
    void open() {
        std::lock_guard lock(m_mutex);
        m_open = true;
        m_cv.notify_all();
    }
    void wait_for_waiters(int n) {
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [&] { return m_waiting >= n; });
    }

  private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    int m_waiting = 0;
    bool m_open = false;
};

TEST(WorkerPoolTest, RefusesAtOnceWhenEveryWorkerIsBusyAndTheQueueIsFull) {
    Gate gate;
    std::atomic<int> done{0};
    WorkerPool pool(2, 3);
    auto job = [&] {
        gate.wait();
        ++done;
    };
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(pool.try_submit(job)) << i;
    gate.wait_for_waiters(2);  // both workers hold a job; three wait in the queue
    EXPECT_EQ(pool.load().running, 2u);
    EXPECT_EQ(pool.load().waiting, 3u);
    EXPECT_FALSE(pool.try_submit(job));
    EXPECT_FALSE(pool.try_submit(job));
    gate.open();
    pool.stop();
    EXPECT_EQ(done.load(), 5);  // the refused jobs never ran; the accepted ones all did
    EXPECT_FALSE(pool.try_submit(job));
}

TEST(WorkerPoolTest, NoQueueMeansOneJobPerWorker) {
    Gate gate;
    WorkerPool pool(1, 0);
    EXPECT_TRUE(pool.try_submit([&] { gate.wait(); }));
    gate.wait_for_waiters(1);
    EXPECT_FALSE(pool.try_submit([] {}));
    gate.open();
    pool.stop();
    EXPECT_EQ(pool.load().running, 0u);
}

TEST(WorkerPoolTest, WorkersRunAtALowerPriority) {
    const int mine = getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
    std::atomic<int> theirs{-100};
    {
        WorkerPool pool(1, 0, 5);
        ASSERT_TRUE(pool.try_submit([&] { theirs = getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid))); }));
    }
    EXPECT_EQ(theirs.load(), std::min(19, mine + 5));
}

}  // namespace
}  // namespace passerelle::http
