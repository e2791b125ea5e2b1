// JSON Lines bulk files: one JSON object per line, the content model's fields plus `body`.
// The only file that uses nlohmann::json for reading records.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "core/record.h"

namespace passerelle {

// Parses one line (without its newline) of `path` at `line_no` into a record tree. Values get
// the line and the column of their top-level field's key. Reports syntax errors and non-object
// lines, and returns nothing then.
std::optional<FieldValue> parse_jsonl_record(std::string_view line, const std::string& path, int line_no,
                                             DiagnosticSink& sink);

}  // namespace passerelle
