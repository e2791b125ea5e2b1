#include "generator/guide_definition.h"

#include <algorithm>
#include <charconv>
#include <functional>

#include "core/diagnostics.h"
#include "core/front_matter.h"
#include "core/markdown_cost.h"
#include "core/tsv.h"

namespace passerelle {

namespace {

std::vector<std::string> list(const FieldValue& v, const std::string& key) {
    if (v.type == FieldValue::Type::null) return {};
    if (v.type == FieldValue::Type::scalar) return {v.scalar};
    if (v.type != FieldValue::Type::list) fail_at(v, "'" + key + "' must be a list");
    std::vector<std::string> out;
    for (const FieldValue& item : v.items) out.push_back(scalar_text(item, key));
    return out;
}

// {fr: ..., en: ...}: both languages required.
std::map<std::string, std::string> bilingual(const FieldValue& v, const std::string& key, bool required) {
    if (v.type != FieldValue::Type::map) fail_at(v, "'" + key + "' must have 'fr' and 'en' entries");
    std::map<std::string, std::string> out;
    for (const auto& [lang, value] : v.fields) {
        if (lang != "fr" && lang != "en") fail_at(value, "'" + key + "' has an entry '" + lang + "'; expected fr and en");
        out[lang] = scalar_text(value, key + "." + lang);
    }
    if (required)
        for (const char* lang : {"fr", "en"})
            if (!out.count(lang) || out[lang].empty()) fail_at(v, "'" + key + "' needs a non-empty '" + lang + "' entry");
    return out;
}

// Markdown texts (the introduction) within the bounds the indexer holds documents to, so that
// a definition sent to the server costs the parser linear time (core/markdown_cost.h).
void check_markdown(const FieldValue& v, const std::string& key) {
    for (const auto& [lang, value] : v.fields)
        if (const auto over = markdown_over_cost(value.scalar))
            fail_at(value, "'" + key + "." + lang + "', line " + std::to_string(over->line) + " of its text: " + over->message);
}

void check_terms(const FieldValue& v, const std::vector<std::string>& values, const TermList& terms, const std::string& key) {
    for (const std::string& value : values)
        if (!terms.find(value)) {
            std::string message = "'" + key + "': unknown value '" + value + "'";
            if (const auto near = terms.nearest(value)) message += " (did you mean '" + *near + "'?)";
            fail_at(v, message);
        }
}

int year(const FieldValue& v, const std::string& s) {
    int y = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), y);
    if (ec != std::errc() || end != s.data() + s.size() || y < 1900 || y > 2100) fail_at(v, "'years' must be YEAR, FROM..TO, FROM.. or ..TO");
    return y;
}

void selection(const FieldValue& v, GuideDefinition& g, const Vocabularies& vocab) {
    if (v.type != FieldValue::Type::map) fail_at(v, "'selection' must be a mapping (query, themes, kinds, countries, projects, phases, years)");
    for (const auto& [k, f] : v.fields) {
        if (k == "query") g.query = f.type == FieldValue::Type::null ? "" : scalar_text(f, k);
        else if (k == "themes") check_terms(f, g.themes = list(f, k), vocab.themes, k);
        else if (k == "kinds") check_terms(f, g.kinds = list(f, k), vocab.kinds, k);
        else if (k == "phases") check_terms(f, g.phases = list(f, k), vocab.phases, k);
        else if (k == "countries") {
            g.countries = list(f, k);
            for (auto& c : g.countries) std::transform(c.begin(), c.end(), c.begin(), ::toupper);
            check_terms(f, g.countries, vocab.countries, k);
        } else if (k == "projects") g.projects = list(f, k);
        else if (k == "years") {
            const std::string s = scalar_text(f, k);
            const auto dots = s.find("..");
            if (dots == std::string::npos) g.year_from = g.year_to = year(f, s);
            else {
                if (dots > 0) g.year_from = year(f, s.substr(0, dots));
                if (dots + 2 < s.size()) g.year_to = year(f, s.substr(dots + 2));
            }
        } else fail_at(f, "unknown selection key '" + k + "' (expected query, themes, kinds, countries, projects, phases, years)");
    }
}

}  // namespace

GuideDefinition load_guide_definition(const std::filesystem::path& path, const Vocabularies& vocab) {
    return parse_guide_definition(read_file(path), path.string(), path.stem().string(), vocab);
}

