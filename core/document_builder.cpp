#include "core/document_builder.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <functional>
#include <set>

#include "core/fold.h"

namespace passerelle {

namespace {

struct Builder {
    const BuildContext& ctx;
    const Vocabularies& vocab;
    DiagnosticSink& sink;
    Document doc;
    bool failed = false;
    std::vector<std::string> regions;  // bulk records: IATI region codes among the countries

    void error(const SourcePos& at, std::string msg) {
        sink.error(at, std::move(msg));
        failed = true;
    }

    // A scalar as text; reports and returns nothing when the value is a list or mapping.
    std::optional<std::string> text(const std::string& field, const FieldValue& v) {
        if (v.type == FieldValue::Type::null) return std::string();
        if (v.type != FieldValue::Type::scalar) {
            error(v.pos, "field '" + field + "' must be a single value, not " + v.type_name());
            return std::nullopt;
        }
        return v.scalar;
    }

    // A list of scalars; a single scalar is accepted as a list of one.
    std::vector<std::pair<std::string, SourcePos>> list(const std::string& field, const FieldValue& v) {
        std::vector<std::pair<std::string, SourcePos>> out;
        if (v.type == FieldValue::Type::scalar) out.emplace_back(v.scalar, v.pos);
        if (v.type == FieldValue::Type::map) error(v.pos, "field '" + field + "' must be a list, not a mapping");
        for (const FieldValue& item : v.items) {
            if (item.type == FieldValue::Type::scalar)
                out.emplace_back(item.scalar, item.pos);
            else
                error(item.pos, "each item of '" + field + "' must be a single value, not " + item.type_name());
        }
        return out;
    }

    void checked(const std::string& field, const FieldValue& v, const TermList& terms, const char* what,
                 std::string& out) {
        const auto s = text(field, v);
        if (!s || s->empty()) return;
        if (!terms.contains(*s)) return unknown(v.pos, what, *s, terms);
        out = *s;
    }

    void checked_list(const std::string& field, const FieldValue& v, const TermList& terms, const char* what,
                      std::vector<std::string>& out) {
        for (auto& [s, pos] : list(field, v)) {
            if (terms.contains(s))
                out.push_back(s);
            else
                unknown(pos, what, s, terms);
        }
    }

    void unknown(const SourcePos& at, const char* what, const std::string& value, const TermList& terms) {
        std::string msg = std::string("unknown ") + what + " '" + value + "'";
        if (auto near = terms.nearest(value))
            msg += " (did you mean '" + *near + "'?)";
        else if (terms.terms().size() <= 12)
            msg += " (expected one of: " + terms.ids_joined() + ")";
        error(at, msg);
    }

    void countries(const FieldValue& v) {
        for (auto& [s, pos] : list("countries", v)) {
            std::string code = s;
            std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::toupper(c); });
            if (code.size() == 2 && vocab.countries.contains(code))
                doc.countries.push_back(code);
            else if (ctx.bulk && vocab.regions.contains(s))
                regions.push_back(s);
            else if (ctx.bulk)
                sink.warning(pos, "unknown country code '" + s + "': the record is indexed without it");
            else
                error(pos, "bad country code '" + s + "' (" + country_hint(s) + ")");
        }
    }

    // What to write instead of a country code that is not one.
    std::string country_hint(const std::string& s) const {
        if (const Term* region = vocab.regions.find(s))
            return "an IATI region code, '" + region->en + "': name the region under 'places'";
        const std::string folded = fold(s);
        for (const Term& c : vocab.countries.terms())
            if (folded == fold(c.fr) || folded == fold(c.en)) return "did you mean '" + c.id + "'?";
        return "expected an ISO 3166-1 alpha-2 code such as 'SN'";
    }

    // IATI regions named among a bulk record's countries, as places in the record's language.
    void add_regions() {
        for (const std::string& code : regions) {
            const std::string& name = vocab.regions.find(code)->label(doc.lang);
            if (std::find(doc.places.begin(), doc.places.end(), name) == doc.places.end()) doc.places.push_back(name);
        }
    }

