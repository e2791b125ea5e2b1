// The pages that list what the archive holds as wholes: the guides (/{lang}/guides) and the
// projects (/{lang}/projects), each as the caller's role sees them.
#include <algorithm>
#include <cstdio>

#include "core/url.h"
#include "server/page_text.h"
#include "server/pages.h"

namespace passerelle::http {

namespace {

const std::vector<std::string> k_layouts = {"parallel", "sequential"};

std::string text_of(const std::map<std::string, std::string>& by_lang, const std::string& lang) {
    const auto it = by_lang.find(lang);
    return it != by_lang.end() ? it->second : by_lang.empty() ? "" : by_lang.begin()->second;
}

std::string other_lang(const std::string& l) { return l == "fr" ? "en" : "fr"; }

}  // namespace

Json Pages::guide_links(const Call& c, const std::string& id) {
    const std::string& ui = c.context.label_lang;
    Json out = Json::array();
    for (const GuideDefinition& g : m_api.guides_with(c.context, id))
        out.push_back({{"title", text_of(g.title, ui)}, {"url", "/" + ui + "/guides#g-" + g.name},
                       {"pdf_url", "/guides/" + percent_encode(g.name) + ".pdf"}});
    return out;
}

// Building the guides whose figures are not known yet takes 30-70 ms each: that runs on a
// worker, as the PDFs do (the server answers 503 when its workers are all busy).
Response Pages::guides(const Call& c) {
    if (m_api.guides_known(c.context, k_layouts)) return guides_page(c);
    return Response::later([this, request = c.request, context = c.context] {
        const Params params;
        const Call call{request, params, context};
        Response r;
        try {
            r = guides_page(call);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "passerelle: internal error on %s: %s\n", request.path.c_str(), e.what());
            r = error_page(request, context, 500, m_templates.strings(context.label_lang).value("error_text", ""));
        }
        finish_page(r, context);
        return r;
    });
}

Response Pages::guides_page(const Call& c) {
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    Json list = Json::array();
    for (const Api::GuideEntry& g : m_api.guides(c.request, c.context, k_layouts)) {
        Json layouts = Json::array();
        std::size_t sections = 0;
        for (const std::string& layout : k_layouts) {
            const auto facts = g.layouts.find(layout);
            if (facts == g.layouts.end()) continue;
            sections = facts->second.documents.size();
            layouts.push_back({{"label", t.value("layout_" + layout, layout)},
                               {"hint", t.value("layout_" + layout + "_hint", "")},
                               {"pages", count_text(t, "pages", facts->second.pages, ui)},
                               {"size", format_bytes(static_cast<double>(facts->second.bytes), ui)},
                               {"url", "/guides/" + percent_encode(g.definition.name) + ".pdf?layout=" + layout},
                               {"file", g.definition.name + (layout == "parallel" ? "" : "-" + layout) + ".pdf"}});
        }
        if (layouts.empty()) continue;
        list.push_back({{"anchor", "g-" + g.definition.name}, {"title", text_of(g.definition.title, ui)},
                        {"other_title", text_of(g.definition.title, other_lang(ui))}, {"other_lang", other_lang(ui)},
                        {"subtitle", text_of(g.definition.subtitle, ui)},
                        {"documents", count_text(t, "documents", static_cast<double>(sections), ui)},
                        {"layouts", layouts}});
    }
    Json d = page_data(c, t.value("guides_title", ""));
    d["guides"] = list;
    return render("guides", d);
}

Response Pages::projects(const Call& c) {
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    Api::Result res = m_api.call("/api/projects", {}, c.context);
    if (res.status != 200) return error_page(c.request, c.context, res.status, t.value("error_text", ""));
    const auto vocab_held = vocabulary(c.context);
    const Json& vocab = *vocab_held;
    Json list = Json::array();
    for (const auto& p : res.json["projects"]) {
        const std::string id = str(p, "id"), lang = str(p, "lang");
        Json countries = Json::array(), kinds = Json::array();
        for (const auto& code : p.value("countries", Json::array()))
            countries.push_back({{"label", vocab_label(vocab, "countries", code.get<std::string>(), ui)},
                                 {"url", "/" + ui + "/search?country=" + percent_encode(code.get<std::string>())}});
        for (const auto& k : vocab.value("kinds", Json::array()))  // in the vocabulary's order
            if (const int n = p.value("documents_by_kind", Json::object()).value(str(k, "id"), 0); n > 0)
                kinds.push_back({{"label", str(k, ui.c_str())}, {"count", format_number(n, ui)},
                                 {"url", "/" + ui + "/search?project=" + percent_encode(id) + "&kind=" + percent_encode(str(k, "id"))}});
        std::string years;
        if (p.contains("years")) {
            const int from = p["years"].value("from", 0), to = p["years"].value("to", 0);
            years = from == to ? std::to_string(from) : std::to_string(from) + "–" + std::to_string(to);
        }
        list.push_back({{"title", str(p, "title")}, {"lang", lang}, {"summary", str(p, "summary")},
                        {"url", "/" + ui + "/projects/" + percent_encode(id) + "?lang=" + percent_encode(lang)},
                        {"country_labels", countries}, {"years", years},
                        {"phase_label", str(p, "phase").empty() ? Json() : Json(vocab_label(vocab, "phases", str(p, "phase"), ui))},
                        {"documents", count_text(t, "documents", p.value("documents", 0), ui)},
                        {"documents_url", "/" + ui + "/search?project=" + percent_encode(id)}, {"kinds", kinds}});
    }
    std::sort(list.begin(), list.end(), [](const Json& a, const Json& b) { return str(a, "title") < str(b, "title"); });
    Json d = page_data(c, t.value("projects_title", ""));
    d["projects"] = list;
    d["count"] = count_text(t, "projects", static_cast<double>(list.size()), ui);
    return render("projects", d);
}

}  // namespace passerelle::http
