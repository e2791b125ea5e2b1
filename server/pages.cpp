#include "server/pages.h"

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>

#include "core/clock.h"
#include "core/fold.h"
#include "core/hash.h"
#include "core/accounts.h"
#include "core/editorial.h"
#include <filesystem>
#include "server/errors.h"
#include "server/exports.h"
#include "core/world_map.h"
#include "server/charts.h"
#include "server/page_text.h"
#include "server/params.h"
#include "core/url.h"

namespace passerelle::http {

namespace {


const std::vector<std::string> k_search_params = {"q",       "lang",      "country", "theme", "kind",     "sector",
                                                  "phase",   "project",   "place",     "year_from", "year_to", "sort", "page",
                                                  "per_page", "match",    "lang_pref", "collapse", "correct"};
const std::vector<std::string> k_facets = {"kind", "lang", "country", "place", "theme", "phase", "year"};
constexpr std::size_t k_facet_values_shown = 12;
constexpr int k_export_limit = 1000;

const char* k_csp =
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

bool ui_language(const std::string& l) { return l == "fr" || l == "en"; }
std::string other(const std::string& l) { return l == "fr" ? "en" : "fr"; }

std::string query_string(const Query& q) {
    std::string out;
    for (const auto& [k, v] : q) out += (out.empty() ? "?" : "&") + percent_encode(k) + "=" + percent_encode(v);
    return out;
}

bool has(const Query& q, const std::string& key, const std::string& value) {
    return std::any_of(q.begin(), q.end(), [&](const auto& p) { return p.first == key && p.second == value; });
}

Query without(Query q, const std::string& key, const std::string& value = "") {
    q.erase(std::remove_if(q.begin(), q.end(),
                           [&](const auto& p) { return p.first == key && (value.empty() || p.second == value); }),
            q.end());
    return q;
}

Query with(Query q, const std::string& key, const std::string& value) {
    q.emplace_back(key, value);
    return q;
}

Query set(Query q, const std::string& key, const std::string& value) { return with(without(std::move(q), key), key, value); }

// A failure told in the interface language (never the API's English message): by its status,
// and for a bad parameter, that parameter's name.
std::string error_text(const Json& t, int status, const std::string& parameter = "") {
    std::string text = t.value(status == 400 && parameter == "q"   ? std::string("error_query_text")
                               : status == 400 && !parameter.empty() ? std::string("error_parameter_text")
                                                                     : "error_" + std::to_string(status) + "_text",
                               t.value("error_text", ""));
    if (const auto at = text.find("{p}"); at != std::string::npos) text.replace(at, 3, parameter);
    return text;
}

// (Only a parameter the pages know is named: an unknown one is the visitor's own text.)
std::string error_message(const Json& t, int status, const Json& j) {
    const bool shaped = j.is_object() && j.contains("error") && j["error"].is_object();
    const std::string parameter = shaped ? str(j["error"], "parameter") : "";
    const bool known = std::find(k_search_params.begin(), k_search_params.end(), parameter) != k_search_params.end() || parameter == "lang";
    return error_text(t, status, known ? parameter : "");
}

std::string page_url(const std::string& ui, const std::string& id, const std::string& doc_lang) {
    return "/" + ui + "/documents/" + percent_encode(id) + "?lang=" + percent_encode(doc_lang);
}

// A document's own headings sit under the page's title: h1 becomes h2, and so on (h6 stays).
std::string shift_headings(std::string html) {
    for (int n = 5; n >= 1; --n) {
        for (const std::string& tag : {"<h" + std::to_string(n), "</h" + std::to_string(n) + ">"}) {
            const std::string to = tag[1] == '/' ? "</h" + std::to_string(n + 1) + ">" : "<h" + std::to_string(n + 1);
            for (std::size_t at = html.find(tag); at != std::string::npos; at = html.find(tag, at + to.size()))
                html.replace(at, tag.size(), to);
        }
    }
    return html;
}

}  // namespace

Pages::Pages(const ServerConfig& config, Api& api, SessionGate& gate, NoteDesk& desk)
    : m_config(config), m_api(api), m_gate(gate), m_desk(desk) {
    route("/", &Pages::root);
    route("/robots.txt", &Pages::robots);  // (before /{lang}, which would take them)
    route("/sitemap.xml", &Pages::sitemap);
    route("/favicon.ico", &Pages::favicon);
    route("/{lang}", &Pages::home);
    route("/{lang}/search", &Pages::search);
    for (const char* format : {"csv", "json", "bib", "ris", "atom"})
        route(std::string("/{lang}/search.") + format, &Pages::search_export);
    route("/{lang}/documents/{id}", &Pages::document);
    route("/{lang}/documents/{id}/files/{file}", &Pages::attachment);
    for (const char* format : {"bib", "ris", "json"})
        route(std::string("/{lang}/documents/{id}/cite.") + format, &Pages::citation);
    route("/{lang}/projects/{id}", &Pages::project);
    route("/{lang}/browse", &Pages::browse);
    route("/{lang}/guides", &Pages::guides);
    route("/{lang}/projects", &Pages::projects);
    route("/{lang}/about", &Pages::about);
    route("/static/{name}", &Pages::static_file);
    route("/{lang}/sign-in", &Pages::sign_in_form);
    route("/{lang}/sign-in", &Pages::sign_in, "POST");
    route("/{lang}/sign-out", &Pages::sign_out, "POST");
    route("/{lang}/notes", &Pages::notes);
    route("/{lang}/notes/new", &Pages::note_new);
    route("/{lang}/notes/edit", &Pages::note_edit);
    route("/{lang}/notes/edit", &Pages::note_post, "POST");
    route("/{lang}/review", &Pages::review);
    route("/{lang}/review.atom", &Pages::review_feed);
    route("/{lang}/review/note", &Pages::review_note);
    route("/{lang}/review/note", &Pages::review_post, "POST");
    route("/{lang}/notes/history", &Pages::note_history);
    route("/{lang}/notes/restore", &Pages::note_restore, "POST");
    route("/{lang}/translations", &Pages::translations);
    route("/{lang}/notes/attach", &Pages::note_attach, "POST");
}

bool Pages::serves(const std::string& path) {
    return !(path.rfind("/api/", 0) == 0 || path == "/api" || path == "/healthz" || path == "/metrics" ||
             path == "/openapi.json" || path.rfind("/guides/", 0) == 0 || path == "/oai");
}

void Pages::route(const std::string& pattern, Method method, const std::string& verb) {
    m_router.add(verb, pattern, [this, method](const Request& r, const Params& p, const Context& c) {
        // Every address under /{lang}/ is a page only for an interface language.
        if (const auto lang = p.find("lang"); lang != p.end() && !ui_language(lang->second))
            return error_page(r, c, 404, m_templates.strings(c.label_lang).value("not_found_text", ""));
        return (this->*method)(Call{r, p, c});
    });
}

namespace {

// The interface language: the first path segment when it is one, else from Accept-Language
// (the first of fr and en it names, by preference), else French.
std::string interface_language(const Request& request) {
    std::string lang = request.path.size() >= 3 ? request.path.substr(1, 2) : "";
    if (ui_language(lang) && (request.path.size() == 3 || request.path[3] == '/')) return lang;
    const std::string* accept = request.header("accept-language");
    if (!accept) return "fr";
    double best_q = -1;
    std::string best = "fr";
    std::size_t at = 0;
    while (at < accept->size()) {
        std::size_t end = accept->find(',', at);
        if (end == std::string::npos) end = accept->size();
        std::string item = accept->substr(at, end - at);
        at = end + 1;
        item.erase(0, item.find_first_not_of(' '));
        const std::string tag = lower_ascii(item.substr(0, 2));
        if (tag != "fr" && tag != "en") continue;
        double q = 1;
        if (const auto qpos = item.find(";q="); qpos != std::string::npos) q = std::atof(item.c_str() + qpos + 3);
        if (q > best_q) best_q = q, best = tag;
    }
    return best;
}

// What only pages say: their HTML's policy and language. The headers of every response
// (nosniff, referrer, framing) are added by Api::handle, which answers pages too.
void add_page_headers(Response& r, const std::string& lang) {
    const std::string* type = r.header("Content-Type");
    if (type && type->rfind("text/html", 0) == 0) {
        r.set_header("Content-Security-Policy", k_csp);
        r.set_header("Content-Language", lang);
    }
}

}  // namespace

Response Pages::error(const Request& request, int status, const std::string& /*message*/) const {
    const std::string lang = interface_language(request);
    Response r = error_page(request, Context{"public", lang, std::nullopt}, status, error_text(m_templates.strings(lang), status));
    add_page_headers(r, lang);
    return r;
}

Response Pages::handle(const Request& request, const std::string& role, const std::optional<Visitor>& visitor,
                       std::string& route) {
    const std::string lang = interface_language(request);
    const Context context{role, lang, visitor};
    Response r;
    try {
        r = m_router.dispatch(request, context, route);
        if (r.status >= 400) {
            const std::string* type = r.header("Content-Type");
            if (!type || type->rfind("application/json", 0) == 0) {  // the router's own 404/405
                const std::string* allow = r.header("Allow");
                const std::string allowed = allow ? *allow : "";
                r = error_page(request, context, r.status, r.status == 405 ? "" : m_templates.strings(lang).value("not_found_text", ""));
                if (!allowed.empty()) r.set_header("Allow", allowed);
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "passerelle: internal error on %s: %s\n", request.path.c_str(), e.what());
        r = error_page(request, context, 500, "");
    }
    if (!r.deferred) finish_page(r, context);  // (a deferred page finishes itself)
    return r;
}

void Pages::finish_page(Response& r, const Context& context) const {
    if (context.visitor) {  // a page made for one account: never kept by a shared cache
        r.headers.erase(std::remove_if(r.headers.begin(), r.headers.end(), [](const auto& h) { return h.first == "Cache-Control"; }),
                        r.headers.end());
        r.set_header("Cache-Control", "private, no-cache");
    }
    add_page_headers(r, context.label_lang);
}

Json Pages::page_data(const Call& c, const std::string& title) const {
    const std::string& ui = c.context.label_lang;
    std::string rest = c.request.path.size() > 3 ? c.request.path.substr(3) : "";
    Json d = {{"lang", ui}, {"other_lang", other(ui)}, {"title", title}, {"t", m_templates.strings(ui)}};
    d["switch_url"] = "/" + other(ui) + (rest.empty() ? "/" : rest) + query_string(c.request.query);
    d["alternate_url"] = absolute(c.request, d["switch_url"].get<std::string>());  // (hreflang wants an absolute address)
    add_visitor(d, c.context, c.request.method == "GET" ? c.request.path + query_string(c.request.query) : "/" + ui + "/");
    return d;
}

// Who is signed in, for the head of every page: the name, what the role may see and the
// sign-out form; else the sign-in link, which comes back to `here`.
void Pages::add_visitor(Json& d, const Context& c, const std::string& here) const {
    if (c.visitor) {
        d["visitor"] = {{"name", c.visitor->name}, {"sees", m_templates.strings(c.label_lang).value("sees_" + c.visitor->role, "")},
                        {"csrf", c.visitor->csrf}};
        if (m_desk.writing() && (c.visitor->has_right("author") || c.visitor->has_right("reviewer")))
            d["visitor"]["notes_url"] = "/" + c.label_lang + "/notes", d["visitor"]["translations_url"] = "/" + c.label_lang + "/translations";
        if (m_desk.writing() && c.visitor->has_right("reviewer"))
            d["visitor"]["queue"] = {{"count", review_queue(c).size()}, {"url", "/" + c.label_lang + "/review"}};
    } else {
        d["sign_in_url"] = "/" + c.label_lang + "/sign-in?next=" + percent_encode(here);
    }
}

Response Pages::render(const std::string& page, const Json& data, int status) const {
    Response r;
    r.status = status;
    r.body = m_templates.render(page, data);
    r.set_header("Content-Type", "text/html; charset=utf-8");
    r.set_header("Cache-Control", "no-cache");
    r.set_header("Vary", "Accept-Language, Authorization, Cookie, Accept-Encoding");
    return r;
}

Response Pages::error_page(const Request& request, const Context& context, int status, const std::string& message) const {
    const std::string& lang = context.label_lang;
    const Json& t = m_templates.strings(lang);
    const std::string heading = status == 404 ? t.value("not_found", "") : status == 400 ? t.value("bad_request", "")
                                                                                          : t.value("error", "") + " " + std::to_string(status);
    Json d = {{"lang", lang}, {"other_lang", other(lang)}, {"title", heading}, {"t", t}, {"heading", heading},
              {"message", message}, {"switch_url", "/" + other(lang) + "/"}, {"alternate_url", absolute(request, "/" + other(lang) + "/")}};
    add_visitor(d, context, request.method == "GET" ? request.path + query_string(request.query) : "/" + lang + "/");
    return render("error", d, status);
}

std::shared_ptr<const Json> Pages::vocabulary(const Context& context) {
    const int generation = m_api.readers().current().generation;  // the reader this call reads
    {
        const std::lock_guard lock(m_vocab_mutex);
        if (m_vocab && m_vocab_generation == generation) return m_vocab;
    }
    Api::Result v = m_api.call("/api/vocabularies", {}, context);
    auto parsed = std::make_shared<const Json>(v.status == 200 ? std::move(v.json) : Json::object());
    if (v.status == 200) {
        const std::lock_guard lock(m_vocab_mutex);
        m_vocab = parsed;
        m_vocab_generation = generation;
    }
    return parsed;
}

std::string Pages::project_map(const std::string& key, const std::function<std::string()>& draw) {
    {
        const std::lock_guard lock(m_map_mutex);
        if (const auto it = m_maps.find(key); it != m_maps.end()) return it->second;
    }
    std::string svg = draw();
    const std::lock_guard lock(m_map_mutex);
    if (m_maps.size() >= k_map_cache_entries) m_maps.clear();
    m_maps.emplace(key, svg);
    return svg;
}

std::string Pages::absolute(const Request& request, const std::string& path) const {
    return absolute_url(m_config.base_url, request, path);
}

namespace {

std::string label(const Json& vocab, const char* list, const std::string& id, const std::string& lang) {
    return vocab_label(vocab, list, id, lang);
}

// The search parameters of a page's address, empty values dropped; without paging for exports.
Query search_params(const Request& request, bool paging) {
    Query params;
    for (const auto& [k, v] : request.query)
        if (!v.empty() && (paging || (k != "page" && k != "per_page")) &&
            std::find(k_search_params.begin(), k_search_params.end(), k) != k_search_params.end())
            params.emplace_back(k, v);
    return params;
}

// The document language asked for (?lang=), as an API query.
Query document_language(const Request& request) {
    for (const auto& [k, v] : request.query)
        if (k == "lang" && !v.empty()) return {{k, v}};
    return {};
}

// A document's or project's countries and themes as labelled links to searches, and its
// partners as lines of text, for the templates.
void add_places_themes_partners(Json& doc, const Json& vocab, const std::string& ui) {
    Json countries = Json::array(), themes = Json::array(), partners = Json::array(), places = Json::array();
    for (const auto& p : doc.value("places", Json::array()))
        if (p.is_string()) places.push_back({{"label", p}, {"url", "/" + ui + "/search?place=" + percent_encode(p.get<std::string>())}});
    for (const auto& code : doc.value("countries", Json::array()))
        countries.push_back({{"label", label(vocab, "countries", code.get<std::string>(), ui)},
                             {"url", "/" + ui + "/search?country=" + percent_encode(code.get<std::string>())}});
    for (const auto& th : doc.value("themes", Json::array()))
        themes.push_back({{"label", label(vocab, "themes", th.get<std::string>(), ui)},
                          {"url", "/" + ui + "/search?theme=" + percent_encode(th.get<std::string>())}});
    for (const auto& p : doc.value("partners", Json::array()))
        partners.push_back(p.is_object() ? str(p, "name") + (str(p, "role").empty() ? "" : " (" + str(p, "role") + ")") : p.dump());
    doc["country_labels"] = countries;
    doc["place_labels"] = places;
    doc["theme_labels"] = themes;
    doc["partner_names"] = partners;
}

}  // namespace

Response Pages::root(const Call& c) {
    Response r;
    r.status = 303;
    r.set_header("Location", "/" + c.context.label_lang + "/");
    r.set_header("Vary", "Accept-Language");
    r.set_header("Content-Type", "text/plain; charset=utf-8");
    r.body = "/" + c.context.label_lang + "/\n";
    return r;
}

namespace {

// One facet as template data: values with counts, each a link that adds (or, when active,
// removes) the filter; at most `limit` values, the active ones always kept.
Json facet_view(const std::string& name, const Json& values, const Query& params, const std::string& ui, const Json& t,
                std::size_t limit) {
    static const std::map<std::string, std::string> headings = {{"kind", "by_kind"},   {"lang", "by_lang"},
                                                                {"country", "by_country"}, {"theme", "by_theme"},
                                                                {"phase", "by_phase"}, {"year", "by_year"},
                                                                {"place", "by_place"}};
    Json list = Json::array();
    Query base = without(without(params, "page"), "per_page");
    Json ordered = values;
    if (name == "year")  // years in date order, the latest first (and kept under the limit)
        std::stable_sort(ordered.begin(), ordered.end(), [](const Json& a, const Json& b) { return str(a, "value") > str(b, "value"); });
    for (const auto& v : ordered) {
        const std::string value = str(v, "value");
        const bool active = name == "year" ? first(params, "year_from") == value && first(params, "year_to") == value
                                           : has(params, name, value);
        if (list.size() >= limit && !active) continue;
        Query q = name == "year" ? (active ? without(without(base, "year_from"), "year_to")
                                           : set(set(base, "year_from", value), "year_to", value))
                                 : (active ? without(base, name, value) : with(base, name, value));
        std::string label = str(v, "label");
        if (name == "lang") label = t.value("lang_" + value, value);
        list.push_back({{"url", "/" + ui + "/search" + query_string(q)}, {"label", label}, {"count", format_number(v.value("count", 0.0), ui)},
                        {"active", active}});
    }
    return {{"name", name}, {"heading", t.value(headings.at(name), name)}, {"values", list}};
}

// The parameters of an API search for a page: the page's own, preferring the interface
// language's versions unless the address asks for another.
Query api_search_params(const Query& params, const std::string& ui) {
    return first(params, "lang_pref").empty() ? set(params, "lang_pref", ui) : params;
}

// The line under the heading: "[about] N results[, M with every word]"; the second part only
// for a query whose hits do not all match every word.
std::string count_line(const Json& r, const Json& t, bool query, const std::string& lang) {
    const long total = r.value("total", 0L), all = r.value("total_all_words", total);
    std::string line = r.value("total_exact", true) ? "" : t.value("about", "") + " ";
    line += count_text(t, "results", static_cast<double>(total), lang);
    if (query && total > 0 && all < total)
        line += ", " + (all == 0 ? t.value("all_words_none", "") : count_text(t, "all_words", static_cast<double>(all), lang));
    return line;
}

// One hit for the template, with links to its other language versions (titled when known).
Json hit_view(const Json& h, const Json& vocab, const Json& t, const std::string& ui) {
    Json countries = Json::array(), versions = Json::array();
    for (const auto& code : h["countries"]) countries.push_back(label(vocab, "countries", code.get<std::string>(), ui));
    for (const auto& v : h.value("versions", Json::array())) {
        const std::string lang = str(v, "lang");
        if (lang == str(h, "lang")) continue;
        versions.push_back({{"lang", lang}, {"label", t.value("lang_" + lang, lang)}, {"title", str(v, "title")},
                            {"url", page_url(ui, str(h, "id"), lang)}});
    }
    return {{"lang", str(h, "lang")}, {"ui_lang", ui}, {"title", str(h, "title")},
            {"page_url", page_url(ui, str(h, "id"), str(h, "lang"))}, {"snippet", str(h, "snippet")},
            {"in_attachment", h.contains("in_attachment") ? Json{{"text", replace_n(t.value("in_pdf", ""), h["in_attachment"].value("page", 0L))},
                                                                   {"file", str(h["in_attachment"], "file")},
                                                                   {"url", "/" + ui + "/documents/" + percent_encode(str(h, "id")) + "/files/" +
                                                                               percent_encode(str(h["in_attachment"], "file")) + "?lang=" + percent_encode(str(h, "lang"))}}
                                                          : Json()},
            {"kind_label", label(vocab, "kinds", str(h, "kind"), ui)},
            {"year", h.contains("year") && h["year"].is_number() ? Json(h["year"]) : Json()},
            {"country_labels", countries}, {"translations", versions}};
}

// `key` of `j` when it is a number, else 0 (a missing year is null).
double number_in(const Json& j, const char* key) {
    return j.contains(key) && j[key].is_number() ? j[key].get<double>() : 0;
}

// Indicators as table rows: the quantities as `ui` writes them, with their units agreeing.
Json indicator_rows(const Json& indicators, const std::string& ui) {
    Json rows = Json::array();
    for (const auto& i : indicators) {
        const double value = number_in(i, "value");
        Json row = {{"name", str(i, "name")}, {"value", quantity(value, str(i, "unit"), ui)},
                    {"year", i.contains("year") && i["year"].is_number() && i["year"].get<int>() > 0 ? i["year"] : Json()}};
        if (i.contains("target") && i["target"].is_number()) row["target"] = quantity(i["target"].get<double>(), str(i, "unit"), ui);
        rows.push_back(std::move(row));
    }
    return rows;
}

// One inline SVG chart per indicator (name and unit): its values over the years, with the
// latest year's target before them when there is one.
Json indicator_charts(const Json& indicators, const std::string& ui, const Json& t) {
    std::vector<std::pair<std::pair<std::string, std::string>, std::vector<const Json*>>> groups;
    for (const auto& i : indicators) {
        const auto key = std::make_pair(str(i, "name"), str(i, "unit"));
        auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == key; });
        if (it == groups.end()) it = groups.insert(groups.end(), {key, {}});
        it->second.push_back(&i);
    }
    Json out = Json::array();
    for (auto& [key, rows] : groups) {
        std::stable_sort(rows.begin(), rows.end(), [](const Json* a, const Json* b) { return number_in(*a, "year") < number_in(*b, "year"); });
        std::vector<ChartBar> bars;
        const Json& last = *rows.back();
        if (last.contains("target") && last["target"].is_number())
            bars.push_back({t.value("target", "target"), last["target"].get<double>(), true});
        for (const Json* r : rows) {
            const int year = static_cast<int>(number_in(*r, "year"));
            bars.push_back({year > 0 && rows.size() + bars.size() > 1 ? std::to_string(year) : t.value("achieved", ""), number_in(*r, "value"), false});
        }
        if (bars.size() == 1 && number_in(last, "year") > 0) bars[0].label = std::to_string(static_cast<int>(number_in(last, "year")));
        out.push_back({{"name", key.first}, {"svg", bar_chart_svg(bars, key.second, ui)}});
    }
    return out;
}

std::string upper_ascii(std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
}

// The entry of /api/vocabularies' places for `name` (case aside), with its coordinates; or null.
const Json* known_place(const Json& vocab, const std::string& name) {
    if (!vocab.contains("places")) return nullptr;
    for (const auto& p : vocab["places"])
        if (same_ascii_case(str(p, "name"), name) && p.contains("lat") && p.contains("lon") && p["lat"].is_number() &&
            p["lon"].is_number())
            return &p;
    return nullptr;
}

// The map of the countries and places of `facets` (an API search's), each a link to its
// documents; places are drawn where content/vocabularies/places.tsv knows them.
std::string facet_map(const Json& facets, const Json& vocab, const std::string& ui, const Json& t) {
    std::vector<MapArea> areas;
    std::vector<MapPlace> places;
    for (const auto& v : facets.value("country", Json::array())) {
        const std::string code = upper_ascii(str(v, "value"));
        areas.push_back({code, str(v, "label") + t.value("colon", ":") + " " + count_text(t, "documents", v.value("count", 0.0), ui),
                         "/" + ui + "/search?country=" + percent_encode(code)});
    }
    for (const auto& v : facets.value("place", Json::array()))
        if (const Json* p = known_place(vocab, str(v, "value")))
            places.push_back({str(v, "value"), str(v, "value") + t.value("colon", ":") + " " + count_text(t, "documents", v.value("count", 0.0), ui),
                              "/" + ui + "/search?place=" + percent_encode(str(v, "value")), (*p)["lat"].get<double>(), (*p)["lon"].get<double>()});
    return WorldMap::bundled().svg(areas, places, t.value("map_title", ""));
}

// A from–to form over the years of `year_facet` (an API facet), sent to the search page with
// the other filters of `params` kept as hidden fields: no JavaScript needed.
Json year_range(const Json& year_facet, const Query& params, const std::string& ui) {
    int low = 0, high = 0;
    for (const auto& v : year_facet) {
        const int y = std::atoi(str(v, "value").c_str());
        if (y <= 0) continue;
        low = low ? std::min(low, y) : y;
        high = std::max(high, y);
    }
    if (!low) return Json();
    Json hidden = Json::array();
    for (const auto& [k, v] : params)
        if (k != "year_from" && k != "year_to" && k != "page") hidden.push_back({{"name", k}, {"value", v}});
    const std::string from = first(params, "year_from"), to = first(params, "year_to");
    for (const std::string& asked : {from, to})  // a year asked for stays within the form's bounds
        if (const int y = std::atoi(asked.c_str()); y > 0) low = std::min(low, y), high = std::max(high, y);
    return {{"action", "/" + ui + "/search"}, {"hidden", hidden}, {"min", low}, {"max", high},
            {"from", from.empty() ? std::to_string(low) : from}, {"to", to.empty() ? std::to_string(high) : to}};
}

}  // namespace

