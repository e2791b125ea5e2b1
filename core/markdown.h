// Markdown (GFM) rendering through cmark-gfm. The only file that uses cmark-gfm.
#pragma once

#include <string>
#include <string_view>

namespace passerelle {

// The text of the document for indexing and snippets: paragraphs, headings, list items, table
// cells and code, one block per line, with no Markdown syntax. Raw HTML is dropped.
std::string markdown_to_text(std::string_view markdown);

// HTML with the GFM table, strikethrough, autolink and task-list extensions; raw HTML in the
// Markdown is never passed through.
std::string markdown_to_html(std::string_view markdown);

}  // namespace passerelle
