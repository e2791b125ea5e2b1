#include "core/jsonl.h"

#include <nlohmann/json.hpp>

#include "core/utf8.h"

namespace passerelle {

namespace {

constexpr int k_max_depth = 64;

FieldValue convert(const nlohmann::json& j, const SourcePos& pos, int depth, bool& too_deep) {
    FieldValue v;
    v.pos = pos;
    if (depth > k_max_depth) {
        too_deep = true;
        return v;
    }
    switch (j.type()) {
        case nlohmann::json::value_t::string:
            v.type = FieldValue::Type::scalar;
            v.scalar = j.get_ref<const std::string&>();
            break;
        case nlohmann::json::value_t::boolean:
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
        case nlohmann::json::value_t::number_float:
            v.type = FieldValue::Type::scalar;
            v.scalar = j.dump();
            v.is_number = !j.is_boolean();
            break;
        case nlohmann::json::value_t::array:
            v.type = FieldValue::Type::list;
            for (const auto& item : j) v.items.push_back(convert(item, pos, depth + 1, too_deep));
            break;
        case nlohmann::json::value_t::object:
            v.type = FieldValue::Type::map;
            for (const auto& [k, item] : j.items()) v.fields.emplace_back(k, convert(item, pos, depth + 1, too_deep));
            break;
        default:
            break;
    }
    return v;
}

// Column of `"key"` in the line, so that messages point at the field.
int key_column(std::string_view line, const std::string& key) {
    const auto at = line.find('"' + key + '"');
    return at == std::string_view::npos ? 1 : utf8::line_col(line, at).column;
}

}  // namespace

std::optional<FieldValue> parse_jsonl_record(std::string_view line, const std::string& path, int line_no,
                                             DiagnosticSink& sink) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(line.begin(), line.end());
    } catch (const nlohmann::json::parse_error& e) {
        const int col = e.byte > 0 && e.byte <= line.size() ? utf8::line_col(line, e.byte - 1).column : 1;
        std::string what = e.what();
        const auto colon = what.find("syntax error");
        sink.error({path, line_no, col}, "invalid JSON: " + (colon == std::string::npos ? what : what.substr(colon)));
        return std::nullopt;
    } catch (const nlohmann::json::exception& e) {  // a number too large for a double, ...
        std::string what = e.what();
        const auto bracket = what.find("] ");
        sink.error({path, line_no, 1}, "invalid JSON: " + (bracket == std::string::npos ? what : what.substr(bracket + 2)));
        return std::nullopt;
    }
    if (!j.is_object()) {
        sink.error({path, line_no, 1}, "a JSON Lines record must be an object");
        return std::nullopt;
    }
    FieldValue record;
    record.type = FieldValue::Type::map;
    record.pos = {path, line_no, 1};
    bool too_deep = false;
    for (const auto& [k, item] : j.items())
        record.fields.emplace_back(k, convert(item, {path, line_no, key_column(line, k)}, 1, too_deep));
    if (too_deep) {
        sink.error({path, line_no, 1}, "record nested deeper than " + std::to_string(k_max_depth) + " levels");
        return std::nullopt;
    }
    return record;
}

}  // namespace passerelle
