// Request counters and latencies in the Prometheus text format. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace passerelle::http {

class Metrics {
  public:
    void record(const std::string& route, int status, double milliseconds);
    // PDF guides: built, served from the guide cache, refused because every builder was busy.
    enum class Guide { built, cached, refused };
    void count(Guide event);
    std::uint64_t guides(Guide event) const;
    // Open connections, as the HTTP layer counts them (a gauge).
    void set_connections(long open) { m_connections = open; }
    // The exposition text; `documents` are per visibility level the caller may see.
    std::string render(const std::map<std::string, std::size_t>& documents, int generation, double last_reload) const;

    static constexpr std::array<double, 11> k_buckets_ms = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000};

  private:
    mutable std::mutex m_mutex;
    std::map<std::pair<std::string, int>, std::uint64_t> m_requests;
    std::array<std::uint64_t, k_buckets_ms.size() + 1> m_histogram{};
    double m_sum_ms = 0;
    std::uint64_t m_count = 0;
    std::array<std::atomic<std::uint64_t>, 3> m_guides{};
    std::atomic<long> m_connections{0};
};

}  // namespace passerelle::http
