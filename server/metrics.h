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
    // The exposition text; `documents` are per visibility level the caller may see.
    std::string render(const std::map<std::string, std::size_t>& documents, int generation, double last_reload) const;

    static constexpr std::array<double, 11> k_buckets_ms = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000};

  private:
    mutable std::mutex m_mutex;
    std::map<std::pair<std::string, int>, std::uint64_t> m_requests;
    std::array<std::uint64_t, k_buckets_ms.size() + 1> m_histogram{};
    double m_sum_ms = 0;
    std::uint64_t m_count = 0;
};

}  // namespace passerelle::http
