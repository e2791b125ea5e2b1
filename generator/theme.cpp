#include "generator/theme.h"

#include <sstream>

#include "core/diagnostics.h"
#include "core/tsv.h"

namespace passerelle {

namespace {

std::string unquoted(std::string s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string::npos) return "";
    const auto last = s.find_last_not_of(" \t\r");
    s = s.substr(first, last - first + 1);
    if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) s = s.substr(1, s.size() - 2);
    return s;
}

}  // namespace

Rgb parse_colour(const std::string& text, const std::string& where) {
    const auto hex = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1; };
    bool ok = text.size() == 7 && text[0] == '#';
    for (std::size_t i = 1; ok && i < 7; ++i) ok = hex(text[i]) >= 0;
    if (!ok) throw Error(where + ": '" + text + "' is not a colour (expected #rrggbb)");
    const auto byte = [&](std::size_t i) { return static_cast<double>(hex(text[i]) * 16 + hex(text[i + 1])) / 255.0; };
    return {byte(1), byte(3), byte(5)};
}

GuideTheme load_theme(const std::filesystem::path& path) {
    GuideTheme theme;
    if (path.empty()) return theme;
    std::istringstream in(read_file(path));
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        const std::string where = path.string() + ":" + std::to_string(number);
        const std::string content = unquoted(line.substr(0, line.find(" #") == std::string::npos ? line.size() : line.find(" #")));
        if (content.empty() || content[0] == '#') continue;
        const auto colon = content.find(':');
        if (colon == std::string::npos) throw Error(where + ": expected 'key: value'");
        const std::string key = unquoted(content.substr(0, colon)), value = unquoted(content.substr(colon + 1));
        if (key == "primary") theme.primary = parse_colour(value, where + ": 'primary'");
        else if (key == "accent") theme.accent = parse_colour(value, where + ": 'accent'");
        else if (key == "logo") theme.logo = value.empty() ? "" : (path.parent_path() / value).string();
        else throw Error(where + ": unknown key '" + key + "' (expected primary, accent, logo)");
    }
    return theme;
}

}  // namespace passerelle
