#include "server/metrics.h"

#include <cstdio>

namespace passerelle::http {

void Metrics::record(const std::string& route, int status, double ms) {
    std::lock_guard lock(m_mutex);
    ++m_requests[{route, status}];
    std::size_t b = 0;
    while (b < k_buckets_ms.size() && ms > k_buckets_ms[b]) ++b;
    ++m_histogram[b];
    m_sum_ms += ms;
    ++m_count;
}

void Metrics::count(Guide event) { ++m_guides.at(static_cast<std::size_t>(event)); }

std::uint64_t Metrics::guides(Guide event) const { return m_guides.at(static_cast<std::size_t>(event)).load(); }

std::string Metrics::render(const std::map<std::string, std::size_t>& documents, int generation, double last_reload) const {
    std::lock_guard lock(m_mutex);
    std::string out;
    char line[512];
    out += "# HELP passerelle_requests_total HTTP requests by route and status.\n# TYPE passerelle_requests_total counter\n";
    for (const auto& [key, n] : m_requests) {
        std::snprintf(line, sizeof line, "passerelle_requests_total{route=\"%s\",status=\"%d\"} %llu\n", key.first.c_str(),
                      key.second, static_cast<unsigned long long>(n));
        out += line;
    }
    out += "# HELP passerelle_request_duration_seconds Request latency.\n# TYPE passerelle_request_duration_seconds histogram\n";
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < k_buckets_ms.size(); ++b) {
        cumulative += m_histogram[b];
        std::snprintf(line, sizeof line, "passerelle_request_duration_seconds_bucket{le=\"%g\"} %llu\n", k_buckets_ms[b] / 1000,
                      static_cast<unsigned long long>(cumulative));
        out += line;
    }
    cumulative += m_histogram.back();
    std::snprintf(line, sizeof line,
                  "passerelle_request_duration_seconds_bucket{le=\"+Inf\"} %llu\npasserelle_request_duration_seconds_sum %g\n"
                  "passerelle_request_duration_seconds_count %llu\n",
                  static_cast<unsigned long long>(cumulative), m_sum_ms / 1000, static_cast<unsigned long long>(m_count));
    out += line;
    out += "# HELP passerelle_documents Documents in the index, by visibility level.\n# TYPE passerelle_documents gauge\n";
    for (const auto& [level, n] : documents) {
        std::snprintf(line, sizeof line, "passerelle_documents{visibility=\"%s\"} %zu\n", level.c_str(), n);
        out += line;
    }
    std::snprintf(line, sizeof line,
                  "# HELP passerelle_index_generation Generation of the index being served.\n# TYPE passerelle_index_generation gauge\n"
                  "passerelle_index_generation %d\n"
                  "# HELP passerelle_last_reload_timestamp_seconds When the server last saw a new index generation.\n"
                  "# TYPE passerelle_last_reload_timestamp_seconds gauge\npasserelle_last_reload_timestamp_seconds %.3f\n",
                  generation, last_reload);
    out += line;
    out += "# HELP passerelle_guides_total PDF guides asked for: built, served from the cache, or refused (503) because "
           "every builder was busy.\n# TYPE passerelle_guides_total counter\n";
    std::snprintf(line, sizeof line,
                  "passerelle_guides_total{outcome=\"built\"} %llu\npasserelle_guides_total{outcome=\"cached\"} %llu\n"
                  "passerelle_guides_total{outcome=\"refused\"} %llu\n",
                  static_cast<unsigned long long>(guides(Guide::built)), static_cast<unsigned long long>(guides(Guide::cached)),
                  static_cast<unsigned long long>(guides(Guide::refused)));
    out += line;
    std::snprintf(line, sizeof line,
                  "# HELP passerelle_open_connections Client connections open.\n# TYPE passerelle_open_connections gauge\n"
                  "passerelle_open_connections %ld\n",
                  m_connections.load());
    out += line;
    return out;
}

}  // namespace passerelle::http