    void sectors(const FieldValue& v) {
        for (auto& [s, pos] : list("sectors", v)) {
            const bool digits = !s.empty() && std::all_of(s.begin(), s.end(), ::isdigit);
            const bool code = digits && (s.size() == 5 || s.size() == 3);
            if (code && vocab.sectors.contains(s))
                doc.sectors.push_back(s);
            else if (ctx.bulk)
                sink.warning(pos, std::string(code ? "unknown" : "bad") + " sector '" + s + "': the record is indexed without it");
            else if (code)
                error(pos, "unknown sector '" + s + "' (not an OECD DAC purpose code or category" + sector_hint(s) + ")");
            else
                error(pos, "bad sector '" + s + "' (expected a 5-digit OECD DAC purpose code or 3-digit category)");
        }
    }

    // "; did you mean '14030'?" for a code one digit away from a known one of its length (the
    // nearest in value when several are).
    std::string sector_hint(const std::string& s) const {
        const Term* best = nullptr;
        long best_gap = 0;
        for (const Term& t : vocab.sectors.terms()) {
            if (t.id.size() != s.size() || edit_distance(s, t.id, 1) > 1) continue;
            const long gap = std::labs(std::stol(t.id) - std::stol(s));
            if (!best || gap < best_gap) best = &t, best_gap = gap;
        }
        return best ? "; did you mean '" + best->id + "'?" : "";
    }

    void date(const FieldValue& v) {
        const auto s = text("date", v);
        if (!s || s->empty()) return;
        const int y = parse_date(*s);
        if (y == 0) return error(v.pos, "bad date '" + *s + "' (expected YYYY, YYYY-MM or YYYY-MM-DD)");
        doc.date = *s;
        doc.year = y;
    }

    void year(const FieldValue& v) {
        const auto s = text("year", v);
        if (!s || s->empty()) return;
        const int y = s->size() == 4 ? parse_date(*s) : 0;
        if (y == 0) return error(v.pos, "bad year '" + *s + "' (expected four digits)");
        if (doc.date.empty()) {
            doc.date = *s;
            doc.year = y;
        }
    }

    void status(const FieldValue& v) {
        const auto s = text("status", v);
        if (!s || s->empty()) return;
        if (*s != "draft" && *s != "published")
            return error(v.pos, "unknown status '" + *s + "' (expected draft or published)");
        doc.status = *s;
    }

    void lang(const FieldValue& v) {
        const auto s = text("lang", v);
        if (!s || s->empty()) return;
        const bool ok = (s->size() == 2 || s->size() == 3) && std::all_of(s->begin(), s->end(), ::islower);
        if (!ok) return error(v.pos, "bad language code '" + *s + "' (expected a lower-case ISO 639 code such as 'fr')");
        doc.lang = *s;
    }

    void id(const FieldValue& v) {
        const auto s = text("id", v);
        if (!s || s->empty()) return;
        if (!is_valid_id(*s))
            return error(v.pos, "bad id '" + *s + "' (1 to 200 characters, no control characters, no surrounding "
                                "spaces, nothing like a file path such as '../')");
        doc.id = *s;
    }

    void project(const FieldValue& v) {
        const auto s = text("project", v);
        if (!s || s->empty()) return;
        if (!is_valid_id(*s)) return error(v.pos, "bad project id '" + *s + "'");
        doc.project = *s;
    }

    void partners(const FieldValue& v) {
        if (v.type == FieldValue::Type::null) return;
        if (v.type != FieldValue::Type::list) return error(v.pos, "field 'partners' must be a list");
        for (const FieldValue& item : v.items) {
            if (item.type == FieldValue::Type::scalar) {
                doc.partners.push_back({item.scalar, {}});
                continue;
            }
            const FieldValue* name = item.type == FieldValue::Type::map ? item.get("name") : nullptr;
            if (!name || name->type != FieldValue::Type::scalar || name->scalar.empty()) {
                error(item.pos, "each partner needs a 'name'");
                continue;
            }
            const FieldValue* role = item.get("role");
            doc.partners.push_back({name->scalar, role && role->type == FieldValue::Type::scalar ? role->scalar : ""});
        }
    }

