// Query parameters of one route, read with the errors clients need: an unknown parameter, a
// value that is not a number or not allowed, a single parameter given twice, each a 400 that
// names the parameter.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "server/http.h"

namespace passerelle::http {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// The fields of an application/x-www-form-urlencoded body, or nothing when it is not one.
std::optional<FormFields> form_fields(const Request& request);
// The first value of `name` ("" when absent), and all of them.
std::string form_value(const FormFields& fields, const std::string& name);
std::vector<std::string> form_values(const FormFields& fields, const std::string& name);

class QueryParams {
  public:
    // Throws ApiError 400 when the request has a parameter not in `known`.
    QueryParams(const Request& request, const std::set<std::string>& known);

    std::optional<std::string> one(const std::string& name) const;  // 400 if given twice
    std::vector<std::string> all(const std::string& name) const;      // repeated values, in order
    // An integer in [min, max], or `fallback` when absent; 400 otherwise.
    long integer(const std::string& name, long fallback, long min, long max) const;
    // One of `allowed`, or `fallback` when absent; 400 otherwise.
    std::string choice(const std::string& name, const std::string& fallback, const std::set<std::string>& allowed) const;

  private:
    const Request& m_request;
};

}  // namespace passerelle::http
