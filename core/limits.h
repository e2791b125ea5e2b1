// The limits on one document, shared by the readers of every source format.
#pragma once

#include <cstddef>

namespace passerelle {

// What one document may hold. Anything larger or deeper is refused with an error at the line
// where it goes over, so a hostile or broken file costs bounded time and memory and never
// stops the other documents (docs/content-format.md, "Limits").
namespace limits {
constexpr std::size_t k_document_bytes = 4u << 20;      // a Markdown file
constexpr std::size_t k_record_bytes = 4u << 20;        // one JSON Lines record (its line)
constexpr std::size_t k_front_matter_bytes = 64u << 10;  // the front matter of a Markdown file
constexpr int k_markdown_depth = 100;                    // nested lists, quotes, emphasis, links
// What makes cmark-gfm superlinear (core/markdown_cost.h), checked on the text before it parses.
constexpr std::size_t k_markdown_table_columns = 128;    // columns of one table
constexpr std::size_t k_markdown_table_cells = 200000;   // columns x rows, all tables of a document
constexpr std::size_t k_markdown_paragraph_marks = 1000; // '[' and runs of '*', '_', '~' in one paragraph
constexpr int k_xml_depth = 64;                          // elements nested in one IATI activity (or XML text)
// YAML (front matter, guide definitions, the configuration file): aliases, merge keys and tags
// are refused, so a text never holds more values than it has bytes; these bound it further.
constexpr std::size_t k_yaml_bytes = 1u << 20;   // a whole YAML file (front matter: 64 KiB above)
constexpr std::size_t k_yaml_values = 20000;     // scalars, lists and mappings in one text
constexpr int k_yaml_depth = 64;                 // nested lists and mappings
}  // namespace limits

}  // namespace passerelle
