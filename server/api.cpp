#include "server/api.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "core/clock.h"
#include "core/diagnostics.h"
#include "core/fold.h"
#include "core/hash.h"
#include "core/markdown.h"
#include "server/errors.h"
#include "server/json_views.h"
#include "server/oai.h"
#include "core/url.h"
#include "generator/guide.h"
#include "indexer/note_file.h"
#include "server/pages.h"
#include "server/params.h"

namespace passerelle::http {

Api::~Api() = default;

namespace {

const std::set<std::string> k_filters = {"lang", "country", "theme", "kind", "sector", "phase", "project", "place"};

std::string label_language(const Request& r) {
    const std::string* accept = r.header("accept-language");
    return accept && accept->compare(0, 2, "fr") == 0 ? "fr" : "en";
}

// A language code (two or three lowercase letters, as `lang` values are), or "" when absent or
// empty; 400 naming the parameter otherwise.
std::string language_code(const QueryParams& q, const std::string& name) {
    std::string code = q.one(name).value_or("");
    const bool letters = std::all_of(code.begin(), code.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
    if (!code.empty() && (code.size() < 2 || code.size() > 3 || !letters))
        throw ApiError(400, "bad_parameter", "parameter '" + name + "' must be a language code such as fr or en", name);
    return code;
}

Response json_ok(const Json& j) { return json_response(200, j.dump(-1, ' ', false, Json::error_handler_t::replace)); }

// ETag and Cache-Control for a document-like response.
Response cached(const Request&, Response r, const std::string& role) {
    r.set_header("ETag", "\"" + content_hash(r.body).substr(0, 20) + "\"");
    r.set_header("Cache-Control", role == "public" ? "public, max-age=60" : "private, max-age=60");
    r.set_header("Vary", "Authorization, Cookie, Accept-Encoding");
    return r;
}

// 304 when the client already has this version.
Response not_modified_if_current(const Request& req, Response r) {
    const std::string* etag = r.header("ETag");
    if (const std::string* inm = req.header("if-none-match"); etag && inm && *inm == *etag) {
        r.status = 304;
        r.body.clear();
    }
    return r;
}

// Routes whose response depends only on generation, role, label language and target.
bool cacheable(const Request& req) {
    if (req.method != "GET" && req.method != "HEAD") return false;
    const std::string& p = req.path;
    // (Attachments are not: up to 64 MiB each, they would push everything else out.)
    if (p.rfind("/api/documents/", 0) == 0 && p.find("/files/") != std::string::npos) return false;
    return p.rfind("/api/documents/", 0) == 0 || p.rfind("/api/projects", 0) == 0 || p == "/api/vocabularies" ||
           p == "/openapi.json";
}

std::string cache_key(const Request& req, const Context& c, int generation) {
    std::string key = std::to_string(generation) + '\n' + c.role + '\n' + c.label_lang + '\n' + req.path;
    for (const auto& [n, v] : req.query) key += '\n' + n + '=' + v;
    return key;
}

// Requests larger than browsers and the API's clients ever send are refused before any work:
// an address (path and query) over 8 KiB gets 414, headers over 16 KiB get 431.
constexpr std::size_t k_max_target_bytes = 8192;
constexpr std::size_t k_upload_overhead = 65536;  // an upload's other fields and multipart framing
constexpr std::size_t k_max_header_bytes = 16384;

std::size_t target_bytes(const Request& r) {
    std::size_t n = r.path.size();
    for (const auto& [name, value] : r.query) n += name.size() + value.size() + 2;
    return n;
}

std::size_t header_bytes(const Request& r) {
    std::size_t n = 0;
    for (const auto& [name, value] : r.headers) n += name.size() + value.size() + 4;
    return n;
}

// The security headers of every response, pages included (docs/security.md). Pages set their
// own policy for HTML; everything else (JSON, CSV, XML, text) may load nothing and be framed
// nowhere. PDFs get no policy, which browsers' PDF viewers would obey.
void add_security_headers(Response& r) {
    r.set_header("X-Content-Type-Options", "nosniff");
    r.set_header("Referrer-Policy", "same-origin");
    r.set_header("X-Frame-Options", "DENY");
    const std::string* type = r.header("Content-Type");
    const bool html_or_pdf = type && (type->rfind("text/html", 0) == 0 || type->rfind("application/pdf", 0) == 0);
    if (!html_or_pdf && !r.header("Content-Security-Policy")) r.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
}

}  // namespace

// An error as a page for the addresses of pages, as JSON for the rest.
Response Api::refuse(const Request& request, int status, const std::string& code, const std::string& message) const {
    return Pages::serves(request.path) ? m_pages->error(request, status, message) : error_response(status, code, message);
}

Api::Api(const ServerConfig& config, IndexReaders& readers, Metrics& metrics)
    : m_config(config), m_readers(readers), m_metrics(metrics), m_auth(config.tokens),
      m_gate(config), m_desk(config), m_pages(std::make_unique<Pages>(config, *this, m_gate, m_desk)),
      m_oai(std::make_unique<OaiProvider>(config)) {
    route("/api/search", &Api::search);
    route("/api/documents/{id}", &Api::document);
    route("/api/documents/{id}/similar", &Api::similar);
    route("/api/documents/{id}/files/{file}", &Api::attachment);
    route("/api/suggest", &Api::suggest);
    route("/api/projects", &Api::projects);
    route("/api/projects/{id}", &Api::project);
    route("/api/vocabularies", &Api::vocabularies);
    route("/healthz", &Api::healthz);
    route("/metrics", &Api::metrics);
    route("/openapi.json", &Api::openapi);
    route("/guides/{file}", &Api::guide);
    m_router.add("POST", "/api/guides", [this](const Request& r, const Params& p, const Context& c) { return guide_from_body(Call{r, p, c}); });
    route("/oai", &Api::oai);
    m_router.add("POST", "/oai", [this](const Request& r, const Params& p, const Context& c) { return oai(Call{r, p, c}); });
}

std::vector<std::string> Api::routes() const {
    std::vector<std::string> out = m_router.routes();
    for (auto& r : m_pages->routes()) out.push_back(std::move(r));
    return out;
}

void Api::route(const std::string& pattern, Method method) {
    m_router.add("GET", pattern, [this, method](const Request& r, const Params& p, const Context& c) {
        return (this->*method)(Call{r, p, c});
    });
}

// With allowed_hosts set, the request's Host (name, or name:port) must be one of them.
bool Api::host_allowed(const Request& request) const {
    if (m_config.allowed_hosts.empty()) return true;
    const std::string* host = request.header("host");
    if (!host) return false;
    const std::string h = lower_ascii(*host);
    const std::string name = h.rfind(']') == std::string::npos && h.find(':') != std::string::npos ? h.substr(0, h.find(':')) : h;
    return std::any_of(m_config.allowed_hosts.begin(), m_config.allowed_hosts.end(),
                       [&](const std::string& a) { return a == h || a == name; });
}

Response Api::handle(const Request& request, std::string& route) {
    route = "unmatched";
    Response r;
    if (request.method == "OPTIONS" && request.path.rfind("/api/", 0) == 0) {
        r.status = 204;  // CORS preflight: the API is read-only
        r.set_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
        r.set_header("Access-Control-Allow-Headers", "Authorization, Accept-Language");
        r.set_header("Access-Control-Max-Age", "86400");
    } else if (!host_allowed(request)) {
        r = refuse(request, 400, "unknown_host", "this server does not answer for the host the request names");
    } else if (const std::size_t target = target_bytes(request); target > k_max_target_bytes) {
        r = refuse(request, 414, "uri_too_long", "the address is " + std::to_string(target) + " bytes long; at most " +
                                                      std::to_string(k_max_target_bytes));
    } else if (const std::size_t headers = header_bytes(request); headers > k_max_header_bytes) {
        r = refuse(request, 431, "headers_too_large", "the request headers are " + std::to_string(headers) + " bytes; at most " +
                                                          std::to_string(k_max_header_bytes));
    } else if (request.body.size() > m_config.max_request_bytes &&
               !(request.body.size() <= upload_limit() && may_upload(request.method, request.path, request.header("cookie") ? *request.header("cookie") : ""))) {
        r = refuse(request, 413, "too_large", "the request body is over " + std::to_string(m_config.max_request_bytes) + " bytes");
    } else {
        std::string role;
        try {
            role = m_auth.role_for(request);
        } catch (const ApiError& e) {  // a bad token: 401, as JSON or as a page
            r = Pages::serves(request.path) ? m_pages->error(request, e.status(), e.what()) : error_response(e);
        }
        // Without a token, a browser's session gives its account's role: to the pages, and to
        // the API's reads from them (a request that changes something needs a token there).
        std::optional<Visitor> visitor;
        if (role == "public" && (Pages::serves(request.path) || request.method == "GET" || request.method == "HEAD")) {
            visitor = m_gate.visitor(request);
            if (visitor) role = visitor->role;
        }
        if (role.empty()) {
        } else if (Pages::serves(request.path)) {
            r = m_pages->handle(request, role, visitor, route);
        } else {
            r = run(request, Context{role, label_language(request), std::nullopt}, route);
        }
    }
    if (r.deferred) {  // made final where it runs
        r.deferred = [this, request, work = std::move(r.deferred)] {
            Response out = guarded(request, work);
            finish(request, out);
            return out;
        };
        return r;
    }
    finish(request, r);
    return r;
}

Response Api::handle_as(const Request& request, const std::string& role, std::string& route) {
    route = "unmatched";
    Response r = Pages::serves(request.path) ? m_pages->handle(request, role, std::nullopt, route)
                                             : run(request, Context{role, label_language(request), std::nullopt}, route);
    if (r.deferred) r = guarded(request, r.deferred);
    finish(request, r);
    return r;
}

bool Api::may_upload(const std::string& method, const std::string& path, const std::string& cookie) {
    if (method != "POST" || !m_desk.writing() || path.size() != 16 || path.compare(3, 13, "/notes/attach") != 0) return false;
    if (path.compare(0, 3, "/fr") != 0 && path.compare(0, 3, "/en") != 0) return false;
    Request r;
    r.headers["cookie"] = cookie;
    const auto visitor = m_gate.visitor(r);
    return visitor && visitor->has_right("author");
}

std::size_t Api::upload_limit() const { return m_config.attachment_max_bytes + k_upload_overhead; }

void Api::finish(const Request& request, Response& r) const {
    if (request.path.rfind("/api/", 0) == 0 || request.path == "/openapi.json") r.set_header("Access-Control-Allow-Origin", "*");
    add_security_headers(r);
}

Response Api::reject(const Request& request, int status, const std::string& code, const std::string& message) const {
    Response r = refuse(request, status, code, message);
    finish(request, r);
    return r;
}

Response Api::overloaded(const Request& request) const {
    m_metrics.count(Metrics::Guide::refused);
    Response r = refuse(request, 503, "busy", "every guide builder is busy; try again in a few seconds");
    r.set_header("Retry-After", "5");
    finish(request, r);
    return r;
}

Response Api::run(const Request& request, const Context& context, std::string& route) {
    return guarded(request, [&] {
        Response r;
        if (cacheable(request)) {
            const std::string key = cache_key(request, context, m_readers.generation());
            if (auto hit = m_cache.find(key)) {
                r = std::move(hit->first);
                route = std::move(hit->second);
            } else {
                r = m_router.dispatch(request, context, route);
                if (r.status == 200) m_cache.put(key, r, route);
            }
            r = not_modified_if_current(request, std::move(r));
        } else {
            r = m_router.dispatch(request, context, route);
        }
        return r;
    });
}

Response Api::guarded(const Request& request, const std::function<Response()>& work) const {
    Response r;
    try {
        r = work();
    } catch (const ApiError& e) {
        r = error_response(e);
    } catch (const SearchError& e) {
        r = error_response(400, e.parameter() == "q" ? "bad_query" : "bad_parameter", e.what(), e.parameter());
    } catch (const Error& e) {
        std::fprintf(stderr, "passerelle: %s\n", e.what());
        r = error_response(503, "index_unavailable", "the index cannot be read right now; try again shortly");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "passerelle: internal error on %s: %s\n", request.path.c_str(), e.what());
        r = error_response(500, "internal", "internal error");
    }
    return r;
}

Api::Result Api::call(const std::string& path, const std::vector<std::pair<std::string, std::string>>& query,
                      const Context& context) {
    Request request;
    request.path = path;
    request.query = query;
    std::string route;
    Response r = run(request, context, route);
    Result out;
    out.status = r.status;
    out.json = Json::parse(r.body, nullptr, false);
    return out;
}

namespace {

// The SearchRequest of /api/search's parameters (all but paging), each checked: 400 naming it.
SearchRequest search_request(const QueryParams& q) {
    SearchRequest s;
    s.query = q.one("q").value_or("");
    s.langs = q.all("lang"), s.countries = q.all("country"), s.themes = q.all("theme"), s.kinds = q.all("kind");
    s.sectors = q.all("sector"), s.phases = q.all("phase"), s.projects = q.all("project");
    s.places = q.all("place");
    s.year_from = static_cast<int>(q.integer("year_from", 0, 1000, 9999));
    s.year_to = static_cast<int>(q.integer("year_to", 0, 1000, 9999));
    const std::string sort = q.choice("sort", "", {"relevance", "date"});
    s.sort = sort == "date" ? SearchRequest::Sort::date : sort == "relevance" ? SearchRequest::Sort::relevance
                                                                               : SearchRequest::Sort::automatic;
    s.match_all = q.choice("match", "most", {"most", "all"}) == "all";
    s.lang_pref = language_code(q, "lang_pref");
    s.collapse = q.choice("collapse", "document", {"document", "none"}) == "document";
    s.correct = q.choice("correct", "1", {"0", "1"}) == "1";
    return s;
}

}  // namespace

Response Api::search(const Call& c) {
    std::set<std::string> known = k_filters;
    known.insert({"q", "year_from", "year_to", "sort", "page", "per_page", "match", "lang_pref", "collapse", "correct"});
    const QueryParams q(c.request, known);
    SearchRequest s = search_request(q);
    const long page = q.integer("page", 1, 1, 1000000), per_page = q.integer("per_page", 10, 1, 100);
    s.offset = static_cast<std::size_t>((page - 1) * per_page);
    s.limit = static_cast<std::size_t>(per_page);
    s.role = c.context.role;
    IndexReaders::Reader& reader = m_readers.current();
    const SearchResult r = reader.searcher->search(s);
    if (page > 1 && s.offset >= r.total) throw ApiError(400, "page_out_of_range", "page " + std::to_string(page) + " is past the last page", "page");
    return json_response(200, search_json(r, page, per_page, m_config.base_url, reader.searcher->vocabularies(),
                                          c.context.label_lang));
}

Response Api::document(const Call& c) {
    const QueryParams q(c.request, {"lang"});
    const std::string& id = c.params.at("id");
    IndexReaders::Reader& reader = m_readers.current();
    const auto levels = reader.searcher->visible_levels(c.context.role);
    const auto versions = reader.catalogue->versions(id, reader.generation, levels);
    std::string lang = q.one("lang").value_or("");
    if (lang.empty() && !versions.empty()) lang = versions.front().lang;
    for (const auto& v : versions)
        if (q.one("lang").value_or("").empty() && v.lang == c.context.label_lang) lang = v.lang;
    const auto doc = reader.catalogue->document(id, lang, reader.generation, levels);
    if (!doc) throw ApiError(404, "not_found", "no document '" + id + "' in language '" + lang + "'");
    Json j = document_json(*doc);
    j["body_html"] = markdown_to_html(doc->body);
    j["url"] = document_url(m_config.base_url, id, lang);
    Json translations = Json::array(), related = Json::array();
    for (const auto& v : versions)
        if (v.lang != lang) translations.push_back({{"lang", v.lang}, {"title", v.title}, {"url", document_url(m_config.base_url, id, v.lang)}});
    for (const auto& d : reader.catalogue->project_documents(doc->project.empty() && doc->kind == "project" ? id : doc->project, reader.generation, levels))
        if (d.id != id && d.lang == lang)
            related.push_back({{"id", d.id}, {"lang", d.lang}, {"kind", d.kind}, {"title", d.title}, {"url", document_url(m_config.base_url, d.id, d.lang)}});
    j["translations"] = std::move(translations);
    j["project_documents"] = std::move(related);
    if (j.contains("attachments"))
        for (Json& a : j["attachments"]) {
            a["url"] = attachment_url(m_config.base_url, id, lang, a.value("file", ""));
            a.erase("hash");
        }
    return cached(c.request, json_ok(j), c.context.role);
}

Response Api::attachment(const Call& c) {
    const QueryParams q(c.request, {"lang"});
    return attachment_file(c.params.at("id"), q.one("lang").value_or(""), c.params.at("file"), c.context);
}

Response Api::attachment_file(const std::string& id, const std::string& lang, const std::string& file, const Context& context) {
    IndexReaders::Reader& reader = m_readers.current();
    const auto levels = reader.searcher->visible_levels(context.role);
    const ApiError missing(404, "not_found", "no attachment '" + file + "' in document '" + id + "'");
    Json found;
    for (const auto& v : reader.catalogue->versions(id, reader.generation, levels)) {
        if (!lang.empty() && v.lang != lang) continue;
        const auto doc = reader.catalogue->document(id, v.lang, reader.generation, levels);
        const Json meta = doc ? Json::parse(doc->metadata, nullptr, false) : Json::object();
        if (!meta.is_object()) continue;
        for (const Json& a : meta.value("attachments", Json::array()))
            if (a.is_object() && a.value("file", "") == file) found = a;
        if (!found.is_null()) break;
    }
    const std::string hash = found.is_null() ? "" : found.value("hash", "");
    if (!is_content_hash(hash)) throw missing;
    std::ifstream in(std::filesystem::path(m_config.db) / "files" / hash, std::ios::binary);
    Response r;
    r.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    // The type the indexer read from the bytes, read again: only a PDF, PNG or JPEG leaves here.
    const std::string type = attachment_type(r.body);
    if (!in.good() && !in.eof()) throw missing;
    if (type.empty() || type != found.value("type", "")) throw missing;
    r.set_header("Content-Type", type);
    r.set_header("Content-Disposition", "attachment; filename=\"" + file + "\"");
    r.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox");
    r.set_header("ETag", "\"" + hash.substr(0, 20) + "\"");
    r.set_header("Cache-Control", context.role == "public" ? "public, max-age=3600" : "private, max-age=3600");
    r.set_header("Vary", "Authorization, Cookie");
    return r;
}

Response Api::similar(const Call& c) {
    const QueryParams q(c.request, {"lang", "limit"});
    IndexReaders::Reader& reader = m_readers.current();
    const std::string& id = c.params.at("id");
    const std::string lang = q.one("lang").value_or(c.context.label_lang);
    const auto levels = reader.searcher->visible_levels(c.context.role);
    if (!reader.catalogue->document(id, lang, reader.generation, levels))
        throw ApiError(404, "not_found", "no document '" + id + "' in language '" + lang + "'");
    Json hits = Json::array();
    for (const SearchHit& h : reader.searcher->similar(id, lang, c.context.role, static_cast<std::size_t>(q.integer("limit", 10, 1, 50))))
        hits.push_back(hit_json(h, m_config.base_url));
    return json_ok({{"id", id}, {"lang", lang}, {"hits", hits}});
}

Response Api::suggest(const Call& c) {
    const QueryParams q(c.request, {"q"});
    const std::string prefix = q.one("q").value_or("");
    if (prefix.size() > 200) throw ApiError(400, "bad_parameter", "parameter 'q' is too long for a completion", "q");
    return json_ok({{"q", prefix}, {"suggestions", m_readers.current().searcher->complete(prefix, c.context.role, 10)}});
}

Response Api::projects(const Call& c) {
    const QueryParams q(c.request, {});
    IndexReaders::Reader& reader = m_readers.current();
    const auto levels = reader.searcher->visible_levels(c.context.role);
    std::map<std::string, StoredDocument> chosen;  // one language version per project
    for (const StoredDocument& d : reader.catalogue->projects(reader.generation, levels))
        if (!chosen.count(d.id) || d.lang == c.context.label_lang) chosen[d.id] = d;
    Json out = Json::array();
    for (const auto& [id, d] : chosen) {
        Json j = Json::parse(d.metadata);
        j["url"] = document_url(m_config.base_url, id, d.lang);
        const auto docs = reader.catalogue->project_documents(id, reader.generation, levels);
        Json kinds = Json::object();
        int from = d.year, to = d.year;
        std::set<std::string> ids;  // a document counts once, whatever its languages
        for (const auto& pd : docs) {
            if (ids.insert(pd.id).second) kinds[pd.kind] = kinds.value(pd.kind, 0) + 1;
            if (pd.year && (!from || pd.year < from)) from = pd.year;
            if (pd.year && pd.year > to) to = pd.year;
        }
        j["documents"] = ids.size();
        j["documents_by_kind"] = std::move(kinds);
        if (from) j["years"] = {{"from", from}, {"to", to}};
        j["indicators"] = indicator_totals(reader.catalogue->project_indicators(id, reader.generation, levels), d.lang);
        out.push_back(std::move(j));
    }
    return json_ok({{"projects", out}});
}

Response Api::project(const Call& c) {
    const QueryParams q(c.request, {"lang"});
    IndexReaders::Reader& reader = m_readers.current();
    const auto levels = reader.searcher->visible_levels(c.context.role);
    const std::string& id = c.params.at("id");
    const std::string lang = q.one("lang").value_or(c.context.label_lang);
    std::optional<StoredDocument> record;
    for (const StoredDocument& d : reader.catalogue->versions(id, reader.generation, levels))
        if (d.kind == "project" && (!record || d.lang == lang)) record = d;
    if (!record) throw ApiError(404, "not_found", "no project '" + id + "'");
    Json j = Json::parse(record->metadata);
    j["url"] = document_url(m_config.base_url, id, record->lang);
    Json docs = Json::array();
    for (const auto& d : reader.catalogue->project_documents(id, reader.generation, levels))
        docs.push_back({{"id", d.id}, {"lang", d.lang}, {"kind", d.kind}, {"phase", d.phase}, {"title", d.title},
                        {"year", d.year ? Json(d.year) : Json()}, {"url", document_url(m_config.base_url, d.id, d.lang)}});
    j["documents"] = std::move(docs);
    j["indicators"] = indicator_totals(reader.catalogue->project_indicators(id, reader.generation, levels), record->lang);
    return cached(c.request, json_ok(j), c.context.role);
}

Response Api::vocabularies(const Call& c) {
    const QueryParams q(c.request, {});
    return cached(c.request, json_ok(vocabularies_json(m_readers.current().searcher->vocabularies())), "public");
}

Response Api::healthz(const Call& c) {
    const QueryParams q(c.request, {});
    return json_ok({{"status", "ok"}, {"generation", m_readers.generation()}});
}

Response Api::metrics(const Call& c) {
    const QueryParams q(c.request, {});
    IndexReaders::Reader& reader = m_readers.current();
    std::map<std::string, std::size_t> documents;  // only the levels the caller may see
    for (const std::string& level : reader.searcher->visible_levels(c.context.role))
        documents[level] = reader.searcher->document_count(level);
    Response r;
    r.body = m_metrics.render(documents, m_readers.generation(), m_readers.last_reload());
    r.set_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    return r;
}

// A POST body larger than any guide definition is refused before it is parsed.
constexpr std::size_t k_max_guide_body = std::size_t{64} * 1024;

GuideOptions Api::guide_options(const Call& c) const {
    const QueryParams q(c.request, {"layout", "date"});
    GuideOptions o = guide_options(c.context.role, q.choice("layout", "parallel", {"parallel", "sequential"}));
    o.date = q.one("date").value_or(o.date);
    if (!is_guide_date(o.date))
        throw ApiError(400, "bad_parameter", "parameter 'date' must be YYYY-MM-DD", "date");
    return o;
}

GuideOptions Api::guide_options(const std::string& role, const std::string& layout) const {
    GuideOptions o;
    o.db = m_config.db;
    o.layout = layout;
    o.date = utc_now("%Y-%m-%d");
    o.role = role;
    o.images = (std::filesystem::path(PASSERELLE_SOURCE_DIR) / "content").string();
    o.base_url = m_config.base_url;
    o.theme = (std::filesystem::path(PASSERELLE_SOURCE_DIR) / "templates" / "theme.yaml").string();
    o.licence_name = m_config.licence_name;
    o.licence_url = m_config.licence_url;
    return o;
}

std::filesystem::path Api::guides_dir() const {
    return m_config.guides_dir.empty() ? std::filesystem::path(PASSERELLE_SOURCE_DIR) / "templates" / "guides"
                                       : std::filesystem::path(m_config.guides_dir);
}

// Runs on a worker thread, with that thread's own open index.
Response Api::render_guide(const GuideDefinition& def, const GuideOptions& options, const std::string& facts_key) {
    const GuideResult g = build_guide(def, options, m_readers.current().searcher.get());
    m_metrics.count(Metrics::Guide::built);
    if (!facts_key.empty()) {
        const std::lock_guard<std::mutex> lock(m_facts_mutex);
        if (m_guide_facts.size() >= 512) m_guide_facts.clear();
        m_guide_facts[facts_key] = {g.report.pages, g.pdf.size(), g.report.documents};
    }
    Response r;
    r.body = g.pdf;
    r.set_header("Content-Type", "application/pdf");
    r.set_header("Content-Disposition", "inline; filename=\"" + def.name + ".pdf\"");
    r.set_header("Cache-Control", options.role == "public" ? "public, max-age=300" : "private, max-age=300");
    return r;
}

namespace {
// Everything that changes a named guide's bytes: the index generation, the definition file (its
// time and size), and the options (role, layout, date, base URL).
// A definition file's version: its path, time and size.
std::string definition_key(const std::filesystem::path& definition) {
    std::error_code ec;
    const auto time = std::filesystem::last_write_time(definition, ec).time_since_epoch().count();
    const auto size = std::filesystem::file_size(definition, ec);
    return definition.string() + '\n' + std::to_string(time) + '\n' + std::to_string(ec ? 0 : size);
}

std::string guide_key(int generation, const std::filesystem::path& definition, const GuideOptions& o) {
    return std::to_string(generation) + '\n' + definition_key(definition) + '\n' + o.role + '\n' + o.layout + '\n' + o.date + '\n' + o.base_url;
}

// What a guide's page count, size and documents depend on: not the date or the address it
// links to (a few bytes at most), so that neither a new day nor a forged Host rebuilds them.
std::string facts_key(int generation, const std::filesystem::path& definition, const std::string& role, const std::string& layout) {
    return std::to_string(generation) + '\n' + definition_key(definition) + '\n' + role + '\n' + layout;
}
}  // namespace

// The cache is looked at here, on the request thread, and again on the worker, which may find
// what another worker built meanwhile.
Response Api::guide(const Call& c) {
    const std::string& file = c.params.at("file");
    if (file.size() <= 4 || file.compare(file.size() - 4, 4, ".pdf") != 0 || file.find('/') != std::string::npos ||
        file.find("..") != std::string::npos)
        throw ApiError(404, "not_found", "no guide '" + file + "'");
    const std::string name = file.substr(0, file.size() - 4);
    std::filesystem::path path;
    try {
        path = find_guide(name, guides_dir());
    } catch (const Error&) {
        throw ApiError(404, "not_found", "no guide '" + name + "'");
    }
    const GuideOptions options = guide_options(c);
    if (auto hit = m_guides.find(guide_key(m_readers.generation(), path, options))) {
        m_metrics.count(Metrics::Guide::cached);
        return std::move(hit->first);
    }
    return Response::later([this, path, options] {
        IndexReaders::Reader& reader = m_readers.current();
        const std::string key = guide_key(reader.generation, path, options);
        if (auto hit = m_guides.find(key)) {
            m_metrics.count(Metrics::Guide::cached);
            return std::move(hit->first);
        }
        Response r = render_guide(load_guide_definition(path, reader.searcher->vocabularies()), options, facts_key(reader.generation, path, options.role, options.layout));
        m_guides.put(key, r, "/guides/{file}");
        return r;
    });
}

std::vector<std::pair<std::filesystem::path, GuideDefinition>> Api::guide_definitions() {
    IndexReaders::Reader& reader = m_readers.current();
    std::vector<std::pair<std::filesystem::path, GuideDefinition>> out;
    for (const std::filesystem::path& path : list_guides(guides_dir())) {
        const std::string key = definition_key(path);
        {
            const std::lock_guard<std::mutex> lock(m_facts_mutex);
            if (const auto it = m_guide_definitions.find(key); it != m_guide_definitions.end()) {
                if (it->second) out.emplace_back(path, *it->second);
                continue;
            }
        }
        std::optional<GuideDefinition> def;
        try {
            def = load_guide_definition(path, reader.searcher->vocabularies());
        } catch (const Error& e) {  // a broken definition leaves the others listed (and is logged once)
            std::fprintf(stderr, "passerelle: guides: %s\n", e.what());
        }
        if (def) out.emplace_back(path, *def);
        const std::lock_guard<std::mutex> lock(m_facts_mutex);
        if (m_guide_definitions.size() >= 512) m_guide_definitions.clear();
        m_guide_definitions[key] = std::move(def);
    }
    return out;
}

bool Api::guides_known(const Context& context, const std::vector<std::string>& layouts) {
    const int generation = m_readers.current().generation;
    const auto definitions = guide_definitions();
    const std::lock_guard<std::mutex> lock(m_facts_mutex);
    for (const auto& [path, def] : definitions)
        for (const std::string& layout : layouts)
            if (!m_guide_facts.count(facts_key(generation, path, context.role, layout))) return false;
    return true;
}

std::vector<Api::GuideEntry> Api::guides(const Request& request, const Context& context, const std::vector<std::string>& layouts) {
    const int generation = m_readers.current().generation;
    std::vector<GuideEntry> out;
    for (auto& [path, def] : guide_definitions()) {
        GuideEntry entry;
        entry.definition = std::move(def);
        for (const std::string& layout : layouts) {
            const std::string key = facts_key(generation, path, context.role, layout);
            {
                const std::lock_guard<std::mutex> lock(m_facts_mutex);
                if (const auto f = m_guide_facts.find(key); f != m_guide_facts.end()) {
                    entry.layouts[layout] = f->second;
                    continue;
                }
            }
            const GuideOptions options = guide_options(context.role, layout);
            try {  // (the PDF is kept too: its download is then immediate)
                m_guides.put(guide_key(generation, path, options), render_guide(entry.definition, options, key), "/guides/{file}");
            } catch (const Error& e) {
                std::fprintf(stderr, "passerelle: guide %s: %s\n", entry.definition.name.c_str(), e.what());
            }
            const std::lock_guard<std::mutex> lock(m_facts_mutex);
            if (const auto f = m_guide_facts.find(key); f != m_guide_facts.end()) entry.layouts[layout] = f->second;
        }
        out.push_back(std::move(entry));
    }
    return out;
}

std::vector<GuideDefinition> Api::guides_with(const Context& context, const std::string& id) {
    IndexReaders::Reader& reader = m_readers.current();
    std::vector<GuideDefinition> out;
    for (auto& [path, def] : guide_definitions()) {
        const std::string key = std::to_string(reader.generation) + '\n' + definition_key(path) + '\n' + context.role;
        std::vector<std::string> ids;
        bool known = false;
        {
            const std::lock_guard<std::mutex> lock(m_facts_mutex);
            if (const auto it = m_guide_selections.find(key); it != m_guide_selections.end()) ids = it->second, known = true;
        }
        if (!known) {
            try {
                ids = guide_document_ids(def, context.role, *reader.searcher);
            } catch (const Error& e) {
                std::fprintf(stderr, "passerelle: guide %s: %s\n", def.name.c_str(), e.what());
            }
            const std::lock_guard<std::mutex> lock(m_facts_mutex);
            if (m_guide_selections.size() >= 512) m_guide_selections.clear();
            m_guide_selections[key] = ids;
        }
        if (std::find(ids.begin(), ids.end(), id) != ids.end()) out.push_back(std::move(def));
    }
    return out;
}

// Only for callers with a token: anyone else could make the server build arbitrary guides.
Response Api::guide_from_body(const Call& c) {
    if (c.context.role == "public")
        throw ApiError(401, "unauthorized", "building a guide from a definition needs a token (Authorization: Bearer)",
                       "Authorization");
    if (c.request.body.size() > k_max_guide_body)
        throw ApiError(413, "too_large", "a guide definition is at most " + std::to_string(k_max_guide_body) + " bytes", "body");
    const GuideOptions options = guide_options(c);
    GuideDefinition def;
    try {
        def = parse_guide_definition(c.request.body, "request body", "guide", m_readers.current().searcher->vocabularies());
    } catch (const Error& e) {
        throw ApiError(400, "bad_guide", e.what(), "body");
    }
    return Response::later([this, def = std::move(def), options] { return render_guide(def, options); });
}

// OAI-PMH: arguments from the query string (GET) or a form body (POST); public records only,
// whatever token the caller has.
Response Api::oai(const Call& c) {
    std::vector<std::pair<std::string, std::string>> args = c.request.query;
    if (c.request.method == "POST") {
        const std::string* type = c.request.header("content-type");
        if (!type || type->rfind("application/x-www-form-urlencoded", 0) != 0)
            throw ApiError(415, "unsupported_media_type", "OAI-PMH requests sent by POST are application/x-www-form-urlencoded");
        std::string bad;
        auto form = parse_query(c.request.body, bad);
        if (!form) throw ApiError(400, "bad_parameter", "the form body cannot be decoded", bad);
        args = std::move(*form);
    }
    std::string base = absolute_url(m_config.base_url, c.request, "/oai");
    if (base.front() == '/') base = "http://" + m_config.bind + ":" + std::to_string(m_config.port) + base;  // no Host: ours
    return m_oai->handle(args, base, m_readers.current());
}

Response Api::openapi(const Call& c) {
    const QueryParams q(c.request, {});
    Response r = json_response(200, openapi_document());
    return cached(c.request, std::move(r), "public");
}

}  // namespace passerelle::http
