#include "server/gzip.h"

#include <zlib.h>

namespace passerelle::http {

std::string gzip(std::string_view data) {
    z_stream z{};
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return rc == Z_STREAM_END ? out : std::string();
}

bool accepts_gzip(std::string_view value) {
    for (std::size_t pos = 0; (pos = value.find("gzip", pos)) != std::string_view::npos; pos += 4) {
        const std::string_view rest = value.substr(pos + 4, 8);
        if (rest.rfind(";q=0", 0) == 0 && rest.rfind(";q=0.", 0) != 0) continue;  // "gzip;q=0": refused
        return true;
    }
    return false;
}

}  // namespace passerelle::http
