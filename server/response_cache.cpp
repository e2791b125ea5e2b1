#include "server/response_cache.h"

namespace passerelle::http {

std::optional<std::pair<Response, std::string>> ResponseCache::find(const std::string& key) {
    std::lock_guard lock(m_mutex);
    const auto it = m_index.find(key);
    if (it == m_index.end()) return std::nullopt;
    m_lru.splice(m_lru.begin(), m_lru, it->second);
    return std::make_pair(it->second->second.response, it->second->second.route);
}

void ResponseCache::put(const std::string& key, const Response& response, const std::string& route) {
    const std::size_t size = key.size() + response.body.size();
    if (size > m_max_bytes / 8) return;
    std::lock_guard lock(m_mutex);
    if (m_index.count(key)) return;
    m_lru.emplace_front(key, Cached{response, route});
    m_index[key] = m_lru.begin();
    m_bytes += size;
    while (m_bytes > m_max_bytes && !m_lru.empty()) {
        m_bytes -= m_lru.back().first.size() + m_lru.back().second.response.body.size();
        m_index.erase(m_lru.back().first);
        m_lru.pop_back();
    }
}

}  // namespace passerelle::http
