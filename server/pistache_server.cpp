#include "server/pistache_server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>
#include <pistache/stream.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "core/diagnostics.h"
#include "server/api.h"
#include "server/errors.h"
#include "server/gzip.h"
#include "core/url.h"

namespace passerelle {

using namespace Pistache;

namespace {

// --- The raw request line --------------------------------------------------------------------
// Pistache 0.0.5 keeps query parameters in a map, so a repeated parameter (country=SN&country=MA,
// which the API reads as OR) loses all but one value. The raw request line is still in the
// peer's request parser while onRequest runs; it is private there, so it is read through the
// standard explicit-instantiation access rule, here and nowhere else. If it cannot be read,
// Pistache's parsed query is used.
template <typename Tag, typename Tag::type Member>
struct Expose {
    friend typename Tag::type get(Tag) { return Member; }
};
struct ParserBuffer {
    using type = ArrayStreamBuf<char> Http::Private::ParserBase::*;
    friend type get(ParserBuffer);
};
template struct Expose<ParserBuffer, &Http::Private::ParserBase::buffer>;

struct GetArea : std::streambuf {  // the protected get area of any streambuf
    static const char* begin(std::streambuf& b) { return (b.*&GetArea::eback)(); }
    static const char* end(std::streambuf& b) { return (b.*&GetArea::egptr)(); }
};

// The query string of the request being served ("" when there is none), if it can be read.
std::optional<std::string> raw_query(const Http::ResponseWriter& writer) {
    const auto peer = writer.peer();
    if (!peer) return std::nullopt;
    const auto parser = Http::Handler::getParser(peer);
    if (!parser) return std::nullopt;
    std::streambuf& buf = (*parser).*get(ParserBuffer{});
    const std::string_view bytes(GetArea::begin(buf), static_cast<std::size_t>(GetArea::end(buf) - GetArea::begin(buf)));
    const auto eol = bytes.find("\r\n");
    const std::string_view line = bytes.substr(0, eol);
    const auto sp1 = line.find(' '), sp2 = line.rfind(' ');
    if (eol == std::string_view::npos || sp1 == std::string_view::npos || sp2 <= sp1) return std::nullopt;
    const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const auto q = target.find('?');
    return q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
}

http::Request convert(const Http::Request& req, const Http::ResponseWriter& writer, std::string& bad_parameter, bool& bad) {
    http::Request r;
    r.method = Http::methodString(req.method());
    r.path = req.resource();
    for (const auto& h : req.headers().rawList()) {
        std::string name = h.first;
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers[name] = h.second.value();
    }
    for (const auto& h : req.headers().list()) {
        std::string name = h->name();
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::ostringstream value;
        h->write(value);
        r.headers.emplace(name, value.str());
    }
    r.body = req.body();
    std::string query;
    if (const auto raw = raw_query(writer)) {
        query = *raw;
    } else {
        for (auto it = req.query().parameters_begin(); it != req.query().parameters_end(); ++it)
            query += (query.empty() ? "" : "&") + it->first + "=" + it->second;
    }
    const auto parsed = http::parse_query(query, bad_parameter);
    bad = !parsed;
    if (parsed) r.query = *parsed;
    return r;
}

// A header with any name: Pistache 0.0.5 writes only typed headers (addRaw ones are dropped).
class NamedHeader : public Http::Header::Header {
  public:
    NamedHeader(std::string name, std::string value) : m_name(std::move(name)), m_value(std::move(value)) {}
    const char* name() const override { return m_name.c_str(); }
    void write(std::ostream& os) const override { os << m_value; }
#ifdef SAFE_HEADER_CAST
    uint64_t hash() const override { return std::hash<std::string>{}(m_name); }
#endif

  private:
    std::string m_name, m_value;
};

void add_header(Http::ResponseWriter& w, const std::string& name, const std::string& value) {
    w.headers().add(std::make_shared<NamedHeader>(name, value));
}

class AccessLog {
  public:
    explicit AccessLog(const std::string& target) {
        if (target == "-") m_file = stderr;
        else if (!target.empty()) m_file = std::fopen(target.c_str(), "a");
    }
    ~AccessLog() {
        if (m_file && m_file != stderr) std::fclose(m_file);
    }
    void write(const std::string& method, const std::string& path, int status, std::size_t bytes, double ms) {
        if (!m_file) return;
        std::lock_guard lock(m_mutex);
        std::fprintf(m_file, "%s %s %d %zu %.2fms\n", method.c_str(), path.c_str(), status, bytes, ms);
        std::fflush(m_file);
    }

  private:
    std::FILE* m_file = nullptr;
    std::mutex m_mutex;
};

struct Shared {  // what every (cloned) request handler uses
    http::Api* api;
    http::Metrics* metrics;
    AccessLog* log;
};

class Handler : public Http::Handler {
  public:
    HTTP_PROTOTYPE(Handler)
    explicit Handler(Shared shared) : m_shared(shared) {}

    void onRequest(const Http::Request& req, Http::ResponseWriter writer) override {
        const auto start = std::chrono::steady_clock::now();
        std::string bad_parameter, route = "unmatched";
        bool bad = false;
        http::Response r;
        http::Request request;
        try {
            request = convert(req, writer, bad_parameter, bad);
            r = bad ? http::error_response(400, "bad_parameter", "parameter '" + bad_parameter +
                                                                       "' has a malformed escape or invalid UTF-8", bad_parameter)
                    : m_shared.api->handle(request, route).resolved();  // guides: built here, for now
        } catch (const std::exception&) {
            r = http::error_response(500, "internal", "internal error");
        }
        const std::size_t bytes = send(request, r, writer);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        m_shared.metrics->record(route, r.status, ms);
        m_shared.log->write(request.method, req.resource(), r.status, bytes, ms);
    }