// A page of ways into the archive: the counts of `facets` over everything the caller may see.
Response Pages::facet_page(const Call& c, const std::string& page, const std::string& title,
                           const std::vector<std::string>& facets, std::size_t limit) {
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    Api::Result res = m_api.call("/api/search", {{"per_page", "1"}}, c.context);
    if (res.status != 200) return error_page(c.request, c.context, res.status, error_message(m_templates.strings(c.context.label_lang), res.status, res.json));
    Json d = page_data(c, title);
    d["query"] = "";
    Json views = Json::array();
    for (const std::string& name : facets)
        if (!res.json["facets"][name].empty()) views.push_back(facet_view(name, res.json["facets"][name], {}, ui, t, limit));
    d["facets"] = views;
    d["year_range"] = year_range(res.json["facets"]["year"], {}, ui);
    const auto vocab_held = vocabulary(c.context);  // (read once: the map's places and the latest additions' kinds)
    const Json& vocab = *vocab_held;
    d["map"] = facet_map(res.json["facets"], vocab, ui, t);
    if (page == "home") {  // the latest additions
        IndexReaders::Reader& reader = m_api.readers().current();
        Json latest = Json::array();
        for (const StoredDocument& doc : reader.catalogue->latest(reader.generation, reader.searcher->visible_levels(c.context.role), ui, 6))
            latest.push_back({{"title", doc.title}, {"lang", doc.lang}, {"url", page_url(ui, doc.id, doc.lang)},
                              {"kind_label", label(vocab, "kinds", doc.kind, ui)},
                              {"date", doc.date.empty() ? Json() : Json(format_date(doc.date, ui))}});
        d["latest"] = latest;
    }
    return render(page, d);
}

