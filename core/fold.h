// Text folding for search: lower case, accents removed, ligatures expanded, typographic
// apostrophes made plain, French elisions stripped. The only file that uses ICU.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace passerelle {

// Folds `text` (valid UTF-8): "Écoles" -> "ecoles", "cœur" -> "coeur", "l’été" -> "l'ete".
// Thread-safe; pure ASCII takes a fast path.
std::string fold(std::string_view text);

// Strips a leading French elision from an already folded word: "l'ecole" -> "ecole",
// "qu'il" -> "il", "jusqu'a" -> "a"; "aujourd'hui" is left alone.
std::string_view strip_elision(std::string_view folded_word);

// fold() then strip_elision(): the form under which a word is indexed and queried.
std::string fold_word(std::string_view word);

// Splits `text` into words (letters and digits, with apostrophes inside words) and folds each
// with fold_word(): "Plan d’action" -> {"plan", "action"}, "borne-fontaine" -> {"borne", "fontaine"}.
std::vector<std::string> fold_words(std::string_view text);

// ASCII letters lower-cased, nothing else changed: for codes and ids ("SN" -> "sn").
std::string lower_ascii(std::string s);

// Unicode properties the tokenizer needs (letters, digits, marks and connectors are word
// characters), and lower-casing of one code point appended as UTF-8.
bool is_word_char_beyond_ascii(char32_t cp);
void append_lower_beyond_ascii(std::string& out, char32_t cp);

// ASCII, by far the most common case, is decided inline; the rest asks ICU.
inline bool is_word_char(char32_t cp) {
    if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
    return is_word_char_beyond_ascii(cp);
}
inline void append_lower(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += (cp >= 'A' && cp <= 'Z') ? static_cast<char>(cp + 32) : static_cast<char>(cp);
        return;
    }
    append_lower_beyond_ascii(out, cp);
}

// fold_words() joined by single spaces: the key under which phrases are compared.
std::string fold_phrase(std::string_view text);

}  // namespace passerelle
