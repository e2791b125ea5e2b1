// libFuzzer target: a request target (path and query string, as a client sends it) decoded as
// the server does, then answered by the API over a small real index. Bad input is the client's
// fault: no answer may be a 5xx; nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/url.h"
#include "fuzz_index.h"
#include "server/api.h"

namespace {

struct Server {
    passerelle::ServerConfig config;
    passerelle::IndexReaders readers{passerelle::fuzz::bundled_index()};
    passerelle::http::Metrics metrics;
    passerelle::http::Api api{config, readers, metrics};
    Server() { config.db = passerelle::fuzz::bundled_index().string(); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Server server;
    const std::string target(reinterpret_cast<const char*>(data), size);
    passerelle::http::Request request;
    const auto q = target.find('?');
    request.path = target.substr(0, q);
    if (q != std::string::npos) {
        std::string bad;
        const auto query = passerelle::http::parse_query(std::string_view(target).substr(q + 1), bad);
        if (!query) return 0;  // the server answers 400 naming `bad` before any route runs
        request.query = *query;
    }
    std::string route;
    const passerelle::http::Response r = server.api.handle(request, route);
    if (r.status >= 500) {
        std::fprintf(stderr, "unexpected status %d for %s\n", r.status, target.c_str());
        std::abort();
    }
    return 0;
}