Response Pages::home(const Call& c) {
    return facet_page(c, "home", m_templates.strings(c.context.label_lang).value("home", "Passerelle"),
                      {"theme", "country", "place", "kind", "year"}, k_facet_values_shown);
}

Response Pages::browse(const Call& c) {
    return facet_page(c, "browse", m_templates.strings(c.context.label_lang).value("browse_title", ""),
                      {"year", "country", "place", "theme", "kind", "phase"}, 1000);
}

Response Pages::search(const Call& c) {
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    const Query params = search_params(c.request, true);
    Api::Result res = m_api.call("/api/search", api_search_params(params, ui), c.context);
    if (res.status == 400 && str(res.json["error"], "code") == "page_out_of_range") {  // past the end: to the last page of hits
        const Api::Result page_one = m_api.call("/api/search", api_search_params(without(params, "page"), ui), c.context);
        const long total = page_one.json.value("total", 0L), per_page = page_one.json.value("per_page", 10L);
        const long last = std::max(1L, (total + per_page - 1) / std::max(1L, per_page));
        // (Only ever backwards: an estimated total cannot send the browser round in a loop.)
        if (page_one.status == 200 && last < std::atol(first(params, "page").c_str()))
            return see_other("/" + ui + "/search" + query_string(last > 1 ? set(params, "page", std::to_string(last)) : without(params, "page")));
    }
    if (res.status != 200) return error_page(c.request, c.context, res.status, error_message(m_templates.strings(c.context.label_lang), res.status, res.json));
    const Json& r = res.json;
    const auto vocab_held = vocabulary(c.context);
    const Json& vocab = *vocab_held;
    const std::string q = first(params, "q");
    // A corrected query is the one the results are for: the heading and the box show it.
    const std::string shown = r.contains("corrected") && r["corrected"].is_string() ? r["corrected"].get<std::string>() : q;
    Json d = page_data(c, "");
    d["query"] = shown;
    d["count_line"] = count_line(r, t, !q.empty(), ui);
    const long page = r.value("page", 1L), per_page = r.value("per_page", 10L);
    d["first"] = (page - 1) * per_page + 1;
    Json hits = Json::array();
    for (const auto& h : r["hits"]) hits.push_back(hit_view(h, vocab, t, ui));
    d["hits"] = hits;
    if (r.contains("corrected") && r["corrected"].is_string())  // the words as typed, one click away
        d["corrected"] = {{"text", r["corrected"]}, {"typed", q},
                          {"url", "/" + ui + "/search" + query_string(set(without(params, "page"), "correct", "0"))}};
    if (r.contains("missing_shards") && !r["missing_shards"].empty()) {
        std::string names;
        for (const auto& n : r["missing_shards"]) names += (names.empty() ? "" : ", ") + n.get<std::string>();
        d["missing_shards"] = {{"names", names}};
    }
    if (r.contains("suggestion") && r["suggestion"].is_string())
        d["suggestion"] = {{"text", r["suggestion"]},
                           {"url", "/" + ui + "/search" + query_string(set(without(without(params, "page"), "correct"), "q", r["suggestion"]))}};
    Json facets = Json::array(), active = Json::array(), other_langs = Json::array();
    for (const std::string& name : k_facets)  // (a facet with no value is not shown)
        if (r["facets"].contains(name) && !r["facets"][name].empty())
            facets.push_back(facet_view(name, r["facets"][name], params, ui, t, k_facet_values_shown));
    for (const auto& f : facets)
        for (const auto& v : f["values"])
            if (v["active"].get<bool>()) active.push_back({{"label", f["heading"].get<std::string>() + t.value("colon", ":") + " " + v["label"].get<std::string>()}, {"url", v["url"]}});
    // One hit per version, without a language filter: say what the other languages hold. (One
    // hit per document already shows every document, in the preferred language where it can.)
    if (first(params, "lang").empty() && first(params, "collapse") == "none")
        for (const auto& v : r["facets"]["lang"])
            if (str(v, "value") != ui && v.value("count", 0) > 0)
                other_langs.push_back({{"label", t.value("lang_" + str(v, "value"), str(v, "value"))}, {"count", v["count"]},
                                       {"url", "/" + ui + "/search" + query_string(with(without(params, "page"), "lang", str(v, "value")))}});
    // What is filtered, in the heading: "Documents : Sénégal, 2015–2018".
    std::vector<std::string> named;
    for (const auto& f : facets)
        for (const auto& v : f["values"])
            if (v["active"].get<bool>() && str(f, "name") != "year") named.push_back(v["label"].get<std::string>());
    for (const auto& [key, value] : params)
        if (key == "project") {
            const Api::Result p = m_api.call("/api/projects/" + percent_encode(value), {{"lang", ui}}, c.context);
            named.push_back(p.status == 200 ? str(p.json, "title") : value);
        }
    const std::string from = first(params, "year_from"), to = first(params, "year_to");
    if (!from.empty() || !to.empty()) {
        const std::string span = from == to ? from : !from.empty() && !to.empty() ? from + "–" + to
                                                   : replace_n(t.value(from.empty() ? "until_year" : "since_year", ""),
                                                               std::atol((from.empty() ? to : from).c_str()));
        named.push_back(span);
        if (from != to)  // (a single year is an active value of the year facet)
            active.push_back({{"label", t.value("by_year", "") + t.value("colon", ":") + " " + span},
                              {"url", "/" + ui + "/search" + query_string(without(without(without(params, "year_from"), "year_to"), "page"))}});
    }
    std::string heading = shown.empty() ? t.value(named.empty() ? "all_documents" : "documents_heading", "")
                                        : t.value("results_for", "") + " " + t.value("quote_open", "\"") + shown + t.value("quote_close", "\"");
    for (std::size_t i = 0; i < named.size(); ++i) heading += (i == 0 ? t.value("colon", ":") + " " : ", ") + named[i];
    d["title"] = heading;
    d["heading"] = heading;
    d["year_range"] = year_range(r["facets"]["year"], params, ui);
    d["facets"] = facets;
    d["active"] = active;
    d["other_langs"] = other_langs;
    if (r["hits"].empty()) {  // advice: the spelling, a filter less, the other language, browsing
        Json filters = Json::array();  // (no facet holds a value without hits: the filters from the address)
        static const std::map<std::string, std::pair<const char*, const char*>> k_filters = {
            {"country", {"by_country", "countries"}}, {"theme", {"by_theme", "themes"}}, {"kind", {"by_kind", "kinds"}},
            {"phase", {"by_phase", "phases"}}};
        for (const auto& [key, value] : params)
            if (const auto f = k_filters.find(key); f != k_filters.end()) {
                const std::string named = label(vocab, f->second.second, value, ui);  // the value itself when unknown
                filters.push_back({{"label", t.value(f->second.first, key) + t.value("colon", ":") + " " + (named == value ? "…" : named)},
                                   {"url", "/" + ui + "/search" + query_string(without(without(params, key), "page"))}});
            }
        Json advice = {{"spelling", !q.empty()}, {"filters", filters}};
        if (!first(params, "lang").empty()) advice["other_lang_url"] = "/" + ui + "/search" + query_string(without(without(params, "lang"), "page"));
        d["advice"] = advice;
    }
    Json sorts = Json::array();
    const std::string sort = first(params, "sort");
    for (const char* s : {"relevance", "date"})
        sorts.push_back({{"label", t.value(std::string("sort_") + s, s)}, {"current", sort == s || (sort.empty() && q.empty() == (std::string(s) == "date"))},
                         {"url", "/" + ui + "/search" + query_string(set(without(params, "page"), "sort", s))}});
    d["sorts"] = sorts;
    const long total = r.value("total", 0L), pages = (total + per_page - 1) / per_page;
    if (pages > 1) {
        Json pager = {{"numbers", Json::array()}};
        if (page > 1) pager["prev"] = "/" + ui + "/search" + query_string(set(params, "page", std::to_string(page - 1)));
        if (page < pages) pager["next"] = "/" + ui + "/search" + query_string(set(params, "page", std::to_string(page + 1)));
        for (long n = std::max(1L, page - 2); n <= std::min(pages, page + 2); ++n)
            pager["numbers"].push_back({{"n", n}, {"current", n == page}, {"url", "/" + ui + "/search" + query_string(set(params, "page", std::to_string(n)))}});
        d["pager"] = pager;
    }
    Json exports = Json::array();
    const Query export_params = without(without(params, "page"), "per_page");
    for (const auto& [format, name] : std::vector<std::pair<std::string, std::string>>{
             {"csv", "CSV"}, {"json", "JSON"}, {"bib", "BibTeX"}, {"ris", "RIS"}, {"atom", "Atom"}})
        exports.push_back({{"label", name}, {"url", "/" + ui + "/search." + format + query_string(export_params)}});
    d["exports"] = exports;
    d["feed_url"] = "/" + ui + "/search.atom" + query_string(export_params);
    return render("search", d);
}

