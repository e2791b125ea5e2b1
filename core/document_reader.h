// Reads one document from its source bytes: a Markdown file with front matter, or one line of
// a JSON Lines file. Every problem is reported with its position; an empty result means the
// document is skipped.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "core/document.h"
#include "core/vocabulary.h"

namespace passerelle {

// `path` is used in messages and must be named <id>.<lang>.md.
std::optional<Document> read_markdown_document(std::string_view bytes, const std::string& path,
                                               const Vocabularies& vocab, DiagnosticSink& sink);

// `line` without its newline; `line_no` is 1-based.
std::optional<Document> read_jsonl_document(std::string_view line, const std::string& path, int line_no,
                                            const Vocabularies& vocab, DiagnosticSink& sink);

}  // namespace passerelle