    void indicators(const FieldValue& v);
    void attachments(const FieldValue& v);
    void authors(const FieldValue& v);
    void names(const std::string& field, const FieldValue& v, std::vector<std::string>& out);
};

void Builder::names(const std::string& field, const FieldValue& v, std::vector<std::string>& out) {
    if (v.type == FieldValue::Type::scalar) {
        out.push_back(v.scalar);
        return;
    }
    if (v.type == FieldValue::Type::map) return error(v.pos, "field '" + field + "' must be a list");
    for (const FieldValue& item : v.items) {
        if (item.type == FieldValue::Type::scalar) {
            out.push_back(item.scalar);
        } else if (const FieldValue* n = item.type == FieldValue::Type::map ? item.get("name") : nullptr;
                   n && n->type == FieldValue::Type::scalar) {
            out.push_back(n->scalar);
        } else {
            error(item.pos, "each item of '" + field + "' must be a name");
        }
    }
}

void Builder::indicators(const FieldValue& v) {
    if (v.type == FieldValue::Type::null) return;
    if (v.type != FieldValue::Type::list) return error(v.pos, "field 'indicators' must be a list");
    for (const FieldValue& item : v.items) {
        if (item.type != FieldValue::Type::map) {
            error(item.pos, "each indicator must be a mapping with name, value, unit and year");
            continue;
        }
        Indicator ind;
        const FieldValue* name = item.get("name");
        const FieldValue* value = item.get("value");
        const FieldValue* unit = item.get("unit");
        const FieldValue* year = item.get("year");
        if (name && name->type == FieldValue::Type::map) {
            const FieldValue* local = name->get(doc.lang.empty() ? ctx.expected_lang : doc.lang);
            if (!local) local = name->get("en");
            if (local && local->type == FieldValue::Type::scalar) ind.name = local->scalar;
        } else if (name && name->type == FieldValue::Type::scalar) {
            ind.name = name->scalar;
        }
        if (ind.name.empty()) {
            error(item.pos, "indicator needs a 'name'");
            continue;
        }
        const std::string raw = value && value->type == FieldValue::Type::scalar ? value->scalar : "";
        const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), ind.value);
        if (raw.empty() || ec != std::errc() || end != raw.data() + raw.size()) {
            error(value ? value->pos : item.pos, "indicator '" + ind.name + "' needs a numeric 'value'");
            continue;
        }
        if (unit && unit->type == FieldValue::Type::scalar) ind.unit = unit->scalar;
        if (const FieldValue* target = item.get("target"); target && target->type != FieldValue::Type::null) {
            const std::string t = target->type == FieldValue::Type::scalar ? target->scalar : "";
            double aimed = 0;
            const auto [t_end, t_ec] = std::from_chars(t.data(), t.data() + t.size(), aimed);
            if (t.empty() || t_ec != std::errc() || t_end != t.data() + t.size()) {
                error(target->pos, "indicator '" + ind.name + "': 'target' must be a number");
                continue;
            }
            ind.target = aimed;
        }
        if (year && year->type == FieldValue::Type::scalar) {
            ind.year = year->scalar.size() == 4 ? parse_date(year->scalar) : 0;
            if (ind.year == 0) {
                error(year->pos, "bad indicator year '" + year->scalar + "' (expected four digits)");
                continue;
            }
        }
        doc.indicators.push_back(std::move(ind));
    }
}