// What a single citation has and a hit lacks (authors and their kinds, publisher, summary,
// date, the kind's label), from the catalogue, at the caller's levels.
void Pages::add_citation_fields(Json& hit, const Context& context, const Json& vocab) {
    IndexReaders::Reader& reader = m_api.readers().current();
    const auto doc = reader.catalogue->document(str(hit, "id"), str(hit, "lang"), reader.generation,
                                                reader.searcher->visible_levels(context.role));
    if (!doc) return;
    const Json meta = Json::parse(doc->metadata, nullptr, false);
    if (!meta.is_object()) return;
    for (const char* key : {"authors", "author_types", "publisher", "summary", "date"})
        if (meta.contains(key)) hit[key] = meta[key];
    hit["kind_label"] = label(vocab, "kinds", str(hit, "kind"), str(hit, "lang") == "en" ? "en" : "fr");
}

Response Pages::search_export(const Call& c) {
    const std::string& ui = c.context.label_lang;
    const std::string format = c.request.path.substr(c.request.path.rfind('.') + 1);
    Query params = search_params(c.request, false);
    if (format == "atom" && first(params, "sort").empty()) params.emplace_back("sort", "date");  // a feed: newest first
    // Records to cite are language versions, each with its own address: every version, unless
    // the address asks for one per document.
    Query export_params = api_search_params(params, ui);
    if (first(params, "collapse").empty()) export_params.emplace_back("collapse", "none");
    Json hits = Json::array();
    long total = 0;
    const int per_page = format == "atom" ? 50 : 100;
    const auto vocab_held = vocabulary(c.context);
    const Json& vocab = *vocab_held;
    for (int page = 1; page * per_page <= k_export_limit + per_page - 1; ++page) {
        Query q = with(with(export_params, "per_page", std::to_string(per_page)), "page", std::to_string(page));
        Api::Result res = m_api.call("/api/search", q, c.context);
        if (res.status == 400 && page > 1) break;  // past the last page
        if (res.status != 200) return error_page(c.request, c.context, res.status, error_message(m_templates.strings(c.context.label_lang), res.status, res.json));
        total = res.json.value("total", 0L);
        for (auto& h : res.json["hits"]) {
            h["url"] = absolute(c.request, page_url(ui, str(h, "id"), str(h, "lang")));
            add_citation_fields(h, c.context, vocab);
            hits.push_back(std::move(h));
        }
        if (format == "atom" || static_cast<long>(hits.size()) >= std::min<long>(total, k_export_limit)) break;
    }
    Response r;
    const std::string q_text = first(params, "q");
    std::string type, name = export_file_name("passerelle-" + (q_text.empty() ? std::string("archive") : q_text), format);
    if (format == "csv") r.body = hits_csv(hits), type = "text/csv; charset=utf-8";
    else if (format == "bib") r.body = hits_bibtex(hits), type = "application/x-bibtex; charset=utf-8";
    else if (format == "ris") r.body = hits_ris(hits), type = "application/x-research-info-systems; charset=utf-8";
    else if (format == "atom") {
        const Json& t = m_templates.strings(ui);
        const std::string q = first(params, "q");
        const Json feed = {{"title", "Passerelle · " + (q.empty() ? t.value("all_documents", "") : q)},
                           {"url", absolute(c.request, c.request.path + query_string(params))},
                           {"page_url", absolute(c.request, "/" + ui + "/search" + query_string(params))},
                           {"updated", utc_now()}};
        r.body = hits_atom(hits, feed), type = "application/atom+xml; charset=utf-8";
    } else {
        r.body = Json{{"total", total}, {"hits", hits}}.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
        type = "application/json; charset=utf-8";
    }
    r.set_header("Content-Type", type);
    if (format != "atom") r.set_header("Content-Disposition", "attachment; filename=\"" + name + "\"");
    r.set_header("Cache-Control", "no-cache");
    return r;
}

