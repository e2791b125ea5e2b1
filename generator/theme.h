// The guides' theme (templates/theme.yaml): the colours of covers, headings and charts, and an
// optional logo. A flat file of "key: value" lines; errors name the file and line.
#pragma once

#include <filesystem>
#include <string>

#include "generator/pdf.h"

namespace passerelle {

struct GuideTheme {
    Rgb primary{0.114, 0.361, 0.388};  // #1d5c63
    Rgb accent{0.784, 0.529, 0.169};   // #c8872b
    std::string logo;                  // absolute path, or "" for none
};

// "#rrggbb" → Rgb; throws Error naming `where` for anything else.
Rgb parse_colour(const std::string& text, const std::string& where);

// Reads `path` (keys primary, accent, logo); throws Error naming file and line. An empty path
// gives the built-in theme.
GuideTheme load_theme(const std::filesystem::path& path);

}  // namespace passerelle
