#include "core/stored_fields.h"

#include <nlohmann/json.hpp>

namespace passerelle {

std::string snippet_source(const std::string& summary, const std::string& plain_body) {
    std::string text = summary;
    if (!text.empty() && !plain_body.empty()) text += '\n';
    text += plain_body;
    if (text.size() > k_max_snippet_source) {
        std::size_t cut = k_max_snippet_source;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
        text.resize(cut);
    }
    return text;
}

std::string encode_stored_fields(const Document& doc) {
    nlohmann::json j = {
        {"id", doc.id},           {"lang", doc.lang},
        {"kind", doc.kind},       {"title", doc.title},
        {"date", doc.date},       {"year", doc.year},
        {"countries", doc.countries}, {"themes", doc.all_themes},
        {"visibility", doc.effective_visibility()},
    };
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

StoredFields decode_stored_fields(std::string_view data) {
    StoredFields f;
    const auto j = nlohmann::json::parse(data.begin(), data.end(), nullptr, false);
    if (!j.is_object()) return f;
    f.id = j.value("id", "");
    f.lang = j.value("lang", "");
    f.kind = j.value("kind", "");
    f.title = j.value("title", "");
    f.date = j.value("date", "");
    f.visibility = j.value("visibility", "");
    f.year = j.value("year", 0);
    f.countries = j.value("countries", std::vector<std::string>{});
    f.themes = j.value("themes", std::vector<std::string>{});
    return f;
}

std::string encode_hit_value(const Document& doc, const std::string& plain_body) {
    return encode_stored_fields(doc) + '\n' + snippet_source(doc.summary, plain_body);
}

std::pair<StoredFields, std::string_view> decode_hit_value(std::string_view value) {
    const auto nl = value.find('\n');
    if (nl == std::string_view::npos) return {decode_stored_fields(value), {}};
    return {decode_stored_fields(value.substr(0, nl)), value.substr(nl + 1)};
}

std::string pack_facets(const Document& doc) {
    std::string out;
    auto add = [&](char code, const std::string& value) {
        if (value.empty()) return;
        out += code;
        out += ':';
        out += value;
        out += '\n';
    };
    add(facet::k_kind, doc.kind);
    add(facet::k_lang, doc.lang);
    for (const auto& c : doc.countries) add(facet::k_country, c);
    for (const auto& t : doc.all_themes) add(facet::k_theme, t);
    if (doc.year) add(facet::k_year, std::to_string(doc.year));
    add(facet::k_phase, doc.phase);
    add(facet::k_visibility, doc.effective_visibility());
    return out;
}

}  // namespace passerelle
