// Markdown that would cost cmark-gfm more than linear time or memory, found by a scan of the
// text before any parse. cmark-gfm 0.29.0.gfm.6 (Debian 12) pads every row of a table to its
// header's columns and is superlinear in the columns, and it matches the links and emphasis
// marks of one paragraph in more than linear time: a 4 MiB file can keep it busy for hours or
// take gigabytes. The bounds are in core/limits.h; no ordinary document comes near them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace passerelle {

struct MarkdownCost {
    int line = 0;  // 1-based, in `markdown`
    std::string message;
};

// The first place where `markdown` goes over a bound, or nothing. Linear in its size.
std::optional<MarkdownCost> markdown_over_cost(std::string_view markdown);

}  // namespace passerelle
