#include "server/request_head.h"

#include <algorithm>
#include <cctype>

namespace passerelle::http {

namespace {

// RFC 9110 5.6.2: the characters of a token (header names, methods).
bool is_tchar(unsigned char c) {
    return std::isalnum(c) != 0 || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_token(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_tchar(static_cast<unsigned char>(c)); });
}

// Field values: visible characters, spaces, tabs and obs-text (bytes 0x80 to 0xFF).
bool is_field_value(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return c == '\t' || (c >= 0x20 && c != 0x7F);
    });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

RequestHead refuse(int status, std::string code, std::string message) {
    RequestHead h;
    h.complete = true;
    h.status = status;
    h.code = std::move(code);
    h.message = std::move(message);
    return h;
}

bool request_line_ok(std::string_view line) {
    const auto sp1 = line.find(' ');
    const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) return false;
    const std::string_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1),
                           version = line.substr(sp2 + 1);
    const bool visible = !target.empty() && std::all_of(target.begin(), target.end(), [](char c) {
        return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7F;
    });
    return is_token(method) && visible && version.size() == 8 && version.substr(0, 7) == "HTTP/1." &&
           std::isdigit(static_cast<unsigned char>(version[7])) != 0;
}

}  // namespace

bool header_name_is(std::string_view name, std::string_view lower_case) {
    return name.size() == lower_case.size() && std::equal(name.begin(), name.end(), lower_case.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == b;
           });
}

RequestHead read_request_head(std::string_view bytes, bool with_request_line, const HeadLimits& limits) {
    // The head ends at the first empty line (or at once, when there are no header lines).
    const std::size_t end = bytes.substr(0, 2) == "\r\n" && !with_request_line ? 0 : bytes.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        if (bytes.size() > limits.max_head_bytes)
            return refuse(431, "headers_too_large", "the request head is over " + std::to_string(limits.max_head_bytes) + " bytes");
        return {};
    }
    const std::size_t size = end == 0 ? 2 : end + 4;
    if (size > limits.max_head_bytes)
        return refuse(431, "headers_too_large", "the request head is over " + std::to_string(limits.max_head_bytes) + " bytes");
    RequestHead head;
    head.complete = true;
    head.size = size;
    std::size_t at = 0;
    if (with_request_line) {
        const std::size_t eol = bytes.find("\r\n");
        if (!request_line_ok(bytes.substr(0, eol)))
            return refuse(400, "bad_request", "the request line is not 'METHOD TARGET HTTP/1.x'");
        at = eol + 2;
    }
    std::size_t content_lengths = 0;
    bool transfer_encoding = false;
    while (at + 2 <= size && bytes.substr(at, 2) != "\r\n") {
        const std::size_t eol = bytes.find("\r\n", at);
        const std::string_view line = bytes.substr(at, eol - at);
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || !is_token(line.substr(0, colon)))
            return refuse(400, "bad_header", "a header line has no name, or no colon right after its name");
        const std::string_view name = line.substr(0, colon), value = trim(line.substr(colon + 1));
        if (!is_field_value(line.substr(colon + 1)))
            return refuse(400, "bad_header", "header '" + std::string(name) + "' has control characters in its value");
        if (header_name_is(name, "content-length")) {
            ++content_lengths;
            if (value.empty() || value.size() > 18 ||
                !std::all_of(value.begin(), value.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }))
                return refuse(400, "bad_header", "Content-Length must be a number of bytes");
            if (content_lengths > 1) return refuse(400, "bad_header", "Content-Length is given more than once");
            head.content_length = std::stoull(std::string(value));
            if (head.content_length > std::max(limits.max_body_bytes, limits.max_upload_bytes))
                return refuse(413, "too_large", "the request body is over " + std::to_string(std::max(limits.max_body_bytes, limits.max_upload_bytes)) + " bytes");
        }
        if (header_name_is(name, "transfer-encoding")) transfer_encoding = true;
        const std::size_t value_at = line.find_first_not_of(' ', colon + 1);
        const std::size_t from = value_at == std::string_view::npos ? line.size() : value_at;
        head.headers.push_back({at, name.size(), at + from, line.size() - from});
        if (head.headers.size() > limits.max_header_lines)
            return refuse(431, "headers_too_large", "the request has over " + std::to_string(limits.max_header_lines) + " header lines");
        at = eol + 2;
    }
    if (transfer_encoding && content_lengths > 0)
        return refuse(400, "bad_header", "a request cannot have both Content-Length and Transfer-Encoding");
    if (transfer_encoding)
        return refuse(411, "length_required", "send the request body with a Content-Length, not a Transfer-Encoding");
    return head;
}

}  // namespace passerelle::http
