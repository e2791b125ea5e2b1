// The head of an HTTP/1.x request (request line and header lines) checked as bytes, before the
// HTTP library parses it: whatever a client sends gets a clear 4xx here or passes in a shape
// the parser handles. No I/O and no library: server/pistache_server.cpp feeds it what has
// arrived of each request.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle::http {

struct HeadLimits {
    std::size_t max_head_bytes = std::size_t{24} * 1024;  // request line and headers together
    std::size_t max_header_lines = 100;
    std::size_t max_body_bytes = 65536;      // a larger Content-Length is refused at once (413)...
    std::size_t max_upload_bytes = 0;        // ...unless up to this, which the caller then decides
};

struct HeaderSpan {  // one header line, as offsets into the bytes given; the value runs from after
                     // the colon and its spaces to the end of the line
    std::size_t name_at = 0, name_size = 0, value_at = 0, value_size = 0;
};

struct RequestHead {
    bool complete = false;  // the blank line that ends the head has arrived
    int status = 0;         // a 4xx to answer instead (then `code` and `message` say why), or 0
    std::string code, message;
    std::size_t size = 0;             // bytes of the whole head, blank line included (when complete)
    std::vector<HeaderSpan> headers;  // the header lines (when complete and acceptable)
    std::size_t content_length = 0;   // as declared (0 when absent)
};

// Reads what has arrived of a request's head. `with_request_line`: the bytes start with the
// request line (else with the header lines). Refuses: a head over the limit (431) or too many
// header lines (431); a request line not shaped `METHOD SP TARGET SP HTTP/1.x` (400); a header
// line without a name, without a colon right after the name, folded, or with control
// characters (400); a Content-Length that is not digits or is repeated (400), or over the body
// limit (413); and any Transfer-Encoding (411 without Content-Length, 400 with it: bodies are
// sent with a Content-Length).
RequestHead read_request_head(std::string_view bytes, bool with_request_line, const HeadLimits& limits);

// Case-insensitive ASCII comparison of a header name.
bool header_name_is(std::string_view name, std::string_view lower_case);

}  // namespace passerelle::http
