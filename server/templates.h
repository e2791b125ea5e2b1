// Page templates: Mustache files in templates/pages (partials are the files whose name starts
// with '_'), the interface strings of templates/strings.tsv, and the static files of
// templates/static, all compiled into the program (server/embed_files.cmake). Rendering goes
// through mstch, which only server/templates.cpp includes; pages hand it JSON data. Mustache's
// {{x}} escapes for HTML text and quoted attributes; {{{x}}} is used only for HTML the server
// made safe itself (snippets, Markdown bodies rendered without raw HTML). For every list `x` in
// the data, `any_x` is true when it has items, for headings of lists that may be empty.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace passerelle::http {

// "pages/home.mustache" -> bytes, "static/site.css" -> bytes, "strings.tsv" -> bytes.
const std::map<std::string, std::string>& embedded_files();

// What {{x}} does to x: & < > " ' as entities.
std::string escape_html(const std::string& s);

class Templates {
  public:
    Templates();  // reads the embedded files; throws Error for a malformed strings.tsv

    // Renders pages/<page>.mustache with `data`. Throws Error for an unknown page.
    std::string render(const std::string& page, const nlohmann::ordered_json& data) const;
    // Interface strings in `lang` (fr or en): key -> text.
    const nlohmann::ordered_json& strings(const std::string& lang) const;
    // A static file's bytes, or nullptr.
    const std::string* static_file(const std::string& name) const;

  private:
    std::map<std::string, std::string> m_pages, m_partials;
    std::map<std::string, nlohmann::ordered_json> m_strings;  // by language
};

}  // namespace passerelle::http
