// Markdown (GFM) rendering through cmark-gfm. The only file that uses cmark-gfm.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/limits.h"

namespace passerelle {

// The text of the document for indexing and snippets: paragraphs, headings, list items, table
// cells and code, one block per line, with no Markdown syntax. Raw HTML is dropped.
std::string markdown_to_text(std::string_view markdown);

// HTML with the GFM table, strikethrough, autolink and task-list extensions; raw HTML in the
// Markdown is never passed through.
std::string markdown_to_html(std::string_view markdown);

// The line of the first element nested deeper than `max_depth` (lists, items, quotes, emphasis,
// links: every element counts as a level), or 0 when none is.
int line_nested_deeper_than(std::string_view markdown, int max_depth);

// The Markdown as blocks to lay out (the PDF guides): the whole of GFM flattened into a list,
// nested lists and quotes carried by depth. Raw HTML is dropped.
struct Span {
    std::string text;
    bool bold = false, italic = false, code = false, strike = false;
    std::string link;        // target when the span is (part of) a link
    bool line_break = false;  // a hard line break (the span's text is empty)
    std::string lang;         // when set, the span's language, if not its paragraph's (for layout)
};
using Spans = std::vector<Span>;

struct Block {
    enum class Type { heading, paragraph, item, code, table, rule, image };
    Type type = Type::paragraph;
    int level = 0;        // heading level; for an item, its list depth (1 = top)
    int quote = 0;        // block-quote depth around it
    std::string marker;   // an item's bullet or number ("•", "3."), or "☐"/"☑" for a task
    bool continues_item = false;  // a further paragraph of the list item above
    Spans spans;          // heading, paragraph, item
    std::string text;     // code; an image's address
    std::string alt;      // an image's alternative text
    std::vector<std::vector<Spans>> rows;  // table cells; the first row is the header
};

// Elements nested deeper than `max_depth` levels are left out, so no input can exhaust the stack.
std::vector<Block> markdown_blocks(std::string_view markdown, int max_depth = limits::k_markdown_depth);

}  // namespace passerelle
