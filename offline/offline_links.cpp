#include "offline/offline_links.h"

#include <algorithm>
#include <cstdio>

#include "core/url.h"
#include "offline/search_text.h"
#include "server/templates.h"

namespace passerelle::offline {

namespace {

constexpr std::string_view k_langs[] = {"fr", "en"};
constexpr std::string_view k_plain_pages[] = {"browse", "projects", "guides", "about"};

// A path segment as a file name: [A-Za-z0-9._-] and UTF-8 kept, every other byte ~XX. A lone
// "." or ".." is escaped too.
std::string name(std::string_view s) {
    std::string out;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c >= 0x80 ||
            (c == '.' && s != "." && s != "..")) {
            out += ch;
        } else {
            char hex[4];
            std::snprintf(hex, sizeof hex, "~%02X", c);
            out += hex;
        }
    }
    return out.empty() ? "~" : out;
}

std::vector<std::string> segments(std::string_view path) {
    std::vector<std::string> out;
    std::size_t at = 1;  // after the leading '/'
    while (at <= path.size()) {
        const std::size_t slash = std::min(path.find('/', at), path.size());
        const auto decoded = http::percent_decode(path.substr(at, slash - at), false);
        out.push_back(decoded ? *decoded : std::string(path.substr(at, slash - at)));
        at = slash + 1;
    }
    return out;
}

bool only_digits(const std::string& s) {
    return !s.empty() && s.size() < 7 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The value of `key` in the query, if it has one.
std::optional<std::string> value(const SiteAddress& a, std::string_view key) {
    for (const auto& [k, v] : a.query)
        if (k == key) return v;
    return std::nullopt;
}

// Whether the query's keys are all in `allowed`, each at most once.
bool keys_within(const SiteAddress& a, std::initializer_list<std::string_view> allowed) {
    for (std::size_t i = 0; i < a.query.size(); ++i) {
        if (std::find(allowed.begin(), allowed.end(), a.query[i].first) == allowed.end()) return false;
        for (std::size_t j = 0; j < i; ++j)
            if (a.query[j].first == a.query[i].first) return false;
    }
    return true;
}

std::optional<std::string> search_page(const std::string& lang, const SiteAddress& a) {
    std::optional<std::string> page = value(a, "page");
    if (page && !only_digits(*page)) return std::nullopt;
    const std::size_t filters = a.query.size() - (page ? 1 : 0);
    const auto from = value(a, "year_from"), to = value(a, "year_to");
    const bool one_year = filters == 2 && from && to && *from == *to && only_digits(*from);
    if (filters != 1 && !one_year) return std::nullopt;
    for (const char* facet : k_static_facets) {
        const auto v = std::string_view(facet) == "year" && one_year ? from : value(a, facet);
        if (!v || v->empty()) continue;
        if (page && std::stoi(*page) > 1) return lang + "/" + facet + "/" + name(*v) + "/" + std::to_string(std::stoi(*page)) + ".html";
        return lang + "/" + facet + "/" + name(*v) + ".html";
    }
    return std::nullopt;
}

std::string decode_entities(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '&') {
            out += s[i];
            continue;
        }
        const std::size_t semi = s.find(';', i);
        if (semi == std::string_view::npos || semi - i > 10) {
            out += s[i];
            continue;
        }
        const auto code = html_entity(s.substr(i + 1, semi - i - 1));
        if (!code || *code > 0x7f) {  // (pages escape only ASCII in addresses)
            out += s[i];
            continue;
        }
        out += static_cast<char>(*code);
        i = semi;
    }
    return out;
}

struct Attribute {
    std::size_t begin = 0, end = 0;  // of ` name="value"`, in the tag
    std::string value;               // entities decoded
};

std::optional<Attribute> attribute(std::string_view tag, std::string_view attr) {
    const std::string needle = " " + std::string(attr) + "=\"";
    const std::size_t at = tag.find(needle);
    if (at == std::string_view::npos) return std::nullopt;
    const std::size_t start = at + needle.size(), close = tag.find('"', start);
    if (close == std::string_view::npos) return std::nullopt;
    return Attribute{at, close + 1, decode_entities(tag.substr(start, close - start))};
}

