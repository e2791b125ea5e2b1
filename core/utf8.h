// UTF-8 checks and decoding.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace passerelle::utf8 {

// Where the first invalid byte sequence starts, or nothing when `text` is valid UTF-8
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
std::optional<std::size_t> find_invalid(std::string_view text);

// 1-based line and column (in code points) of byte `offset` in `text`.
struct LineCol {
    int line = 1;
    int column = 1;
};
LineCol line_col(std::string_view text, std::size_t offset);

// The number of code points in `text` (assumed valid).
std::size_t length(std::string_view text);

// Decodes the code point at `pos` (assumed valid) and advances `pos` past it.
char32_t decode(std::string_view text, std::size_t& pos);

// Appends the UTF-8 encoding of `cp` to `out`.
void append(std::string& out, char32_t cp);

}  // namespace passerelle::utf8
