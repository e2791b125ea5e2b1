#include "server/exports.h"

#include <cctype>
#include <vector>

#include "core/fold.h"

namespace passerelle::http {

namespace {

// The year, or "" when the document has none (citations then say "n.d.").
std::string year_of(const ExportJson& j) {
    const auto it = j.find("year");
    if (it != j.end() && it->is_number_integer() && it->get<int>() > 0) return std::to_string(it->get<int>());
    const std::string date = str(j, "date");
    return date.size() >= 4 && date.substr(0, 4) != "0000" ? date.substr(0, 4) : std::string();
}

// A document's authors as citations need them: a person with a family and given name, or an
// organisation, whose name is one whole (`author_types`, from the content model).
struct Creator {
    std::string name, family, given;
    bool organisation = false;
};

std::vector<Creator> creators(const ExportJson& j) {
    std::vector<Creator> out;
    const auto names = j.find("authors");
    if (names == j.end() || !names->is_array()) return out;
    const auto types = j.find("author_types");
    for (std::size_t i = 0; i < names->size(); ++i) {
        const auto& v = (*names)[i];
        Creator c;
        c.name = v.is_string() ? v.get<std::string>() : v.is_object() ? str(v, "name") : std::string();
        if (c.name.empty()) continue;
        const bool typed = types != j.end() && types->is_array() && i < types->size() && (*types)[i].is_string();
        c.organisation = typed ? (*types)[i].get<std::string>() == "organisation" : c.name == str(j, "publisher");
        if (!c.organisation) {
            if (const auto comma = c.name.find(','); comma != std::string::npos) {  // "Diop, Awa"
                c.family = c.name.substr(0, comma);
                c.given = c.name.substr(comma + 1);
                while (!c.given.empty() && c.given.front() == ' ') c.given.erase(0, 1);
            } else if (const auto space = c.name.rfind(' '); space != std::string::npos) {  // "Awa Diop"
                c.given = c.name.substr(0, space);
                c.family = c.name.substr(space + 1);
            } else {
                c.family = c.name;
            }
        }
        out.push_back(std::move(c));
    }
    return out;
}

std::string joined(const ExportJson& j, const char* key, const char* sep) {
    std::string out;
    const auto it = j.find(key);
    if (it == j.end() || !it->is_array()) return out;
    for (const auto& v : *it) {
        const std::string s = v.is_string() ? v.get<std::string>() : v.is_object() ? str(v, "name") : std::string();
        if (s.empty()) continue;
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

// RFC 4180, and a leading ' on cells a spreadsheet would take for a formula.
std::string csv_cell(std::string s) {
    if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
        s.insert(s.begin(), '\'');
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string bib_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '\\': out += "\\textbackslash{}"; break;
            case '{': case '}': case '%': case '&': case '#': case '$': case '_': out += '\\'; out += c; break;
            case '~': out += "\\textasciitilde{}"; break;
            case '^': out += "\\textasciicircum{}"; break;
            case '\n': case '\r': out += ' '; break;
            default: out += c;
        }
    }
    return out;
}

std::string bib_key(const ExportJson& j) {
    std::string key = "passerelle:";
    for (char c : str(j, "id") + "-" + str(j, "lang"))
        key += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
    return key;
}

// BibTeX as classic BibTeX styles read it: @techreport when an institution published it, else
// @misc; an organisation in double braces (one name, never "L. Partenariat"); titles braced so
// that styles keep their capitals; "n.d." for a document without a date.
std::string bib_entry(const ExportJson& j) {
    const std::string institution = str(j, "publisher");
    std::string out = std::string(institution.empty() ? "@misc{" : "@techreport{") + bib_key(j) + ",\n";
    auto field = [&](const char* name, const std::string& value, bool protect = false) {
        if (!value.empty()) out += "  " + std::string(name) + " = {" + (protect ? "{" + bib_escape(value) + "}" : bib_escape(value)) + "},\n";
    };
    std::string authors;
    for (const Creator& c : creators(j)) {
        if (!authors.empty()) authors += " and ";
        authors += c.organisation ? "{" + bib_escape(c.name) + "}" : bib_escape(c.given.empty() ? c.family : c.family + ", " + c.given);
    }
    if (!authors.empty()) out += "  author = {" + authors + "},\n";
    field("title", str(j, "title"), true);
    field(institution.empty() ? "publisher" : "institution", institution);
    const std::string year = year_of(j);
    field("year", year.empty() ? "n.d." : year);
    const std::string kind = str(j, "kind_label").empty() ? str(j, "kind") : str(j, "kind_label");
    field(institution.empty() ? "howpublished" : "type", kind);
    field("abstract", str(j, "summary"));
    field("language", str(j, "lang"));
    field("url", str(j, "url"));
    return out + "}\n";
}

std::string ris_value(const std::string& s) {
    std::string out;
    for (char c : s) out += c == '\n' || c == '\r' ? ' ' : c;
    return out;
}

// RIS as Zotero and EndNote read it: a person "Family, Given", an organisation as one name (no
// comma); no PY for a document without a date.
std::string ris_entry(const ExportJson& j) {
    std::string out;
    auto line = [&](const char* tag, const std::string& value) {
        if (!value.empty()) out += std::string(tag) + "  - " + ris_value(value) + "\r\n";
    };
    line("TY", "RPRT");
    line("TI", str(j, "title"));
    for (const Creator& c : creators(j)) line("AU", c.organisation ? c.name : c.given.empty() ? c.family : c.family + ", " + c.given);
    line("PB", str(j, "publisher"));
    line("PY", year_of(j));
    if (const std::string d = str(j, "date"); d.size() == 10) line("DA", d.substr(0, 4) + "/" + d.substr(5, 2) + "/" + d.substr(8, 2));
    line("AB", str(j, "summary"));
    line("LA", str(j, "lang"));
    line("M3", str(j, "kind_label").empty() ? str(j, "kind") : str(j, "kind_label"));
    if (const auto k = j.find("themes"); k != j.end() && k->is_array())
        for (const auto& v : *k)
            if (v.is_string()) line("KW", v.get<std::string>());
    line("UR", str(j, "url"));
    line("ID", str(j, "id"));
    return out + "ER  - \r\n";
}

std::string xml_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') break;  // not allowed in XML 1.0
                out += c;
        }
    }
    return out;
}