std::string tag_name(std::string_view tag) {  // tag starts with '<'
    std::size_t end = 1;
    while (end < tag.size() && std::isalpha(static_cast<unsigned char>(tag[end]))) ++end;
    std::string n(tag.substr(1, end - 1));
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return n;
}

// What only a server can do: sign in, write, export, feed, harvest. Links to them go away whole.
bool server_only(std::string_view path) {
    static const std::string_view k_pages[] = {"/sign-in", "/sign-out", "/notes", "/review", "/translations", "/search.", "/cite."};
    if (path.rfind("/api/", 0) == 0 || path.rfind("/oai", 0) == 0 || path == "/openapi.json") return true;
    if (path.size() < 4 || path[0] != '/' || path[3] != '/') return false;
    const std::string_view rest = path.substr(3);
    for (const std::string_view p : k_pages)
        if (rest.rfind(p, 0) == 0 || (p == "/cite." && rest.find(p) != std::string_view::npos)) return true;
    return false;
}

}  // namespace

std::string SiteAddress::target() const {
    std::string t = path;
    for (std::size_t i = 0; i < query.size(); ++i)
        t += (i ? "&" : "?") + http::percent_encode(query[i].first) + "=" + http::percent_encode(query[i].second);
    return t;
}

std::optional<std::string> offline_path(const SiteAddress& a) {
    if (a.path.empty() || a.path[0] != '/') return std::nullopt;
    const std::vector<std::string> s = segments(a.path);
    if (s.size() == 2 && s[0] == "static" && a.query.empty() && !s[1].empty()) return "static/" + name(s[1]);
    if (s.size() == 2 && s[0] == "guides" && s[1].size() > 4 && s[1].compare(s[1].size() - 4, 4, ".pdf") == 0 && keys_within(a, {"layout"})) {
        const std::string layout = value(a, "layout").value_or("parallel");
        if (layout != "parallel" && layout != "sequential") return std::nullopt;
        return "guides/" + name(s[1].substr(0, s[1].size() - 4)) + "." + layout + ".pdf";
    }
    if (s.empty() || std::find(std::begin(k_langs), std::end(k_langs), s[0]) == std::end(k_langs)) return std::nullopt;
    const std::string& lang = s[0];
    if (s.size() == 1 || (s.size() == 2 && s[1].empty())) return a.query.empty() ? std::optional(lang + "/index.html") : std::nullopt;
    if (s.size() == 2 && std::find(std::begin(k_plain_pages), std::end(k_plain_pages), s[1]) != std::end(k_plain_pages))
        return a.query.empty() ? std::optional(lang + "/" + s[1] + ".html") : std::nullopt;
    if (s.size() == 2 && s[1] == "search") return search_page(lang, a);
    if (s.size() == 3 && (s[1] == "documents" || s[1] == "projects") && !s[2].empty() && keys_within(a, {"lang"})) {
        const auto v = value(a, "lang");
        return lang + "/" + s[1] + "/" + name(s[2]) + (v ? "~" + name(*v) : "") + ".html";
    }
    if (s.size() == 5 && s[1] == "documents" && s[3] == "files" && !s[2].empty() && !s[4].empty() && keys_within(a, {"lang"})) {
        const auto v = value(a, "lang");  // the same bytes whatever the interface language
        return "files/" + name(s[2]) + "/" + (v ? name(*v) : "~") + "/" + name(s[4]);
    }
    return std::nullopt;
}

std::optional<SiteAddress> site_address(std::string_view href, std::string_view site_url, std::string& fragment) {
    fragment.clear();
    if (const std::size_t hash = href.find('#'); hash != std::string_view::npos) {
        fragment = std::string(href.substr(hash + 1));
        href = href.substr(0, hash);
    }
    if (!site_url.empty() && href.substr(0, site_url.size()) == site_url) {
        href.remove_prefix(site_url.size());
        if (href.empty()) href = "/";
    }
    if (href.empty() || href[0] != '/' || (href.size() > 1 && href[1] == '/')) return std::nullopt;
    SiteAddress a;
    const std::size_t q = href.find('?');
    a.path = std::string(href.substr(0, q));
    if (q != std::string_view::npos) {
        std::string bad;
        auto query = http::parse_query(href.substr(q + 1), bad);
        if (!query) return std::nullopt;
        a.query = std::move(*query);
    }
    return a;
}

