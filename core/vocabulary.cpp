#include "core/vocabulary.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <set>

#include "core/diagnostics.h"
#include "core/fold.h"
#include "core/tsv.h"
#include "core/utf8.h"

namespace passerelle {

void TermList::add(Term t) {
    if (m_index.count(t.id)) throw Error("duplicate vocabulary id '" + t.id + "'");
    m_index.emplace(t.id, m_terms.size());
    m_terms.push_back(std::move(t));
}

const Term* TermList::find(const std::string& id) const {
    const auto it = m_index.find(id);
    return it == m_index.end() ? nullptr : &m_terms[it->second];
}

std::optional<std::string> TermList::nearest(const std::string& id) const {
    const int cap = id.size() <= 4 ? 1 : 2;
    std::optional<std::string> best;
    int best_distance = cap + 1;
    for (const Term& t : m_terms) {
        const int d = edit_distance(id, t.id, cap);
        if (d < best_distance) {
            best_distance = d;
            best = t.id;
        }
    }
    return best;
}

std::string TermList::ids_joined() const {
    std::string out;
    for (const Term& t : m_terms) {
        if (!out.empty()) out += ", ";
        out += t.id;
    }
    return out;
}

int edit_distance(const std::string& a, const std::string& b, int cap) {
    std::u32string x, y;
    for (std::size_t p = 0; p < a.size();) x += utf8::decode(a, p);
    for (std::size_t p = 0; p < b.size();) y += utf8::decode(b, p);
    if (std::abs(static_cast<int>(x.size()) - static_cast<int>(y.size())) > cap) return cap + 1;
    std::vector<int> prev(y.size() + 1), cur(y.size() + 1);
    for (std::size_t j = 0; j <= y.size(); ++j) prev[j] = static_cast<int>(j);
    for (std::size_t i = 1; i <= x.size(); ++i) {
        cur[0] = static_cast<int>(i);
        int row_min = cur[0];
        for (std::size_t j = 1; j <= y.size(); ++j) {
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)});
            row_min = std::min(row_min, cur[j]);
        }
        if (row_min > cap) return cap + 1;
        std::swap(prev, cur);
    }
    return std::min(prev[y.size()], cap + 1);
}

