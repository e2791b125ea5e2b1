// Splits text into lower-cased words the way Xapian's TermGenerator does (apostrophes and '&'
// inside words, digit separators inside numbers, "C++"/"C#" suffixes, dotted acronyms, words
// over 64 bytes dropped), so that the index agrees with Xapian's QueryParser and snippets;
// tests/core/tokenizer_test.cpp checks the agreement. Faster than TermGenerator because ASCII
// takes a direct path.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace passerelle {

class WordSink {
  public:
    virtual ~WordSink() = default;
    virtual void word(const std::string& lower_case_word) = 0;
    // The same word with its byte range in the text; by default, word().
    virtual void word_at(const std::string& lower_case_word, std::size_t /*begin*/, std::size_t /*end*/) {
        word(lower_case_word);
    }
};

void tokenize(std::string_view text, WordSink& sink);

}  // namespace passerelle