namespace {

// The tags reference managers and scholarly search engines read on a document page: Highwire
// Press `citation_*` (Zotero, Google Scholar), Dublin Core `DC.*`, and Open Graph (`og:*`,
// link previews). `doc` has its stable_url; `pdf_url` is its first attached PDF ("" if none).
// An organisation is never a `citation_author` (readers split it into a first and a last name,
// "L. Partenariat"): it is the report's institution and publisher, and a `DC.creator`.
Json citation_meta_tags(const Json& doc, const std::string& pdf_url) {
    Json tags = Json::array();
    auto tag = [&](const char* attribute, const char* name, const std::string& content) {
        if (!content.empty()) tags.push_back({{"attribute", attribute}, {"name", name}, {"content", content}});
    };
    const std::string title = str(doc, "title"), date = str(doc, "date"), lang = str(doc, "lang"), publisher = str(doc, "publisher");
    const std::string url = str(doc, "stable_url"), summary = str(doc, "summary");
    tag("name", "citation_title", title);
    const Json authors = doc.value("authors", Json::array()), types = doc.value("author_types", Json::array());
    std::vector<std::string> organisations;
    for (std::size_t i = 0; i < authors.size(); ++i) {
        if (!authors[i].is_string()) continue;
        const std::string name = authors[i].get<std::string>();
        const bool organisation = i < types.size() && types[i] == "organisation";
        if (organisation) organisations.push_back(name);
        else tag("name", "citation_author", name);
    }
    std::string when = date;  // YYYY, YYYY/MM or YYYY/MM/DD
    std::replace(when.begin(), when.end(), '-', '/');
    tag("name", "citation_publication_date", when);
    tag("name", "citation_language", lang);
    const std::string institution = !publisher.empty() ? publisher : organisations.empty() ? "" : organisations.front();
    tag("name", "citation_technical_report_institution", institution);
    tag("name", "citation_publisher", institution);
    tag("name", "citation_abstract_html_url", url);
    tag("name", "citation_pdf_url", pdf_url);
    tag("name", "DC.title", title);
    for (const auto& a : authors)
        if (a.is_string()) tag("name", "DC.creator", a.get<std::string>());
    tag("name", "DC.date", date);
    tag("name", "DC.language", lang);
    tag("name", "DC.publisher", institution);
    tag("name", "DC.type", "Text");
    tag("name", "DC.identifier", url);
    tag("name", "DC.description", summary);
    tag("property", "og:title", title);
    tag("property", "og:type", "article");
    tag("property", "og:url", url);
    tag("property", "og:description", summary);
    tag("property", "og:locale", lang == "fr" ? "fr_FR" : lang == "en" ? "en_GB" : lang);
    tag("property", "og:site_name", "Passerelle");
    return tags;
}

}  // namespace

