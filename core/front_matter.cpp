#include "core/front_matter.h"

#include "core/limits.h"
#include "core/yaml.h"

namespace passerelle {

namespace {

// The end of the line starting at `pos`, and where the next one starts.
std::pair<std::string_view, std::size_t> line_at(std::string_view text, std::size_t pos) {
    const auto nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return {line, nl == std::string_view::npos ? text.size() : nl + 1};
}

}  // namespace

std::optional<MarkdownParts> parse_markdown_file(std::string_view text, const std::string& path,
                                                 DiagnosticSink& sink) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    auto [first, pos] = line_at(text, 0);
    if (first != "---") {
        sink.error({path, 1, 1}, "missing front matter (the file must start with a '---' line)");
        return std::nullopt;
    }
    const std::size_t fm_start = pos;
    int line_no = 1;
    std::size_t fm_end = std::string_view::npos;
    while (pos < text.size()) {
        const std::size_t line_start = pos;
        auto [line, next] = line_at(text, pos);
        ++line_no;
        pos = next;
        if (line == "---" || line == "...") {
            fm_end = line_start;
            break;
        }
        if (pos - fm_start > limits::k_front_matter_bytes) {
            sink.error({path, line_no, 1}, "the front matter goes over " + std::to_string(limits::k_front_matter_bytes >> 10) +
                                               " KiB at this line: it holds a note's fields, its text goes below the closing '---'");
            return std::nullopt;
        }
    }
    if (fm_end == std::string_view::npos) {
        sink.error({path, 1, 1}, "unterminated front matter (no closing '---' line)");
        return std::nullopt;
    }
    MarkdownParts parts;
    parts.body = std::string(text.substr(pos));
    parts.body_line = line_no + 1;
    auto root = parse_yaml_text(text.substr(fm_start, fm_end - fm_start), path, 2, YamlKind::front_matter, sink);
    if (!root) return std::nullopt;
    if (root->type != FieldValue::Type::map) {
        sink.error({path, 2, 1}, "front matter must be a mapping of 'field: value' lines");
        return std::nullopt;
    }
    parts.front_matter = std::move(*root);
    return parts;
}

std::optional<FieldValue> parse_yaml(std::string_view text, const std::string& path, DiagnosticSink& sink, YamlKind kind) {
    return parse_yaml_text(text, path, 1, kind, sink);
}

}  // namespace passerelle
