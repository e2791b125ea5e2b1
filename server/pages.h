// The HTML pages, on top of the API: home, search results, document, project, browse, search
// exports and Atom feed, citations, and the static files. Each page asks the API for its data
// (Api::call, as the caller's role) and renders a template of templates/pages; the interface
// language is the first path segment (/fr/..., /en/...), and "/" redirects by Accept-Language.
// Every HTML response carries the security headers (a Content-Security-Policy without
// 'unsafe-inline', nosniff, a referrer policy, frame-ancestors 'none').
#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/api.h"
#include "server/config.h"
#include "server/http.h"
#include "server/router.h"
#include "server/session_gate.h"
#include "server/note_desk.h"
#include "server/templates.h"
#include "core/editorial.h"
#include "indexer/note_file.h"

namespace passerelle::http {

class Pages {
  public:
    Pages(const ServerConfig& config, Api& api, SessionGate& gate, NoteDesk& desk);

    // True for the paths pages answer: everything but /api/, /healthz, /metrics, /openapi.json.
    static bool serves(const std::string& path);
    // Never throws; errors are HTML pages in the path's language. Sets `route` for metrics.
    // `visitor` is who signed in, when the request carried an open session.
    Response handle(const Request& request, const std::string& role, const std::optional<Visitor>& visitor, std::string& route);
    // An error page (with its policy and language headers) for a request refused before routing;
    // it tells the status in the interface language (`message`, the API's English, is not shown).
    Response error(const Request& request, int status, const std::string& message) const;
    std::vector<std::string> routes() const { return m_router.routes(); }

  private:
    struct Call {
        const Request& request;
        const Params& params;
        const Context& context;  // label_lang is the interface language
    };
    using Method = Response (Pages::*)(const Call&);
    void route(const std::string& pattern, Method method, const std::string& verb = "GET");

    Response root(const Call& c);
    Response home(const Call& c);
    Response search(const Call& c);
    Response search_export(const Call& c);
    Response document(const Call& c);
    Response citation(const Call& c);
    Response attachment(const Call& c);
    Response project(const Call& c);
    Response browse(const Call& c);
    Response robots(const Call& c);    // GET /robots.txt (server/pages_site.cpp)
    Response sitemap(const Call& c);   // GET /sitemap.xml[?page=N]: public pages only
    Response favicon(const Call& c);   // GET /favicon.ico: to /static/favicon.svg
    Response about(const Call& c);     // GET /{lang}/about: the archive, its licence, the contact
    Response guides(const Call& c);    // GET /{lang}/guides (server/pages_lists.cpp)
    Response guides_page(const Call& c);
    // What every page's response gets: the language and security headers, and no shared cache
    // for a page made for one account.
    void finish_page(Response& r, const Context& context) const;
    Response projects(const Call& c);  // GET /{lang}/projects
    // The guides that include document `id`, as `c`'s role gets them: title, page anchor, PDF.
    Json guide_links(const Call& c, const std::string& id);
    Response static_file(const Call& c);
    Response sign_in_form(const Call& c);  // GET /{lang}/sign-in
    Response sign_in(const Call& c);       // POST /{lang}/sign-in
    Response sign_out(const Call& c);      // POST /{lang}/sign-out
    // The sign-in page: `error` beside the form, `name` kept, a form token (made when missing).
    Response sign_in_page(const Call& c, int status, const std::string& error, const std::string& name, const std::string& next);
    void add_visitor(Json& data, const Context& context, const std::string& here) const;

    // Writing and reviewing notes (server/pages_notes.cpp; docs/authoring.md).
    Response notes(const Call& c);          // GET /{lang}/notes: the author's notes
    Response note_new(const Call& c);       // GET /{lang}/notes/new[?translate=ID&from=LANG]
    Response note_edit(const Call& c);      // GET /{lang}/notes/edit?id=ID&lang=LANG
    Response note_post(const Call& c);      // POST /{lang}/notes/edit: preview, save, submit
    Response review(const Call& c);         // GET /{lang}/review: the reviewers' queue
    Response review_feed(const Call& c);    // GET /{lang}/review.atom
    Response review_note(const Call& c);    // GET /{lang}/review/note?id=ID&lang=LANG
    Response review_post(const Call& c);    // POST /{lang}/review/note: return, publish, withdraw
    Response note_history(const Call& c);   // GET /{lang}/notes/history?id=ID&lang=LANG[&n=N]: versions, a diff
    Response note_restore(const Call& c);   // POST /{lang}/notes/restore: a version back as a new draft
    Response translations(const Call& c);   // GET /{lang}/translations: missing and older translations
    Response note_attach(const Call& c);    // POST /{lang}/notes/attach (multipart): a PDF or an image
    // Nothing when `c`'s visitor may go on (writing is on, signed in, with one of `rights`);
    // else the answer: 404 when writing is off, the sign-in page, or 403.
    std::optional<Response> gate(const Call& c, std::initializer_list<const char*> rights) const;
    Response note_form_page(const Call& c, const NoteForm& form, int base, const FieldErrors& errors, const Json& extra,
                            int status = 200);
    Response withdrawn_page(const Call& c, const std::string& id);  // or a 404 page
    bool live(const std::string& id, const std::string& lang);  // in the index, at any level
    std::string note_level(Editorial& ed, const NoteEntry& e) const;
    std::string version_level(const NoteEntry& e, const std::string& text) const;
    bool may_read_version(const Context& c, const NoteEntry& e, const std::string& text) const;
    bool may_edit(const Context& c, Editorial& ed, const NoteEntry& e) const;
    std::vector<NoteEntry> review_queue(const Context& c) const;  // the submitted notes `c` may review
    Response edit_published(const Call& c, const std::string& id, const std::string& lang);
    void add_citation_fields(Json& hit, const Context& context, const Json& vocab);
    void add_other_version(const Call& c, const std::string& id, const std::string& lang, Json& extra);

    Response facet_page(const Call& c, const std::string& page, const std::string& title,
                        const std::vector<std::string>& facets, std::size_t limit);

    Json page_data(const Call& c, const std::string& title) const;
    Response render(const std::string& page, const Json& data, int status = 200) const;
    // `request` is what the sign-in link comes back to.
    Response error_page(const Request& request, const Context& context, int status, const std::string& message) const;
    // /api/vocabularies, parsed once per index generation (the same for every role and language).
    std::shared_ptr<const Json> vocabulary(const Context& context);
    std::string absolute(const Request& request, const std::string& path) const;

    const ServerConfig& m_config;
    Api& m_api;
    SessionGate& m_gate;
    NoteDesk& m_desk;
    Templates m_templates;
    Router m_router;
    // A project's map, drawn once for each set of countries and places (many projects share
    // one) under `key`: at most k_map_cache_entries kept, then all forgotten.
    std::string project_map(const std::string& key, const std::function<std::string()>& draw);
    static constexpr std::size_t k_map_cache_entries = 1024;
    std::mutex m_map_mutex;
    std::map<std::string, std::string> m_maps;
    std::mutex m_vocab_mutex;
    int m_vocab_generation = -1;
    std::shared_ptr<const Json> m_vocab;
};

}  // namespace passerelle::http