Response Pages::document(const Call& c) {
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    const std::string& id = c.params.at("id");
    Api::Result res = m_api.call("/api/documents/" + percent_encode(id), document_language(c.request), c.context);
    if (res.status == 404) return withdrawn_page(c, id);  // a withdrawn note's notice, else 404
    if (res.status != 200) return error_page(c.request, c.context, res.status, error_message(m_templates.strings(c.context.label_lang), res.status, res.json));
    Json doc = res.json;
    const auto vocab_held = vocabulary(c.context);
    const Json& vocab = *vocab_held;
    const std::string doc_lang = str(doc, "lang");
    Json d = page_data(c, str(doc, "title"));
    doc["kind_label"] = label(vocab, "kinds", str(doc, "kind"), ui);
    doc["date_text"] = format_date(str(doc, "date"), ui);
    doc["body_html"] = shift_headings(str(doc, "body_html"));
    doc["phase_label"] = str(doc, "phase").empty() ? Json() : Json(label(vocab, "phases", str(doc, "phase"), ui));
    add_places_themes_partners(doc, vocab, ui);
    Json translations = Json::array(), related = Json::array();
    for (const auto& tr : doc.value("translations", Json::array()))
        translations.push_back({{"lang", str(tr, "lang")}, {"label", t.value("lang_" + str(tr, "lang"), str(tr, "lang"))},
                                {"url", page_url(ui, id, str(tr, "lang"))}});
    for (const auto& pd : doc.value("project_documents", Json::array()))
        related.push_back({{"title", str(pd, "title")}, {"kind_label", label(vocab, "kinds", str(pd, "kind"), ui)},
                           {"url", page_url(ui, str(pd, "id"), str(pd, "lang"))}});
    doc["translations"] = translations;
    doc["project_documents"] = related;
    if (!str(doc, "project").empty() && str(doc, "kind") != "project") {  // named by its title, when the caller may see it
        const Api::Result p = m_api.call("/api/projects/" + percent_encode(str(doc, "project")), {{"lang", doc_lang}}, c.context);
        if (p.status == 200) {
            doc["project_url"] = "/" + ui + "/projects/" + percent_encode(str(doc, "project")) + "?lang=" + percent_encode(str(p.json, "lang"));
            doc["project_title"] = str(p.json, "title");
            doc["project_lang"] = str(p.json, "lang");
        }
    }
    doc["stable_url"] = absolute(c.request, page_url(doc_lang == "fr" || doc_lang == "en" ? doc_lang : ui, id, doc_lang));
    // Without a base_url or a Host (the offline export) there is no address to give: no line.
    if (str(doc, "stable_url").rfind("http", 0) != 0) doc["stable_url"] = "";
    Json citations = Json::array();
    for (const auto& [format, name] : std::vector<std::pair<std::string, std::string>>{{"bib", "BibTeX"}, {"ris", "RIS"}, {"json", "CSL-JSON"}})
        citations.push_back({{"label", name}, {"url", "/" + ui + "/documents/" + percent_encode(id) + "/cite." + format + "?lang=" + percent_encode(doc_lang)}});
    doc["citations"] = citations;
    doc["charts"] = indicator_charts(doc.value("indicators", Json::array()), ui, m_templates.strings(ui));
    doc["indicators"] = indicator_rows(doc.value("indicators", Json::array()), ui);
    doc["any_target"] = std::any_of(doc["indicators"].begin(), doc["indicators"].end(), [](const Json& i) { return i.contains("target"); });
    Json pdfs = Json::array(), images = Json::array();
    for (const auto& a : doc.value("attachments", Json::array())) {
        const std::string url = "/" + ui + "/documents/" + percent_encode(id) + "/files/" + percent_encode(str(a, "file")) + "?lang=" + percent_encode(doc_lang);
        const double bytes = a.value("bytes", 0.0);
        char size[48];  // Kio under a megabyte, else Mio with one decimal
        if (bytes < (1 << 20)) std::snprintf(size, sizeof size, "%.0f %s", std::ceil(bytes / 1024), t.value("attach_kib", "KiB").c_str());
        else std::snprintf(size, sizeof size, "%.1f %s", bytes / (1 << 20), t.value("attach_mib", "MiB").c_str());
        Json v = {{"url", url}, {"file", str(a, "file")}, {"title", str(a, "title").empty() ? str(a, "file") : str(a, "title")},
                  {"alt", str(a, "alt")}, {"credit", str(a, "credit")}, {"size", std::string(size)}, {"pages", a.value("pages", 0)}};
        (str(a, "type") == "application/pdf" ? pdfs : images).push_back(std::move(v));
    }
    doc["pdfs"] = pdfs;
    doc["images"] = images;
    const std::string pdf_url = pdfs.empty() ? "" : absolute(c.request, str(pdfs[0], "url"));
    d["meta_tags"] = citation_meta_tags(doc, pdf_url.rfind("http", 0) == 0 ? pdf_url : "");
    d["doc"] = doc;
    // Only titles and languages are shown, which do not depend on the interface: asked with
    // English labels whatever the interface, so that both languages' pages share one cached
    // answer (the offline export renders them one after the other).
    Context neutral = c.context;
    neutral.label_lang = "en";
    Api::Result similar = m_api.call("/api/documents/" + percent_encode(id) + "/similar", {{"lang", doc_lang}, {"limit", "5"}}, neutral);
    Json sim = Json::array();
    if (similar.status == 200)
        for (const auto& h : similar.json["hits"])
            sim.push_back({{"title", str(h, "title")}, {"lang", str(h, "lang")}, {"url", page_url(ui, str(h, "id"), str(h, "lang"))}});
    d["similar"] = sim;
    d["guides"] = guide_links(c, id);
    if (m_desk.writing() && c.context.visitor && (c.context.visitor->has_right("author") || c.context.visitor->has_right("reviewer")))
        d["edit_url"] = "/" + ui + "/notes/edit?id=" + percent_encode(id) + "&lang=" + percent_encode(doc_lang);
    return render("document", d);
}

