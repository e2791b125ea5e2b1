#include "server/exports.h"

#include <cctype>

namespace passerelle::http {

namespace {

std::string year_of(const ExportJson& j) {
    const auto it = j.find("year");
    if (it != j.end() && it->is_number_integer()) return std::to_string(it->get<int>());
    const std::string date = str(j, "date");
    return date.size() >= 4 ? date.substr(0, 4) : std::string();
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

std::string bib_entry(const ExportJson& j) {
    std::string out = "@report{" + bib_key(j) + ",\n";
    auto field = [&](const char* name, const std::string& value) {
        if (!value.empty()) out += "  " + std::string(name) + " = {" + bib_escape(value) + "},\n";
    };
    field("title", str(j, "title"));
    field("author", joined(j, "authors", " and "));
    field("institution", str(j, "publisher"));
    field("year", year_of(j));
    field("type", str(j, "kind"));
    field("language", str(j, "lang"));
    field("url", str(j, "url"));
    return out + "}\n";
}

std::string ris_value(const std::string& s) {
    std::string out;
    for (char c : s) out += c == '\n' || c == '\r' ? ' ' : c;
    return out;
}

std::string ris_entry(const ExportJson& j) {
    std::string out;
    auto line = [&](const char* tag, const std::string& value) {
        if (!value.empty()) out += std::string(tag) + "  - " + ris_value(value) + "\r\n";
    };
    line("TY", "RPRT");
    line("TI", str(j, "title"));
    if (const auto a = j.find("authors"); a != j.end() && a->is_array())
        for (const auto& v : *a)
            if (v.is_string()) line("AU", v.get<std::string>());
    line("PB", str(j, "publisher"));
    line("PY", year_of(j));
    line("LA", str(j, "lang"));
    line("M3", str(j, "kind"));
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
    std::string out = "id,lang,kind,title,year,countries,themes,url\r\n";
    for (const auto& h : hits)
        out += csv_cell(str(h, "id")) + ',' + csv_cell(str(h, "lang")) + ',' + csv_cell(str(h, "kind")) + ',' +
               csv_cell(str(h, "title")) + ',' + csv_cell(year_of(h)) + ',' + csv_cell(joined(h, "countries", ";")) + ',' +
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

std::string document_csl(const ExportJson& doc) {
    ExportJson item = {{"id", bib_key(doc)}, {"type", "report"}, {"title", str(doc, "title")}, {"URL", str(doc, "url")},
                       {"language", str(doc, "lang")}, {"genre", str(doc, "kind")}};
    if (const std::string y = year_of(doc); !y.empty()) item["issued"] = {{"date-parts", {{std::stoi(y)}}}};
    if (const auto a = doc.find("authors"); a != doc.end() && a->is_array() && !a->empty()) {
        ExportJson authors = ExportJson::array();
        for (const auto& v : *a)
            if (v.is_string()) authors.push_back({{"literal", v.get<std::string>()}});
        item["author"] = authors;
    }
    if (const std::string p = str(doc, "publisher"); !p.empty()) item["publisher"] = p;
    if (const std::string s = str(doc, "summary"); !s.empty()) item["abstract"] = s;
    return ExportJson::array({item}).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace passerelle::http
