#include "indexer/iati_export.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <ctime>
#include <map>

#include "core/catalogue.h"
#include "core/clock.h"
#include "core/diagnostics.h"
#include "core/search.h"
#include "core/tsv.h"
#include "core/url.h"
#include "core/vocabulary.h"
#include "core/xml.h"

namespace passerelle {

namespace {

using Json = nlohmann::json;

// One public language version of a project, with its fields.
struct Version {
    StoredDocument doc;
    Json meta;
};

std::string number(double v) {
    if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(std::llround(v)));
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

// The activity status a phase of the method stands for: emergence is the pipeline, evaluation
// the finalisation, capitalisation a closed activity.
std::string status_of(const Vocabularies& vocab, const std::string& phase) {
    const Term* t = vocab.phases.find(phase);
    if (!t) return "2";
    if (t->group == "emergence") return "1";
    if (t->group == "evaluation") return "3";
    if (t->group == "capitalisation") return "4";
    return "2";
}

// <name><narrative xml:lang="..">text</narrative>...</name>, one narrative per version that
// has a text; nothing when none has.
template <class TextOf>
void narratives(XmlWriter& w, const char* name, const std::vector<Version>& versions, TextOf&& text_of, const char* type = nullptr) {
    std::vector<std::pair<std::string, std::string>> texts;
    for (const Version& v : versions)
        if (std::string t = trim(text_of(v)); !t.empty()) texts.emplace_back(v.doc.lang, std::move(t));
    if (texts.empty()) return;
    w.start(name);
    if (type) w.attribute("type", type);
    for (const auto& [lang, text] : texts) w.start("narrative").attribute("xml:lang", lang).text(text).end();
    w.end();
}

std::string at(const Json& list, std::size_t i, const char* key = nullptr) {
    if (!list.is_array() || i >= list.size()) return "";
    const Json& v = key ? list[i].value(key, Json()) : list[i];
    return v.is_string() ? v.get<std::string>() : "";
}

std::string first_paragraph(const std::string& markdown) {
    std::size_t at = 0;
    while (at < markdown.size()) {
        std::size_t end = markdown.find("\n\n", at);
        if (end == std::string::npos) end = markdown.size();
        std::string para = markdown.substr(at, end - at);
        at = end + 2;
        if (!para.empty() && para[0] != '#' && para.find_first_not_of(" \n") != std::string::npos) return para;
    }
    return "";
}

void write_activity(XmlWriter& w, const std::string& id, const std::vector<Version>& versions, const IatiExportOptions& o,
                    const Vocabularies& vocab, const std::string& generated) {
    const Version& main = versions.front();
    w.start("iati-activity")
        .attribute("last-updated-datetime", generated)
        .attribute("xml:lang", main.doc.lang)
        .attribute("default-currency", "EUR")
        .attribute("hierarchy", "1");
    w.element("iati-identifier", o.org_ref + "-" + id);
    w.start("reporting-org").attribute("ref", o.org_ref).attribute("type", o.org_type);
    w.element("narrative", o.org_name).end();
    narratives(w, "title", versions, [](const Version& v) { return v.doc.title; });
    narratives(
        w, "description", versions,
        [](const Version& v) {
            const std::string text = v.doc.summary.empty() ? first_paragraph(v.doc.body) : v.doc.summary;
            return text.empty() ? v.doc.title : text;
        },
        "1");

    // The organisation itself is accountable; funders fund; partners carry it out.
    w.start("participating-org").attribute("ref", o.org_ref).attribute("role", "2").attribute("type", o.org_type);
    w.element("narrative", o.org_name).end();
    const auto orgs = [&](const char* field, const char* key, const char* role) {
        const Json& list = main.meta.value(field, Json::array());
        for (std::size_t i = 0; i < list.size(); ++i) {
            w.start("participating-org").attribute("role", role);
            for (const Version& v : versions) {
                const std::string name = at(v.meta.value(field, Json::array()), i, key);
                if (!name.empty()) w.start("narrative").attribute("xml:lang", v.doc.lang).text(name).end();
            }
            w.end();
        }
    };
    orgs("funders", nullptr, "1");
    orgs("partners", "name", "4");

    w.start("activity-status").attribute("code", status_of(vocab, main.doc.phase)).end();
    std::string date = main.doc.date;
    if (date.size() == 4) date += "-01-01";
    else if (date.size() == 7) date += "-01";
    w.start("activity-date").attribute("iso-date", date).attribute("type", "2").end();

    for (const Json& c : main.meta.value("countries", Json::array()))
        if (c.is_string()) w.start("recipient-country").attribute("code", c.get<std::string>()).end();
    for (const Json& s : main.meta.value("sectors", Json::array()))
        if (s.is_string()) {
            const std::string code = s.get<std::string>();
            w.start("sector").attribute("code", code).attribute("vocabulary", code.size() == 3 ? "2" : "1").end();
        }

    if (!o.base_url.empty())
        for (const Version& v : versions) {
            const std::string url = o.base_url + http::document_page_path(id, v.doc.lang);
            w.start("document-link").attribute("url", url).attribute("format", "text/html");
            w.start("title").start("narrative").attribute("xml:lang", v.doc.lang).text(v.doc.title).end().end();
            w.start("category").attribute("code", "A12").end();  // activity web page
            w.start("language").attribute("code", v.doc.lang).end();
            w.end();
        }

    // Indicators as results, matched across versions by position.
    for (std::size_t i = 0; i < main.doc.indicators.size(); ++i) {
        const Indicator& ind = main.doc.indicators[i];
        const auto name_in = [&](const Version& v) { return i < v.doc.indicators.size() ? v.doc.indicators[i].name : ""; };
        w.start("result").attribute("type", "1");
        narratives(w, "title", versions, name_in);
        w.start("indicator").attribute("measure", ind.unit == "%" ? "2" : "1");
        narratives(w, "title", versions, name_in);
        narratives(w, "description", versions, [&](const Version& v) {
            if (i >= v.doc.indicators.size()) return std::string();
            const Indicator& x = v.doc.indicators[i];
            return number(x.value) + (x.unit.empty() ? "" : " " + x.unit) + (x.year ? " (" + std::to_string(x.year) + ")" : "");
        });
        if (ind.year > 0) {
            const std::string y = std::to_string(ind.year);
            w.start("period");
            w.start("period-start").attribute("iso-date", y + "-01-01").end();
            w.start("period-end").attribute("iso-date", y + "-12-31").end();
            if (ind.target) w.start("target").attribute("value", number(*ind.target)).end();
            w.start("actual").attribute("value", number(ind.value)).end();
            w.end();
        }
        w.end().end();
    }
    w.end();
}

}  // namespace

IatiExport export_iati(const IatiExportOptions& o) {
    if (o.org_ref.empty()) throw Error("--org-ref: the reporting organisation's IATI identifier is needed");
    Searcher searcher(o.db);
    const int g = searcher.generation();
    Catalogue catalogue(o.db / "catalogue.sqlite", Catalogue::Mode::read_only);
    const std::vector<std::string> public_only = {"public"};

    // Own projects: project documents that were not read from an IATI activity file.
    std::map<std::string, std::vector<Version>> projects;
    for (StoredDocument& d : catalogue.projects(g, public_only)) {
        if (!o.project.empty() && d.id != o.project) continue;
        const std::string source = catalogue.source_file(d.id, d.lang, g);
        if (source.size() >= 4 && source.compare(source.size() - 4, 4, ".xml") == 0) continue;
        auto full = catalogue.document(d.id, d.lang, g, public_only);
        if (!full) continue;
        Json meta = Json::parse(full->metadata, nullptr, false);
        if (meta.is_discarded()) meta = Json::object();
        Version v{std::move(*full), std::move(meta)};
        projects[d.id].push_back(std::move(v));
    }
    if (!o.project.empty() && projects.empty())
        throw Error("--project: '" + o.project + "' is not a public project of the organisation's own in this index");

    const std::string generated = o.generated.empty() ? utc_now() : o.generated;
    XmlWriter w;
    w.start("iati-activities").attribute("version", "2.03").attribute("generated-datetime", generated);
    w.comment(" Written by Passerelle from the organisation's own public project records ");
    IatiExport out;
    for (auto& [id, versions] : projects) {
        // French first (the organisation's working language), then English, then the others.
        std::stable_sort(versions.begin(), versions.end(), [](const Version& a, const Version& b) {
            const auto rank = [](const std::string& l) { return l == "fr" ? 0 : l == "en" ? 1 : 2; };
            return rank(a.doc.lang) < rank(b.doc.lang);
        });
        if (versions.front().doc.date.empty()) {
            // IATI needs an activity date: the earliest of the project's public documents'.
            std::string earliest;
            for (const StoredDocument& d : catalogue.project_documents(id, g, public_only))
                if (!d.date.empty() && (earliest.empty() || d.date < earliest)) earliest = d.date;
            for (Version& v : versions) v.doc.date = earliest;
        }
        if (versions.front().doc.date.empty()) {
            out.skipped.push_back(id + ": no date, which an IATI activity needs");
            continue;
        }
        write_activity(w, id, versions, o, searcher.vocabularies(), generated);
        ++out.activities;
    }
    w.end();
    if (out.activities == 0) throw Error("no public project of the organisation's own to export");
    out.xml = w.finish();
    return out;
}

}  // namespace passerelle