// An attachment of a document, under its visibility (Api::attachment_file).
Response Pages::attachment(const Call& c) {
    const std::string lang = first(c.request.query, "lang");
    try {
        return m_api.attachment_file(c.params.at("id"), lang, c.params.at("file"), c.context);
    } catch (const ApiError& e) {
        return error_page(c.request, c.context, e.status(), m_templates.strings(c.context.label_lang).value("not_found_text", ""));
    }
}

Response Pages::citation(const Call& c) {
    const std::string& id = c.params.at("id");
    Api::Result res = m_api.call("/api/documents/" + percent_encode(id), document_language(c.request), c.context);
    if (res.status != 200) return error_page(c.request, c.context, res.status, error_message(m_templates.strings(c.context.label_lang), res.status, res.json));
    Json doc = res.json;
    const std::string doc_lang = str(doc, "lang");
    doc["url"] = absolute(c.request, page_url(doc_lang == "fr" || doc_lang == "en" ? doc_lang : c.context.label_lang, id, doc_lang));
    doc["kind_label"] = label(*vocabulary(c.context), "kinds", str(doc, "kind"), doc_lang == "en" ? "en" : "fr");
    const std::string format = c.request.path.substr(c.request.path.rfind('.') + 1);
    Response r;
    std::string type;
    if (format == "bib") r.body = document_bibtex(doc), type = "application/x-bibtex; charset=utf-8";
    else if (format == "ris") r.body = document_ris(doc), type = "application/x-research-info-systems; charset=utf-8";
    else r.body = document_csl(doc), type = "application/vnd.citationstyles.csl+json; charset=utf-8";
    r.set_header("Content-Type", type);
    r.set_header("Content-Disposition", "attachment; filename=\"" + export_file_name(id + "-" + doc_lang, format) + "\"");
    return r;
}