void Builder::authors(const FieldValue& v) {
    const std::size_t before = doc.authors.size();
    if (v.type == FieldValue::Type::list) {
        for (const FieldValue& item : v.items) {
            const FieldValue* type = item.type == FieldValue::Type::map ? item.get("type") : nullptr;
            if (!type) continue;
            if (type->type != FieldValue::Type::scalar || (type->scalar != "person" && type->scalar != "organisation"))
                error(type->pos, "an author's 'type' is 'person' or 'organisation'");
        }
    }
    names("authors", v, doc.authors);
    // The types, in the same order: as written, else "" (told from the name once all is read).
    std::vector<std::string> types;
    if (v.type == FieldValue::Type::list) {
        for (const FieldValue& item : v.items) {
            const FieldValue* type = item.type == FieldValue::Type::map ? item.get("type") : nullptr;
            const FieldValue* name = item.type == FieldValue::Type::map ? item.get("name") : nullptr;
            if (item.type == FieldValue::Type::scalar || (name && name->type == FieldValue::Type::scalar))
                types.push_back(type && type->type == FieldValue::Type::scalar ? type->scalar : "");
        }
    } else if (v.type == FieldValue::Type::scalar) {
        types.emplace_back();
    }
    types.resize(doc.authors.size() - before);
    doc.author_types.insert(doc.author_types.end(), types.begin(), types.end());
}

// A file name of the note's folder: no path, no hidden file, nothing a shell or URL mangles.
bool is_attachment_file_name(const std::string& f) {
    if (f.empty() || f.size() > 120 || f.front() == '.' || f.front() == '-') return false;
    return std::all_of(f.begin(), f.end(), [](unsigned char c) { return std::isalnum(c) || c == '.' || c == '-' || c == '_'; });
}

void Builder::attachments(const FieldValue& v) {
    if (v.type == FieldValue::Type::null) return;
    if (v.type != FieldValue::Type::list) return error(v.pos, "field 'attachments' must be a list");
    if (ctx.body_in_record) {  // a record has no folder beside it
        sink.warning(v.pos, "attachments are read from Markdown notes only (a folder named after the note's id beside it): ignored here");
        return;
    }
    for (const FieldValue& item : v.items) {
        const FieldValue* file = item.type == FieldValue::Type::map ? item.get("file") : nullptr;
        if (!file || file->type != FieldValue::Type::scalar || file->scalar.empty()) {
            error(item.pos, "each attachment needs a 'file' (its name in the folder named after the note's id)");
            continue;
        }
        if (!is_attachment_file_name(file->scalar)) {
            error(file->pos, "bad attachment file name '" + file->scalar +
                                 "' (letters, digits, '.', '-' and '_' only, no folder, not starting with '.' or '-')");
            continue;
        }
        Attachment a;
        a.file = file->scalar;
        a.pos = item.pos;
        for (const auto& [key, value] : item.fields) {
            std::string* out = key == "title" ? &a.title : key == "alt" ? &a.alt : key == "credit" ? &a.credit : nullptr;
            if (key == "file") continue;
            if (!out) {
                sink.warning(value.pos, "unknown attachment field '" + key + "' (file, title, alt, credit)");
                continue;
            }
            if (value.type != FieldValue::Type::scalar) {
                error(value.pos, "attachment field '" + key + "' must be a single value");
                continue;
            }
            *out = value.scalar;
        }
        const bool repeated = std::any_of(doc.attachments.begin(), doc.attachments.end(), [&](const Attachment& o) { return o.file == a.file; });
        if (repeated) error(file->pos, "attachment '" + a.file + "' is listed twice");
        else doc.attachments.push_back(std::move(a));
    }
}

using FieldHandler = std::function<void(Builder&, const FieldValue&)>;

std::string text_or_empty(Builder& b, const std::string& f, const FieldValue& v) {
    return b.text(f, v).value_or("");
}

