// A Xapian stemmer that folds before it stems, so that "écoles", "ECOLES", "l'école" and
// "ecole" all give the same term in French. Used by the TermGenerator, the QueryParser
// and MSet::snippet alike; a Xapian::Stem is not thread-safe, so make one per thread.
#pragma once

#include <xapian.h>

#include <functional>
#include <string>
#include <unordered_map>

namespace passerelle {

// Counts the words a stemmer sees (lower case, accents kept, elision stripped) to build the
// spelling dictionary without tokenising the text twice. Not thread-safe: one per thread.
class SpellingCollector {
  public:
    const std::unordered_map<std::string, int>& words() const { return m_words; }
    void clear() {
        m_words.clear();
        ++m_generation;
    }
    // While disabled, the stemmer counts nothing (fields that do not feed the dictionary).
    void set_enabled(bool on) { m_enabled = on; }
    bool enabled() const { return m_enabled; }

    // The counter of `word`, or nullptr for words not worth suggesting. Valid until clear(),
    // which changes generation().
    int* counter(const std::string& word);
    unsigned generation() const { return m_generation; }

  private:
    std::unordered_map<std::string, int> m_words;
    bool m_enabled = true;
    unsigned m_generation = 0;
};

// A word's stem, and the tag a WordStems' tagger gave it (0 without a tagger).
struct StemmedWord {
    std::string stem;
    int tag = 0;
};

// The folding stemmer's own interface, for the indexer: each distinct word is folded, stemmed
// and tagged once (words are Zipfian, so most look-ups hit the cache), and counted into the
// collector if there is one. Not thread-safe: one per thread.
class WordStems {
  public:
    // Given the folded word (elision stripped) and its stem, a tag kept with the stem.
    using Tagger = std::function<int(const std::string& folded, const std::string& stem)>;
    explicit WordStems(std::string language, SpellingCollector* collector = nullptr, Tagger tagger = {});

    // `word` as the tokenizer gives it (lower case, accents kept).
    const StemmedWord& operator()(const std::string& word);
    const std::string& language() const { return m_language; }

  private:
    struct Entry {
        StemmedWord word;
        int* counter;         // the word's spelling counter in m_collector
        unsigned generation;  // the collector generation `counter` belongs to
    };
    Entry make_entry(const std::string& word);

    Xapian::Stem m_inner;
    bool m_strip_elisions;
    std::string m_language;
    SpellingCollector* m_collector;
    Tagger m_tagger;
    std::unordered_map<std::string, Entry> m_cache;
};

// `language` is a code Xapian knows ("fr", "en", "es", ...) or anything else for no stemming.
// With a collector, every word stemmed is also counted into it (the collector must outlive
// the Stem).
Xapian::Stem make_folding_stem(const std::string& language, SpellingCollector* collector = nullptr);

// True when Xapian has a Snowball stemmer for `language`.
bool has_stemmer(const std::string& language);

}  // namespace passerelle
