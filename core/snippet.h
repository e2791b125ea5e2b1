// Search-result snippets: the passage of a document's text where the query's words are, with
// those words marked. Words are found the way the index found them (same tokenizer, same
// folding stemmer), so "l’école" is marked for a search on "ecoles". Cheaper than Xapian's
// MSet::snippet because only words that can stem to a query term are stemmed.
#pragma once

#include <bitset>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace passerelle {

struct SnippetStyle {
    std::size_t length = 200;  // bytes of text to aim for
    std::string mark_start = "<mark>", mark_end = "</mark>";
    std::string omit = "…";    // where text is left out before or after the passage
};

class SnippetMaker {
  public:
    using StemFunction = std::function<std::string(const std::string&)>;

    // `stems`: the query's stemmed terms (no prefix) and their weights (0 or less counts as 1).
    explicit SnippetMaker(const std::unordered_map<std::string, double>& stems);

    // The best passage of `text`, HTML-escaped (&, <, >), whitespace runs shown as one space,
    // query words between the marks. `stem` is the document language's folding stemmer.
    // `more_follows`: the text was cut, so a passage at its end is followed by `omit`.
    // `found` (when given) is set to how many distinct query terms the passage shows.
    std::string make(std::string_view text, const StemFunction& stem, const SnippetStyle& style,
                     bool more_follows = false, std::size_t* found = nullptr) const;

    // True when `lower_case_word` may stem to a query term: its first two letters (after an
    // elision such as "l'") are those of a query stem, or are not plain ASCII. Exposed for tests.
    bool may_match(std::string_view lower_case_word) const;
    bool empty() const { return m_stems.empty(); }  // no query words (browsing)

  private:
    std::unordered_map<std::string, double> m_stems;
    std::bitset<65536> m_heads;               // the first two bytes of each stem
    bool m_short_stem = false;                // some stem has fewer than two bytes
};

}  // namespace passerelle
