#include "support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>

namespace passerelle::test {

HttpConnection::HttpConnection(const std::string& host, int port) {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
    if (::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

HttpConnection::~HttpConnection() { close(); }

void HttpConnection::close() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
}

bool HttpConnection::send(const std::string& raw) {
    if (m_fd < 0) return false;
    for (std::size_t sent = 0; sent < raw.size();) {
        const ssize_t n = ::send(m_fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

bool HttpConnection::read_more(int ms) {
    m_timed_out = false;
    if (m_fd < 0 || m_ended) return false;
    pollfd p{m_fd, POLLIN, 0};
    if (::poll(&p, 1, ms) <= 0) {
        m_timed_out = true;
        return false;
    }
    char buf[65536];
    const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
    if (n <= 0) {
        m_ended = true;
        return false;
    }
    m_buffer.append(buf, static_cast<std::size_t>(n));
    return true;
}

bool HttpConnection::wait_for_close(int ms) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!m_ended && m_fd >= 0 && std::chrono::steady_clock::now() < until) read_more(50);
    return m_ended;
}

bool HttpConnection::open() {
    while (read_more(0)) {
    }
    return m_fd >= 0 && !m_ended;
}

HttpReply HttpConnection::exchange(const std::string& raw, bool head) {
    if (!send(raw)) {
        HttpReply failed;
        failed.failure = m_fd < 0 ? "connect" : "send";
        return failed;
    }
    return receive(head);
}

HttpReply HttpConnection::receive(bool head) {
    HttpReply reply;
    std::size_t header_end;
    while ((header_end = m_buffer.find("\r\n\r\n")) == std::string::npos)
        if (!read_more(m_read_timeout_ms)) {
            reply.failure = m_fd < 0 ? "connect" : m_timed_out ? "timeout" : "closed";
            return reply;
        }
    const std::string head_text = m_buffer.substr(0, header_end);
    m_buffer.erase(0, header_end + 4);
    std::sscanf(head_text.c_str(), "HTTP/1.%*d %d", &reply.status);
    std::size_t pos = head_text.find("\r\n");
    while (pos != std::string::npos && pos < head_text.size()) {
        const std::size_t next = head_text.find("\r\n", pos + 2);
        const std::string line = head_text.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
            std::string value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.erase(0, 1);
            reply.headers[lower(line.substr(0, colon))] = value;
        }
        pos = next;
    }
    const auto cl = reply.headers.find("content-length");
    const std::size_t length = head || cl == reply.headers.end() ? 0 : std::stoul(cl->second);
    while (m_buffer.size() < length)
        if (!read_more(m_read_timeout_ms)) break;
    reply.body = m_buffer.substr(0, length);
    m_buffer.erase(0, std::min(length, m_buffer.size()));
    return reply;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

HttpReply http_get(int port, const std::string& target, const std::string& extra_headers, const std::string& method) {
    HttpConnection c("127.0.0.1", port);
    return c.exchange(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n" + extra_headers + "\r\n", method == "HEAD");
}

}  // namespace passerelle::test
