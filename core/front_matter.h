// Markdown files with front matter, and whole YAML files (configuration, guide definitions),
// read through the bounded YAML adapter of core/yaml.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "core/record.h"
#include "core/yaml.h"

namespace passerelle {

struct MarkdownParts {
    FieldValue front_matter;  // a map, positions in file lines and columns
    std::string body;         // the Markdown after the closing '---'
    int body_line = 0;        // file line where the body starts
};

// Splits `text` (valid UTF-8, a leading BOM allowed) into front matter and body and parses the
// YAML. Reports a missing or unterminated front matter or a YAML syntax error at its
// position in `path`, and returns nothing then.
std::optional<MarkdownParts> parse_markdown_file(std::string_view text, const std::string& path,
                                                 DiagnosticSink& sink);

// Parses a whole YAML file (a configuration file by default) into a record tree with file
// positions (lines counted from 1). Reports syntax errors and refused constructs (aliases,
// merge keys, tags, bounds: core/yaml.h); nothing then.
std::optional<FieldValue> parse_yaml(std::string_view text, const std::string& path, DiagnosticSink& sink,
                                     YamlKind kind = YamlKind::configuration);

}  // namespace passerelle
