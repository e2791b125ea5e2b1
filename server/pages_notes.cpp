// Writing and reviewing notes in the browser (docs/authoring.md): the author's notes, the
// note form (every field of the content model, a preview rendered here, each problem beside
// its field, the other language's version beside the form, conflicts shown with both texts),
// the reviewers' queue and its Atom feed, and the review of one note (return with a comment,
// publish, withdraw). Members of Pages (server/pages.h); the writing itself is NoteDesk's.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "core/clock.h"
#include "core/document_reader.h"
#include "core/editorial.h"
#include "core/hash.h"
#include "core/line_diff.h"
#include "core/markdown.h"
#include "core/url.h"
#include "indexer/attachments.h"
#include "server/exports.h"
#include "server/multipart.h"
#include "server/page_text.h"
#include "server/pages.h"
#include "server/params.h"

namespace passerelle::http {

namespace {

constexpr int k_indicator_rows_max = 50;
constexpr int k_attachments_max = 50;  // a note's attachments
constexpr std::size_t k_comment_max = 4000;

// The form's fields as typed (a POST body).
NoteForm note_form_from(const FormFields& f) {
    NoteForm n;
    n.id = form_value(f, "id"), n.lang = form_value(f, "lang"), n.kind = form_value(f, "kind"), n.title = form_value(f, "title");
    n.summary = form_value(f, "summary"), n.date = form_value(f, "date"), n.visibility = form_value(f, "visibility");
    n.phase = form_value(f, "phase"), n.project = form_value(f, "project"), n.body = form_value(f, "body");
    n.countries = form_value(f, "countries"), n.places = form_value(f, "places"), n.partners = form_value(f, "partners");
    n.themes = form_values(f, "themes");
    for (int i = 1; i <= k_indicator_rows_max; ++i) {
        const std::string k = std::to_string(i);
        IndicatorRow r{form_value(f, "ind_name_" + k), form_value(f, "ind_value_" + k), form_value(f, "ind_unit_" + k),
                       form_value(f, "ind_year_" + k)};
        if (!(r.name.empty() && r.value.empty() && r.unit.empty() && r.year.empty())) n.indicators.push_back(std::move(r));
    }
    // The attachments the note had when the form was opened (hidden fields): kept as they were.
    for (int i = 1; i <= k_attachments_max; ++i) {
        const std::string k = std::to_string(i);
        AttachmentRow a{form_value(f, "att_file_" + k), form_value(f, "att_title_" + k), form_value(f, "att_alt_" + k),
                        form_value(f, "att_credit_" + k)};
        if (!a.file.empty()) n.attachments.push_back(std::move(a));
    }
    return n;
}

// Adds to `form` the attachments uploaded for (form.id, form.lang) that it does not list yet.
void add_uploads(NoteForm& form, Editorial& ed) {
    for (const NoteAttachment& a : ed.attachments(form.id, form.lang)) {
        const bool listed = std::any_of(form.attachments.begin(), form.attachments.end(), [&](const AttachmentRow& r) { return r.file == a.file; });
        if (!listed) form.attachments.push_back({a.file, "", a.alt, a.credit});
    }
}

// A note's text read back into its document (for forms, previews and publishing); nothing when
// it does not read.
std::optional<Document> read_note_text(const std::string& text, const std::string& id, const std::string& lang,
                                       const Vocabularies& vocab) {
    DiagnosticSink sink;
    auto doc = read_markdown_document(text, id + "." + lang + ".md", vocab, sink);
    if (sink.error_count() > 0) return std::nullopt;
    return doc;
}


std::string edit_url(const std::string& ui, const std::string& id, const std::string& lang) {
    return "/" + ui + "/notes/edit?id=" + percent_encode(id) + "&lang=" + percent_encode(lang);
}

std::string review_url(const std::string& ui, const std::string& id, const std::string& lang) {
    return "/" + ui + "/review/note?id=" + percent_encode(id) + "&lang=" + percent_encode(lang);
}

// "2026-12-05T04:51:50Z" as "2026-12-05 04:51" (UTC), for tables read on phones.
std::string short_time(const std::string& iso) { return iso.size() >= 16 ? iso.substr(0, 10) + " " + iso.substr(11, 5) : iso; }


}  // namespace

std::optional<Response> Pages::gate(const Call& c, std::initializer_list<const char*> rights) const {
    const std::string& ui = c.context.label_lang;
    if (!m_desk.writing()) return error_page(c.request, c.context, 404, m_templates.strings(ui).value("not_found_text", ""));
    if (!c.context.visitor) {
        const std::string here = c.request.method == "GET" ? c.request.path + (c.request.query.empty() ? "" : "?" + [&] {
            std::string q;
            for (const auto& [k, v] : c.request.query) q += (q.empty() ? "" : "&") + percent_encode(k) + "=" + percent_encode(v);
            return q;
        }()) : "/" + ui + "/notes";
        return see_other("/" + ui + "/sign-in?next=" + percent_encode(here));
    }
    for (const char* r : rights)
        if (c.context.visitor->has_right(r)) return std::nullopt;
    return error_page(c.request, c.context, 403, m_templates.strings(ui).value("forbidden_text", ""));
}

// The level a note is written at: its latest version's visibility (internal when it does not read).
std::string Pages::note_level(Editorial& ed, const NoteEntry& e) const {
    const auto v = ed.version(e.id, e.lang, e.version);
    return v ? version_level(e, v->text) : "internal";
}

// The level one version of a note was written at (internal when it does not read).
std::string Pages::version_level(const NoteEntry& e, const std::string& text) const {
    const auto doc = read_note_text(text, e.id, e.lang, m_api.readers().current().searcher->vocabularies());
    return doc ? doc->effective_visibility() : "internal";
}

// Whether `c` may read one version's text: the note's author always; a reviewer when the
// version was written at a level their role may read (a note once internal keeps those
// versions from a partners reviewer, whatever it is now).
bool Pages::may_read_version(const Context& c, const NoteEntry& e, const std::string& text) const {
    if (c.visitor->has_right("author") && e.author == c.visitor->account) return true;
    const auto levels = m_api.readers().current().searcher->visible_levels(c.role);
    return std::find(levels.begin(), levels.end(), version_level(e, text)) != levels.end();
}

// An author works on their own notes; a reviewer on those written at a level their role may
// read (a partners reviewer never sees an internal note, published or not).
bool Pages::may_edit(const Context& c, Editorial& ed, const NoteEntry& e) const {
    const Visitor& v = *c.visitor;
    if (v.has_right("author") && e.author == v.account) return true;
    if (!v.has_right("reviewer")) return false;
    const auto levels = m_api.readers().current().searcher->visible_levels(c.role);
    return std::find(levels.begin(), levels.end(), note_level(ed, e)) != levels.end();
}

std::vector<NoteEntry> Pages::review_queue(const Context& c) const {
    std::vector<NoteEntry> out;
    if (!c.visitor || !c.visitor->has_right("reviewer") || !std::filesystem::exists(Editorial::file_in(m_desk.db()))) return out;
    Editorial ed(m_desk.db());
    for (NoteEntry& e : ed.in_state("submitted"))
        if (may_edit(c, ed, e)) out.push_back(std::move(e));
    return out;
}

// The other language's published version of (id, lang), when the caller may see one, beside the form.
void Pages::add_other_version(const Call& c, const std::string& id, const std::string& lang, Json& extra) {
    Api::Result other = m_api.call("/api/documents/" + percent_encode(id), {{"lang", lang == "fr" ? "en" : "fr"}}, c.context);
    if (other.status == 200)
        extra["other"] = {{"heading", m_templates.strings(c.context.label_lang).value("translation_beside", "")},
                          {"doc_lang", str(other.json, "lang")}, {"title", str(other.json, "title")},
                          {"summary", str(other.json, "summary")}, {"body_html", str(other.json, "body_html")}};
}

Response Pages::notes(const Call& c) {
    if (auto refused = gate(c, {"author", "reviewer"})) return std::move(*refused);
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    Editorial ed(m_desk.db());
    Json d = page_data(c, t.value("notes_title", ""));
    Json list = Json::array();
    for (const NoteEntry& e : ed.by_author(c.context.visitor->account)) {
        Json comments = Json::array();
        if (e.state == "returned")
            for (const NoteComment& cm : ed.comments(e.id, e.lang)) comments.push_back({{"account_name", cm.account_name}, {"text", cm.text}});
        list.push_back({{"title", e.title.empty() ? e.id : e.title}, {"lang", e.lang}, {"state_label", t.value("state_" + e.state, e.state)},
                        {"updated", short_time(e.updated)}, {"url", e.state == "withdrawn" ? review_url(ui, e.id, e.lang) : edit_url(ui, e.id, e.lang)},
                        {"comments", comments}});
    }
    d["notes"] = list;
    if (c.context.visitor->has_right("reviewer")) d["queue"] = {{"count", review_queue(c.context).size()}};
    const std::string done = first(c.request.query, "done");
    if (done == "submitted") d["message"] = t.value("msg_submitted", "");
    return render("notes", d);
}

// The form page: `form` as typed, the problems beside their fields, and `extra` (preview,
// conflict, other language version, message) merged in.
Response Pages::note_form_page(const Call& c, const NoteForm& form, int base, const FieldErrors& errors, const Json& extra, int status) {
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    const Vocabularies& vocab = m_api.readers().current().searcher->vocabularies();
    Json d = page_data(c, form.title.empty() ? t.value("note_new", "") : form.title);
    auto options = [&](const TermList& list, const std::string& selected) {
        Json out = Json::array();
        for (const Term& term : list.terms())
            out.push_back({{"id", term.id}, {"label", ui == "fr" ? term.fr : term.en}, {"selected", term.id == selected}});
        return out;
    };
    Json themes = Json::array();
    for (const Term& term : vocab.themes.terms())
        themes.push_back({{"id", term.id}, {"label", ui == "fr" ? term.fr : term.en},
                          {"checked", std::find(form.themes.begin(), form.themes.end(), term.id) != form.themes.end()}});
    Json indicators = Json::array();
    std::vector<IndicatorRow> rows = form.indicators;
    rows.resize(std::min<std::size_t>(rows.size() + 2, k_indicator_rows_max));
    for (std::size_t i = 0; i < rows.size(); ++i)
        indicators.push_back({{"n", i + 1}, {"name", rows[i].name}, {"value", rows[i].value}, {"unit", rows[i].unit}, {"year", rows[i].year}});
    Json langs = Json::array();
    for (const char* l : {"fr", "en"}) langs.push_back({{"id", l}, {"label", t.value(std::string("lang_") + l, l)}, {"selected", form.lang == l}});
    Json f = {{"csrf", c.context.visitor->csrf}, {"base", base}, {"id", form.id}, {"title", form.title}, {"summary", form.summary},
              {"body", form.body}, {"date", form.date}, {"countries", form.countries}, {"places", form.places},
              {"project", form.project}, {"partners", form.partners}, {"kinds", options(vocab.kinds, form.kind)},
              {"phases", options(vocab.phases, form.phase)}, {"visibilities", options(vocab.visibility, form.visibility)},
              {"themes", themes}, {"indicators", indicators}, {"langs", langs}};
    Json attached = Json::array();
    for (std::size_t i = 0; i < form.attachments.size() && i < k_attachments_max; ++i) {
        const AttachmentRow& a = form.attachments[i];
        attached.push_back({{"n", i + 1}, {"file", a.file}, {"title", a.title}, {"alt", a.alt}, {"credit", a.credit}});
    }
    f["attached"] = attached;
    Json errs = Json::object(), list = Json::array();
    for (const auto& [field, messages] : errors) {
        std::string detail;
        for (const std::string& m : messages) detail += (detail.empty() ? "" : "; ") + m;
        const std::string lead = t.value("err_" + field, "");
        errs[field] = lead.empty() ? detail : lead + " (" + t.value("err_detail", "") + " : " + detail + ")";
        list.push_back({{"field", field}, {"label", t.value(field == "lang" ? "language" : field, field) + " : " + (lead.empty() ? detail : lead)}});
    }
    f["errors"] = errs;
    d["form"] = f;
    d["error_list"] = list;
    if (base > 0) {
        d["history_url"] = "/" + ui + "/notes/history?id=" + percent_encode(form.id) + "&lang=" + percent_encode(form.lang);
        Json files = Json::array();
        for (const NoteAttachment& a : Editorial(m_desk.db()).attachments(form.id, form.lang))
            files.push_back({{"file", a.file}, {"type", a.type}, {"kib", (a.bytes + 1023) / 1024}, {"alt", a.alt}, {"credit", a.credit}});
        for (const AttachmentRow& a : form.attachments)  // those the note had before (its published file's)
            if (std::none_of(files.begin(), files.end(), [&](const Json& j) { return j["file"] == a.file; }))
                files.push_back({{"file", a.file}, {"alt", a.alt}, {"credit", a.credit}});
        d["attach"] = {{"csrf", c.context.visitor->csrf}, {"id", form.id}, {"doc_lang", form.lang}, {"files", files},
                       {"max_mib", m_config.attachment_max_bytes >> 20}};
        static const std::set<std::string> k_errors = {"attach_none", "attach_too_large", "attach_bad_type", "attach_needs_alt"};
        if (const std::string key = first(c.request.query, "attach_error"); k_errors.count(key))
            d["attach"]["error"] = replace_n(t.value(key, ""), static_cast<long>(m_config.attachment_max_bytes >> 20));
    }
    for (const auto& [k, v] : extra.items()) d[k] = v;
    Response r = render("note_form", d, status);
    r.set_header("Cache-Control", "no-store");
    return r;
}

Response Pages::note_new(const Call& c) {
    if (auto refused = gate(c, {"author"})) return std::move(*refused);
    const std::string& ui = c.context.label_lang;
    NoteForm form;
    form.lang = ui;
    form.kind = "lesson";
    Json extra = Json::object();
    // A translation: the same id and metadata, the other language's text beside the form.
    const std::string from_id = first(c.request.query, "translate"), from_lang = first(c.request.query, "from");
    if (!from_id.empty()) {
        Api::Result res = m_api.call("/api/documents/" + percent_encode(from_id), {{"lang", from_lang}}, c.context);
        if (res.status != 200) return error_page(c.request, c.context, 404, m_templates.strings(ui).value("not_found_text", ""));
        const Json& doc = res.json;
        form.id = from_id;
        form.lang = from_lang == "fr" ? "en" : "fr";
        form.kind = str(doc, "kind"), form.date = str(doc, "date"), form.visibility = str(doc, "visibility");
        form.phase = str(doc, "phase"), form.project = str(doc, "project");
        for (const auto& x : doc.value("countries", Json::array())) form.countries += (form.countries.empty() ? "" : ", ") + x.get<std::string>();
        for (const auto& x : doc.value("themes", Json::array())) form.themes.push_back(x.get<std::string>());
        extra["other"] = {{"heading", m_templates.strings(ui).value("translation_beside", "")}, {"doc_lang", from_lang},
                          {"title", str(doc, "title")}, {"summary", str(doc, "summary")}, {"body_html", str(doc, "body_html")}};
    }
    return note_form_page(c, form, 0, {}, extra);
}

Response Pages::note_edit(const Call& c) {
    if (auto refused = gate(c, {"author", "reviewer"})) return std::move(*refused);
    const std::string& ui = c.context.label_lang;
    const std::string id = first(c.request.query, "id"), lang = first(c.request.query, "lang");
    Editorial ed(m_desk.db());
    const auto entry = ed.note(id, lang);
    const Vocabularies& vocab = m_api.readers().current().searcher->vocabularies();
    if (!entry) return edit_published(c, id, lang);
    if (!may_edit(c.context, ed, *entry)) return error_page(c.request, c.context, 404, m_templates.strings(ui).value("not_found_text", ""));
    const auto latest = ed.version(id, lang, entry->version);
    NoteForm form;
    if (auto doc = latest ? read_note_text(latest->text, id, lang, vocab) : std::nullopt) {
        form = note_form_of(*doc);
    } else {  // a draft saved with problems: its text as it is, in the body
        form.id = id, form.lang = lang, form.kind = entry->kind, form.title = entry->title;
        form.body = latest ? latest->text : "";
    }
    Json extra = Json::object();
    const Json& t = m_templates.strings(ui);
    if (const std::string saved = first(c.request.query, "saved"); !saved.empty()) extra["message"] = replace_n(t.value("msg_saved", ""), std::atol(saved.c_str()));
    add_other_version(c, id, lang, extra);
    return note_form_page(c, form, entry->version, {}, extra);
}

Response Pages::note_post(const Call& c) {
    if (auto refused = gate(c, {"author", "reviewer"})) return std::move(*refused);
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    const auto fields = form_fields(c.request);
    if (!fields || !constant_time_equal(c.context.visitor->csrf, form_value(*fields, "csrf")))
        return error_page(c.request, c.context, 403, t.value("form_expired", ""));
    NoteForm form = note_form_from(*fields);
    const std::string action = form_value(*fields, "action");
    const int base = std::atoi(form_value(*fields, "base").c_str());
    Editorial ed(m_desk.db());
    std::optional<NoteEntry> entry;
    if (base < 0) return error_page(c.request, c.context, 400, t.value("form_expired", ""));
    if (!form.id.empty()) {
        entry = ed.note(form.id, form.lang);
        // A note of the history only for who may edit it, whatever version the form names:
        // a conflict shows the latest text.
        if ((entry && !may_edit(c.context, ed, *entry)) || (!entry && base > 0))
            return error_page(c.request, c.context, 404, t.value("not_found_text", ""));
        if (!entry) {
            // An id the form brought (a translation, or a document of the content folder): its
            // published versions must all be visible to the caller's role.
            IndexReaders::Reader& reader = m_api.readers().current();
            const auto every = reader.catalogue->versions(form.id, reader.generation, reader.searcher->visible_levels("internal"));
            const auto visible = reader.catalogue->versions(form.id, reader.generation, reader.searcher->visible_levels(c.context.role));
            if (every.size() != visible.size()) return error_page(c.request, c.context, 404, t.value("not_found_text", ""));
            // (A published document may be translated by any author; an unpublished one only by
            // its author or a reviewer.)
            if (ed.id_taken(form.id) && every.empty() && !c.context.visitor->has_right("reviewer")) {
                bool own = false;
                for (const NoteEntry& e : ed.all())
                    if (e.id == form.id && e.author == c.context.visitor->account) own = true;
                if (!own) return error_page(c.request, c.context, 403, t.value("forbidden_text", ""));
            }
        }
    }
    if (!entry && form.id.empty() && base == 0) {
        form.id = new_note_id(form.kind, form.title, [&](const std::string& id) {
            if (ed.id_taken(id)) return true;
            IndexReaders::Reader& reader = m_api.readers().current();
            return !reader.catalogue->versions(id, reader.generation, reader.searcher->visible_levels("internal")).empty();
        });
    }
    if (!form.id.empty()) add_uploads(form, ed);
    const Vocabularies& vocab = m_api.readers().current().searcher->vocabularies();
    Document doc;
    const FieldErrors errors = check_note(form, vocab, &doc);
    Json extra = Json::object();
    if (action == "preview") {
        extra["preview"] = {{"title", form.title}, {"summary", form.summary}, {"body_html", markdown_to_html(form.body)}, {"doc_lang", form.lang}};
        return note_form_page(c, form, base, errors, extra, errors.empty() ? 200 : 422);
    }
    if (action != "save" && action != "submit") return error_page(c.request, c.context, 400, t.value("form_expired", ""));
    if (action == "submit" && !errors.empty()) return note_form_page(c, form, base, errors, extra, 422);
    if (!writable_note_id(form.id) || (form.lang != "fr" && form.lang != "en")) return note_form_page(c, form, base, errors, extra, 422);
    NoteEntry e;
    e.id = form.id, e.lang = form.lang, e.kind = form.kind, e.title = form.title;
    e.state = action == "submit" ? "submitted" : "draft";
    const std::string text = note_text(form);
    const auto saved = ed.save(e, text, base, c.context.visitor->account, c.context.visitor->name, e.state == "submitted" ? "submitted" : "saved");
    if (!saved) {  // someone saved a newer version: both texts shown, nothing written
        const auto current = ed.note(form.id, form.lang);
        const auto theirs = current ? ed.version(form.id, form.lang, current->version) : std::nullopt;
        if (theirs) extra["conflict"] = {{"name", theirs->account_name}, {"saved", theirs->saved}, {"text", theirs->text}};
        return note_form_page(c, form, current ? current->version : base, errors, extra, 409);
    }
    m_desk.write_draft(form.id, form.lang, text);
    if (action == "submit") return see_other("/" + ui + "/notes?done=submitted");
    return see_other(edit_url(ui, form.id, form.lang) + "&saved=" + std::to_string(*saved));
}

Response Pages::review(const Call& c) {
    if (auto refused = gate(c, {"reviewer"})) return std::move(*refused);
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    Json d = page_data(c, t.value("review_queue", ""));
    Json queue = Json::array();
    for (const NoteEntry& e : review_queue(c.context))
        queue.push_back({{"title", e.title}, {"lang", e.lang}, {"author_name", e.author_name}, {"updated", short_time(e.updated)}, {"url", review_url(ui, e.id, e.lang)}});
    d["queue"] = queue;
    d["feed_url"] = "/" + ui + "/review.atom";
    const std::string done = first(c.request.query, "done");
    if (!done.empty()) d["message"] = t.value("msg_" + done, "");
    return render("review", d);
}

Response Pages::review_feed(const Call& c) {
    if (auto refused = gate(c, {"reviewer"})) return std::move(*refused);
    const std::string& ui = c.context.label_lang;
    Json hits = Json::array();
    for (const NoteEntry& e : review_queue(c.context))
        hits.push_back({{"id", e.id}, {"lang", e.lang}, {"title", e.title}, {"kind", e.kind}, {"authors", Json::array({e.author_name})},
                        {"url", absolute(c.request, review_url(ui, e.id, e.lang))}, {"updated", e.updated}, {"summary", ""}});
    const Json feed = {{"title", "Passerelle · " + m_templates.strings(ui).value("review_queue", "")},
                       {"url", absolute(c.request, c.request.path)}, {"page_url", absolute(c.request, "/" + ui + "/review")},
                       {"updated", utc_now()}};
    Response r;
    r.body = hits_atom(hits, feed);
    r.set_header("Content-Type", "application/atom+xml; charset=utf-8");
    r.set_header("Cache-Control", "private, no-cache");
    return r;
}

Response Pages::review_note(const Call& c) {
    if (auto refused = gate(c, {"author", "reviewer"})) return std::move(*refused);
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    const std::string id = first(c.request.query, "id"), lang = first(c.request.query, "lang");
    Editorial ed(m_desk.db());
    const auto entry = ed.note(id, lang);
    if (!entry || !may_edit(c.context, ed, *entry)) return error_page(c.request, c.context, 404, t.value("not_found_text", ""));
    const auto latest = ed.version(id, lang, entry->version);
    const Vocabularies& vocab = m_api.readers().current().searcher->vocabularies();
    const auto doc = latest ? read_note_text(latest->text, id, lang, vocab) : std::nullopt;
    Json d = page_data(c, entry->title);
    d["id"] = id;
    d["doc_lang"] = lang;
    d["state_label"] = t.value("state_" + entry->state, entry->state);
    d["author_name"] = entry->author_name;
    d["version"] = entry->version;
    d["summary"] = doc ? doc->summary : "";
    d["body_html"] = markdown_to_html(doc ? doc->body : (latest ? latest->text : ""));
    Json comments = Json::array();
    for (const NoteComment& cm : ed.comments(id, lang)) comments.push_back({{"account_name", cm.account_name}, {"at", short_time(cm.at)}, {"text", cm.text}});
    d["comments"] = comments;
    if (c.context.visitor->has_right("reviewer")) {
        const bool submitted = entry->state == "submitted";
        d["actions"] = {{"csrf", c.context.visitor->csrf}, {"version", entry->version}, {"can_return", submitted},
                        {"can_publish", submitted}, {"can_withdraw", entry->state != "withdrawn" && live(id, lang)}};
    }
    // A message is one of the review's own, named by its key: no address can make the page say
    // something else.
    static const std::set<std::string> k_messages = {"review_newer_version", "need_comment", "cannot_publish", "msg_index_failed",
                                                     "need_reason", "msg_withdraw_failed", "form_expired"};
    if (const std::string m = first(c.request.query, "message"); k_messages.count(m)) d["message"] = t.value(m, "");
    Response r = render("review_note", d);
    r.set_header("Cache-Control", "no-store");
    return r;
}

Response Pages::review_post(const Call& c) {
    if (auto refused = gate(c, {"reviewer"})) return std::move(*refused);
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    const auto fields = form_fields(c.request);
    if (!fields || !constant_time_equal(c.context.visitor->csrf, form_value(*fields, "csrf")))
        return error_page(c.request, c.context, 403, t.value("form_expired", ""));
    const std::string id = form_value(*fields, "id"), lang = form_value(*fields, "lang"), action = form_value(*fields, "action");
    std::string comment = form_value(*fields, "comment");
    if (comment.size() > k_comment_max) comment.resize(k_comment_max);
    Editorial ed(m_desk.db());
    const auto entry = ed.note(id, lang);
    if (!entry || !may_edit(c.context, ed, *entry)) return error_page(c.request, c.context, 404, t.value("not_found_text", ""));
    const Visitor& v = *c.context.visitor;
    auto back = [&](const std::string& key) { return see_other(review_url(ui, id, lang) + "&message=" + key); };
    // The decision is about the version the reviewer read: a newer one is read first.
    if (form_value(*fields, "version") != std::to_string(entry->version)) return back("review_newer_version");
    if (action == "return" && entry->state == "submitted") {
        if (comment.find_first_not_of(" \t\r\n") == std::string::npos) return back("need_comment");
        ed.comment(id, lang, v.name, comment);
        ed.set_state(id, lang, "returned", v.account, v.name);
        return see_other("/" + ui + "/review?done=returned");
    }
    if (action == "publish" && entry->state == "submitted") {
        const auto latest = ed.version(id, lang, entry->version);
        const Vocabularies& vocab = m_api.readers().current().searcher->vocabularies();
        DiagnosticSink sink;
        const auto doc = latest ? read_markdown_document(latest->text, id + "." + lang + ".md", vocab, sink) : std::nullopt;
        if (!doc || sink.error_count() > 0) return back("cannot_publish");
        if (comment.find_first_not_of(" \t\r\n") != std::string::npos) ed.comment(id, lang, v.name, comment);
        IndexReaders::Reader& reader = m_api.readers().current();
        // Only this version's own uploads move from the drafts (another version's or author's
        // stay where they are); any other name must already be published beside the note.
        std::vector<std::string> files;
        const auto uploads = ed.attachments(id, lang);
        for (const Attachment& a : doc->attachments)
            if (std::any_of(uploads.begin(), uploads.end(), [&](const NoteAttachment& u) { return u.file == a.file; })) files.push_back(a.file);
        std::string failure;
        try {
            failure = m_desk.publish(id, lang, doc->kind, latest->text, reader.catalogue->source_file(id, lang, reader.generation), files);
        } catch (const Error& e) {  // nothing was written: the note stays submitted
            std::fprintf(stderr, "passerelle: publishing %s.%s: %s\n", id.c_str(), lang.c_str(), e.what());
            return back("cannot_publish");
        }
        ed.set_state(id, lang, "published", v.account, v.name);
        if (!failure.empty()) {
            std::fprintf(stderr, "passerelle: publishing %s.%s: %s\n", id.c_str(), lang.c_str(), failure.c_str());
            return back("msg_index_failed");
        }
        return see_other("/" + ui + "/review?done=published");
    }
    // A published version can be withdrawn even while a newer draft of it is being written.
    if (action == "withdraw" && entry->state != "withdrawn" && live(id, lang)) {
        if (comment.find_first_not_of(" \t\r\n") == std::string::npos) return back("need_reason");
        IndexReaders::Reader& reader = m_api.readers().current();
        const std::string failure = m_desk.withdraw(id, lang, entry->kind, reader.catalogue->source_file(id, lang, reader.generation));
        if (!failure.empty()) return back("msg_withdraw_failed");  // still published: it can be tried again
        ed.set_state(id, lang, "withdrawn", v.account, v.name, comment);
        return see_other("/" + ui + "/review?done=withdrawn");
    }
    return back("form_expired");
}

// A note of the content folder that was never written here (or a published one): its file
// read into the form, as the caller's role may see it; saving makes it a draft of the caller's.
Response Pages::edit_published(const Call& c, const std::string& id, const std::string& lang) {
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    IndexReaders::Reader& reader = m_api.readers().current();
    const auto levels = reader.searcher->visible_levels(c.context.role);
    const std::string file = m_desk.existing_file(reader.catalogue->source_file(id, lang, reader.generation));
    if (file.empty() || !reader.catalogue->document(id, lang, reader.generation, levels))
        return error_page(c.request, c.context, 404, t.value("not_found_text", ""));
    std::ifstream in(file, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    const auto doc = read_note_text(text, id, lang, reader.searcher->vocabularies());
    if (!doc) return error_page(c.request, c.context, 404, t.value("not_found_text", ""));
    Json extra = Json::object();
    add_other_version(c, id, lang, extra);
    return note_form_page(c, note_form_of(*doc), 0, {}, extra);
}

Response Pages::note_history(const Call& c) {
    if (auto refused = gate(c, {"author", "reviewer"})) return std::move(*refused);
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    const std::string id = first(c.request.query, "id"), lang = first(c.request.query, "lang");
    Editorial ed(m_desk.db());
    const auto entry = ed.note(id, lang);
    if (!entry || !may_edit(c.context, ed, *entry)) return error_page(c.request, c.context, 404, t.value("not_found_text", ""));
    const auto versions = ed.versions(id, lang);
    const int shown = std::atoi(first(c.request.query, "n").c_str());
    Json d = page_data(c, t.value("history", "") + " : " + entry->title);
    Json rows = Json::array();
    for (auto v = versions.rbegin(); v != versions.rend(); ++v)
        rows.push_back({{"n", v->n}, {"action", t.value("action_" + v->action, v->action)}, {"account_name", v->account_name},
                        {"saved", short_time(v->saved)}, {"current", v->n == shown},
                        {"diff_url", "/" + ui + "/notes/history?id=" + percent_encode(id) + "&lang=" + percent_encode(lang) + "&n=" + std::to_string(v->n)},
                        {"restorable", v->n != entry->version}});
    d["versions"] = rows;
    d["id"] = id;
    d["doc_lang"] = lang;
    d["csrf"] = c.context.visitor->csrf;
    d["edit_url"] = edit_url(ui, id, lang);
    if (shown > 0 && shown <= static_cast<int>(versions.size())) {
        const std::string before = shown > 1 ? versions[static_cast<std::size_t>(shown) - 2].text : "";
        if (!may_read_version(c.context, *entry, versions[static_cast<std::size_t>(shown) - 1].text) ||
            (shown > 1 && !may_read_version(c.context, *entry, before)))
            return error_page(c.request, c.context, 404, t.value("not_found_text", ""));
        Json lines = Json::array();
        for (const DiffLine& l : line_diff(before, versions[static_cast<std::size_t>(shown) - 1].text))
            lines.push_back({{"op", std::string(1, l.op)}, {"text", l.text}, {"added", l.op == '+'}, {"removed", l.op == '-'}});
        d["diff"] = {{"n", shown}, {"lines", lines}};
    }
    Response r = render("note_history", d);
    r.set_header("Cache-Control", "no-store");
    return r;
}

Response Pages::note_restore(const Call& c) {
    if (auto refused = gate(c, {"author", "reviewer"})) return std::move(*refused);
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    const auto fields = form_fields(c.request);
    if (!fields || !constant_time_equal(c.context.visitor->csrf, form_value(*fields, "csrf")))
        return error_page(c.request, c.context, 403, t.value("form_expired", ""));
    const std::string id = form_value(*fields, "id"), lang = form_value(*fields, "lang");
    Editorial ed(m_desk.db());
    const auto entry = ed.note(id, lang);
    if (!entry || !may_edit(c.context, ed, *entry)) return error_page(c.request, c.context, 404, t.value("not_found_text", ""));
    const auto old = ed.version(id, lang, std::atoi(form_value(*fields, "n").c_str()));
    if (!old || !may_read_version(c.context, *entry, old->text)) return error_page(c.request, c.context, 404, t.value("not_found_text", ""));
    NoteEntry e = *entry;
    e.state = "draft";
    const auto saved = ed.save(e, old->text, entry->version, c.context.visitor->account, c.context.visitor->name, "restored");
    if (!saved) return see_other("/" + ui + "/notes/history?id=" + percent_encode(id) + "&lang=" + percent_encode(lang));
    m_desk.write_draft(id, lang, old->text);
    return see_other(edit_url(ui, id, lang) + "&saved=" + std::to_string(*saved));
}

// For authors and reviewers: the documents (that their role may see) whose other language
// version is missing, or was last written before the version it translates, with counts per
// language and links that open the translation view.
Response Pages::translations(const Call& c) {
    if (auto refused = gate(c, {"author", "reviewer"})) return std::move(*refused);
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    IndexReaders::Reader& reader = m_api.readers().current();
    const auto entries = reader.catalogue->entries(reader.generation, reader.searcher->visible_levels(c.context.role));
    std::map<std::string, std::map<std::string, const Catalogue::Entry*>> by_id;
    for (const auto& e : entries)
        if (e.lang == "fr" || e.lang == "en") by_id[e.id][e.lang] = &e;
    Json rows = Json::array();
    std::map<std::string, int> missing, older, total;
    for (const auto& [id, langs] : by_id) {
        for (const auto& [l, e] : langs) ++total[l];
        const Catalogue::Entry* fr = langs.count("fr") ? langs.at("fr") : nullptr;
        const Catalogue::Entry* en = langs.count("en") ? langs.at("en") : nullptr;
        const Catalogue::Entry* source = nullptr;
        std::string target, why;
        if (fr && !en) source = fr, target = "en", why = "missing";
        else if (en && !fr) source = en, target = "fr", why = "missing";
        else if (fr->written > en->written) source = fr, target = "en", why = "older";
        else if (en->written > fr->written) source = en, target = "fr", why = "older";
        if (!source) continue;
        ++(why == "missing" ? missing : older)[target];
        const std::string url = why == "missing" ? "/" + ui + "/notes/new?translate=" + percent_encode(id) + "&from=" + source->lang
                                                 : edit_url(ui, id, target);
        rows.push_back({{"title", source->title}, {"doc_lang", source->lang}, {"target", t.value("lang_" + target, target)},
                        {"why", t.value("translation_" + why, why)}, {"url", url}});
    }
    Json d = page_data(c, t.value("translations_title", ""));
    Json counts = Json::array();
    for (const char* l : {"fr", "en"})
        counts.push_back({{"lang", t.value(std::string("lang_") + l, l)}, {"total", total[l]}, {"missing", missing[l]}, {"older", older[l]}});
    d["counts"] = counts;
    d["rows"] = rows;
    return render("translations", d);
}

// An attachment for a note being written: a PDF or an image (the type read from its bytes),
// at most attachment_max_bytes; an image needs its alternative text and its credit. Only a
// signed-in author's request may have such a body (Api::may_upload, asked before it is read).
Response Pages::note_attach(const Call& c) {
    if (auto refused = gate(c, {"author"})) return std::move(*refused);
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    const std::string* type = c.request.header("content-type");
    const auto parts = parse_multipart(c.request.body, multipart_boundary(type ? *type : ""));
    if (!parts) return error_page(c.request, c.context, 400, t.value("form_expired", ""));
    std::string csrf, id, lang, alt, credit, filename;
    std::string_view data;
    bool has_file = false;
    for (const FormPart& p : *parts) {
        if (p.name == "csrf") csrf = p.data;
        else if (p.name == "id") id = p.data;
        else if (p.name == "lang") lang = p.data;
        else if (p.name == "alt") alt = std::string(p.data.substr(0, 500));
        else if (p.name == "credit") credit = std::string(p.data.substr(0, 300));
        else if (p.name == "file") data = p.data, filename = p.filename, has_file = true;
    }
    if (!constant_time_equal(c.context.visitor->csrf, csrf)) return error_page(c.request, c.context, 403, t.value("form_expired", ""));
    Editorial ed(m_desk.db());
    const auto entry = ed.note(id, lang);
    if (!entry || !may_edit(c.context, ed, *entry)) return error_page(c.request, c.context, 404, t.value("not_found_text", ""));
    auto back = [&](const std::string& key) {  // the form shows the message of `key`
        return see_other(edit_url(ui, id, lang) + (key.empty() ? "" : "&attach_error=" + key) + "#f-attachments");
    };
    if (!has_file || data.empty()) return back("attach_none");
    if (data.size() > m_config.attachment_max_bytes) return back("attach_too_large");
    const std::string kind = attachment_type(data);
    if (kind.empty()) return back("attach_bad_type");
    const auto blank = [](const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; };
    if (kind != "application/pdf" && (blank(alt) || blank(credit))) return back("attach_needs_alt");
    std::string name = attachment_name(filename, kind);
    const std::string stem = name.substr(0, name.rfind('.')), ext = name.substr(name.rfind('.'));
    // A name neither waiting in the drafts nor already published beside the note (whose file
    // would otherwise be replaced at publication).
    const std::filesystem::path published = attachment_folder(published_note_path(m_desk.content(), entry->kind, id, lang));
    const auto taken = [&](const std::string& n) {
        return std::filesystem::exists(draft_attachment_path(m_desk.content(), id, n)) || std::filesystem::exists(published / n);
    };
    for (int n = 2; taken(name) && n < 1000; ++n) name = stem + "-" + std::to_string(n) + ext;
    write_file_atomically(draft_attachment_path(m_desk.content(), id, name), std::string(data));
    ed.add_attachment(id, lang, {name, kind, static_cast<std::int64_t>(data.size()), alt, credit, c.context.visitor->name, ""});
    // A new version lists it, so that the next form, the review and the publication have it.
    const auto latest = ed.version(id, lang, entry->version);
    const Vocabularies& vocab = m_api.readers().current().searcher->vocabularies();
    if (const auto doc = latest ? read_note_text(latest->text, id, lang, vocab) : std::nullopt) {
        NoteForm form = note_form_of(*doc);
        add_uploads(form, ed);
        NoteEntry e = *entry;
        if (e.state == "published" || e.state == "withdrawn") e.state = "draft";
        const std::string text = note_text(form);
        if (ed.save(e, text, entry->version, c.context.visitor->account, c.context.visitor->name, "attached"))
            m_desk.write_draft(id, lang, text);
    }
    return back("");
}

bool Pages::live(const std::string& id, const std::string& lang) {
    IndexReaders::Reader& reader = m_api.readers().current();
    return reader.catalogue->document(id, lang, reader.generation, reader.searcher->visible_levels("internal")).has_value();
}

Response Pages::withdrawn_page(const Call& c, const std::string& id) {
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    if (!std::filesystem::exists(Editorial::file_in(m_desk.db())))
        return error_page(c.request, c.context, 404, t.value("not_found_text", ""));
    Editorial ed(m_desk.db());
    IndexReaders::Reader& reader = m_api.readers().current();
    const auto levels = reader.searcher->visible_levels(c.context.role);
    for (const NoteEntry& e : ed.all()) {
        if (e.id != id || e.state != "withdrawn") continue;
        // Only for those who could read it before: its last text says at what level.
        const auto latest = ed.version(e.id, e.lang, e.version);
        const auto doc = latest ? read_note_text(latest->text, e.id, e.lang, reader.searcher->vocabularies()) : std::nullopt;
        if (!doc || std::find(levels.begin(), levels.end(), doc->visibility) == levels.end()) continue;
        Json d = page_data(c, e.title);
        d["reason"] = e.reason;
        d["when"] = e.updated.substr(0, 10);
        Response r = render("withdrawn", d, 410);
        return r;
    }
    return error_page(c.request, c.context, 404, t.value("not_found_text", ""));
}

}  // namespace passerelle::http
