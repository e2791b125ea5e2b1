#include "server/json_writer.h"

#include <charconv>
#include <cmath>

#include "core/utf8.h"

namespace passerelle::http {

void JsonWriter::before_value() {
    if (m_after_key) {
        m_after_key = false;
        return;
    }
    if (!m_first.empty()) {
        if (!m_first.back()) m_out += ',';
        m_first.back() = false;
    }
}

JsonWriter& JsonWriter::begin_object() {
    before_value();
    m_out += '{';
    m_first.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    m_out += '}';
    m_first.pop_back();
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    before_value();
    m_out += '[';
    m_first.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    m_out += ']';
    m_first.pop_back();
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
    before_value();
    write_string(k);
    m_out += ':';
    m_after_key = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
    before_value();
    write_string(s);
    return *this;
}

JsonWriter& JsonWriter::value(long long n) {
    before_value();
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, n);
    m_out.append(buf, r.ptr);
    return *this;
}

JsonWriter& JsonWriter::value(double d) {
    if (!std::isfinite(d)) return null();
    before_value();
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, d);  // shortest form that reads back the same
    m_out.append(buf, r.ptr);
    return *this;
}

JsonWriter& JsonWriter::null() {
    before_value();
    m_out += "null";
    return *this;
}

JsonWriter& JsonWriter::boolean(bool b) {
    before_value();
    m_out += b ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::strings(const std::vector<std::string>& list) {
    begin_array();
    for (const std::string& s : list) value(s);
    return end_array();
}

void JsonWriter::write_string(std::string_view s) {
    static constexpr char k_hex_digits[] = "0123456789abcdef";
    m_out += '"';
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {  // copy a valid sequence whole, replace an invalid one
            const std::size_t start = i;
            const auto bad = utf8::find_invalid(s.substr(i, std::min<std::size_t>(4, s.size() - i)));
            std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            if (len == 1 || i + len > s.size() || (bad && *bad < len)) {
                m_out += "\xEF\xBF\xBD";
                ++i;
                continue;
            }
            m_out.append(s.substr(start, len));
            i += len;
            continue;
        }
        switch (c) {
            case '"': m_out += "\\\""; break;
            case '\\': m_out += "\\\\"; break;
            case '\n': m_out += "\\n"; break;
            case '\r': m_out += "\\r"; break;
            case '\t': m_out += "\\t"; break;
            case '\b': m_out += "\\b"; break;
            case '\f': m_out += "\\f"; break;
            default:
                if (c < 0x20) {
                    m_out += "\\u00";
                    m_out += k_hex_digits[c >> 4];
                    m_out += k_hex_digits[c & 15];
                } else {
                    m_out += static_cast<char>(c);
                }
        }
        ++i;
    }
    m_out += '"';
}

}  // namespace passerelle::http