Response Pages::project(const Call& c) {
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    const std::string& id = c.params.at("id");
    Query q = document_language(c.request);
    if (q.empty()) q = {{"lang", ui}};
    Api::Result res = m_api.call("/api/projects/" + percent_encode(id), q, c.context);
    if (res.status == 404) return error_page(c.request, c.context, 404, t.value("not_found_text", ""));
    if (res.status != 200) return error_page(c.request, c.context, res.status, error_message(m_templates.strings(c.context.label_lang), res.status, res.json));
    Json doc = res.json;
    const auto vocab_held = vocabulary(c.context);
    const Json& vocab = *vocab_held;
    Json d = page_data(c, str(doc, "title"));
    add_places_themes_partners(doc, vocab, ui);
    doc["page_url"] = page_url(ui, id, str(doc, "lang"));
    // Documents by kind (in the vocabulary's order), each with its phase.
    std::map<std::string, Json> by_kind;
    for (const auto& pd : doc.value("documents", Json::array())) {
        const std::string kind = str(pd, "kind");
        if (!by_kind.count(kind)) by_kind[kind] = Json::array();
        by_kind[kind].push_back({{"title", str(pd, "title")}, {"lang", str(pd, "lang")}, {"ui_lang", ui},
                                 {"url", page_url(ui, str(pd, "id"), str(pd, "lang"))},
                                 {"phase_label", str(pd, "phase").empty() ? Json() : Json(label(vocab, "phases", str(pd, "phase"), ui))},
                                 {"year", pd.contains("year") && pd["year"].is_number() ? pd["year"] : Json()}});
    }
    Json groups = Json::array();
    for (const auto& k : vocab.value("kinds", Json::array()))
        if (by_kind.count(str(k, "id")))
            groups.push_back({{"kind", str(k, "id")}, {"label", str(k, ui.c_str())}, {"documents", by_kind[str(k, "id")]}});
    {  // its countries and places, each a link to the archive's documents there
        std::string key = std::to_string(m_api.readers().current().generation) + '\n' + ui;
        for (const auto& code : doc.value("countries", Json::array())) key += '\n' + code.dump();
        key += '\n';
        for (const auto& name : doc.value("places", Json::array())) key += '\n' + name.dump();
        d["map"] = project_map(key, [&] {
        std::vector<MapArea> areas;
        std::vector<MapPlace> places;
        for (const auto& code : doc.value("countries", Json::array()))
            areas.push_back({upper_ascii(code.get<std::string>()), label(vocab, "countries", code.get<std::string>(), ui),
                             "/" + ui + "/search?country=" + percent_encode(code.get<std::string>())});
        for (const auto& name : doc.value("places", Json::array()))
            if (const Json* p = name.is_string() ? known_place(vocab, name.get<std::string>()) : nullptr)
                places.push_back({name.get<std::string>(), name.get<std::string>(), "/" + ui + "/search?place=" + percent_encode(name.get<std::string>()),
                                  (*p)["lat"].get<double>(), (*p)["lon"].get<double>()});
        return WorldMap::bundled().svg(areas, places, t.value("map_title", ""));
        });
    }
    d["doc"] = doc;
    d["groups"] = groups;
    d["charts"] = indicator_charts(doc.value("indicators", Json::array()), ui, t);
    d["indicators"] = indicator_rows(doc.value("indicators", Json::array()), ui);
    return render("project", d);
}

Response Pages::static_file(const Call& c) {
    const std::string& name = c.params.at("name");
    const std::string* bytes = m_templates.static_file(name);
    if (!bytes) return error_page(c.request, c.context, 404, m_templates.strings(c.context.label_lang).value("not_found_text", ""));
    Response r;
    r.body = *bytes;
    const auto ends = [&](const char* e) { const std::string s(e); return name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0; };
    r.set_header("Content-Type", ends(".css") ? "text/css; charset=utf-8" : ends(".svg") ? "image/svg+xml" : "text/javascript; charset=utf-8");
    r.set_header("Cache-Control", "public, max-age=86400");
    r.set_header("ETag", "\"" + content_hash(*bytes).substr(0, 20) + "\"");
    if (const std::string* inm = c.request.header("if-none-match"); inm && *inm == *r.header("ETag")) {
        r.status = 304;
        r.body.clear();
    }
    return r;
}

}  // namespace passerelle::http

namespace passerelle::http {

namespace {

// Where to go after signing in: a path on this site, else the home page.
std::string safe_next(const std::string& next, const std::string& ui) {
    const bool local = next.size() > 1 && next.size() < 2048 && next[0] == '/' && next[1] != '/' && next[1] != '\\' &&
                       next.find_first_of("\r\n\t") == std::string::npos;
    return local ? next : "/" + ui + "/";
}

bool hex_token(const std::string& s) { return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos; }

}  // namespace

Response Pages::sign_in_form(const Call& c) { return sign_in_page(c, 200, "", "", first(c.request.query, "next")); }

Response Pages::sign_in_page(const Call& c, int status, const std::string& error, const std::string& name, const std::string& next) {
    const std::string& ui = c.context.label_lang;
    std::string token = cookie_value(c.request, k_form_cookie);
    const bool fresh = !hex_token(token);
    if (fresh) token = random_hex(32);
    Json d = page_data(c, m_templates.strings(ui).value("sign_in", ""));
    d.erase("sign_in_url");
    d["form"] = {{"csrf", token}, {"name", name}, {"next", safe_next(next, ui)}};
    if (!error.empty()) d["form"]["error"] = error;
    Response r = render("sign_in", d, status);
    r.headers.erase(std::remove_if(r.headers.begin(), r.headers.end(), [](const auto& h) { return h.first == "Cache-Control"; }),
                    r.headers.end());
    r.set_header("Cache-Control", "no-store");
    if (fresh) r.set_header("Set-Cookie", m_gate.form_cookie(token));
    return r;
}

// The form's token must be the browser's own form cookie (set by this site, SameSite=Strict):
// a page elsewhere can neither read it nor make the browser send it.
Response Pages::sign_in(const Call& c) {
    const Json& t = m_templates.strings(c.context.label_lang);
    const auto form = form_fields(c.request);
    if (!form) return sign_in_page(c, 400, t.value("form_expired", ""), "", "");
    const std::string name = first(*form, "name"), password = first(*form, "password"), next = first(*form, "next");
    const std::string token = cookie_value(c.request, k_form_cookie);
    if (!hex_token(token) || !constant_time_equal(token, first(*form, "csrf")))
        return sign_in_page(c, 403, t.value("form_expired", ""), name, next);
    if (name.empty() || password.empty()) return sign_in_page(c, 400, t.value("sign_in_missing", ""), name, next);
    if (name.size() > account_limits::k_email || password.size() > account_limits::k_password_max)
        return sign_in_page(c, 401, t.value("sign_in_wrong", ""), name.substr(0, account_limits::k_email), next);
    const SessionGate::Attempt a = m_gate.sign_in(name, password, client_address(c.request, m_config.trusted_proxies));
    using Outcome = SessionGate::Attempt::Outcome;
    if (a.outcome == Outcome::wait) {
        Response r = sign_in_page(c, 429, count_text(t, "sign_in_wait", static_cast<double>(a.wait_seconds), c.context.label_lang), name, next);
        r.set_header("Retry-After", std::to_string(a.wait_seconds));
        return r;
    }
    if (a.outcome == Outcome::unavailable) return sign_in_page(c, 503, t.value("sign_in_unavailable", ""), name, next);
    if (a.outcome == Outcome::refused) return sign_in_page(c, 401, t.value("sign_in_wrong", ""), name, next);
    if (c.context.visitor) m_gate.sign_out(c.context.visitor->session);  // the old session never lives on
    Response r;
    r.status = 303;
    r.set_header("Location", safe_next(next, c.context.label_lang));
    r.set_header("Set-Cookie", m_gate.session_cookie(a.visitor.session));
    r.set_header("Cache-Control", "no-store");
    return r;
}

Response Pages::sign_out(const Call& c) {
    Response r;
    r.status = 303;
    r.set_header("Location", "/" + c.context.label_lang + "/");
    r.set_header("Cache-Control", "no-store");
    if (!c.context.visitor) return r;  // signed out already (the session ended): nothing to do
    const auto form = form_fields(c.request);
    if (!form || !constant_time_equal(c.context.visitor->csrf, first(*form, "csrf")))
        return error_page(c.request, c.context, 403, m_templates.strings(c.context.label_lang).value("form_expired", ""));
    m_gate.sign_out(c.context.visitor->session);
    r.set_header("Set-Cookie", m_gate.cleared_session_cookie());
    return r;
}

}  // namespace passerelle::http
