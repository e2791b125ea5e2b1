// The YAML adapter: the only file that uses yaml-cpp. YAML is read as a stream of events and
// built straight into a record tree, within bounds, so that no input can make it grow past its
// own size: aliases, merge keys and tags are refused at their position, nesting and the number
// of values are limited (docs/content-format.md, "Limits").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "core/record.h"

namespace passerelle {

// What a YAML text is, for its limits and messages.
enum class YamlKind { front_matter, guide_definition, configuration };

// Parses the one YAML document of `text` into a record tree. Positions are file lines and
// columns: `first_line` is the file line where `text` starts. Reports the first syntax error,
// alias, merge key, tag, or bound passed (and every duplicate or non-text field name) in
// `sink` at its position, and returns nothing then. An empty text is a null value.
std::optional<FieldValue> parse_yaml_text(std::string_view text, const std::string& path, int first_line, YamlKind kind,
                                          DiagnosticSink& sink);

}  // namespace passerelle
