#include "core/tokenizer.h"

#include "core/fold.h"
#include "core/utf8.h"

namespace passerelle {

namespace {

constexpr std::size_t k_max_word = 64;

struct Cursor {
    std::string_view text;
    std::size_t pos = 0;

    bool done() const { return pos >= text.size(); }
    // The code point at `at` and its byte length, without moving.
    char32_t peek(std::size_t at, std::size_t* len = nullptr) const {
        if (at >= text.size()) return 0;
        const auto c = static_cast<unsigned char>(text[at]);
        if (c < 0x80) {
            if (len) *len = 1;
            return c;
        }
        std::size_t p = at;
        const char32_t cp = utf8::decode(text, p);
        if (len) *len = p - at;
        return cp;
    }
};

bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }

// Characters kept inside a word when a word character follows: apostrophes (typographic ones
// become '\''), '&' and the middle dot. Returns the character to keep, or 0.
char32_t infix(char32_t c) {
    switch (c) {
        case '\'': case '&': case 0xB7: case 0x5F4: case 0x2027: return c;
        case 0x2019: case 0x201B: return '\'';
        default: return 0;
    }
}

// Separators kept between two digits.
bool digit_infix(char32_t c) {
    return c == ',' || c == '.' || c == ';' || c == 0x37E || c == 0x589 || c == 0x60D || c == 0x7F8 ||
           c == 0x2044 || c == 0xFE10 || c == 0xFE13 || c == 0xFE14;
}

bool is_upper_ascii(char32_t c) { return c >= 'A' && c <= 'Z'; }

}  // namespace

void tokenize(std::string_view text, WordSink& sink) {
    Cursor cur{text};
    std::string word;
    while (!cur.done()) {
        std::size_t len = 0;
        char32_t ch = cur.peek(cur.pos, &len);
        if (!is_word_char(ch)) {
            cur.pos += len;
            continue;
        }
        word.clear();
        const std::size_t begin = cur.pos;
        // Dotted acronym: "U.N." gives "un".
        if (is_upper_ascii(ch) && cur.peek(cur.pos + 1) == '.' && is_upper_ascii(cur.peek(cur.pos + 2))) {
            std::size_t p = cur.pos;
            while (is_upper_ascii(cur.peek(p)) && cur.peek(p + 1) == '.') {
                word += static_cast<char>(cur.peek(p) + 32);
                p += 2;
            }
            if (!is_word_char(cur.peek(p))) {
                cur.pos = p;
                if (word.size() <= k_max_word) sink.word_at(word, begin, p);
                continue;
            }
            word.clear();
        }
        char32_t prev = 0;
        for (;;) {
            append_lower(word, ch);
            prev = ch;
            cur.pos += len;
            ch = cur.peek(cur.pos, &len);
            if (cur.done()) break;
            if (is_word_char(ch)) continue;
            std::size_t next_len = 0;
            const char32_t next = cur.peek(cur.pos + len, &next_len);
            if (const char32_t kept = infix(ch); kept && is_word_char(next)) {
                append_lower(word, kept);
                cur.pos += len;
                ch = next;
                len = next_len;
                continue;
            }
            if (digit_infix(ch) && is_digit(prev) && is_digit(next)) {
                append_lower(word, ch);
                cur.pos += len;
                ch = next;
                len = next_len;
                continue;
            }
            break;
        }
        // "C++", "C#": up to three '+' or '#' right after a word, then no word character.
        if (!cur.done() && (ch == '+' || ch == '#')) {
            std::size_t p = cur.pos, n = 0;
            while (n < 3 && (cur.peek(p) == '+' || cur.peek(p) == '#')) ++p, ++n;
            if (!is_word_char(cur.peek(p)) && !(cur.peek(p) == '+' || cur.peek(p) == '#')) {
                word.append(text.substr(cur.pos, n));
                cur.pos = p;
            }
        }
        if (word.size() <= k_max_word) sink.word_at(word, begin, cur.pos);
    }
}

}  // namespace passerelle
