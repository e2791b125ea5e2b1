#include "server/pistache_server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>
#include <pistache/stream.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "core/diagnostics.h"
#include "server/api.h"
#include "server/errors.h"
#include "server/gzip.h"
#include "server/request_head.h"
#include "server/worker_pool.h"
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
    r.remote = req.address().host();
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

// Tcp::Handler::transport_, private too: the inner parser below needs its owner's transport.
struct HandlerTransport {
    using type = Tcp::Transport* Tcp::Handler::*;
    friend type get(HandlerTransport);
};
template struct Expose<HandlerTransport, &Tcp::Handler::transport_>;

struct Shared {  // what every (cloned) request handler uses
    http::Api* api;
    http::Metrics* metrics;
    AccessLog* log;
    http::WorkerPool* pool;
    std::atomic<long>* connections;
    http::HeadLimits limits;
    std::chrono::milliseconds header_timeout;
};

// What the server keeps of each connection, as data of its Pistache peer: it lives as long as
// the peer, so the count of open connections is exact.
struct ConnectionState {
    explicit ConnectionState(const Shared& s) : m_shared(s) { m_shared.metrics->set_connections(++*m_shared.connections); }
    ~ConnectionState() { m_shared.metrics->set_connections(--*m_shared.connections); }
    ConnectionState(const ConnectionState&) = delete;
    ConnectionState& operator=(const ConnectionState&) = delete;
    bool closing = false;  // its last response is on its way: whatever else arrives is dropped
    std::string cookie;    // the Cookie header of the request being read (hidden from Pistache)

  private:
    Shared m_shared;
};
constexpr const char* k_connection_data = "passerelle.connection";

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// RFC 9112 9.3: HTTP/1.1 keeps the connection unless the request says `close`; HTTP/1.0 closes
// it unless the request says `keep-alive`.
bool keeps_alive(Http::Version version, const http::Request& request) {
    bool close = false, keep = false;
    if (const std::string* value = request.header("connection")) {
        std::string token;
        for (const char c : lower(*value) + ",") {
            if (c == ',') {
                close = close || token == "close";
                keep = keep || token == "keep-alive";
                token.clear();
            } else if (c != ' ' && c != '\t') {
                token += c;
            }
        }
    }
    return !close && (version == Http::Version::Http11 || keep);
}

// The peer, if it still holds its connection. Pistache may remove a peer, and close its socket,
// while a promise or a pending guide still holds the Peer object; the socket's number may then
// already belong to a new client, who must neither receive nor lose anyone else's response. So
// the socket's remote address must still be the peer's own.
std::shared_ptr<Tcp::Peer> live(const std::weak_ptr<Tcp::Peer>& weak) {
    auto peer = weak.lock();
    if (!peer) return nullptr;
    sockaddr_storage addr{};
    socklen_t size = sizeof addr;
    if (::getpeername(peer->fd(), reinterpret_cast<sockaddr*>(&addr), &size) != 0) return nullptr;
    const Address now = Address::fromUnix(reinterpret_cast<sockaddr*>(&addr));
    const Address& own = peer->address();
    if (now.host() != own.host() || static_cast<std::uint16_t>(now.port()) != static_cast<std::uint16_t>(own.port())) return nullptr;
    return peer;
}

// Half-closes the connection once `sent` is written: the client reads the response, then the
// end of the stream. What it sends meanwhile is read and dropped (so that closing never resets
// the connection under a response still unread); the reactor removes the peer when the client
// closes its side, or after the keep-alive timeout.
void close_after(Async::Promise<ssize_t> sent, const std::weak_ptr<Tcp::Peer>& peer) {
    auto shut = [peer] {
        if (const auto p = live(peer)) ::shutdown(p->fd(), SHUT_WR);
    };
    sent.then([shut](ssize_t) { shut(); }, [shut](const std::exception_ptr&) { shut(); });
}

