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
}  // namespace limits

}  // namespace passerelle
