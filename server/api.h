// The JSON API and service routes over one index folder. handle() never throws: every failure
// becomes the JSON error shape with its status (server/errors.h), and internal failures never
// show their text. Thread-safe: each request thread reads through its own IndexReaders reader.
#pragma once

#include <string>

#include "server/auth.h"
#include "server/config.h"
#include "server/http.h"
#include "server/index_readers.h"
#include "server/metrics.h"
#include "server/response_cache.h"
#include "server/router.h"

namespace passerelle::http {

class Api {
  public:
    Api(const ServerConfig& config, IndexReaders& readers, Metrics& metrics);
    // Sets `route` to the matched pattern, for logs and metrics.
    Response handle(const Request& request, std::string& route);

  private:
    struct Call {  // what every handler gets
        const Request& request;
        const Params& params;
        const Context& context;
    };
    using Method = Response (Api::*)(const Call&);
    void route(const std::string& pattern, Method method);

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

    const ServerConfig& m_config;
    IndexReaders& m_readers;
    Metrics& m_metrics;
    Authenticator m_auth;
    Router m_router;
    ResponseCache m_cache;
};

// The OpenAPI 3 description served at /openapi.json (server/openapi.json, compiled in).
const std::string& openapi_document();

}  // namespace passerelle::http
