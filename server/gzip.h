// gzip compression of response bodies (zlib). The only file that uses zlib.
#pragma once

#include <string>
#include <string_view>

namespace passerelle::http {

// The gzip encoding of `data`, or nothing on failure.
std::string gzip(std::string_view data);
// True when an Accept-Encoding header value accepts gzip.
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace passerelle::http
