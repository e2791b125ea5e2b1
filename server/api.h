// The JSON API and service routes over one index folder. handle() never throws: every failure
// becomes the JSON error shape with its status (server/errors.h), and internal failures never
// show their text. Thread-safe: each request thread reads through its own IndexReaders reader.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "generator/guide.h"
#include "server/auth.h"
#include "server/config.h"
#include "server/http.h"
#include "server/index_readers.h"
#include "server/json_views.h"
#include "server/metrics.h"
#include "server/response_cache.h"
#include "server/router.h"
#include "server/session_gate.h"
#include "server/note_desk.h"

namespace passerelle::http {

class Pages;
class OaiProvider;

class Api {
  public:
    Api(const ServerConfig& config, IndexReaders& readers, Metrics& metrics);
    ~Api();
    // Sets `route` to the matched pattern, for logs and metrics. The HTML pages (server/pages.h)
    // are answered here too. PDF guides come back deferred (Response::deferred), to be run on a
    // worker thread: a guide already built for the same inputs is answered at once instead.
    Response handle(const Request& request, std::string& route);
    // `request` answered as `role` (public, partners or internal) without a token or a session,
    // deferred work run here: the offline export (offline/) renders the site in-process with it.
    // Nothing over HTTP reaches it.
    Response handle_as(const Request& request, const std::string& role, std::string& route);
    // What the HTTP layer answers itself, with the headers of every response: a request it
    // refuses before the API sees it, and 503 (with Retry-After) when the guide builders are busy.
    Response reject(const Request& request, int status, const std::string& code, const std::string& message) const;
    Response overloaded(const Request& request) const;
    // Whether a request for `method` `path` with these cookies may have a body of up to
    // upload_limit() bytes (over max_request_bytes): an upload of an attachment by a signed-in
    // author, while writing is on. Asked by the HTTP layer before the body is read.
    bool may_upload(const std::string& method, const std::string& path, const std::string& cookie);
    std::size_t upload_limit() const;
    // Every route the server answers, API and pages, as "METHOD pattern".
    std::vector<std::string> routes() const;

    // An API route run for the pages, as `context` (never throws): its status and JSON body.
    // nlohmann's noexcept move checks an invariant that clang-tidy takes for a throw.
    // NOLINTNEXTLINE(bugprone-exception-escape)
    struct Result {
        int status = 0;
        Json json;
    };
    IndexReaders& readers() { return m_readers; }
    // The bytes of attachment `file` of document `id` (in `lang`, or any version that has it),
    // when `context`'s role may see that version; throws ApiError 404 otherwise. Always served
    // as a download (Content-Disposition: attachment), in a sandbox.
    Response attachment_file(const std::string& id, const std::string& lang, const std::string& file, const Context& context);
    Result call(const std::string& path, const std::vector<std::pair<std::string, std::string>>& query,
                const Context& context);

    // The guide definitions (templates/guides, or guides_dir) as `context`'s role gets them:
    // what each selects and, per layout, its pages and bytes. Each guide is built in each of
    // `layouts` when its facts are not known yet for this index generation, definition and role
    // (30-70 ms each), on the calling thread: call it on a worker unless guides_known().
    struct GuideFacts {
        int pages = 0;
        std::size_t bytes = 0;
        std::vector<std::string> documents;
    };
    struct GuideEntry {
        passerelle::GuideDefinition definition;
        std::map<std::string, GuideFacts> layouts;  // by layout
    };
    std::vector<GuideEntry> guides(const Request& request, const Context& context, const std::vector<std::string>& layouts);
    bool guides_known(const Context& context, const std::vector<std::string>& layouts);
    // The guides that select document `id` for `context`'s role: one search per guide (kept per
    // index generation, definition and role), no PDF built.
    std::vector<passerelle::GuideDefinition> guides_with(const Context& context, const std::string& id);

  private:
    Response refuse(const Request& request, int status, const std::string& code, const std::string& message) const;
    bool host_allowed(const Request& request) const;
    struct Call {  // what every handler gets
        const Request& request;
        const Params& params;
        const Context& context;
    };
    using Method = Response (Api::*)(const Call&);
    void route(const std::string& pattern, Method method);
    // The API's cache and router, with every failure turned into the JSON error shape.
    Response run(const Request& request, const Context& context, std::string& route);

    Response search(const Call& c);
    Response document(const Call& c);
    Response similar(const Call& c);
    Response attachment(const Call& c);
    Response suggest(const Call& c);
    Response projects(const Call& c);
    Response project(const Call& c);
    Response vocabularies(const Call& c);
    Response healthz(const Call& c);
    Response metrics(const Call& c);
    Response openapi(const Call& c);
    Response guide(const Call& c);            // GET /guides/{name}.pdf
    Response guide_from_body(const Call& c);  // POST /api/guides
    GuideOptions guide_options(const Call& c) const;  // throws ApiError 400 for a bad layout or date
    // Sources link to the configured base_url only: never to the address a request came by.
    GuideOptions guide_options(const std::string& role, const std::string& layout) const;
    std::filesystem::path guides_dir() const;
    // Builds the guide; with a `facts_key`, keeps its facts under it.
    Response render_guide(const passerelle::GuideDefinition& def, const GuideOptions& options, const std::string& facts_key = "");
    // The definitions of guides_dir(), each parsed once per file version (bad ones logged, left out).
    std::vector<std::pair<std::filesystem::path, passerelle::GuideDefinition>> guide_definitions();
    // `work` with its failures turned into the JSON error shape.
    Response guarded(const Request& request, const std::function<Response()>& work) const;
    // A deferred response made final: failures mapped, and the headers of every response added.
    void finish(const Request& request, Response& r) const;
    Response oai(const Call& c);  // GET and POST /oai (server/oai.h)

    const ServerConfig& m_config;
    IndexReaders& m_readers;
    Metrics& m_metrics;
    Authenticator m_auth;
    SessionGate m_gate;
    NoteDesk m_desk;
    Router m_router;
    ResponseCache m_cache;
    ResponseCache m_guides{std::size_t{64} << 20};  // built PDF guides, by generation, role and options
    std::mutex m_facts_mutex;  // for the three below, each emptied past 512 entries
    std::map<std::string, GuideFacts> m_guide_facts;  // by generation, definition, role and layout
    std::map<std::string, std::vector<std::string>> m_guide_selections;  // by generation, definition and role
    std::map<std::string, std::optional<passerelle::GuideDefinition>> m_guide_definitions;  // by definition (path, time, size)
    std::unique_ptr<Pages> m_pages;
    std::unique_ptr<OaiProvider> m_oai;
};

// The OpenAPI 3 description served at /openapi.json (server/openapi.json, compiled in).
const std::string& openapi_document();

}  // namespace passerelle::http
