// A minimal blocking HTTP/1.1 client for tests against a server on loopback: one connection,
// requests sent as written, responses read by Content-Length. Every wait is bounded.
#pragma once

#include <map>
#include <string>

namespace passerelle::test {

struct HttpReply {
    int status = 0;  // 0 when the connection failed or timed out
    // Why no answer came, when none did: "connect", "send", "timeout" (nothing for the read
    // timeout) or "closed" (the server ended the connection first).
    std::string failure;
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
    bool send(const std::string& raw);      // false when it could not all be sent
    HttpReply receive(bool head = false);  // the next response (status 0 when none came)
    // True when the server has closed the connection within `ms` milliseconds (bytes that
    // arrive meanwhile are kept for receive()).
    bool wait_for_close(int ms);
    bool open();   // connected, and not closed by the server (as far as can be seen now)
    void close();
    // How long receive() waits for each read (10 s unless set): a test that loads a server
    // on purpose waits longer, since it asks whether an answer comes, not how soon.
    void set_read_timeout_ms(int ms) { m_read_timeout_ms = ms; }

  private:
    bool read_more(int ms);  // false on timeout, end or error
    int m_fd = -1;
    int m_read_timeout_ms = 10000;
    bool m_timed_out = false;  // the last read_more() found nothing in its time
    bool m_ended = false;  // the server closed its side
    std::string m_buffer;
};

std::string lower(std::string s);

// One request on a new connection: "GET /path HTTP/1.1" with Host and the extra header lines.
HttpReply http_get(int port, const std::string& target, const std::string& extra_headers = "",
                   const std::string& method = "GET");

}  // namespace passerelle::test
