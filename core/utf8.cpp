#include "core/utf8.h"

#include <algorithm>

namespace passerelle::utf8 {

namespace {

int sequence_length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return 2;
    if (lead >= 0xE0 && lead <= 0xEF) return 3;
    if (lead >= 0xF0 && lead <= 0xF4) return 4;
    return 0;
}

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

std::optional<std::size_t> find_invalid(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            ++i;
            continue;
        }
        const int len = sequence_length(s[i]);
        if (len == 0 || i + len > n) return i;
        for (int k = 1; k < len; ++k)
            if (!is_continuation(s[i + k])) return i;
        // Reject overlong 3/4-byte forms, surrogates and values above U+10FFFF.
        if (len == 3 && s[i] == 0xE0 && s[i + 1] < 0xA0) return i;
        if (len == 3 && s[i] == 0xED && s[i + 1] >= 0xA0) return i;
        if (len == 4 && s[i] == 0xF0 && s[i + 1] < 0x90) return i;
        if (len == 4 && s[i] == 0xF4 && s[i + 1] >= 0x90) return i;
        i += len;
    }
    return std::nullopt;
}

LineCol line_col(std::string_view text, std::size_t offset) {
    LineCol lc;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++lc.line;
            lc.column = 1;
        } else if (!is_continuation(c)) {
            ++lc.column;
        }
    }
    return lc;
}

std::size_t length(std::string_view text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return !is_continuation(static_cast<unsigned char>(c)); }));
}

char32_t decode(std::string_view text, std::size_t& pos) {
    const auto c = static_cast<unsigned char>(text[pos]);
    const int len = sequence_length(c);
    if (len <= 1 || pos + len > text.size()) {
        ++pos;
        return c;
    }
    char32_t cp = c & (0xFF >> (len + 1));
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[pos + k]) & 0x3F);
    pos += len;
    return cp;
}

void append(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

}  // namespace passerelle::utf8
