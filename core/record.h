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

    // Declared here, defined below where FieldValue is complete: `fields` pairs it with its key,
    // and std::pair may not be instantiated with an incomplete type (clang refuses).
    FieldValue();
    FieldValue(const FieldValue&);
    FieldValue(FieldValue&&) noexcept;
    FieldValue& operator=(const FieldValue&);
    FieldValue& operator=(FieldValue&&) noexcept;
    ~FieldValue();

    // The value of `key` in a map, or nullptr.
    const FieldValue* get(const std::string& key) const;
    const char* type_name() const;
};

inline FieldValue::FieldValue() = default;
inline FieldValue::FieldValue(const FieldValue&) = default;
inline FieldValue::FieldValue(FieldValue&&) noexcept = default;
inline FieldValue& FieldValue::operator=(const FieldValue&) = default;
inline FieldValue& FieldValue::operator=(FieldValue&&) noexcept = default;
inline FieldValue::~FieldValue() = default;

inline const FieldValue* FieldValue::get(const std::string& key) const {
    for (const auto& [k, v] : fields)
        if (k == key) return &v;
    return nullptr;
}

inline const char* FieldValue::type_name() const {
    switch (type) {
        case Type::null: return "empty";
        case Type::scalar: return "a single value";
        case Type::list: return "a list";
        case Type::map: return "a mapping";
    }
    return "?";
}

// For readers of configuration-like files (server configuration, guide definitions): throws
// Error "file:line:column: error: message" at `v`.
[[noreturn]] void fail_at(const FieldValue& v, const std::string& message);
// `v`'s text; fails at `v` unless it is a single value ("'key' must be a single value").
std::string scalar_text(const FieldValue& v, const std::string& key);

}  // namespace passerelle