// Runs `fn` on the reactor thread of `transport` after `delay`: the transport's timers are its
// only door into that thread. Nothing runs if the server stops first. `fn` runs while Pistache
// walks its timers, so it must not arm one itself (see keep_waiting()).
void on_reactor(Tcp::Transport* transport, std::chrono::milliseconds delay, std::function<void()> fn) {
    const int fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (fd < 0) return;
    Async::Promise<uint64_t> timer([&](Async::Deferred<uint64_t> d) { transport->armTimer(fd, delay, std::move(d)); });
    timer.then([fd, fn = std::move(fn)](uint64_t) { ::close(fd); fn(); }, [fd](const std::exception_ptr&) { ::close(fd); });
}

// Sends `r` (gzip when accepted and worth it; headers only for HEAD), with the Connection
// header the request calls for; closes after it when `keep_alive` is false. Returns body bytes
// sent.
std::size_t send(const http::Request& request, http::Response& r, Http::ResponseWriter& writer, bool keep_alive);

// A request answered by a worker (a PDF guide): everything its answer needs, kept until the
// reactor thread sends it.
struct Pending {
    Pending(http::Request req, std::function<http::Response()> w, Http::ResponseWriter wr, std::string rt,
            std::chrono::steady_clock::time_point s)
        : request(std::move(req)), work(std::move(w)), writer(std::move(wr)), route(std::move(rt)), start(s) {}
    http::Request request;
    std::function<http::Response()> work;
    http::Response response;
    Http::ResponseWriter writer;
    std::string route;
    std::chrono::steady_clock::time_point start;
    bool done = false;  // reactor thread only
};

void record(const Shared& shared, const std::string& route, const http::Request& request, int status, std::size_t bytes,
            std::chrono::steady_clock::time_point start) {
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    shared.metrics->record(route, status, ms);
    shared.log->write(request.method, request.path, status, bytes, ms);
}

// While a worker builds, the connection has no request in progress for Pistache, which would
// cut it off after the header timeout: its clock is wound back every quarter of that timeout. The
// next timer is armed once an empty write to the peer completes, outside the timer's own turn.
void keep_waiting(Tcp::Transport* transport, const std::shared_ptr<Pending>& pending, std::chrono::milliseconds every) {
    on_reactor(transport, every, [transport, pending, every] {
        const auto peer = live(pending->writer.getPeer());
        if (pending->done || !peer) return;
        Http::Handler::getParser(peer)->reset();
        peer->send(RawBuffer(std::string(), 0))
            .then([transport, pending, every](ssize_t) { keep_waiting(transport, pending, every); },
                  [](const std::exception_ptr&) {});
    });
}

class ServerHandler;

// Pistache's own request parsing (Http::Handler::onInput, private), run on bytes the outer
// handler has checked and fed: a second handler, so that the call reaches Pistache's code and
// not the outer override. Complete requests go back to the outer handler.
class InnerParser : public Http::Handler {
  public:
    HTTP_PROTOTYPE(InnerParser)
    explicit InnerParser(ServerHandler* owner) : m_owner(owner) {}
    void onRequest(const Http::Request& req, Http::ResponseWriter writer) override;

  private:
    ServerHandler* m_owner;
};

// The handler Pistache calls on its reactor threads (one clone per thread). It checks each
// request's head (server/request_head.h) before Pistache parses it, answers pipelined requests
// in order, sets Connection as RFC 9112 says, and sends PDF guides to the worker pool.
class ServerHandler : public Http::Handler {
  public:
    HTTP_PROTOTYPE(ServerHandler)
    explicit ServerHandler(const Shared& shared) : m_shared(shared), m_inner(this) {}
    ServerHandler(const ServerHandler& other) : Http::Handler(other), m_shared(other.m_shared), m_inner(this) {}
    ServerHandler& operator=(const ServerHandler&) = delete;

    void onRequest(const Http::Request& req, Http::ResponseWriter writer) override { serve(req, std::move(writer)); }

