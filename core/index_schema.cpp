#include "core/index_schema.h"

#include <algorithm>
#include <cstdlib>

namespace passerelle::schema {

namespace {

using Values = std::vector<std::string>;

Values one(const std::string& s) { return s.empty() ? Values{} : Values{s}; }

Values lower(Values v) {
    for (auto& s : v) std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return v;
}

Values sectors_and_categories(const Document& d) {
    Values out = d.sectors;
    for (const auto& s : d.sectors)
        if (s.size() == 5 && std::find(out.begin(), out.end(), s.substr(0, 3)) == out.end()) out.push_back(s.substr(0, 3));
    return out;
}

Values party_names(const Document& d) {
    Values out;
    for (const auto& p : d.partners) out.push_back(p.role.empty() ? p.name : p.name + " " + p.role);
    return out;
}

}  // namespace

const std::vector<FieldRule>& field_rules() {
    static const std::vector<FieldRule> rules = {
        {"title", Indexing::free_text, k_title, 3, "title", [](const Document& d) { return one(d.title); }},
        {"summary", Indexing::free_text, "", 2, "", [](const Document& d) { return one(d.summary); }},
        {"body", Indexing::free_text, "", 1, "", [](const Document&) { return Values{}; }},  // plain text, added by the indexer
        {"places", Indexing::free_text, "", 1, "", [](const Document& d) { return d.places; }},
        {"tags", Indexing::free_text, "", 2, "", [](const Document& d) { return d.tags; }},
        {"steps", Indexing::free_text, "", 1, "", [](const Document& d) { return d.steps; }},
        {"partners", Indexing::free_text, "", 1, "", party_names},
        {"funders", Indexing::free_text, "", 1, "", [](const Document& d) { return d.funders; }},
        {"authors", Indexing::free_text, "", 1, "", [](const Document& d) { return d.authors; }},
        {"publisher", Indexing::free_text, "", 1, "", [](const Document& d) { return one(d.publisher); }},
        {"attachments", Indexing::free_text, "", 1, "", [](const Document& d) {
             std::vector<std::string> out;  // titles, alternative texts, credits, then each PDF page
             for (const Attachment& a : d.attachments)
                 for (const std::string* s : {&a.title, &a.alt, &a.credit})
                     if (!s->empty()) out.push_back(*s);
             for (const Attachment& a : d.attachments) out.insert(out.end(), a.pages.begin(), a.pages.end());
             return out;
         }},
        {"id", Indexing::boolean_filter, k_id, 0, "id", [](const Document& d) { return one(d.id); }},
        {"lang", Indexing::boolean_filter, k_lang, 0, "lang", [](const Document& d) { return one(d.lang); }},
        {"kind", Indexing::boolean_filter, k_kind, 0, "kind", [](const Document& d) { return one(d.kind); }},
        {"countries", Indexing::boolean_filter, k_country, 0, "country", [](const Document& d) { return lower(d.countries); }},
        {"themes", Indexing::boolean_filter, k_theme, 0, "theme", [](const Document& d) { return d.all_themes; }},
        {"sectors", Indexing::boolean_filter, k_sector, 0, "sector", sectors_and_categories},
        {"phase", Indexing::boolean_filter, k_phase, 0, "phase", [](const Document& d) { return one(d.phase); }},
        {"project", Indexing::boolean_filter, k_project, 0, "project", [](const Document& d) { return one(d.project); }},
        {"place", Indexing::boolean_filter, k_place, 0, "place", [](const Document& d) { return lower(d.places); }},
        {"visibility", Indexing::boolean_filter, k_visibility, 0, "", [](const Document& d) { return one(d.effective_visibility()); }},
        {"date", Indexing::sort_value, "", 0, "year", [](const Document& d) { return one(d.date); }},
        {"indicators", Indexing::stored, "", 0, "", [](const Document&) { return Values{}; }},
        {"status", Indexing::stored, "", 0, "", [](const Document& d) { return one(d.status); }},
        {"source", Indexing::stored, "", 0, "", [](const Document& d) { return one(d.source); }},
    };
    return rules;
}

int generation_of(const Xapian::Database& db) {
    const std::string g = db.get_metadata(std::string(k_meta_generation));
    return g.empty() ? 0 : std::stoi(g);
}

std::string glossary_expansion(std::string_view lang, std::string_view folded_phrase) {
    std::string out(lang);
    return out.append(1, ':').append(folded_phrase);
}

std::optional<GlossaryForm> split_glossary_expansion(std::string_view expansion) {
    const auto colon = expansion.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    return GlossaryForm{std::string(expansion.substr(0, colon)), std::string(expansion.substr(colon + 1))};
}

int schema_of(const Xapian::Database& db) {
    const std::string v = db.get_metadata(std::string(k_meta_schema));
    return v.empty() ? 0 : std::atoi(v.c_str());
}

std::string uid_term(std::string_view id, std::string_view lang) {
    std::string out(k_uid);
    out.reserve(out.size() + id.size() + 1 + lang.size());
    out.append(id).append(1, '@').append(lang);
    return out;
}

std::string order_key(const std::string& date, std::string_view id, std::string_view lang) {
    std::string key = date_key(date);
    if (key.empty()) key = "00000000";
    return key.append(id).append(1, '@').append(lang);
}

bool split_order_key(std::string_view key, std::string& id, std::string& lang) {
    const auto at = key.rfind('@');
    if (key.size() <= 8 || at == std::string_view::npos || at < 8) return false;
    id.assign(key.substr(8, at - 8));
    lang.assign(key.substr(at + 1));
    return !id.empty() && !lang.empty();
}

std::string date_key(const std::string& date) {
    if (date.size() < 4) return {};
    std::string key = date.substr(0, 4);
    key += date.size() >= 7 ? date.substr(5, 2) : "00";
    key += date.size() >= 10 ? date.substr(8, 2) : "00";
    return key;
}

}  // namespace passerelle::schema
