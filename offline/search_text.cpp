#include "offline/search_text.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <unordered_set>

#include "core/fold.h"
#include "core/utf8.h"

namespace passerelle::offline {

namespace {

void skip_to(std::string_view html, std::size_t& at, std::string_view end) {
    const std::size_t found = html.find(end, at);
    at = found == std::string_view::npos ? html.size() : found + end.size();
}

}  // namespace

std::optional<long> html_entity(std::string_view name) {
    if (name == "amp") return '&';
    if (name == "lt") return '<';
    if (name == "gt") return '>';
    if (name == "quot") return '"';
    if (name == "apos") return '\'';
    if (name == "nbsp") return 0xA0;
    if (name.size() > 1 && name[0] == '#') {
        const bool hex = name[1] == 'x' || name[1] == 'X';
        const long cp = std::strtol(std::string(name.substr(hex ? 2 : 1)).c_str(), nullptr, hex ? 16 : 10);
        if (cp > 0) return cp;
    }
    return std::nullopt;
}

std::string main_text(std::string_view html) {
    if (const std::size_t m = html.find("<main"); m != std::string_view::npos) {
        const std::size_t end = html.find("</main>", m);
        html = html.substr(m, end == std::string_view::npos ? std::string_view::npos : end - m);
    }
    std::string out;
    bool space = false;
    for (std::size_t at = 0; at < html.size();) {
        const char c = html[at];
        if (c == '<') {
            const auto starts = [&](std::string_view t) { return html.compare(at, t.size(), t) == 0; };
            if (starts("<svg")) skip_to(html, at, "</svg>");
            else if (starts("<script")) skip_to(html, at, "</script>");
            else if (starts("<style")) skip_to(html, at, "</style>");
            else if (starts("<form")) skip_to(html, at, "</form>");
            else skip_to(html, at, ">");
            space = true;
            continue;
        }
        if (c == '&') {
            const std::size_t semi = html.find(';', at);
            const auto cp = semi != std::string_view::npos && semi - at <= 10 ? html_entity(html.substr(at + 1, semi - at - 1)) : std::nullopt;
            if (cp) {
                std::string entity;
                if (*cp < 0x110000) utf8::append(entity, *cp == 0xA0 || *cp == 0x202F ? U' ' : static_cast<char32_t>(*cp));
                if (entity == " ") {
                    space = true;
                } else {
                    if (space && !out.empty()) out += ' ';
                    space = false;
                    out += entity;
                }
                at = semi + 1;
                continue;
            }
        }
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = true;
        } else {
            if (space && !out.empty()) out += ' ';
            space = false;
            out += c;
        }
        ++at;
    }
    return out;
}

std::string searchable_text(const std::string& text) {
    std::string out = text;
    out += '\n';
    std::unordered_set<std::string> seen;
    const auto add = [&](const std::string& w) {
        if (!w.empty() && seen.insert(w).second) {
            out += w;
            out += ' ';
        }
    };
    for (const std::string& w : fold_words(text)) add(w);
    for (const Elided& e : elided_words(text)) {
        add(e.word);                           // "l’école" -> "école"
        add(fold(e.prefix + "'" + e.word));  // -> "l'ecole", as Xapian reads "l’ecole" typed
    }
    return out;
}

std::vector<Elided> elided_words(std::string_view text) {
    static const std::string_view k_elisions[] = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"};
    std::vector<Elided> out;
    for (std::size_t at = 0; at < text.size();) {
        const bool curly = text.compare(at, 3, "\xE2\x80\x99") == 0;
        if (text[at] != '\'' && !curly) {
            ++at;
            continue;
        }
        const std::size_t after = at + (curly ? 3 : 1);
        std::size_t start = at;
        while (start > 0 && std::isalpha(static_cast<unsigned char>(text[start - 1]))) --start;
        std::string prefix(text.substr(start, at - start));
        for (char& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::size_t end = after;
        while (end < text.size() && (static_cast<unsigned char>(text[end]) >= 0x80 || std::isalnum(static_cast<unsigned char>(text[end])) ||
                                     text[end] == '-'))
            ++end;
        const bool word_start = start == 0 || (text[start - 1] != '\'' && static_cast<unsigned char>(text[start - 1]) < 0x80);
        if (word_start && std::find(std::begin(k_elisions), std::end(k_elisions), prefix) != std::end(k_elisions) && end > after)
            out.push_back({prefix, std::string(text.substr(after, end - after))});
        at = end > after ? end : after;
    }
    return out;
}

std::string page_title(std::string_view html) {
    const std::size_t open = html.find("<title>");
    if (open == std::string_view::npos) return "";
    const std::size_t start = open + 7, close = html.find("</title>", start);
    std::string title = main_text(std::string("<main>") + std::string(html.substr(start, close - start)) + "</main>");
    if (const std::size_t dot = title.rfind(" · "); dot != std::string::npos) title.erase(dot);
    return title;
}

}  // namespace passerelle::offline