    void onConnection(const std::shared_ptr<Tcp::Peer>& peer) override {
        peer->putData(ParserData, std::make_shared<Http::RequestParser>(getMaxRequestSize()));  // as Pistache does
        peer->putData(k_connection_data, std::make_shared<ConnectionState>(m_shared));
    }

    // Each read of a connection. Pipelined requests after a complete one are fed again, one at
    // a time (a read is at most a few KiB, so the loop is short; it is bounded all the same).
    void onInput(const char* data, std::size_t size, const std::shared_ptr<Tcp::Peer>& peer) override {
        const auto state = std::static_pointer_cast<ConnectionState>(peer->tryGetData(k_connection_data));
        if (!state || state->closing) return;
        bind_inner();
        m_leftover.clear();
        feed(data, size, peer, *state);
        for (int round = 0; !m_leftover.empty() && !state->closing; ++round) {
            if (round == k_max_pipelined) {
                state->closing = true;  // the client retries what was not answered
                close_after(peer->send(RawBuffer(std::string(), 0)), peer);
                break;
            }
            const std::string next = std::exchange(m_leftover, std::string());
            feed(next.data(), next.size(), peer, *state);
        }
        m_leftover.clear();
    }

    // A complete request, from the inner parser.
    void serve(const Http::Request& req, Http::ResponseWriter writer) {
        const auto start = std::chrono::steady_clock::now();
        m_answered = true;
        const auto peer = writer.getPeer();
        const auto state = peer ? std::static_pointer_cast<ConnectionState>(peer->tryGetData(k_connection_data)) : nullptr;
        if (peer) keep_leftover(peer);
        std::string bad_parameter, route = "unmatched";
        bool bad = false;
        http::Response r;
        http::Request request;
        try {
            request = convert(req, writer, bad_parameter, bad);
            if (state && !state->cookie.empty()) request.headers["cookie"] = state->cookie;
            r = bad ? http::error_response(400, "bad_parameter", "parameter '" + bad_parameter +
                                                                       "' has a malformed escape or invalid UTF-8", bad_parameter)
                    : m_shared.api->handle(request, route);
        } catch (const std::exception&) {
            r = http::error_response(500, "internal", "internal error");
        }
        const bool keep_alive = keeps_alive(req.version(), request) && !r.deferred;
        if (state && !keep_alive) {
            state->closing = true;  // nothing after this request is answered
            m_leftover.clear();
        }
        if (r.deferred) return defer(std::move(request), std::move(r.deferred), std::move(writer), std::move(route), start);
        const std::size_t bytes = send(request, r, writer, keep_alive);
        record(m_shared, route, request, r.status, bytes, start);
    }

  private:
    static constexpr int k_max_pipelined = 1000;

    void bind_inner() {
        Tcp::Transport*& slot = static_cast<Tcp::Handler&>(m_inner).*get(HandlerTransport{});
        if (slot) return;
        slot = transport();
        m_inner.setMaxRequestSize(getMaxRequestSize());
        m_inner.setMaxResponseSize(getMaxResponseSize());
    }

    // The bytes after the request being served: the next pipelined requests.
    void keep_leftover(const std::shared_ptr<Tcp::Peer>& peer) {
        const auto parser = Http::Handler::getParser(peer);
        auto& buffer = (*parser).*get(ParserBuffer{});
        m_leftover.assign(buffer.curptr(), buffer.endptr());
    }

