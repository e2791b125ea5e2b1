// A bounded cache of whole responses for routes whose answer depends only on the index
// generation, the caller's role and label language, and the request target (documents,
// similar documents, projects, vocabularies, the OpenAPI file). A new generation changes every
// key, so nothing stale is served. Thread-safe.
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "server/http.h"

namespace passerelle::http {

class ResponseCache {
  public:
    explicit ResponseCache(std::size_t max_bytes = 32 << 20) : m_max_bytes(max_bytes) {}
    // The response and the route pattern it was answered by.
    std::optional<std::pair<Response, std::string>> find(const std::string& key);
    void put(const std::string& key, const Response& response, const std::string& route);

  private:
    struct Cached {
        Response response;
        std::string route;
    };
    using Entry = std::pair<std::string, Cached>;
    std::mutex m_mutex;
    std::list<Entry> m_lru;  // most recent first
    std::unordered_map<std::string, std::list<Entry>::iterator> m_index;
    std::size_t m_bytes = 0, m_max_bytes;
};

}  // namespace passerelle::http
