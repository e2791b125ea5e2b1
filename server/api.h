// The JSON API and service routes over one index folder. handle() never throws: every failure
// becomes the JSON error shape with its status (server/errors.h), and internal failures never
// show their text. Thread-safe: each request thread reads through its own IndexReaders reader.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "server/auth.h"
#include "server/config.h"
#include "server/http.h"
#include "server/index_readers.h"
#include "server/json_views.h"
#include "server/metrics.h"
#include "server/response_cache.h"
#include "server/router.h"

namespace passerelle {
struct GuideDefinition;
}

namespace passerelle::http {

class Pages;
class OaiProvider;

class Api {
  public:
    Api(const ServerConfig& config, IndexReaders& readers, Metrics& metrics);
    ~Api();
    // Sets `route` to the matched pattern, for logs and metrics. The HTML pages (server/pages.h)
    // are answered here too.
    Response handle(const Request& request, std::string& route);
    // Every route the server answers, API and pages, as "METHOD pattern".
    std::vector<std::string> routes() const;

    // An API route run for the pages, as `context` (never throws): its status and JSON body.
    // nlohmann's noexcept move checks an invariant that clang-tidy takes for a throw.
    // NOLINTNEXTLINE(bugprone-exception-escape)
    struct Result {
        int status = 0;
        Json json;
    };
    Result call(const std::string& path, const std::vector<std::pair<std::string, std::string>>& query,
                const Context& context);

  private:
    Response refuse(const Request& request, int status, const std::string& code, const std::string& message) const;
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
    Response suggest(const Call& c);
    Response projects(const Call& c);
    Response project(const Call& c);
    Response vocabularies(const Call& c);
    Response healthz(const Call& c);
    Response metrics(const Call& c);
    Response openapi(const Call& c);
    Response guide(const Call& c);            // GET /guides/{name}.pdf
    Response guide_from_body(const Call& c);  // POST /api/guides
    Response render_guide(const Call& c, const passerelle::GuideDefinition& def);
    Response oai(const Call& c);  // GET and POST /oai (server/oai.h)

    const ServerConfig& m_config;
    IndexReaders& m_readers;
    Metrics& m_metrics;
    Authenticator m_auth;
    Router m_router;
    ResponseCache m_cache;
    std::unique_ptr<Pages> m_pages;
    std::unique_ptr<OaiProvider> m_oai;
};

// The OpenAPI 3 description served at /openapi.json (server/openapi.json, compiled in).
const std::string& openapi_document();

}  // namespace passerelle::http
