#include "indexer/iati_import.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/document_builder.h"
#include "core/tsv.h"

namespace passerelle {

namespace {

// --- reading narratives ---------------------------------------------------------------------

// "en-GB", "EN" -> "en"; "" stays "".
std::string primary_lang(std::string_view tag) {
    std::string out;
    for (char c : tag) {
        if (c == '-' || c == '_') break;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

struct Text {
    std::string lang, text;
};

// The texts of an element in every language: its <narrative> children (2.0x), or its own text
// (1.0x), each in its xml:lang or the activity's default language.
std::vector<Text> texts(const XmlElement* e, const std::string& default_lang) {
    std::vector<Text> out;
    if (!e) return out;
    const std::string own_lang = primary_lang(e->attribute_or("xml:lang", ""));
    const auto narratives = e->children_named("narrative");
    if (!narratives.empty()) {
        for (const XmlElement* n : narratives) {
            std::string t = trim(n->text);
            if (t.empty()) continue;
            const std::string lang = primary_lang(n->attribute_or("xml:lang", ""));
            out.push_back({lang.empty() ? (own_lang.empty() ? default_lang : own_lang) : lang, std::move(t)});
        }
    } else if (std::string t = trim(e->text); !t.empty()) {
        out.push_back({own_lang.empty() ? default_lang : own_lang, std::move(t)});
    }
    return out;
}

// The text in `lang`, else in the default language, else the first one.
std::string text_in(const std::vector<Text>& ts, const std::string& lang, const std::string& default_lang) {
    for (const Text& t : ts)
        if (t.lang == lang) return t.text;
    for (const Text& t : ts)
        if (t.lang == default_lang) return t.text;
    return ts.empty() ? "" : ts.front().text;
}

std::string text_in(const XmlElement* e, const std::string& lang, const std::string& default_lang) {
    return text_in(texts(e, default_lang), lang, default_lang);
}

// --- Markdown --------------------------------------------------------------------------------

// Text as literal Markdown: characters that would start markup are escaped, line breaks kept.
std::string md(std::string_view s) {
    std::string out;
    bool line_start = true;
    for (char c : s) {
        if (c == '\r') continue;
        if (std::string_view("\\`*_[]<>|~").find(c) != std::string_view::npos || (line_start && (c == '#' || c == '+' || c == '-' || c == '=')))
            out += '\\';
        out += c;
        line_start = c == '\n';
    }
    return out;
}

// One table cell: no line breaks.
std::string cell(std::string_view s) {
    std::string out = md(s);
    std::replace(out.begin(), out.end(), '\n', ' ');
    return out;
}

// --- codes -----------------------------------------------------------------------------------

struct Label {
    const char* fr;
    const char* en;
};

const char* pick(const Label& l, const std::string& lang) { return lang == "fr" ? l.fr : l.en; }

// IATI codelists (ActivityStatus, OrganisationRole, DescriptionType, ActivityDateType,
// SectorVocabulary), with French labels of our own.
const std::map<std::string, Label>& statuses() {
    static const std::map<std::string, Label> m = {
        {"1", {"Identification", "Pipeline/identification"}}, {"2", {"Mise en œuvre", "Implementation"}},
        {"3", {"Finalisation", "Finalisation"}},              {"4", {"Clôturé", "Closed"}},
        {"5", {"Annulé", "Cancelled"}},                       {"6", {"Suspendu", "Suspended"}},
    };
    return m;
}

// The phase of the organisation's method that an activity status stands for; none for a
// cancelled or suspended activity.
const char* phase_of_status(const std::string& code) {
    if (code == "1") return "needs-identification";
    if (code == "2") return "steering-committees";
    if (code == "3") return "works-reception";
    if (code == "4") return "evaluation";
    return nullptr;
}

std::string role_code(std::string r) {  // 1.0x wrote the role as a word
    for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (r == "funding") return "1";
    if (r == "accountable") return "2";
    if (r == "extending") return "3";
    if (r == "implementing") return "4";
    return r;
}

const std::map<std::string, Label>& roles() {
    static const std::map<std::string, Label> m = {
        {"1", {"Financement", "Funding"}},
        {"2", {"Responsable", "Accountable"}},
        {"3", {"Intermédiaire", "Extending"}},
        {"4", {"Mise en œuvre", "Implementing"}},
    };
    return m;
}

const std::map<std::string, Label>& description_types() {
    static const std::map<std::string, Label> m = {
        {"1", {"Description", "Description"}},
        {"2", {"Objectifs", "Objectives"}},
        {"3", {"Publics cibles", "Target groups"}},
        {"4", {"Autres informations", "Other information"}},
    };
    return m;
}

std::string date_type(std::string t) {  // 1.0x: start-planned, start-actual, end-planned, end-actual
    if (t == "start-planned") return "1";
    if (t == "start-actual") return "2";
    if (t == "end-planned") return "3";
    if (t == "end-actual") return "4";
    return t;
}

const std::map<std::string, Label>& date_types() {
    static const std::map<std::string, Label> m = {
        {"1", {"Début prévu", "Planned start"}},
        {"2", {"Début effectif", "Actual start"}},
        {"3", {"Fin prévue", "Planned end"}},
        {"4", {"Fin effective", "Actual end"}},
    };
    return m;
}

std::string sector_vocabulary(std::string v) {  // 1.0x: DAC, DAC-3
    if (v.empty() || v == "DAC") return "1";
    if (v == "DAC-3") return "2";
    return v;
}

std::string vocabulary_name(const std::string& v) {
    static const std::map<std::string, std::string> m = {
        {"1", "OECD DAC CRS 5"}, {"2", "OECD DAC CRS 3"}, {"3", "COFOG"},  {"4", "NACE"},  {"5", "NTEE"},
        {"6", "AidData"},        {"7", "SDG goal"},       {"8", "SDG target"}, {"9", "SDG indicator"},
        {"10", "Humanitarian Global Clusters"}, {"11", "UN Sustainable Development Goals"}, {"12", "UN SDG targets"},
        {"98", "reporting organisation (98)"},  {"99", "reporting organisation"},
    };
    const auto it = m.find(v);
    return it != m.end() ? it->second : "vocabulary " + v;
}

struct Words {
    const char* key_facts;
    const char* status;
    const char* identifier;
    const char* reporting;
    const char* organisations;
    const char* organisation;
    const char* role;
    const char* places;
    const char* sectors;
    const char* code;
    const char* sector;
    const char* vocabulary;
    const char* results;
    const char* indicator;
    const char* measure;
    const char* baseline;
    const char* target;
    const char* actual;
    const char* period;
    const char* documents;
    const char* percent;
    const char* from_transactions;
};

const Words& words(const std::string& lang) {
    static const Words fr = {"Informations clés", "Statut", "Identifiant IATI", "Organisation déclarante",
                             "Organisations participantes", "Organisation", "Rôle", "Pays et régions", "Secteurs", "Code",
                             "Secteur", "Vocabulaire", "Résultats", "Indicateur", "Mesure", "Référence", "Cible", "Réalisé",
                             "Période", "Documents", "%", "d'après les transactions"};
    static const Words en = {"Key facts", "Status", "IATI identifier", "Reporting organisation", "Participating organisations",
                             "Organisation", "Role", "Countries and regions", "Sectors", "Code", "Sector", "Vocabulary",
                             "Results", "Indicator", "Measure", "Baseline", "Target", "Actual", "Period", "Documents", "%",
                             "from the transactions"};
    return lang == "fr" ? fr : en;
}

// --- the record handed to the document builder ------------------------------------------------

FieldValue scalar(std::string text, const SourcePos& pos) {
    FieldValue v;
    v.type = FieldValue::Type::scalar;
    v.scalar = std::move(text);
    v.pos = pos;
    return v;
}

FieldValue list(const SourcePos& pos) {
    FieldValue v;
    v.type = FieldValue::Type::list;
    v.pos = pos;
    return v;
}

FieldValue map(const SourcePos& pos) {
    FieldValue v;
    v.type = FieldValue::Type::map;
    v.pos = pos;
    return v;
}

// What an activity says, read once for all its language versions.
struct Activity {
    const XmlElement& e;
    std::string path, default_lang, id;
    SourcePos at(const XmlElement* x) const { return {path, x ? x->line : e.line, 0}; }

    struct Place {
        std::string code, name, percentage;
        bool region = false;
        const XmlElement* element = nullptr;
    };
    struct Sector {
        std::string code, vocabulary, percentage;
        std::vector<Text> names;
        const XmlElement* element = nullptr;
    };
    std::vector<Place> places;
    bool places_from_transactions = false;
    std::vector<Sector> sectors;
    bool sectors_from_transactions = false;

    void read_places(const XmlElement& from) {
        for (const XmlElement* c : from.children_named("recipient-country"))
            places.push_back({c->attribute_or("code", ""), "", c->attribute_or("percentage", ""), false, c});
        for (const XmlElement* r : from.children_named("recipient-region"))
            places.push_back({r->attribute_or("code", ""), text_in(r, "en", default_lang), r->attribute_or("percentage", ""), true, r});
    }

    void read_sectors(const XmlElement& from) {
        for (const XmlElement* s : from.children_named("sector"))
            sectors.push_back({trim(s->attribute_or("code", "")), sector_vocabulary(s->attribute_or("vocabulary", "")),
                               s->attribute_or("percentage", ""), texts(s, default_lang), s});
    }

    // Countries, regions and sectors from the activity, or from its transactions when only
    // they carry them (USAID's files do this), without repeats.
    void read_places_and_sectors() {
        read_places(e);
        read_sectors(e);
        const auto transactions = e.children_named("transaction");
        if (places.empty()) {
            for (const XmlElement* t : transactions) read_places(*t);
            places_from_transactions = !places.empty();
        }
        if (sectors.empty()) {
            for (const XmlElement* t : transactions) read_sectors(*t);
            sectors_from_transactions = !sectors.empty();
        }
        std::set<std::string> seen;
        places.erase(std::remove_if(places.begin(), places.end(),
                                    [&](const Place& p) { return p.code.empty() || !seen.insert((p.region ? "r" : "c") + p.code).second; }),
                     places.end());
        seen.clear();
        sectors.erase(std::remove_if(sectors.begin(), sectors.end(),
                                     [&](const Sector& s) { return s.code.empty() || !seen.insert(s.vocabulary + "/" + s.code).second; }),
                      sectors.end());
    }
};

// A region's name in `lang`: the IATI Region codelist's, else what the file says.
std::string region_name(const Activity::Place& p, const std::string& lang, const Vocabularies& vocab) {
    if (const Term* t = vocab.regions.find(p.code)) return t->label(lang);
    return p.name;
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// The body of one language version, in Markdown.
std::string body_of(const Activity& a, const std::string& lang, const Vocabularies& vocab) {
    const XmlElement& e = a.e;
    const Words& w = words(lang);
    const std::string colon = lang == "fr" ? "\u00A0: " : ": ";
    std::string out;
    const auto section = [&](const std::string& title) {
        if (!out.empty() && out.compare(out.size() - 2, 2, "\n\n") != 0) out += "\n";
        out += "## " + title + "\n\n";
    };

    // Descriptions by type, in the order of the codelist.
    std::map<std::string, std::vector<std::string>> by_type;
    for (const XmlElement* d : e.children_named("description")) {
        const std::string text = text_in(d, lang, a.default_lang);
        if (!text.empty()) by_type[d->attribute_or("type", "1")].push_back(text);
    }
    for (const auto& [type, list] : by_type) {
        const auto label = description_types().find(type);
        section(label != description_types().end() ? pick(label->second, lang) : std::string(w.key_facts));
        for (const std::string& t : list) out += md(t) + "\n\n";
    }

    section(w.key_facts);
    out += std::string("- ") + w.identifier + colon + cell(a.id) + "\n";
    if (const XmlElement* s = e.child("activity-status")) {
        const std::string code = s->attribute_or("code", "");
        const auto label = statuses().find(code);
        out += std::string("- ") + w.status + colon + (label != statuses().end() ? pick(label->second, lang) : code) + "\n";
    }
    std::map<std::string, std::string> dates;
    for (const XmlElement* d : e.children_named("activity-date"))
        dates[date_type(d->attribute_or("type", ""))] = d->attribute_or("iso-date", "").substr(0, 10);
    for (const auto& [type, date] : dates) {
        const auto label = date_types().find(type);
        if (label != date_types().end() && !date.empty()) out += std::string("- ") + pick(label->second, lang) + colon + date + "\n";
    }
    if (const XmlElement* r = e.child("reporting-org")) {
        const std::string name = text_in(r, lang, a.default_lang), ref = r->attribute_or("ref", "");
        out += std::string("- ") + w.reporting + colon + cell(name.empty() ? ref : name) + (ref.empty() || name.empty() ? "" : " (" + cell(ref) + ")") + "\n";
    }

    const auto orgs = e.children_named("participating-org");
    if (!orgs.empty()) {
        section(w.organisations);
        out += std::string("| ") + w.organisation + " | " + w.role + " |\n|---|---|\n";
        for (const XmlElement* o : orgs) {
            const std::string name = text_in(o, lang, a.default_lang), ref = o->attribute_or("ref", "");
            const std::string code = role_code(o->attribute_or("role", ""));
            const auto label = roles().find(code);
            out += "| " + cell(name.empty() ? ref : name) + " | " + (label != roles().end() ? pick(label->second, lang) : cell(code)) + " |\n";
        }
    }

    if (!a.places.empty()) {
        section(w.places);
        for (const auto& p : a.places) {
            std::string name = p.region ? region_name(p, lang, vocab) : p.name;
            if (!p.region)
                if (const Term* t = vocab.countries.find(upper(p.code))) name = t->label(lang);
            out += "- " + cell(name.empty() ? p.code : name) + (p.region ? " (" + cell(p.code) + ")" : "") +
                   (p.percentage.empty() ? "" : colon + cell(p.percentage) + "\u00A0%") + "\n";
        }
        if (a.places_from_transactions) out += std::string("\n(") + w.from_transactions + ")\n";
    }

    if (!a.sectors.empty()) {
        section(w.sectors);
        out += std::string("| ") + w.code + " | " + w.sector + " | " + w.vocabulary + " | " + w.percent + " |\n|---|---|---|---|\n";
        for (const auto& s : a.sectors) {
            std::string name = text_in(s.names, lang, a.default_lang);
            if (s.vocabulary == "1" || s.vocabulary == "2")
                if (const Term* t = vocab.sectors.find(s.code)) name = t->label(lang);
            out += "| " + cell(s.code) + " | " + cell(name) + " | " + cell(vocabulary_name(s.vocabulary)) + " | " + cell(s.percentage) + " |\n";
        }
        if (a.sectors_from_transactions) out += std::string("\n(") + w.from_transactions + ")\n";
    }

    const auto results = e.children_named("result");
    if (!results.empty()) {
        section(w.results);
        for (const XmlElement* r : results) {
            const std::string title = text_in(r->child("title"), lang, a.default_lang);
            out += "### " + (title.empty() ? std::string(w.results) : cell(title)) + "\n\n";
            const std::string description = text_in(r->child("description"), lang, a.default_lang);
            if (!description.empty()) out += md(description) + "\n\n";
            const auto indicators = r->children_named("indicator");
            if (indicators.empty()) continue;
            out += std::string("| ") + w.indicator + " | " + w.baseline + " | " + w.target + " | " + w.actual + " | " + w.period + " |\n";
            out += "|---|---|---|---|---|\n";
            for (const XmlElement* i : indicators) {
                const std::string name = cell(text_in(i->child("title"), lang, a.default_lang));
                std::string baseline;
                if (const XmlElement* b = i->child("baseline"))
                    baseline = cell(b->attribute_or("value", "")) + (b->attribute(std::string_view("year")) ? " (" + cell(b->attribute_or("year", "")) + ")" : "");
                const auto periods = i->children_named("period");
                if (periods.empty()) out += "| " + name + " | " + baseline + " |  |  |  |\n";
                for (const XmlElement* p : periods) {
                    const XmlElement* t = p->child("target");
                    const XmlElement* v = p->child("actual");
                    const std::string from = p->child("period-start") ? p->child("period-start")->attribute_or("iso-date", "").substr(0, 10) : "";
                    const std::string to = p->child("period-end") ? p->child("period-end")->attribute_or("iso-date", "").substr(0, 10) : "";
                    out += "| " + name + " | " + baseline + " | " + (t ? cell(t->attribute_or("value", "")) : "") + " | " +
                           (v ? cell(v->attribute_or("value", "")) : "") + " | " + from + (to.empty() ? "" : " – " + to) + " |\n";
                }
            }
            out += "\n";
        }
    }

    const auto links = e.children_named("document-link");
    if (!links.empty()) {
        section(w.documents);
        for (const XmlElement* l : links) {
            const std::string url = trim(l->attribute_or("url", ""));
            std::string title = text_in(l->child("title"), lang, a.default_lang);
            if (title.empty()) title = url;
            const bool web = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
            std::string safe_url;
            for (char c : url) safe_url += (c == ' ' ? std::string("%20") : c == ')' ? std::string("%29") : c == '(' ? std::string("%28") : std::string(1, c));
            out += "- " + (web ? "[" + cell(title) + "](" + safe_url + ")" : cell(title)) + "\n";
        }
    }
    return out;
}

}  // namespace

std::vector<Document> iati_activity_documents(const XmlElement& activity, const IatiFileInfo& file, const std::string& path,
                                              const Vocabularies& vocab, DiagnosticSink& sink) {
    Activity a{activity, path, "", "", {}, false, {}, false};
    a.default_lang = primary_lang(activity.attribute_or("xml:lang", ""));
    if (a.default_lang.empty()) a.default_lang = file.default_lang.empty() ? "en" : file.default_lang;
    const XmlElement* ident = activity.child("iati-identifier");
    a.id = ident ? trim(ident->text) : "";
    if (a.id.empty()) {
        sink.error(a.at(nullptr), "IATI activity without an iati-identifier: skipped");
        return {};
    }

    // The languages: those of the title and the descriptions.
    const std::vector<Text> titles = [&] {
        std::vector<Text> all;
        for (const XmlElement* t : activity.children_named("title"))
            for (Text& x : texts(t, a.default_lang)) all.push_back(std::move(x));
        return all;
    }();
    std::vector<std::string> langs;
    const auto add_lang = [&](const std::string& l) {
        if (!l.empty() && std::find(langs.begin(), langs.end(), l) == langs.end()) langs.push_back(l);
    };
    for (const Text& t : titles) add_lang(t.lang);
    for (const XmlElement* d : activity.children_named("description"))
        for (const Text& t : texts(d, a.default_lang)) add_lang(t.lang);
    if (titles.empty()) {
        sink.error(a.at(activity.child("title")), "IATI activity '" + a.id + "' has no title: skipped");
        return {};
    }

    a.read_places_and_sectors();

    // Fields every version shares, checked once: countries and DAC sectors the vocabularies
    // know (others stay in the body, with a warning for unknown DAC codes).
    std::vector<std::pair<std::string, SourcePos>> countries, sectors;
    for (const auto& p : a.places) {
        if (p.region && p.name.empty() && !vocab.regions.contains(p.code))
            sink.warning(a.at(p.element), "unknown recipient region '" + p.code + "' without a name in IATI activity '" + a.id +
                                              "': kept in the text only");
        if (p.region) continue;
        const std::string code = upper(p.code);
        if (vocab.countries.contains(code)) countries.emplace_back(code, a.at(p.element));
        else sink.warning(a.at(p.element), "unknown recipient country '" + p.code + "' in IATI activity '" + a.id + "': kept in the text only");
    }
    for (const auto& s : a.sectors) {
        if (s.vocabulary != "1" && s.vocabulary != "2") continue;
        if (vocab.sectors.contains(s.code)) sectors.emplace_back(s.code, a.at(s.element));
        else sink.warning(a.at(s.element), "unknown DAC sector '" + s.code + "' in IATI activity '" + a.id + "': kept in the text only");
    }
    std::string date;
    for (const char* type : {"2", "1"})
        for (const XmlElement* d : activity.children_named("activity-date"))
            if (date.empty() && date_type(d->attribute_or("type", "")) == type) date = d->attribute_or("iso-date", "").substr(0, 10);
    const XmlElement* status = activity.child("activity-status");
    const char* phase = status ? phase_of_status(status->attribute_or("code", "")) : nullptr;

    std::vector<Document> out;
    for (const std::string& lang : langs) {
        const SourcePos origin = a.at(nullptr);
        FieldValue r = map(origin);
        const auto put = [&](const char* key, FieldValue v) { r.fields.emplace_back(key, std::move(v)); };
        put("id", scalar(a.id, a.at(ident)));
        put("lang", scalar(lang, origin));
        put("kind", scalar("project", origin));
        put("title", scalar(text_in(titles, lang, a.default_lang), a.at(activity.child("title"))));
        std::string general;
        for (const XmlElement* d : activity.children_named("description"))
            if (general.empty() && d->attribute_or("type", "1") == "1") general = text_in(d, lang, a.default_lang);
        if (!general.empty()) {
            std::string summary = general.substr(0, general.find("\n\n"));
            if (summary.size() > 400) {
                std::size_t cut = summary.rfind(' ', 400);
                if (cut == std::string::npos || cut < 200) cut = 400;
                while (cut > 0 && (static_cast<unsigned char>(summary[cut]) & 0xC0) == 0x80) --cut;
                summary = summary.substr(0, cut) + "…";
            }
            put("summary", scalar(summary, origin));
        }
        if (!date.empty()) put("date", scalar(date, origin));
        put("visibility", scalar("public", origin));  // IATI data is published data
        FieldValue cs = list(origin);
        for (const auto& [code, pos] : countries) cs.items.push_back(scalar(code, pos));
        put("countries", std::move(cs));
        FieldValue ss = list(origin);
        for (const auto& [code, pos] : sectors) ss.items.push_back(scalar(code, pos));
        put("sectors", std::move(ss));
        FieldValue places = list(origin);
        for (const auto& p : a.places)
            if (const std::string name = region_name(p, lang, vocab); p.region && !name.empty())
                places.items.push_back(scalar(name, a.at(p.element)));
        put("places", std::move(places));
        if (phase) put("phase", scalar(phase, a.at(status)));

        FieldValue partners = list(origin), funders = list(origin);
        for (const XmlElement* o : activity.children_named("participating-org")) {
            std::string name = text_in(o, lang, a.default_lang);
            if (name.empty()) name = trim(o->attribute_or("ref", ""));
            if (name.empty()) continue;
            const std::string code = role_code(o->attribute_or("role", ""));
            const auto label = roles().find(code);
            FieldValue p = map(a.at(o));
            p.fields.emplace_back("name", scalar(name, a.at(o)));
            if (label != roles().end()) p.fields.emplace_back("role", scalar(pick(label->second, lang), a.at(o)));
            partners.items.push_back(std::move(p));
            if (code == "1") funders.items.push_back(scalar(name, a.at(o)));
        }
        put("partners", std::move(partners));
        put("funders", std::move(funders));
        if (const XmlElement* rep = activity.child("reporting-org")) {
            std::string name = text_in(rep, lang, a.default_lang);
            if (name.empty()) name = trim(rep->attribute_or("ref", ""));
            if (!name.empty()) put("publisher", scalar(name, a.at(rep)));
        }
        put("source", scalar("IATI " + (file.version.empty() ? std::string() : file.version + " ") + "activity file", origin));

        // Indicators with a measured value, as structured data (the body has every figure).
        FieldValue indicators = list(origin);
        for (const XmlElement* res : activity.children_named("result"))
            for (const XmlElement* i : res->children_named("indicator")) {
                const std::string name = text_in(i->child("title"), lang, a.default_lang);
                const XmlElement* last = nullptr;
                for (const XmlElement* p : i->children_named("period"))
                    if (const XmlElement* v = p->child("actual"); v && !v->attribute_or("value", "").empty()) last = p;
                if (name.empty() || !last) continue;
                const std::string value = trim(last->child("actual")->attribute_or("value", ""));
                char* end = nullptr;
                std::strtod(value.c_str(), &end);
                if (value.empty() || *end != '\0') continue;
                FieldValue ind = map(a.at(i));
                ind.fields.emplace_back("name", scalar(name, a.at(i)));
                FieldValue v = scalar(value, a.at(last));
                v.is_number = true;
                ind.fields.emplace_back("value", std::move(v));
                if (const XmlElement* t = last->child("target")) {  // what that period aimed at, when a number
                    const std::string aimed = trim(t->attribute_or("value", ""));
                    char* aimed_end = nullptr;
                    std::strtod(aimed.c_str(), &aimed_end);
                    if (!aimed.empty() && *aimed_end == '\0') {
                        FieldValue tv = scalar(aimed, a.at(t));
                        tv.is_number = true;
                        ind.fields.emplace_back("target", std::move(tv));
                    }
                }
                const std::string measure = i->attribute_or("measure", "1");
                ind.fields.emplace_back("unit", scalar(measure == "2" ? "%" : "", a.at(i)));
                const XmlElement* end_date = last->child("period-end");
                const std::string year = end_date ? end_date->attribute_or("iso-date", "").substr(0, 4) : "";
                if (year.size() == 4 && std::all_of(year.begin(), year.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
                    FieldValue y = scalar(year, a.at(last));
                    y.is_number = true;
                    ind.fields.emplace_back("year", std::move(y));
                }
                indicators.items.push_back(std::move(ind));
            }
        put("indicators", std::move(indicators));

        BuildContext ctx;
        ctx.origin = origin;
        ctx.source_path = path;
        ctx.bulk = true;
        if (auto doc = build_document(r, body_of(a, lang, vocab), ctx, vocab, sink)) out.push_back(std::move(*doc));
    }
    return out;
}

void read_iati_file(const std::filesystem::path& file, const std::string& display, const Vocabularies& vocab,
                    DiagnosticSink& sink, const std::function<void(Document&&)>& accept) {
    IatiFileInfo info;
    stream_xml_records(
        file, "iati-activity",
        [&](const XmlElement& root) {
            if (root.name != "iati-activities")
                throw Error("not an IATI activity file (the root element is <" + root.name + ">, not <iati-activities>)");
            info.version = root.attribute_or("version", "");
            if (!info.version.empty() && info.version[0] != '1' && info.version[0] != '2')
                throw Error("IATI version " + info.version + " is not supported (2.01 to 2.03, and 1.0x)");
            info.default_lang = primary_lang(root.attribute_or("xml:lang", ""));
        },
        [&](XmlElement&& activity) {
            for (Document& d : iati_activity_documents(activity, info, display, vocab, sink)) accept(std::move(d));
        });
}

}  // namespace passerelle
