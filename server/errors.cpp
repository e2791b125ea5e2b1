#include "server/errors.h"

#include <nlohmann/json.hpp>

namespace passerelle::http {

Response json_response(int status, const std::string& body) {
    Response r;
    r.status = status;
    r.body = body;
    r.set_header("Content-Type", "application/json; charset=utf-8");
    return r;
}

Response error_response(int status, const std::string& code, const std::string& message, const std::string& parameter) {
    nlohmann::json e = {{"code", code}, {"message", message}};
    if (!parameter.empty()) e["parameter"] = parameter;
    return json_response(status, nlohmann::json{{"error", e}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response error_response(const ApiError& e) { return error_response(e.status(), e.code(), e.what(), e.parameter()); }

}  // namespace passerelle::http