std::string relative_link(std::string_view from, std::string_view to) {
    // Up from `from`'s folder to the root, then down: simple, and right under any prefix.
    std::string out;
    for (const char c : from)
        if (c == '/') out += "../";
    return out + std::string(to);
}

std::string rewrite_page(std::string_view html, std::string_view self, std::string_view site_url, std::vector<SiteAddress>& found) {
    std::string out;
    out.reserve(html.size());
    std::size_t at = 0;
    bool in_search_form = false;
    bool in_unlinked = false;  // inside an <a> made a <span>
    while (at < html.size()) {
        const std::size_t open = html.find('<', at);
        if (open == std::string_view::npos) break;
        const std::size_t close = html.find('>', open);
        if (close == std::string_view::npos) break;
        out.append(html.substr(at, open - at));
        std::string tag(html.substr(open, close + 1 - open));
        at = close + 1;
        const std::string n = tag_name(tag);
        if (n == "form") {
            if (tag.find("class=\"search\"") != std::string::npos) {
                // Handed to the reader's search: static/offline.js names the address and shows it.
                out += "<form class=\"search\" method=\"get\" role=\"search\" hidden data-offline-search>";
                in_search_form = true;
            } else {
                const std::size_t end = html.find("</form>", at);  // forms do not nest
                at = end == std::string_view::npos ? html.size() : end + 7;
            }
            continue;
        }
        if (n == "input" && in_search_form) {
            for (const char* drop : {"data-suggest", "list", "autocomplete"})
                if (const auto a = attribute(tag, drop)) tag.erase(a->begin, a->end - a->begin);
            if (const auto a = attribute(tag, "name"); a && a->value == "q") tag.replace(a->begin, a->end - a->begin, " name=\"pattern\"");
            out += tag;
            continue;
        }
        if (n == "meta" && tag.find("content=\"/") != std::string::npos) continue;  // an address on no server
        if (n == "datalist") {  // the server's suggestions
            const std::size_t end = html.find("</datalist>", at);
            at = end == std::string_view::npos ? html.size() : end + 11;
            continue;
        }
        if (tag.rfind("</form", 0) == 0) in_search_form = false;
        if (tag == "</a>" && in_unlinked) {
            out += "</span>";
            in_unlinked = false;
            continue;
        }
        const char* attr = n == "a" || n == "link" ? "href" : n == "img" || n == "script" || n == "source" ? "src" : nullptr;
        const auto a = attr ? attribute(tag, attr) : std::nullopt;
        if (!a) {
            out += tag;
            continue;
        }
        std::string fragment;
        auto address = site_address(a->value, site_url, fragment);
        if (address && n == "script" && address->path == "/static/suggest.js") address->path = "/static/offline.js";
        const auto path = address ? offline_path(*address) : std::nullopt;
        if (path) {
            found.push_back(*address);
            tag.replace(a->begin, a->end - a->begin,
                        " " + std::string(attr) + "=\"" + relative_link(self, *path) + (fragment.empty() ? "" : "#" + http::escape_html(fragment)) + "\"");
            out += tag;
        } else if (!address && (a->value.empty() || a->value[0] != '/')) {
            out += tag;  // another site's address, an anchor, mailto:
        } else if (n == "a" && server_only(address ? address->path : a->value)) {
            const std::size_t end = html.find("</a>", at);  // sign-in, exports, feeds: nothing to show
            at = end == std::string_view::npos ? html.size() : end + 4;
        } else if (n == "a") {
            tag.erase(a->begin, a->end - a->begin);  // the text stays, not as a link
            out += "<span" + tag.substr(2);
            in_unlinked = true;
        } else if (n == "script") {
            const std::size_t end = html.find("</script>", at);
            at = end == std::string_view::npos ? html.size() : end + 9;
        }
        // (a <link>, <img> or <source> the copy does not hold goes away)
    }
    out.append(html.substr(std::min(at, html.size())));
    return out;
}

}  // namespace passerelle::offline
