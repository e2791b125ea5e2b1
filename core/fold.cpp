#include "core/fold.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <string>

#include "core/utf8.h"

namespace passerelle {

namespace {

// Code points below this bound are folded through a table computed once from ICU:
// Latin-1, Latin Extended-A and B, IPA, spacing and combining marks.
constexpr char32_t k_table_end = 0x370;

// Decomposes (NFD), lower-cases and drops nonspacing marks, plus the letters NFD does not
// decompose (œ, æ, ß, ø, đ, ł, þ) and typographic apostrophes.
std::string fold_code_point_icu(char32_t cp) {
    switch (cp) {
        case U'œ': case U'Œ': return "oe";
        case U'æ': case U'Æ': return "ae";
        case U'ß': case U'ẞ': return "ss";
        case U'ø': case U'Ø': return "o";
        case U'đ': case U'Đ': return "d";
        case U'ł': case U'Ł': return "l";
        case U'þ': case U'Þ': return "th";
        case U'\u2019': case U'\u2018': case U'\u02BC': case U'\u00B4': return "'";
        default: break;
    }
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    icu::UnicodeString decomposed;
    if (U_SUCCESS(status)) decomposed = nfd->normalize(icu::UnicodeString(static_cast<UChar32>(cp)), status);
    if (U_FAILURE(status)) decomposed = icu::UnicodeString(static_cast<UChar32>(cp));
    std::string out;
    for (int32_t i = 0; i < decomposed.length();) {
        const UChar32 c = decomposed.char32At(i);
        i += U16_LENGTH(c);
        if (u_charType(c) == U_NON_SPACING_MARK) continue;
        utf8::append(out, static_cast<char32_t>(u_tolower(c)));
    }
    return out;
}

struct FoldTable {
    std::array<std::string, k_table_end> entries;
    FoldTable() {
        for (char32_t cp = 0; cp < k_table_end; ++cp) entries[cp] = fold_code_point_icu(cp);
    }
};

const FoldTable& table() {
    static const FoldTable t;
    return t;
}

bool is_ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

}  // namespace

std::string fold(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    if (is_ascii(text)) {
        for (char c : text) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
        return out;
    }
    const FoldTable& t = table();
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto c = static_cast<unsigned char>(text[pos]);
        if (c < 0x80) {
            out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : static_cast<char>(c);
            ++pos;
            continue;
        }
        const char32_t cp = utf8::decode(text, pos);
        if (cp < k_table_end)
            out += t.entries[cp];
        else
            out += fold_code_point_icu(cp);
    }
    return out;
}

std::string_view strip_elision(std::string_view w) {
    static constexpr std::string_view k_elided[] = {"l", "d", "j", "m", "n", "s", "t", "c", "qu",
                                                    "jusqu", "lorsqu", "puisqu", "quoiqu"};
    const auto apos = w.find('\'');
    if (apos == std::string_view::npos || apos + 1 >= w.size()) return w;
    const std::string_view head = w.substr(0, apos);
    for (std::string_view e : k_elided)
        if (head == e) return w.substr(apos + 1);
    return w;
}

std::string fold_word(std::string_view word) {
    std::string f = fold(word);
    const std::string_view s = strip_elision(f);
    if (s.size() != f.size()) return std::string(s);
    return f;
}

std::string lower_ascii(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return s;
}

bool is_word_char_beyond_ascii(char32_t cp) {
    switch (u_charType(static_cast<UChar32>(cp))) {
        case U_UPPERCASE_LETTER: case U_LOWERCASE_LETTER: case U_TITLECASE_LETTER: case U_MODIFIER_LETTER:
        case U_OTHER_LETTER: case U_NON_SPACING_MARK: case U_ENCLOSING_MARK: case U_COMBINING_SPACING_MARK:
        case U_DECIMAL_DIGIT_NUMBER: case U_LETTER_NUMBER: case U_OTHER_NUMBER: case U_CONNECTOR_PUNCTUATION:
            return true;
        default:
            return false;
    }
}

void append_lower_beyond_ascii(std::string& out, char32_t cp) {
    utf8::append(out, static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))));
}

std::vector<std::string> fold_words(std::string_view text) {
    const std::string folded = fold(text);
    std::vector<std::string> words;
    std::string current;
    auto flush = [&] {
        while (!current.empty() && current.back() == '\'') current.pop_back();
        if (!current.empty()) words.emplace_back(strip_elision(current));
        current.clear();
    };
    for (std::size_t pos = 0; pos < folded.size();) {
        const std::size_t start = pos;
        const char32_t cp = utf8::decode(folded, pos);
        if (u_isalnum(static_cast<UChar32>(cp)))
            current.append(folded, start, pos - start);
        else if (cp == U'\'' && !current.empty())
            current += '\'';
        else
            flush();
    }
    flush();
    return words;
}

std::string fold_phrase(std::string_view text) {
    std::string out;
    for (const std::string& w : fold_words(text)) {
        if (!out.empty()) out += ' ';
        out += w;
    }
    return out;
}

}  // namespace passerelle