    // Feeds bytes to the peer's parser; Pistache parses them once the request's head is whole and
    // acceptable (so a hostile header never reaches its parsers), and calls serve() for each
    // complete request.
    void feed(const char* data, std::size_t size, const std::shared_ptr<Tcp::Peer>& peer, ConnectionState& state) {
        const auto parser = Http::Handler::getParser(peer);
        if (!parser->feed(data, size))
            return refuse(peer, state, 413, "too_large", "the request is over " + std::to_string(getMaxRequestSize()) + " bytes");
        const auto step = parser->step()->id();
        if (step != Http::Private::BodyStep::Id) {
            auto& buffer = (*parser).*get(ParserBuffer{});
            char* begin = buffer.curptr();
            const std::string_view bytes(begin, static_cast<std::size_t>(buffer.endptr() - begin));
            const http::RequestHead head = http::read_request_head(bytes, step == Http::Private::RequestLineStep::Id, m_shared.limits);
            if (!head.complete) return;  // the rest of the head is still to come
            if (head.status != 0) return refuse(peer, state, head.status, head.code, head.message);
            state.cookie.clear();
            if (const std::string bad = neutralise(begin, head, state.cookie); !bad.empty())
                return refuse(peer, state, 400, "bad_header", "header '" + bad + "' is malformed");
            // A body over max_request_bytes only for a signed-in author's upload, decided here,
            // before any of it is read: nobody else can make the server hold that much.
            if (head.content_length > m_shared.limits.max_body_bytes) {
                const auto [method, path] = request_target(bytes, step == Http::Private::RequestLineStep::Id, *parser);
                if (!m_shared.api->may_upload(method, path, state.cookie))
                    return refuse(peer, state, 413, "too_large", "the request body is over " + std::to_string(m_shared.limits.max_body_bytes) + " bytes");
            }
        }
        m_answered = false;
        static_cast<Tcp::Handler&>(m_inner).onInput("", 0, peer);
        // Pistache answered an error of its own (its parser is back at a request line, empty, and
        // nothing was served): what follows cannot be trusted, so the connection ends there.
        const auto& buffer = (*parser).*get(ParserBuffer{});
        if (!m_answered && parser->step()->id() == Http::Private::RequestLineStep::Id && buffer.begptr() == buffer.endptr()) {
            state.closing = true;
            close_after(peer->send(RawBuffer(std::string(), 0)), peer);
        }
    }

    // The method and path of the request whose head is in `bytes` (its request line when
    // `with_line`, else what Pistache parsed of it already).
    static std::pair<std::string, std::string> request_target(std::string_view bytes, bool with_line, Http::RequestParser& parser) {
        if (!with_line) return {Http::methodString(parser.request.method()), parser.request.resource()};
        const std::string_view line = bytes.substr(0, bytes.find("\r\n"));
        const auto sp1 = line.find(' '), sp2 = line.find(' ', sp1 + 1);
        if (sp1 == std::string_view::npos || sp2 == std::string_view::npos) return {};
        std::string target(line.substr(sp1 + 1, sp2 - sp1 - 1));
        return {std::string(line.substr(0, sp1)), target.substr(0, target.find('?'))};
    }

    // Pistache 0.0.5 answers 500 to a malformed cookie, so Cookie lines are kept out of its
    // reach: their values go to `cookie` (joined by "; "), which the handlers read as the
    // request's Cookie header, and the lines are renamed in place, as Set-Cookie and Expect
    // are. Every header Pistache parses into a typed one is tried first; the name of one it
    // cannot parse is returned.
    static std::string neutralise(char* begin, const http::RequestHead& head, std::string& cookie) {
        for (const http::HeaderSpan& h : head.headers) {
            std::string name(begin + h.name_at, h.name_size);
            if (http::header_name_is(name, "cookie"))
                cookie += (cookie.empty() ? "" : "; ") + std::string(begin + h.value_at, h.value_size);
            // Expect too: Pistache reads its value with strcmp, past the end of the request's
            // bytes, which have no NUL (AddressSanitizer's strict string checks found it). The
            // server never answers 100 Continue: a client sends its body after a short wait.
            // Cache-Control too: Pistache reads its max-age with strtol on the request's bytes, past
            // their end when the value ends a read (AddressSanitizer found it with Chromium's
            // `Cache-Control: max-age=0`); the server never reads a request's Cache-Control.
            if (http::header_name_is(name, "cookie") || http::header_name_is(name, "set-cookie") ||
                http::header_name_is(name, "expect") || http::header_name_is(name, "cache-control")) {
                const std::string ignored = "Ignore" + std::string(h.name_size - 6, '-');
                std::copy(ignored.begin(), ignored.end(), begin + h.name_at);
                continue;
            }
            if (!Http::Header::Registry::instance().isRegistered(name)) continue;
            try {
                // A copy: some of Pistache's parsers (Expect) call strcmp, reading past the value
                // to a NUL that the request buffer does not have (AddressSanitizer found it).
                const std::string value(begin + h.value_at, h.value_size);
                Http::Header::Registry::instance().makeHeader(name)->parseRaw(value.c_str(), value.size());
            } catch (...) {
                return name;
            }
        }
        return "";
    }

