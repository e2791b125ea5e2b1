// API errors as the one JSON shape clients get:
// {"error": {"code": "...", "message": "...", "parameter": "..."}}, with the right status.
// The only place that turns failures into HTTP statuses.
#pragma once

#include <stdexcept>
#include <string>

#include "server/http.h"

namespace passerelle::http {

class ApiError : public std::runtime_error {
  public:
    ApiError(int status, std::string code, const std::string& message, std::string parameter = "")
        : std::runtime_error(message), m_status(status), m_code(std::move(code)), m_parameter(std::move(parameter)) {}
    int status() const { return m_status; }
    const std::string& code() const { return m_code; }
    const std::string& parameter() const { return m_parameter; }

  private:
    int m_status;
    std::string m_code, m_parameter;
};

Response error_response(int status, const std::string& code, const std::string& message, const std::string& parameter = "");
Response error_response(const ApiError& e);

// JSON responses.
Response json_response(int status, const std::string& body);

}  // namespace passerelle::http