GuideDefinition parse_guide_definition(const std::string& source, const std::string& where, const std::string& name,
                                       const Vocabularies& vocab) {
    DiagnosticSink sink;
    const auto root = parse_yaml(source, where, sink, YamlKind::guide_definition);
    if (!root) throw Error(sink.take().at(0).str());
    if (root->type != FieldValue::Type::map) fail_at(*root, "a guide definition is a mapping (title, subtitle, introduction, selection, order, parts)");
    GuideDefinition g;
    g.name = name;
    using Setter = std::function<void(const FieldValue&)>;
    const std::map<std::string, Setter> keys = {
        {"title", [&](const FieldValue& v) { g.title = bilingual(v, "title", true); }},
        {"subtitle", [&](const FieldValue& v) { g.subtitle = bilingual(v, "subtitle", false); }},
        {"introduction", [&](const FieldValue& v) {
             g.introduction = bilingual(v, "introduction", true);
             check_markdown(v, "introduction");
         }},
        {"key_messages", [&](const FieldValue& v) {
             g.key_messages = bilingual(v, "key_messages", true);
             check_markdown(v, "key_messages");
         }},
        {"documents", [&](const FieldValue& v) { g.documents = list(v, "documents"); }},
        {"outline", [&](const FieldValue& v) {
             g.outline = list(v, "outline");
             for (const std::string& p : g.outline)
                 if (std::find(guide_outline_parts().begin(), guide_outline_parts().end(), p) == guide_outline_parts().end())
                     fail_at(v, "'outline': unknown part '" + p + "' (expected key_messages, introduction, map, documents, avoid, checklist, glossary, contacts)");
             if (std::find(g.outline.begin(), g.outline.end(), "documents") == g.outline.end()) fail_at(v, "'outline' needs 'documents'");
         }},
        {"contacts", [&](const FieldValue& v) {
             g.contacts = list(v, "contacts");
             for (const std::string& c : g.contacts) {
                 const bool known = std::any_of(vocab.contacts.begin(), vocab.contacts.end(), [&](const Contact& k) { return k.id == c; });
                 if (!known) fail_at(v, "'contacts': unknown contact '" + c + "' (see contacts.tsv)");
             }
         }},
        {"author", [&](const FieldValue& v) { g.author = scalar_text(v, "author"); }},
        {"keywords", [&](const FieldValue& v) { g.keywords = list(v, "keywords"); }},
        {"selection", [&](const FieldValue& v) { selection(v, g, vocab); }},
        {"order", [&](const FieldValue& v) {
             g.order = scalar_text(v, "order");
             if (g.order != "phase" && g.order != "date" && g.order != "title") fail_at(v, "'order' must be phase, date or title");
         }},
        {"parts", [&](const FieldValue& v) {
             g.parts = list(v, "parts");
             for (const std::string& p : g.parts)
                 if (std::find(guide_parts().begin(), guide_parts().end(), p) == guide_parts().end())
                     fail_at(v, "'parts': unknown part '" + p + "' (expected summary, steps, indicators, partners, contacts)");
         }},
    };
    for (const auto& [k, v] : root->fields) {
        const auto it = keys.find(k);
        if (it == keys.end())
            fail_at(v, "unknown key '" + k + "' (expected title, subtitle, introduction, key_messages, author, keywords, selection, order, "
                       "documents, parts, outline, contacts)");
        it->second(v);
    }
    for (const char* required : {"title", "introduction", "selection"})
        if (!root->get(required)) fail_at(*root, std::string("a guide needs '") + required + "'");
    return g;
}

std::vector<std::filesystem::path> list_guides(const std::filesystem::path& guides_dir) {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(guides_dir, ec))
        if (e.path().extension() == ".yaml" && e.is_regular_file(ec)) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::filesystem::path find_guide(const std::string& name_or_file, const std::filesystem::path& guides_dir) {
    std::filesystem::path p(name_or_file);
    std::error_code ec;
    if (p.extension() == ".yaml" || p.extension() == ".yml") {
        if (!std::filesystem::exists(p, ec)) throw Error(name_or_file + ": no such guide definition");
        return p;
    }
    auto named = guides_dir / (name_or_file + ".yaml");
    if (!std::filesystem::exists(named, ec)) {
        std::string known;
        for (const auto& e : std::filesystem::directory_iterator(guides_dir, ec))
            if (e.path().extension() == ".yaml") known += (known.empty() ? "" : ", ") + e.path().stem().string();
        throw Error("no guide '" + name_or_file + "' in " + guides_dir.string() + (known.empty() ? "" : " (known: " + known + ")"));
    }
    return named;
}

}  // namespace passerelle