    // Answers a request refused before parsing, then closes the connection.
    void refuse(const std::shared_ptr<Tcp::Peer>& peer, ConnectionState& state, int status, const std::string& code,
                const std::string& message) {
        const auto start = std::chrono::steady_clock::now();
        Http::Handler::getParser(peer)->reset();
        state.closing = true;
        m_leftover.clear();
        http::Request request;
        request.method = "-";
        request.path = "-";
        http::Response r = m_shared.api->reject(request, status, code, message);
        Http::ResponseWriter writer(Http::Version::Http11, transport(), this, peer);
        const std::size_t bytes = send(request, r, writer, false);
        record(m_shared, "refused", request, r.status, bytes, start);
    }

    // A PDF guide: built on a worker, sent from this reactor thread, then the connection closes
    // (what was pipelined after it is dropped; RFC 9112 9.3.2 lets clients retry it). A full
    // pool answers 503 at once.
    void defer(http::Request request, std::function<http::Response()> work, Http::ResponseWriter writer, std::string route,
               std::chrono::steady_clock::time_point start) {
        auto pending = std::make_shared<Pending>(std::move(request), std::move(work), std::move(writer), std::move(route), start);
        Tcp::Transport* reactor = transport();
        const Shared shared = m_shared;
        const bool queued = m_shared.pool->try_submit([pending, reactor, shared] {
            pending->response = pending->work();
            pending->work = nullptr;
            on_reactor(reactor, std::chrono::milliseconds(1), [pending, shared] {
                pending->done = true;
                const std::size_t bytes = live(pending->writer.getPeer()) ? send(pending->request, pending->response, pending->writer, false) : 0;
                record(shared, pending->route, pending->request, pending->response.status, bytes, pending->start);
            });
        });
        if (!queued) {
            pending->done = true;
            http::Response busy = m_shared.api->overloaded(pending->request);
            const std::size_t bytes = send(pending->request, busy, pending->writer, false);
            record(m_shared, pending->route, pending->request, busy.status, bytes, start);
            return;
        }
        keep_waiting(reactor, pending, std::max(std::chrono::milliseconds(20), m_shared.header_timeout / 4));
    }

    Shared m_shared;
    InnerParser m_inner;
    std::string m_leftover;  // bytes after the request being served
    bool m_answered = false;
};

void InnerParser::onRequest(const Http::Request& req, Http::ResponseWriter writer) { m_owner->serve(req, std::move(writer)); }

// HEAD: Pistache 0.0.5 would either send the body or announce "Content-Length: 0", so the
// head of the response is written to the peer directly, with the length a GET would send.
bool send_head(const http::Response& r, const std::string& content_type, Http::ResponseWriter& writer, bool keep_alive) {
    const auto peer = writer.getPeer();
    if (!peer) return false;
    std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " + Http::codeString(static_cast<Http::Code>(r.status)) +
                       "\r\nContent-Type: " + content_type + "\r\n";
    for (const auto& [name, value] : r.headers)
        if (name != "Content-Type") head += name + ": " + value + "\r\n";
    head += "Content-Length: " + std::to_string(r.body.size()) + "\r\nConnection: " + (keep_alive ? "Keep-Alive" : "Close") +
            "\r\n\r\n";
    peer->setIdle(true);  // as ResponseWriter::send does: the keep-alive timeout applies from here
    auto sent = peer->send(RawBuffer(head, head.size()));
    if (!keep_alive) close_after(std::move(sent), peer);
    return true;
}