namespace {

std::vector<std::string> aliases_in(const TsvTable& t, const TsvRow& r, const char* column) {
    const auto it = std::find(t.header.begin(), t.header.end(), column);
    if (it == t.header.end()) return {};
    return split_list(r.cells[static_cast<std::size_t>(it - t.header.begin())]);
}

std::vector<std::string> aliases_of(const TsvTable& t, const TsvRow& r) {
    std::vector<std::string> out = aliases_in(t, r, "aliases_fr");
    for (auto& a : aliases_in(t, r, "aliases_en")) out.push_back(std::move(a));
    return out;
}

using Files = std::map<std::string, std::string>;

// Files that came after the others (regions.tsv, sector-aliases.tsv): indexes built before
// them, and vocabulary folders of their time, have none, and are read as listing nothing.
bool optional_file(const std::string& name) {
    return name == "regions.tsv" || name == "sector-aliases.tsv" || name == "places.tsv" || name == "contacts.tsv" || name == "acronyms.tsv";
}

const std::string& file_content(const Files& files, const std::string& name) {
    const auto it = files.find(name);
    if (it == files.end()) throw Error("vocabulary file '" + name + "' is missing");
    return it->second;
}

std::vector<Place> load_places(const Files& files, const TermList& countries) {
    const TsvTable t = parse_tsv("places.tsv", file_content(files, "places.tsv"));
    const std::size_t name = t.column("name"), country = t.column("country"), lat = t.column("lat"), lon = t.column("lon");
    std::vector<Place> out;
    for (const TsvRow& r : t.rows) {
        Place p{r.cells[name], r.cells[country], 0, 0};
        const auto number = [&](std::size_t col, double low, double high, double& v) {
            const std::string& s = r.cells[col];
            const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
            if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < low || v > high)
                throw Error(t.path + ":" + std::to_string(r.line) + ": '" + s + "' is not a " + (col == lat ? "latitude" : "longitude") +
                            " (degrees, " + std::to_string(static_cast<int>(low)) + " to " + std::to_string(static_cast<int>(high)) + ")");
        };
        number(lat, -90, 90, p.lat);
        number(lon, -180, 180, p.lon);
        if (p.name.empty()) throw Error(t.path + ":" + std::to_string(r.line) + ": a place needs a name");
        if (!countries.find(p.country)) throw Error(t.path + ":" + std::to_string(r.line) + ": country '" + p.country + "' is not in countries.tsv");
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<Contact> load_contacts(const Files& files, const TermList& countries) {
    const TsvTable t = parse_tsv("contacts.tsv", file_content(files, "contacts.tsv"));
    const auto col = [&](const char* c) { return t.column(c); };
    const std::size_t id = col("id"), fr = col("name_fr"), en = col("name_en"), country = col("country"), address = col("address"),
                      phone = col("phone"), email = col("email"), web = col("web");
    std::vector<Contact> out;
    for (const TsvRow& r : t.rows) {
        Contact c{r.cells[id], r.cells[fr], r.cells[en], r.cells[country], r.cells[address], r.cells[phone], r.cells[email], r.cells[web]};
        const std::string where = t.path + ":" + std::to_string(r.line);
        if (c.id.empty() || c.name_fr.empty()) throw Error(where + ": a contact needs an id and a name_fr");
        if (!c.country.empty() && !countries.find(c.country)) throw Error(where + ": country '" + c.country + "' is not in countries.tsv");
        if (!c.email.empty() && c.email.find('@') == std::string::npos) throw Error(where + ": '" + c.email + "' is not an e-mail address");
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<Acronym> load_acronyms(const Files& files) {
    const TsvTable t = parse_tsv("acronyms.tsv", file_content(files, "acronyms.tsv"));
    const std::size_t acronym = t.column("acronym"), fr = t.column("fr"), en = t.column("en");
    std::vector<Acronym> out;
    for (const TsvRow& r : t.rows) {
        Acronym a{r.cells[acronym], r.cells[fr], r.cells[en]};
        if (a.acronym.empty() || a.fr.empty() || a.en.empty())
            throw Error(t.path + ":" + std::to_string(r.line) + ": an acronym needs its fr and en forms");
        out.push_back(std::move(a));
    }
    return out;
}

TermList load_terms(const Files& files, const std::string& name) {
    const TsvTable t = parse_tsv(name, file_content(files, name));
    const std::size_t id = t.column("id"), fr = t.column("fr"), en = t.column("en");
    const auto has = [&](const char* c) { return std::find(t.header.begin(), t.header.end(), c) != t.header.end(); };
    TermList list;
    for (const TsvRow& r : t.rows) {
        Term term{r.cells[id], r.cells[fr], r.cells[en], aliases_of(t, r), {}, {}, 0};
        term.aliases_fr = aliases_in(t, r, "aliases_fr");
        term.aliases_en = aliases_in(t, r, "aliases_en");
        if (has("sectors")) term.sectors = split_list(r.cells[t.column("sectors")], " ");
        if (has("stage")) term.group = r.cells[t.column("stage")];
        if (has("rank")) term.rank = std::atoi(r.cells[t.column("rank")].c_str());
        try {
            list.add(std::move(term));
        } catch (const Error& e) {
            throw Error(t.path + ":" + std::to_string(r.line) + ": " + e.what());
        }
    }
    return list;
}

TermList load_codes(const Files& files, const std::string& name, const char* code_column, const char* group_column) {
    const TsvTable t = parse_tsv(name, file_content(files, name));
    const std::size_t code = t.column(code_column), fr = t.column("fr"), en = t.column("en");
    TermList list;
    for (const TsvRow& r : t.rows) {
        Term term{r.cells[code], r.cells[fr], r.cells[en], {}, {}, {}, 0};
        if (group_column) term.group = r.cells[t.column(group_column)];
        list.add(std::move(term));
    }
    return list;
}

// "comité de pilotage (COPIL)" gives "comité de pilotage" and the acronym "COPIL".
void add_glossary_forms(const std::string& cell, std::vector<std::string>& out) {
    for (std::string form : split_list(cell)) {
        const auto open = form.find(" (");
        if (open != std::string::npos && form.back() == ')') {
            const std::string inner = form.substr(open + 2, form.size() - open - 3);
            form = trim(form.substr(0, open));
            const bool acronym = std::all_of(inner.begin(), inner.end(), [](unsigned char c) {
                return std::isalnum(c) || c >= 0x80 || c == '-';
            });
            out.push_back(form);
            if (acronym && !inner.empty()) out.push_back(inner);
        } else {
            out.push_back(form);
        }
    }
}

std::vector<GlossaryEntry> load_glossary(const Files& files, const std::string& name) {
    const TsvTable t = parse_tsv(name, file_content(files, name));
    const std::size_t fr = t.column("fr"), en = t.column("en"), theme = t.column("theme");
    std::vector<GlossaryEntry> out;
    for (const TsvRow& r : t.rows) {
        GlossaryEntry e;
        e.line = r.line;
        add_glossary_forms(r.cells[fr], e.fr);
        add_glossary_forms(r.cells[en], e.en);
        e.category = r.cells[theme];
        if (e.fr.empty() || e.en.empty())
            throw Error(t.path + ":" + std::to_string(r.line) + ": a glossary row needs both a French and an English term");
        out.push_back(std::move(e));
    }
    return out;
}

// sector-aliases.tsv: other names of DAC sectors in French and English (SKOS altLabel style),
// which queries may use; each row's code must be one of `sectors`.
void load_sector_aliases(const Files& files, const std::string& name, TermList& sectors) {
    const TsvTable t = parse_tsv(name, file_content(files, name));
    const std::size_t code = t.column("code"), fr = t.column("aliases_fr"), en = t.column("aliases_en");
    std::vector<Term> terms = sectors.terms();
    std::map<std::string, std::size_t> at;
    for (std::size_t i = 0; i < terms.size(); ++i) at[terms[i].id] = i;
    for (const TsvRow& r : t.rows) {
        const auto it = at.find(r.cells[code]);
        if (it == at.end())
            throw Error(name + ":" + std::to_string(r.line) + ": code '" + r.cells[code] + "' is not in sectors.tsv");
        Term& term = terms[it->second];
        for (const std::string& a : split_list(r.cells[fr])) term.aliases_fr.push_back(a);
        for (const std::string& a : split_list(r.cells[en])) term.aliases_en.push_back(a);
        term.aliases.insert(term.aliases.end(), term.aliases_fr.begin(), term.aliases_fr.end());
        term.aliases.insert(term.aliases.end(), term.aliases_en.begin(), term.aliases_en.end());
    }
    sectors = TermList();
    for (Term& term : terms) sectors.add(std::move(term));
}

}  // namespace

const std::vector<std::string>& Vocabularies::file_names() {
    static const std::vector<std::string> names = {"themes.tsv", "kinds.tsv", "phases.tsv", "stages.tsv",
                                                   "visibility.tsv", "countries.tsv", "regions.tsv", "sectors.tsv",
                                                   "sector-aliases.tsv", "glossary.tsv", "places.tsv", "contacts.tsv", "acronyms.tsv"};
    return names;
}

std::map<std::string, std::string> Vocabularies::read_files(const std::filesystem::path& dir) {
    std::map<std::string, std::string> files;
    for (const std::string& name : file_names()) {
        std::error_code ec;
        if (optional_file(name) && !std::filesystem::exists(dir / name, ec)) continue;
        files[name] = read_file(dir / name);
    }
    return files;
}

Vocabularies Vocabularies::from_files(const std::map<std::string, std::string>& files) {
    Vocabularies v;
    v.themes = load_terms(files, "themes.tsv");
    v.kinds = load_terms(files, "kinds.tsv");
    v.phases = load_terms(files, "phases.tsv");
    v.stages = load_terms(files, "stages.tsv");
    v.visibility = load_terms(files, "visibility.tsv");
    v.countries = load_codes(files, "countries.tsv", "code", nullptr);
    if (files.count("regions.tsv")) v.regions = load_codes(files, "regions.tsv", "code", nullptr);
    v.sectors = load_codes(files, "sectors.tsv", "code", "category");
    if (files.count("sector-aliases.tsv")) load_sector_aliases(files, "sector-aliases.tsv", v.sectors);
    v.glossary = load_glossary(files, "glossary.tsv");
    if (files.count("places.tsv")) v.places = load_places(files, v.countries);
    if (files.count("contacts.tsv")) v.contacts = load_contacts(files, v.countries);
    if (files.count("acronyms.tsv")) v.acronyms = load_acronyms(files);
    for (const Term& p : v.phases.terms())
        if (!v.stages.contains(p.group))
            throw Error("phases.tsv: phase '" + p.id + "' has unknown stage '" + p.group + "'");
    return v;
}

const Place* Vocabularies::find_place(const std::string& name) const {
    const std::string folded = fold(name);
    for (const Place& p : places)
        if (fold(p.name) == folded) return &p;
    return nullptr;
}

std::filesystem::path Vocabularies::default_dir() {
    if (const char* env = std::getenv("PASSERELLE_VOCABULARIES"); env && *env) return env;
    return std::filesystem::path(PASSERELLE_DEFAULT_CONTENT_DIR) / "vocabularies";
}

std::vector<std::string> Vocabularies::themes_for_sectors(const std::vector<std::string>& sectors) const {
    std::vector<std::string> out;
    for (const Term& theme : themes.terms()) {
        const bool match = std::any_of(theme.sectors.begin(), theme.sectors.end(), [&](const std::string& code) {
            return std::any_of(sectors.begin(), sectors.end(), [&](const std::string& s) {
                return s == code || (code.size() == 3 && s.size() == 5 && s.compare(0, 3, code) == 0);
            });
        });
        if (match) out.push_back(theme.id);
    }
    return out;
}

int Vocabularies::visibility_rank(const std::string& level) const {
    const Term* t = visibility.find(level);
    return t ? t->rank : 2;
}

}  // namespace passerelle
