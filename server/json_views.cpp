#include "server/json_views.h"

#include <map>
#include <set>
#include <tuple>

#include "server/json_writer.h"
#include "core/url.h"

namespace passerelle::http {

std::string document_url(const std::string& base_url, const std::string& id, const std::string& lang) {
    return base_url + "/api/documents/" + percent_encode(id) + "?lang=" + percent_encode(lang);
}

std::string attachment_url(const std::string& base_url, const std::string& id, const std::string& lang, const std::string& file) {
    return base_url + "/api/documents/" + percent_encode(id) + "/files/" + percent_encode(file) + "?lang=" + percent_encode(lang);
}

Json hit_json(const SearchHit& h, const std::string& base_url) {
    Json j = {{"id", h.id},
            {"lang", h.lang},
            {"kind", h.kind},
            {"title", h.title},
            {"snippet", h.snippet},
            {"countries", h.countries},
            {"themes", h.themes},
            {"year", h.year ? Json(h.year) : Json()},
            {"url", document_url(base_url, h.id, h.lang)},
            {"translations", h.translations},
            {"score", shown_score(h.score)}};
    Json versions = Json::array();
    for (const SearchHit::Version& v : h.versions) versions.push_back({{"lang", v.lang}, {"title", v.title.empty() ? Json() : Json(v.title)}});
    j["versions"] = std::move(versions);
    if (!h.attachment.empty())  // the query's words are in this PDF only
        j["in_attachment"] = {{"file", h.attachment}, {"page", h.attachment_page}, {"url", attachment_url(base_url, h.id, h.lang, h.attachment)}};
    return j;
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

// "versions": every language version the caller may see, the one shown included; a title
// unknown (from a remote shard) is null.
void versions(JsonWriter& w, const std::vector<SearchHit::Version>& list) {
    w.key("versions").begin_array();
    for (const SearchHit::Version& v : list) {
        w.begin_object().key("lang").value(v.lang).key("title");
        if (v.title.empty()) w.null();
        else w.value(v.title);
        w.end_object();
    }
    w.end_array();
}

}  // namespace

std::string search_json(const SearchResult& r, long page, long per_page, const std::string& base_url,
                        const Vocabularies& vocab, const std::string& label_lang) {
    JsonWriter w;
    w.begin_object();
    w.key("total").value(static_cast<long long>(r.total));
    w.key("total_all_words").value(static_cast<long long>(r.total_all));
    w.key("total_exact").boolean(r.total_exact);
    w.key("page").value(static_cast<long long>(page));
    w.key("per_page").value(static_cast<long long>(per_page));
    w.key("hits").begin_array();
    for (const SearchHit& h : r.hits) {
        w.begin_object();
        w.key("id").value(h.id).key("lang").value(h.lang).key("kind").value(h.kind);
        w.key("title").value(h.title).key("snippet").value(h.snippet);
        w.key("countries").strings(h.countries).key("themes").strings(h.themes);
        w.key("year");
        if (h.year) w.value(static_cast<long long>(h.year));
        else w.null();
        w.key("url").value(document_url(base_url, h.id, h.lang));
        w.key("translations").strings(h.translations);
        w.key("score").value(shown_score(h.score));
        w.key("all_words").boolean(h.all_words);
        versions(w, h.versions);
        if (!h.attachment.empty()) {  // the query's words are in this PDF only
            w.key("in_attachment").begin_object().key("file").value(h.attachment).key("page").value(static_cast<long long>(h.attachment_page));
            w.key("url").value(attachment_url(base_url, h.id, h.lang, h.attachment)).end_object();
        }
        w.end_object();
    }
    w.end_array();
    w.key("facets").begin_object();
    for (const char* name : {"kind", "lang", "country", "theme", "phase", "place", "year"}) {
        w.key(name).begin_array();
        const auto it = r.facets.find(name);
        if (it != r.facets.end())
            for (const FacetValue& v : it->second) {
                w.begin_object().key("value").value(v.value).key("label").value(label(name, v.value, vocab, label_lang));
                w.key("count").value(static_cast<long long>(v.count)).end_object();
            }
        w.end_array();
    }
    w.end_object();
    w.key("suggestion");
    if (r.suggestion) w.value(*r.suggestion);
    else w.null();
    w.key("corrected");
    if (r.corrected) w.value(*r.corrected);
    else w.null();
    w.key("lang_pref").value(r.lang_pref);
    w.key("missing_shards").strings(r.missing_shards);
    w.end_object();
    return w.take();
}

Json document_json(const StoredDocument& d) {
    Json j = Json::parse(d.metadata);
    // Targets are kept in the metadata only (the catalogue's indicator rows, which projects add
    // up, have none): the rows are in the same order.
    const Json stored = j.contains("indicators") && j["indicators"].is_array() ? j["indicators"] : Json::array();
    Json indicators = Json::array();
    for (const Indicator& i : d.indicators) {
        indicators.push_back({{"name", i.name}, {"value", i.value}, {"unit", i.unit}, {"year", i.year ? Json(i.year) : Json()}});
        const std::size_t at = indicators.size() - 1;
        if (at < stored.size() && stored[at].is_object() && stored[at].contains("target") && stored[at]["target"].is_number())
            indicators.back()["target"] = stored[at]["target"];
    }
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
    Json places = Json::array();
    for (const Place& p : v.places) places.push_back({{"name", p.name}, {"country", p.country}, {"lat", p.lat}, {"lon", p.lon}});
    return {{"themes", terms(v.themes, true, false)},   {"phases", terms(v.phases, false, true)},
            {"stages", terms(v.stages, false, false)},  {"kinds", terms(v.kinds, false, false)},
            {"countries", terms(v.countries, false, false)}, {"visibility", terms(v.visibility, false, false)},
            {"places", places}};
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
