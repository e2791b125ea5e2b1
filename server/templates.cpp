#include "server/templates.h"

#include <mstch/mstch.hpp>

#include <sstream>

#include "core/diagnostics.h"
#include "core/tsv.h"

namespace passerelle::http {

namespace {

mstch::node to_node(const nlohmann::ordered_json& j) {
    switch (j.type()) {
        case nlohmann::json::value_t::object: {
            mstch::map m;
            for (auto it = j.begin(); it != j.end(); ++it) {
                m.emplace(it.key(), to_node(it.value()));
                // {{#any_x}}...{{/any_x}} wraps a list's heading: shown only when x has items.
                if (it.value().is_array()) m.emplace("any_" + it.key(), !it.value().empty());
            }
            return m;
        }
        case nlohmann::json::value_t::array: {
            mstch::array a;
            a.reserve(j.size());
            for (const auto& v : j) a.push_back(to_node(v));
            return a;
        }
        case nlohmann::json::value_t::string: return j.get<std::string>();
        case nlohmann::json::value_t::boolean: return j.get<bool>();
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned: return std::to_string(j.get<long long>());
        case nlohmann::json::value_t::number_float: {
            std::ostringstream out;
            out << j.get<double>();
            return out.str();
        }
        default: return std::string();  // null: renders empty, and counts as false in sections
    }
}

}  // namespace

// The five characters that matter in text and quoted attributes (mstch's default also escapes
// '/', which bloats every URL and protects nothing more).
std::string escape_html(const std::string& s) {
    std::string out;
    out.reserve(s.size() + 16);
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

Templates::Templates() {
    mstch::config::escape = escape_html;  // process-wide; set before any page renders
    for (const auto& [name, bytes] : embedded_files()) {
        const std::string prefix = "pages/", suffix = ".mustache";
        if (name.rfind(prefix, 0) != 0 || name.size() <= prefix.size() + suffix.size() ||
            name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        const std::string stem = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
        if (stem[0] == '_') m_partials[stem.substr(1)] = bytes;
        else m_pages[stem] = bytes;
    }
    const auto strings = embedded_files().find("strings.tsv");
    if (strings == embedded_files().end()) throw Error("templates/strings.tsv: missing from the program");
    m_strings["fr"] = nlohmann::ordered_json::object();
    m_strings["en"] = nlohmann::ordered_json::object();
    const TsvTable table = parse_tsv("templates/strings.tsv", strings->second);
    const std::size_t key = table.column("key"), fr = table.column("fr"), en = table.column("en");
    for (const TsvRow& row : table.rows) {
        m_strings["fr"][row.cells[key]] = row.cells[fr];
        m_strings["en"][row.cells[key]] = row.cells[en];
    }
}

std::string Templates::render(const std::string& page, const nlohmann::ordered_json& data) const {
    const auto it = m_pages.find(page);
    if (it == m_pages.end()) throw Error("no page template '" + page + "'");
    return mstch::render(it->second, to_node(data), m_partials);
}

const nlohmann::ordered_json& Templates::strings(const std::string& lang) const {
    const auto it = m_strings.find(lang);
    return it == m_strings.end() ? m_strings.at("en") : it->second;
}

const std::string* Templates::static_file(const std::string& name) const {
    const auto it = embedded_files().find("static/" + name);
    return it == embedded_files().end() ? nullptr : &it->second;
}

}  // namespace passerelle::http
