#include "core/front_matter.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "core/limits.h"

namespace passerelle {

namespace {

constexpr int k_max_depth = 64;

// yaml-cpp gives up on its own at 2,000 levels, with the message "bad file".
std::string too_deep_message() { return "front matter nested deeper than " + std::to_string(k_max_depth) + " levels"; }

// `first_line`: the file line where the YAML text starts (2 in front matter, after '---').
SourcePos position(const YAML::Mark& mark, const std::string& path, int first_line = 2) {
    return {path, mark.line + first_line, mark.column + 1};
}

FieldValue convert(const YAML::Node& node, const std::string& path, int depth, DiagnosticSink& sink, bool& ok,
                   int first_line = 2) {
    FieldValue v;
    v.pos = position(node.Mark(), path, first_line);
    if (depth > k_max_depth) {
        sink.error(v.pos, too_deep_message());
        ok = false;
        return v;
    }
    switch (node.Type()) {
        case YAML::NodeType::Scalar:
            v.type = FieldValue::Type::scalar;
            v.scalar = node.Scalar();
            break;
        case YAML::NodeType::Sequence:
            v.type = FieldValue::Type::list;
            for (const auto& item : node) v.items.push_back(convert(item, path, depth + 1, sink, ok, first_line));
            break;
        case YAML::NodeType::Map:
            v.type = FieldValue::Type::map;
            for (const auto& kv : node) {
                const SourcePos key_pos = position(kv.first.Mark(), path, first_line);
                if (!kv.first.IsScalar()) {
                    sink.error(key_pos, "field names must be plain text");
                    ok = false;
                    continue;
                }
                const std::string key = kv.first.Scalar();
                if (v.get(key)) {
                    sink.error(key_pos, "duplicate field '" + key + "'");
                    ok = false;
                    continue;
                }
                FieldValue child = convert(kv.second, path, depth + 1, sink, ok, first_line);
                if (child.type == FieldValue::Type::null) child.pos = key_pos;
                v.fields.emplace_back(key, std::move(child));
            }
            break;
        default:
            break;
    }
    return v;
}

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
    try {
        const YAML::Node root = YAML::Load(std::string(text.substr(fm_start, fm_end - fm_start)));
        if (!root.IsMap()) {
            sink.error({path, 2, 1}, "front matter must be a mapping of 'field: value' lines");
            return std::nullopt;
        }
        bool ok = true;
        parts.front_matter = convert(root, path, 0, sink, ok);
        if (!ok) return std::nullopt;
    } catch (const YAML::DeepRecursion& e) {
        sink.error(position(e.mark, path), too_deep_message());
        return std::nullopt;
    } catch (const YAML::Exception& e) {
        sink.error(position(e.mark, path), "invalid YAML: " + e.msg);
        return std::nullopt;
    }
    return parts;
}

std::optional<FieldValue> parse_yaml(std::string_view text, const std::string& path, DiagnosticSink& sink) {
    try {
        const YAML::Node root = YAML::Load(std::string(text));
        bool ok = true;
        FieldValue v = convert(root, path, 0, sink, ok, 1);
        if (!ok) return std::nullopt;
        return v;
    } catch (const YAML::DeepRecursion& e) {
        sink.error(position(e.mark, path, 1), too_deep_message());
        return std::nullopt;
    } catch (const YAML::Exception& e) {
        sink.error(position(e.mark, path, 1), "invalid YAML: " + e.msg);
        return std::nullopt;
    }
}

}  // namespace passerelle
