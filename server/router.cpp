#include "server/router.h"

#include <set>

#include "server/errors.h"
#include "core/url.h"

namespace passerelle::http {

namespace {

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 1;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        out.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    if (!out.empty() && out.back().empty() && out.size() > 1) out.pop_back();  // trailing slash
    return out;
}

bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& path, Params& params) {
    if (pattern.size() != path.size()) return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const std::string& p = pattern[i];
        if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
            if (path[i].empty()) return false;
            params[p.substr(1, p.size() - 2)] = path[i];
        } else if (p != path[i]) {
            return false;
        }
    }
    return true;
}

}  // namespace

void Router::add(const std::string& method, const std::string& pattern, Handler handler) {
    m_routes.push_back({method, split_path(pattern), pattern, std::move(handler)});
}

Response Router::dispatch(const Request& request, const Context& context, std::string& route) const {
    std::vector<std::string> path = split_path(request.path);
    for (std::string& segment : path) {
        auto decoded = percent_decode(segment, false);
        if (!decoded) {
            route = "unmatched";
            return error_response(400, "bad_path", "the path has a malformed escape or invalid UTF-8", "path");
        }
        segment = std::move(*decoded);
    }
    const std::string method = request.method == "HEAD" ? "GET" : request.method;
    std::set<std::string> allowed;
    for (const Route& r : m_routes) {
        Params params;
        if (!match(r.segments, path, params)) continue;
        if (r.method == method) {
            route = r.pattern;
            return r.handler(request, params, context);
        }
        allowed.insert(r.method);
    }
    route = "unmatched";
    if (allowed.empty()) return error_response(404, "not_found", "no such route: " + request.path);
    std::string allow;
    for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m + (m == "GET" ? ", HEAD" : "");
    Response r = error_response(405, "method_not_allowed", request.method + " is not allowed here (allowed: " + allow + ")");
    r.set_header("Allow", allow);
    return r;
}

std::vector<std::string> Router::routes() const {
    std::vector<std::string> out;
    out.reserve(m_routes.size());
    for (const Route& r : m_routes) out.push_back(r.method + " " + r.pattern);
    return out;
}

}  // namespace passerelle::http
