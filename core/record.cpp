#include "core/record.h"

namespace passerelle {

void fail_at(const FieldValue& v, const std::string& message) {
    throw Error(Diagnostic{v.pos, Severity::error, message}.str());
}

std::string scalar_text(const FieldValue& v, const std::string& key) {
    if (v.type != FieldValue::Type::scalar) fail_at(v, "'" + key + "' must be a single value");
    return v.scalar;
}

}  // namespace passerelle
