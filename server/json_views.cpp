#include "server/json_views.h"

#include <map>
#include <set>
#include <tuple>

#include "server/url.h"

namespace passerelle::http {

std::string document_url(const std::string& base_url, const std::string& id, const std::string& lang) {
    return base_url + "/api/documents/" + percent_encode(id) + "?lang=" + percent_encode(lang);
}

Json hit_json(const SearchHit& h, const std::string& base_url) {
    return {{"id", h.id},
            {"lang", h.lang},
            {"kind", h.kind},
            {"title", h.title},
            {"snippet", h.snippet},
            {"countries", h.countries},
            {"themes", h.themes},
            {"year", h.year ? Json(h.year) : Json()},
            {"url", document_url(base_url, h.id, h.lang)},
            {"translations", h.translations},
            {"score", h.score}};
}

namespace {

std::string label(const std::string& facet, const std::string& value, const Vocabularies& v, const std::string& lang) {
    const TermList* list = facet == "theme" ? &v.themes : facet == "kind" ? &v.kinds : facet == "phase" ? &v.phases
                         : facet == "country" ? &v.countries : nullptr;
    if (list)
        if (const Term* t = list->find(value)) return t->label(lang);
    if (facet == "lang") {
        static const std::map<std::string, std::pair<std::string, std::string>> names = {
            {"fr", {"français", "French"}}, {"en", {"anglais", "English"}}, {"es", {"espagnol", "Spanish"}},
            {"pt", {"portugais", "Portuguese"}}, {"ar", {"arabe", "Arabic"}}, {"wo", {"wolof", "Wolof"}}};
        const auto it = names.find(value);
        if (it != names.end()) return lang == "fr" ? it->second.first : it->second.second;
    }
    return value;
}

}  // namespace

Json facets_json(const SearchResult& r, const Vocabularies& vocab, const std::string& label_lang) {
    Json out = Json::object();
    for (const char* name : {"kind", "lang", "country", "theme", "phase", "year"}) {
        Json list = Json::array();
        const auto it = r.facets.find(name);
        if (it != r.facets.end())
            for (const FacetValue& v : it->second)
                list.push_back({{"value", v.value}, {"label", label(name, v.value, vocab, label_lang)}, {"count", v.count}});
        out[name] = std::move(list);
    }
    return out;
}

Json document_json(const StoredDocument& d) {
    Json j = Json::parse(d.metadata);
    Json indicators = Json::array();
    for (const Indicator& i : d.indicators)
        indicators.push_back({{"name", i.name}, {"value", i.value}, {"unit", i.unit}, {"year", i.year ? Json(i.year) : Json()}});
    j["indicators"] = std::move(indicators);
    return j;
}

Json vocabularies_json(const Vocabularies& v) {
    auto terms = [](const TermList& list, bool with_sectors, bool with_group) {
        Json out = Json::array();
        for (const Term& t : list.terms()) {
            Json j = {{"id", t.id}, {"fr", t.fr}, {"en", t.en}};
            if (with_sectors) j["sectors"] = t.sectors;
            if (with_group) j["stage"] = t.group;
            out.push_back(std::move(j));
        }
        return out;
    };
    return {{"themes", terms(v.themes, true, false)},   {"phases", terms(v.phases, false, true)},
            {"stages", terms(v.stages, false, false)},  {"kinds", terms(v.kinds, false, false)},
            {"countries", terms(v.countries, false, false)}, {"visibility", terms(v.visibility, false, false)}};
}

Json indicator_totals(const std::vector<std::pair<StoredDocument, Indicator>>& rows, const std::string& lang) {
    // Only the language versions in `lang` (their names are in that language), else any.
    bool has_lang = false;
    for (const auto& [d, i] : rows) has_lang |= d.lang == lang;
    std::map<std::pair<std::string, std::string>, std::map<std::string, Indicator>> latest;  // (name, unit) -> doc -> latest
    for (const auto& [d, i] : rows) {
        if (has_lang && d.lang != lang) continue;
        Indicator& slot = latest[{i.name, i.unit}][d.id];
        if (slot.name.empty() || i.year >= slot.year) slot = i;
    }
    Json out = Json::array();
    for (const auto& [key, by_doc] : latest) {
        std::set<std::pair<int, double>> seen;
        double total = 0;
        int year = 0;
        Json sources = Json::array();
        for (const auto& [doc, i] : by_doc) {
            sources.push_back(doc);
            year = std::max(year, i.year);
            if (seen.insert({i.year, i.value}).second) total += i.value;
        }
        out.push_back({{"name", key.first}, {"unit", key.second}, {"value", total}, {"year", year ? Json(year) : Json()},
                       {"sources", sources}});
    }
    return out;
}

}  // namespace passerelle::http