// The known fields and how each is read; anything else is an unknown field (a warning).
const std::vector<std::pair<std::string, FieldHandler>>& field_table() {
    static const std::vector<std::pair<std::string, FieldHandler>> table = {
        {"id", [](Builder& b, const FieldValue& v) { b.id(v); }},
        {"lang", [](Builder& b, const FieldValue& v) { b.lang(v); }},
        {"kind", [](Builder& b, const FieldValue& v) { b.checked("kind", v, b.vocab.kinds, "kind", b.doc.kind); }},
        {"title", [](Builder& b, const FieldValue& v) { b.doc.title = text_or_empty(b, "title", v); }},
        {"summary", [](Builder& b, const FieldValue& v) { b.doc.summary = text_or_empty(b, "summary", v); }},
        {"date", [](Builder& b, const FieldValue& v) { b.date(v); }},
        {"year", [](Builder& b, const FieldValue& v) { b.year(v); }},
        {"visibility", [](Builder& b, const FieldValue& v) {
             b.checked("visibility", v, b.vocab.visibility, "visibility", b.doc.visibility);
         }},
        {"countries", [](Builder& b, const FieldValue& v) { b.countries(v); }},
        {"places", [](Builder& b, const FieldValue& v) { b.names("places", v, b.doc.places); }},
        {"themes", [](Builder& b, const FieldValue& v) {
             b.checked_list("themes", v, b.vocab.themes, "theme", b.doc.themes);
         }},
        {"sectors", [](Builder& b, const FieldValue& v) { b.sectors(v); }},
        {"phase", [](Builder& b, const FieldValue& v) { b.checked("phase", v, b.vocab.phases, "phase", b.doc.phase); }},
        {"project", [](Builder& b, const FieldValue& v) { b.project(v); }},
        {"partners", [](Builder& b, const FieldValue& v) { b.partners(v); }},
        {"funders", [](Builder& b, const FieldValue& v) { b.names("funders", v, b.doc.funders); }},
        {"authors", [](Builder& b, const FieldValue& v) { b.authors(v); }},
        {"publisher", [](Builder& b, const FieldValue& v) { b.doc.publisher = text_or_empty(b, "publisher", v); }},
        {"source", [](Builder& b, const FieldValue& v) { b.doc.source = text_or_empty(b, "source", v); }},
        {"indicators", [](Builder& b, const FieldValue& v) { b.indicators(v); }},
        {"tags", [](Builder& b, const FieldValue& v) { b.names("tags", v, b.doc.tags); }},
        {"steps", [](Builder& b, const FieldValue& v) { b.names("steps", v, b.doc.steps); }},
        {"status", [](Builder& b, const FieldValue& v) { b.status(v); }},
        {"attachments", [](Builder& b, const FieldValue& v) { b.attachments(v); }},
    };
    return table;
}

std::optional<std::string> nearest_field(const std::string& name) {
    std::optional<std::string> best;
    int best_d = 3;
    for (const auto& [known, handler] : field_table()) {
        const int d = edit_distance(name, known, 2);
        if (d < best_d) best_d = d, best = known;
    }
    return best;
}

void require(Builder& b, const char* field, const std::string& value) {
    if (value.empty()) b.error(b.ctx.origin, std::string("missing required field '") + field + "'");
}

void check_file_name(Builder& b, const FieldValue& record) {
    if (!b.ctx.expected_id.empty() && !b.doc.id.empty() && b.doc.id != b.ctx.expected_id)
        b.error(record.get("id")->pos, "id '" + b.doc.id + "' does not match the file name (expected '" +
                                           b.ctx.expected_id + "')");
    if (!b.ctx.expected_lang.empty() && !b.doc.lang.empty() && b.doc.lang != b.ctx.expected_lang)
        b.error(record.get("lang")->pos, "lang '" + b.doc.lang + "' does not match the file name (expected '" +
                                             b.ctx.expected_lang + "')");
}

}  // namespace

bool looks_like_organisation(const std::string& name, const Document& doc) {
    if (name == doc.publisher) return true;
    for (const Party& p : doc.partners)
        if (p.name == name) return true;
    for (const std::string& f : doc.funders)
        if (f == name) return true;
    if (name.find(',') != std::string::npos) return false;  // "Diop, Awa"
    // An acronym ("AFD", "UNICEF"), or a name that starts as organisations' names do.
    const bool acronym = name.size() >= 2 && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isupper(c) || std::isdigit(c) || c == '-' || c == '&' || c == '.';
    });
    if (acronym) return true;
    static const char* const k_starts[] = {
        "Le ", "La ", "Les ", "L'", "L’", "The ", "Association", "Agence", "Agency", "Université", "University", "Commune",
        "Municipality", "Conseil", "Council", "Ministère", "Ministry", "Institut", "Fondation", "Foundation", "Région",
        "Region", "Département", "Department", "Centre", "Center", "Comité", "Committee", "Groupe", "Group", "Office",
        "Réseau", "Network", "Collectif", "Coopérative", "Cooperative", "Fédération", "Federation", "Union", "Ville ",
        "City ", "Syndicat", "Programme", "Program", "Projet ", "Project ", "École", "School", "Lycée", "ONG", "NGO"};
    for (const char* start : k_starts)
        if (name.rfind(start, 0) == 0) return true;
    return false;
}