  private:
    // Sends `r` (gzip when accepted and worth it; headers only for HEAD). Returns body bytes sent.
    static std::size_t send(const http::Request& request, http::Response& r, Http::ResponseWriter& writer) {
        const std::string* accept = request.header("accept-encoding");
        if (r.body.size() > 1024 && accept && http::accepts_gzip(*accept)) {
            std::string z = http::gzip(r.body);
            if (!z.empty()) {
                r.body = std::move(z);
                r.set_header("Content-Encoding", "gzip");
            }
        }
        if (!r.header("Vary")) r.set_header("Vary", "Accept-Encoding");
        std::string content_type = "application/json; charset=utf-8";
        for (const auto& [name, value] : r.headers) {
            if (name == "Content-Type") content_type = value;
            else add_header(writer, name, value);
        }
        const auto code = static_cast<Http::Code>(r.status);
        const auto mime = Http::Mime::MediaType::fromString(content_type);
        if (request.method == "HEAD" && r.status != 304 && r.status != 204 && send_head(request, r, content_type, writer))
            return 0;
        if (request.method == "HEAD" || r.status == 304 || r.status == 204) {
            writer.send(code, "", mime);
            return 0;
        }
        writer.send(code, r.body, mime);
        return r.body.size();
    }

    // HEAD: Pistache 0.0.5 would either send the body or announce "Content-Length: 0", so the
    // head of the response is written to the peer directly, with the length a GET would send.
    static bool send_head(const http::Request& request, const http::Response& r, const std::string& content_type,
                          Http::ResponseWriter& writer) {
        const auto peer = writer.peer();
        if (!peer) return false;
        const std::string* connection = request.header("connection");
        const bool keep_alive = connection && (*connection == "keep-alive" || *connection == "Keep-Alive");
        std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " + Http::codeString(static_cast<Http::Code>(r.status)) +
                           "\r\nContent-Type: " + content_type + "\r\n";
        for (const auto& [name, value] : r.headers)
            if (name != "Content-Type") head += name + ": " + value + "\r\n";
        head += "Content-Length: " + std::to_string(r.body.size()) + "\r\nConnection: " +
                (keep_alive ? "Keep-Alive" : "Close") + "\r\n\r\n";
        peer->send(RawBuffer(head, head.size()));
        return true;
    }

    Shared m_shared;
};

}  // namespace

namespace {
// What the server's searches read: the configuration's shards (none: `db` alone).
SearcherOptions search_options(const ServerConfig& c) {
    SearcherOptions o;
    o.shards = c.shards;
    o.lexicon = c.lexicon;
    o.shard_timeout_ms = c.shard_timeout_ms;
    return o;
}
}  // namespace

struct HttpServer::Impl {
    ServerConfig config;
    IndexReaders readers;
    http::Metrics metrics;
    http::Api api;
    AccessLog log;
    Http::Endpoint endpoint;
    std::thread watcher;
    std::mutex mutex;
    std::condition_variable cv;
    bool stopping = false;

    explicit Impl(ServerConfig c)
        : config(std::move(c)), readers(config.db, search_options(config)), api(config, readers, metrics), log(config.access_log),
          endpoint(Address(config.bind, Port(static_cast<std::uint16_t>(config.port)))) {}
};

HttpServer::HttpServer(ServerConfig config) {
    try {
        m_impl = std::make_unique<Impl>(std::move(config));
        auto& c = m_impl->config;
        auto opts = Http::Endpoint::options()
                        .threads(c.threads)
                        .flags(Tcp::Options::ReuseAddr)
                        .maxRequestSize(std::max<std::size_t>(std::size_t{4} * c.max_request_bytes, std::size_t{256} * 1024))
                        .maxResponseSize(64 << 20)
                        .headerTimeout(std::chrono::milliseconds(static_cast<long>(c.header_timeout_seconds * 1000)))
                        .bodyTimeout(std::chrono::milliseconds(static_cast<long>(c.body_timeout_seconds * 1000)));
        m_impl->endpoint.init(opts);
        m_impl->endpoint.setHandler(Http::make_handler<Handler>(Shared{&m_impl->api, &m_impl->metrics, &m_impl->log}));
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error("cannot start the server: " + std::string(e.what()));
    }
}

HttpServer::~HttpServer() { stop(); }

std::uint16_t HttpServer::port() const { return static_cast<std::uint16_t>(m_impl->endpoint.getPort()); }

void HttpServer::start() {
    try {
        m_impl->endpoint.serveThreaded();
    } catch (const std::exception& e) {
        throw Error("cannot listen on " + m_impl->config.bind + ":" + std::to_string(m_impl->config.port) + ": " + e.what());
    }
    Impl* impl = m_impl.get();
    impl->watcher = std::thread([impl] {
        std::unique_lock lock(impl->mutex);
        const auto period = std::chrono::duration<double>(std::max(0.05, impl->config.reload_seconds));
        while (!impl->cv.wait_for(lock, period, [impl] { return impl->stopping; })) impl->readers.poll();
    });
}

void HttpServer::stop() {
    if (!m_impl) return;
    {
        std::lock_guard lock(m_impl->mutex);
        if (m_impl->stopping) return;
        m_impl->stopping = true;
    }
    m_impl->cv.notify_all();
    if (m_impl->watcher.joinable()) m_impl->watcher.join();
    m_impl->endpoint.shutdown();
}

void HttpServer::block_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int HttpServer::wait_for_signal() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig = 0;
    sigwait(&set, &sig);
    return sig;
}

}  // namespace passerelle
