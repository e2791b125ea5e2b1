// Routes by method and path pattern ("/api/documents/{id}/similar"). Unknown paths answer 404,
// known paths with another method 405 with an Allow header; HEAD is served by GET routes.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "server/http.h"

namespace passerelle::http {

using Params = std::map<std::string, std::string>;  // {name} -> decoded segment
using Handler = std::function<Response(const Request&, const Params&, const Context&)>;

class Router {
  public:
    // `name` labels the route in metrics ("/api/documents/{id}" is the pattern itself).
    void add(const std::string& method, const std::string& pattern, Handler handler);
    // The response of the matching route, or a 404/405 error. Sets `route` to the pattern
    // matched (or "unmatched"), for metrics.
    Response dispatch(const Request& request, const Context& context, std::string& route) const;
    // Every route, as "METHOD pattern" (what the leak and header tests walk through).
    std::vector<std::string> routes() const;

  private:
    struct Route {
        std::string method;
        std::vector<std::string> segments;  // "{id}" captures
        std::string pattern;
        Handler handler;
    };
    std::vector<Route> m_routes;
};

}  // namespace passerelle::http
