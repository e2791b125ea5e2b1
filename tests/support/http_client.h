// A minimal blocking HTTP/1.1 client for tests against a server on loopback: one connection,
// requests sent as written, responses read by Content-Length. Every wait is bounded.
#pragma once

#include <map>
#include <string>

namespace passerelle::test {

struct HttpReply {
    int status = 0;  // 0 when the connection failed or timed out
    std::map<std::string, std::string> headers;  // names lower-case
    std::string body;
};

class HttpConnection {
  public:
    HttpConnection(const std::string& host, int port);
    ~HttpConnection();
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    bool connected() const { return m_fd >= 0; }
    // Sends `raw` (a complete request) and reads one response; `head` when it was a HEAD request.
    HttpReply exchange(const std::string& raw, bool head = false);

  private:
    int m_fd = -1;
    std::string m_buffer;
};

// One request on a new connection: "GET /path HTTP/1.1" with Host and the extra header lines.
HttpReply http_get(int port, const std::string& target, const std::string& extra_headers = "",
                   const std::string& method = "GET");

}  // namespace passerelle::test
