// Short French and English stopword lists (folded), dropped from queries but kept in the index
// so that phrases still match.
#pragma once

#include <xapian.h>

namespace passerelle {

// A stopper for both languages at once: a bilingual query is parsed by both.
const Xapian::Stopper& bilingual_stopper();

bool is_stopword(const std::string& folded_word);

// "fr" or "en" for a stopword of one language only ("des", "the"), else "" ("a", "on", a word
// that is no stopword): a hint of the language a query is written in.
std::string stopword_language(const std::string& folded_word);

}  // namespace passerelle
