// A parsed record before validation: the tree of a front matter or a JSON Lines object, each
// value carrying where it was written. The YAML and JSON adapters produce it; the document
// builder consumes it, so both formats are validated by the same code.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/diagnostics.h"

namespace passerelle {

struct FieldValue {
    enum class Type { null, scalar, list, map };
    Type type = Type::null;
    std::string scalar;     // text of a scalar (numbers as written)
    bool is_number = false; // scalar came from a JSON number
    std::vector<FieldValue> items;                            // list
    std::vector<std::pair<std::string, FieldValue>> fields;  // map, in written order
    SourcePos pos;

    const FieldValue* get(const std::string& key) const {
        for (const auto& [k, v] : fields)
            if (k == key) return &v;
        return nullptr;
    }
    const char* type_name() const {
        switch (type) {
            case Type::null: return "empty";
            case Type::scalar: return "a single value";
            case Type::list: return "a list";
            case Type::map: return "a mapping";
        }
        return "?";
    }
};

// For readers of configuration-like files (server configuration, guide definitions): throws
// Error "file:line:column: error: message" at `v`.
[[noreturn]] void fail_at(const FieldValue& v, const std::string& message);
// `v`'s text; fails at `v` unless it is a single value ("'key' must be a single value").
std::string scalar_text(const FieldValue& v, const std::string& key);

}  // namespace passerelle
