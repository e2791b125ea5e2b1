// Small helpers the page handlers share (server/pages.cpp, server/pages_notes.cpp).
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "core/locale_format.h"
#include "server/exports.h"
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

// A count in words, chosen by `lang`'s plural rules (ICU): the interface string `key` + "_" +
// the category ("results_one", "results_other"), else `key` + "_other", with "{n}" replaced by
// the number as `lang` writes it ("10 000 résultats", "10,000 results", "0 résultat").
inline std::string count_text(const ExportJson& t, const std::string& key, double n, const std::string& lang) {
    std::string text = t.value(key + "_" + plural_category(n, lang), t.value(key + "_other", std::string("{n}")));
    if (const auto at = text.find("{n}"); at != std::string::npos) text.replace(at, 3, format_number(n, lang));
    return text;
}

inline bool same_ascii_case(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// The label of `id` in a list of /api/vocabularies ("countries", "themes"...), in `lang`; the id
// itself when the list does not hold it.
inline std::string vocab_label(const ExportJson& vocab, const char* list, const std::string& id, const std::string& lang) {
    if (vocab.contains(list))
        for (const auto& t : vocab[list])
            if (t.is_object() && same_ascii_case(t.value("id", std::string()), id)) return t.value(lang, id);
    return id;
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
