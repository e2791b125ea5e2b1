#include "core/url.h"

#include "core/utf8.h"

namespace passerelle::http {

namespace {

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space, bool line_breaks) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size()) return std::nullopt;
            const int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += (plus_is_space && c == '+') ? ' ' : c;
        }
    }
    if (utf8::find_invalid(out)) return std::nullopt;
    for (unsigned char c : out)
        if ((c < 0x20 && !(line_breaks && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7F) return std::nullopt;
    return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query, std::string& bad, bool line_breaks) {
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t start = 0;
    while (start <= query.size()) {
        std::size_t end = query.find('&', start);
        if (end == std::string_view::npos) end = query.size();
        const std::string_view part = query.substr(start, end - start);
        if (!part.empty()) {
            const auto eq = part.find('=');
            const std::string_view raw_name = part.substr(0, eq);
            const auto name = percent_decode(raw_name, true);
            const auto value = eq == std::string_view::npos ? std::optional<std::string>("")
                                                            : percent_decode(part.substr(eq + 1), true, line_breaks);
            if (!name || !value) {
                bad = name ? *name : std::string(raw_name.substr(0, 64));
                return std::nullopt;
            }
            out.emplace_back(*name, *value);
        }
        start = end + 1;
    }
    return out;
}

std::string document_page_path(std::string_view id, std::string_view lang) {
    const bool interface_language = lang == "fr" || lang == "en";
    return "/" + std::string(interface_language ? lang : "en") + "/documents/" + percent_encode(id) +
           (interface_language ? "" : "?lang=" + percent_encode(lang));
}

std::string percent_encode(std::string_view s) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += k_hex[c >> 4];
            out += k_hex[c & 15];
        }
    }
    return out;
}

}  // namespace passerelle::http
