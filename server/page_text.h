// Small helpers the page handlers share (server/pages.cpp, server/pages_notes.cpp).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "server/http.h"

namespace passerelle::http {

using Query = std::vector<std::pair<std::string, std::string>>;

// The first value of `key` in a query ("" when absent).
inline std::string first(const Query& q, const std::string& key) {
    for (const auto& [k, v] : q)
        if (k == key) return v;
    return "";
}

// `text` with its "{n}" replaced by `n` (the interface strings' counts).
inline std::string replace_n(std::string text, long n) {
    if (const auto at = text.find("{n}"); at != std::string::npos) text.replace(at, 3, std::to_string(n));
    return text;
}

// A 303 to `location` (after a form, or to the page that holds what was asked), never cached.
inline Response see_other(const std::string& location) {
    Response r;
    r.status = 303;
    r.set_header("Location", location);
    r.set_header("Cache-Control", "no-store");
    return r;
}

}  // namespace passerelle::http