std::size_t send(const http::Request& request, http::Response& r, Http::ResponseWriter& writer, bool keep_alive) {
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
    writer.headers().remove<Http::Header::Connection>();
    writer.headers().add<Http::Header::Connection>(keep_alive ? Http::ConnectionControl::KeepAlive : Http::ConnectionControl::Close);
    const auto code = static_cast<Http::Code>(r.status);
    const auto mime = Http::Mime::MediaType::fromString(content_type);
    const bool no_body = request.method == "HEAD" || r.status == 304 || r.status == 204;
    if (request.method == "HEAD" && r.status != 304 && r.status != 204 && send_head(r, content_type, writer, keep_alive)) return 0;
    const std::weak_ptr<Tcp::Peer> peer = writer.getPeer();
    auto sent = writer.send(code, no_body ? std::string() : r.body, mime);
    if (!keep_alive) close_after(std::move(sent), peer);
    return no_body ? 0 : r.body.size();
}

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

// The head of a request (request line and headers) is refused over this size with 431. The API
// refuses smaller excesses with clearer messages: addresses over 8 KiB, headers over 16 KiB.
constexpr std::size_t k_max_head_bytes = std::size_t{32} * 1024;

struct HttpServer::Impl {
    ServerConfig config;
    IndexReaders readers;
    http::Metrics metrics;
    http::Api api;
    AccessLog log;
    std::atomic<long> connections{0};
    http::WorkerPool pool;  // before the endpoint and after the API: jobs use the API
    Http::Endpoint endpoint;
    std::thread watcher;
    std::mutex mutex;
    std::condition_variable cv;
    bool stopping = false;

    explicit Impl(ServerConfig c)
        : config(std::move(c)), readers(config.db, search_options(config)), api(config, readers, metrics), log(config.access_log),
          pool(config.guide_builds, static_cast<std::size_t>(config.guide_queue), k_builder_nice),
          endpoint(Address(config.bind, Port(static_cast<std::uint16_t>(config.port)))) {}
    static constexpr int k_builder_nice = 10;  // guide builders yield the CPU to searches
};

HttpServer::HttpServer(ServerConfig config) {
    try {
        m_impl = std::make_unique<Impl>(std::move(config));
        auto& c = m_impl->config;
        auto opts = Http::Endpoint::options()
                        .threads(c.threads)
                        .flags(Tcp::Options::ReuseAddr)
                        .maxRequestSize(std::max({std::size_t{4} * c.max_request_bytes, std::size_t{256} * 1024,
                                                 m_impl->api.upload_limit() + k_max_head_bytes}))
                        .maxResponseSize(64 << 20)
                        .headerTimeout(std::chrono::milliseconds(static_cast<long>(c.header_timeout_seconds * 1000)))
                        .bodyTimeout(std::chrono::milliseconds(static_cast<long>(c.body_timeout_seconds * 1000)))
                        .keepaliveTimeout(std::chrono::milliseconds(static_cast<long>(c.keepalive_timeout_seconds * 1000)));
        m_impl->endpoint.init(opts);
        http::HeadLimits limits;
        limits.max_head_bytes = k_max_head_bytes;
        limits.max_body_bytes = c.max_request_bytes;
        limits.max_upload_bytes = c.content.empty() ? 0 : m_impl->api.upload_limit();
        const Shared shared{&m_impl->api, &m_impl->metrics, &m_impl->log, &m_impl->pool, &m_impl->connections, limits,
                            std::chrono::milliseconds(static_cast<long>(c.header_timeout_seconds * 1000))};
        m_impl->endpoint.setHandler(Http::make_handler<ServerHandler>(shared));
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error("cannot start the server: " + std::string(e.what()));
    }
}

HttpServer::~HttpServer() { stop(); }

std::uint16_t HttpServer::port() const { return static_cast<std::uint16_t>(m_impl->endpoint.getPort()); }

long HttpServer::open_connections() const { return m_impl->connections.load(); }

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
    m_impl->pool.stop();  // guides being built are finished and sent first
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
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