bool is_valid_id(const std::string& id) {
    if (id.empty() || id.size() > 200) return false;
    if (std::isspace(static_cast<unsigned char>(id.front())) || std::isspace(static_cast<unsigned char>(id.back())))
        return false;
    if (std::any_of(id.begin(), id.end(), [](unsigned char c) { return c < 0x20 || c == 0x7F; })) return false;
    // Nothing that reads as a file path: ids name documents in URLs, never files.
    return id != "." && id != ".." && id.front() != '/' && id.find("../") == std::string::npos &&
           id.find("/..") == std::string::npos;
}

int parse_date(const std::string& s) {
    auto digits = [&](std::size_t from, std::size_t n) {
        int v = 0;
        for (std::size_t i = from; i < from + n; ++i) {
            if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    if (s.size() != 4 && s.size() != 7 && s.size() != 10) return 0;
    const int y = digits(0, 4);
    if (y < 1000) return 0;
    if (s.size() == 4) return y;
    if (s[4] != '-') return 0;
    const int m = digits(5, 2);
    if (m < 1 || m > 12) return 0;
    if (s.size() == 7) return y;
    if (s[7] != '-') return 0;
    const int d = digits(8, 2);
    static constexpr int k_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    const int max_day = (m == 2 && !leap) ? 28 : k_days[m - 1];
    return d >= 1 && d <= max_day ? y : 0;
}

std::optional<Document> build_document(const FieldValue& record, std::string body, const BuildContext& ctx,
                                       const Vocabularies& vocab, DiagnosticSink& sink) {
    Builder b{ctx, vocab, sink, {}, false, {}};
    b.doc.origin = ctx.origin;
    b.doc.source_path = ctx.source_path;
    if (record.type != FieldValue::Type::map) {
        b.error(record.pos.line ? record.pos : ctx.origin, "a document must be a mapping of fields");
        return std::nullopt;
    }
    const auto& table = field_table();
    for (const auto& [name, value] : record.fields) {
        if (ctx.body_in_record && name == "body") {
            if (auto s = b.text("body", value)) body = *s;
            continue;
        }
        const auto it = std::find_if(table.begin(), table.end(), [&name = name](const auto& e) { return e.first == name; });
        if (it != table.end()) {
            it->second(b, value);
            continue;
        }
        std::string msg = "unknown field '" + name + "'";
        if (auto near = nearest_field(name)) msg += " (did you mean '" + *near + "'?)";
        sink.warning(value.pos, msg);
    }
    for (const char* f : {"id", "lang", "kind", "title"}) {
        const FieldValue* v = record.get(f);
        const bool present = v && v->type != FieldValue::Type::null && !(v->type == FieldValue::Type::scalar && v->scalar.empty());
        if (!present) require(b, f, "");
    }
    check_file_name(b, record);
    if (b.failed) return std::nullopt;
    b.add_regions();
    b.doc.author_types.resize(b.doc.authors.size());
    for (std::size_t i = 0; i < b.doc.authors.size(); ++i)
        if (b.doc.author_types[i].empty())
            b.doc.author_types[i] = looks_like_organisation(b.doc.authors[i], b.doc) ? "organisation" : "person";
    b.doc.body = std::move(body);
    b.doc.all_themes = b.doc.themes;
    for (auto& t : vocab.themes_for_sectors(b.doc.sectors))
        if (std::find(b.doc.all_themes.begin(), b.doc.all_themes.end(), t) == b.doc.all_themes.end())
            b.doc.all_themes.push_back(std::move(t));
    return std::move(b.doc);
}

}  // namespace passerelle
