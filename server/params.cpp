#include "server/params.h"

#include <charconv>

#include "core/fold.h"
#include "core/url.h"
#include "server/errors.h"

namespace passerelle::http {

QueryParams::QueryParams(const Request& request, const std::set<std::string>& known) : m_request(request) {
    for (const auto& [name, value] : request.query)
        if (!known.count(name)) throw ApiError(400, "unknown_parameter", "unknown parameter '" + name + "'", name);
}

std::optional<std::string> QueryParams::one(const std::string& name) const {
    std::optional<std::string> out;
    for (const auto& [n, v] : m_request.query) {
        if (n != name) continue;
        if (out) throw ApiError(400, "repeated_parameter", "parameter '" + name + "' may be given only once", name);
        out = v;
    }
    return out;
}

std::vector<std::string> QueryParams::all(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& [n, v] : m_request.query)
        if (n == name && !v.empty()) out.push_back(v);
    return out;
}

long QueryParams::integer(const std::string& name, long fallback, long min, long max) const {
    const auto text = one(name);
    if (!text) return fallback;
    long value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (text->empty() || ec != std::errc() || end != text->data() + text->size())
        throw ApiError(400, "bad_parameter", "parameter '" + name + "' must be a whole number", name);
    if (value < min || value > max)
        throw ApiError(400, "bad_parameter",
                       "parameter '" + name + "' must be between " + std::to_string(min) + " and " + std::to_string(max), name);
    return value;
}

std::string QueryParams::choice(const std::string& name, const std::string& fallback, const std::set<std::string>& allowed) const {
    const auto text = one(name);
    if (!text) return fallback;
    if (allowed.count(*text)) return *text;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    throw ApiError(400, "bad_parameter", "parameter '" + name + "' must be one of: " + list, name);
}

std::optional<FormFields> form_fields(const Request& r) {
    const std::string* type = r.header("content-type");
    if (!type || lower_ascii(type->substr(0, 33)) != "application/x-www-form-urlencoded") return std::nullopt;
    std::string bad;
    return parse_query(r.body, bad, true);
}

std::string form_value(const FormFields& fields, const std::string& name) {
    for (const auto& [k, v] : fields)
        if (k == name) return v;
    return "";
}

std::vector<std::string> form_values(const FormFields& fields, const std::string& name) {
    std::vector<std::string> out;
    for (const auto& [k, v] : fields)
        if (k == name) out.push_back(v);
    return out;
}

}  // namespace passerelle::http