// Snippet HTML (escaped text with <mark>) as plain text.
std::string snippet_text(const std::string& html) {
    std::string out;
    bool in_tag = false;
    for (std::size_t i = 0; i < html.size(); ++i) {
        const char c = html[i];
        if (c == '<') in_tag = true;
        else if (c == '>') in_tag = false;
        else if (!in_tag) out += c;
    }
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}}) {
        for (std::size_t at = out.find(from); at != std::string::npos; at = out.find(from, at + to.size()))
            out.replace(at, from.size(), to);
    }
    return out;
}

std::string rfc3339(const ExportJson& j, const std::string& fallback) {
    const std::string d = str(j, "date");
    if (d.size() >= 10) return d.substr(0, 10) + "T00:00:00Z";
    if (d.size() >= 7) return d.substr(0, 7) + "-01T00:00:00Z";
    const std::string y = year_of(j);
    return y.empty() ? fallback : y + "-01-01T00:00:00Z";
}

}  // namespace

std::string str(const ExportJson& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string hits_csv(const ExportJson& hits) {
    std::string out = "id,lang,kind,title,authors,publisher,year,date,countries,themes,url\r\n";
    for (const auto& h : hits)
        out += csv_cell(str(h, "id")) + ',' + csv_cell(str(h, "lang")) + ',' + csv_cell(str(h, "kind")) + ',' +
               csv_cell(str(h, "title")) + ',' + csv_cell(joined(h, "authors", "; ")) + ',' + csv_cell(str(h, "publisher")) + ',' +
               csv_cell(year_of(h)) + ',' + csv_cell(str(h, "date")) + ',' + csv_cell(joined(h, "countries", ";")) + ',' +
               csv_cell(joined(h, "themes", ";")) + ',' + csv_cell(str(h, "url")) + "\r\n";
    return out;
}

std::string hits_bibtex(const ExportJson& hits) {
    std::string out;
    for (const auto& h : hits) out += bib_entry(h) + "\n";
    return out;
}

std::string hits_ris(const ExportJson& hits) {
    std::string out;
    for (const auto& h : hits) out += ris_entry(h);
    return out;
}

std::string hits_atom(const ExportJson& hits, const ExportJson& feed) {
    const std::string updated = str(feed, "updated");
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
    out += "<title>" + xml_escape(str(feed, "title")) + "</title>\n";
    out += "<id>" + xml_escape(str(feed, "url")) + "</id>\n";
    out += "<link rel=\"self\" href=\"" + xml_escape(str(feed, "url")) + "\"/>\n";
    out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + xml_escape(str(feed, "page_url")) + "\"/>\n";
    out += "<updated>" + xml_escape(updated) + "</updated>\n<author><name>Passerelle</name></author>\n";
    for (const auto& h : hits) {
        out += "<entry xml:lang=\"" + xml_escape(str(h, "lang")) + "\">\n";
        out += "<title>" + xml_escape(str(h, "title")) + "</title>\n";
        out += "<id>" + xml_escape(str(h, "url")) + "</id>\n";
        out += "<link href=\"" + xml_escape(str(h, "url")) + "\"/>\n";
        out += "<updated>" + xml_escape(rfc3339(h, updated)) + "</updated>\n";
        out += "<summary>" + xml_escape(snippet_text(str(h, "snippet"))) + "</summary>\n";
        out += "</entry>\n";
    }
    return out + "</feed>\n";
}

std::string document_bibtex(const ExportJson& doc) { return bib_entry(doc); }
std::string document_ris(const ExportJson& doc) { return ris_entry(doc); }

std::string document_csl(const ExportJson& doc) { return csl_items(ExportJson::array({doc})); }

std::string export_file_name(const std::string& stem, const std::string& extension) {
    std::string out;
    for (const unsigned char c : fold(stem)) {  // accents folded: "Évaluation" -> "evaluation"
        const char l = static_cast<char>(std::tolower(c));
        if (std::isalnum(c) && c < 0x80) out += l;
        else if (!out.empty() && out.back() != '-') out += '-';
        if (out.size() >= 60) break;
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return (out.empty() ? "passerelle" : out) + "." + extension;
}

// CSL-JSON as citation processors read it: persons with family and given names, organisations
// as a literal; no `issued` without a date (processors print "n.d.").
std::string csl_items(const ExportJson& docs) {
    ExportJson items = ExportJson::array();
    for (const auto& doc : docs) {
        ExportJson item = {{"id", bib_key(doc)}, {"type", "report"}, {"title", str(doc, "title")}, {"URL", str(doc, "url")},
                           {"language", str(doc, "lang")}, {"genre", str(doc, "kind_label").empty() ? str(doc, "kind") : str(doc, "kind_label")}};
        if (const std::string y = year_of(doc); !y.empty()) {
            ExportJson parts = ExportJson::array({std::stoi(y)});
            const std::string d = str(doc, "date");
            if (d.size() >= 7) parts.push_back(std::stoi(d.substr(5, 2)));
            if (d.size() >= 10) parts.push_back(std::stoi(d.substr(8, 2)));
            item["issued"] = {{"date-parts", ExportJson::array({parts})}};
        }
        ExportJson authors = ExportJson::array();
        for (const Creator& c : creators(doc)) {
            if (c.organisation) authors.push_back({{"literal", c.name}});
            else if (c.given.empty()) authors.push_back({{"family", c.family}});
            else authors.push_back({{"family", c.family}, {"given", c.given}});
        }
        if (!authors.empty()) item["author"] = authors;
        if (const std::string p = str(doc, "publisher"); !p.empty()) item["publisher"] = p;
        if (const std::string s = str(doc, "summary"); !s.empty()) item["abstract"] = s;
        items.push_back(std::move(item));
    }
    return items.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace passerelle::http
