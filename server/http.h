// Plain HTTP request and response values: what handlers take and give, so that they are
// tested without sockets and know nothing of Pistache (server/pistache_server.cpp converts).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace passerelle::http {

struct Request {
    std::string method = "GET";
    std::string path;  // as sent (still percent-encoded: the router decodes each segment, so an
                       // id may contain an encoded '/')
    std::vector<std::pair<std::string, std::string>> query;  // decoded, in order, repeats kept
    std::map<std::string, std::string> headers;               // names lower-case
    std::string body;
    std::string remote;  // the client's address ("" when unknown): failed sign-ins are counted by it

    const std::string* header(const std::string& lower_name) const {
        const auto it = headers.find(lower_name);
        return it == headers.end() ? nullptr : &it->second;
    }
};

// Who signed in from a browser (server/session_gate.h), for the pages.
struct Visitor {
    std::int64_t account = 0;
    std::string name;
    std::string role;                 // partners | internal
    std::vector<std::string> rights;  // author, reviewer, admin
    std::string session;              // the cookie's value
    std::string csrf;                 // what every form that changes something carries
    bool has_right(const std::string& r) const {
        for (const std::string& x : rights)
            if (x == r) return true;
        return false;
    }
};

// What the API learned about the caller, passed along with the request to every handler.
struct Context {
    std::string role = "public";  // public, partners or internal
    std::string label_lang = "en";  // fr or en, from Accept-Language: the language of labels
    std::optional<Visitor> visitor;  // signed in from a browser (pages only)
};

struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    // Work too long for a request thread (a PDF guide): when set, the response is what it
    // returns, run later on a worker thread (it must not throw, and owns all it needs); status,
    // headers and body are then unused. The server answers 503 when its workers are all busy.
    std::function<Response()> deferred;

    static Response later(std::function<Response()> work) {
        Response r;
        r.deferred = std::move(work);
        return r;
    }
    // The final response: the deferred one run here and now, or this one.
    Response resolved() && { return deferred ? deferred() : std::move(*this); }

    void set_header(const std::string& name, std::string value) { headers.emplace_back(name, std::move(value)); }
    const std::string* header(const std::string& name) const {
        for (const auto& [n, v] : headers)
            if (n == name) return &v;
        return nullptr;
    }
};

// `path` as an absolute address: under `base_url` when one is configured, else on the host the
// request named; `path` as it is when there is neither.
inline std::string absolute_url(const std::string& base_url, const Request& request, const std::string& path) {
    if (!base_url.empty()) return base_url + path;
    const std::string* host = request.header("host");
    return host ? "http://" + *host + path : path;
}

}  // namespace passerelle::http
