#include "core/folding_stem.h"

#include "core/fold.h"

namespace passerelle {

namespace {

class FoldingStem : public Xapian::StemImplementation {
  public:
    FoldingStem(Xapian::Stem inner, bool strip_elisions, std::string language, SpellingCollector* collector)
        : m_inner(std::move(inner)),
          m_strip_elisions(strip_elisions),
          m_language(std::move(language)),
          m_collector(collector) {}

    std::string operator()(const std::string& word) override {
        // Word frequencies are Zipfian: most words were seen before, so their stem and their
        // spelling counter are found with one look-up.
        auto hit = m_cache.find(word);
        if (hit == m_cache.end()) {
            if (m_cache.size() >= k_cache_limit) m_cache.clear();
            hit = m_cache.emplace(word, Entry{stem_of(word), nullptr, ~0u}).first;
        }
        if (m_collector && m_collector->enabled()) {
            Entry& e = hit->second;
            if (e.generation != m_collector->generation()) {
                e.counter = m_collector->counter(m_strip_elisions ? std::string(strip_elision(word)) : word);
                e.generation = m_collector->generation();
            }
            if (e.counter) ++*e.counter;
        }
        return hit->second.stem;
    }

    std::string get_description() const override { return "passerelle-folding-" + m_language; }

  private:
    Xapian::Stem m_inner;
    bool m_strip_elisions;
    std::string m_language;
    std::string stem_of(const std::string& word) {
        std::string folded = fold(word);
        if (m_strip_elisions) {
            const std::string_view bare = strip_elision(folded);
            if (bare.size() != folded.size()) folded = std::string(bare);
        }
        return m_inner(folded);
    }

    struct Entry {
        std::string stem;
        int* counter;         // the word's spelling counter in m_collector
        unsigned generation;  // the collector generation `counter` belongs to
    };
    SpellingCollector* m_collector;
    static constexpr std::size_t k_cache_limit = 200000;
    std::unordered_map<std::string, Entry> m_cache;
};

// Words worth suggesting: 3 to 40 bytes of letters, with apostrophes inside. Numbers, codes
// and identifiers ("14030", "0,5", "c++", "gov1") are never suggestions.
bool spelling_candidate(const std::string& w) {
    if (w.size() < 3 || w.size() > 40) return false;
    for (char c : w) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x80 && !(u >= 'a' && u <= 'z') && u != '\'') return false;
    }
    return true;
}

}  // namespace

int* SpellingCollector::counter(const std::string& word) {
    return spelling_candidate(word) ? &m_words[word] : nullptr;
}

bool has_stemmer(const std::string& language) {
    try {
        Xapian::Stem s(language);
        return !s.is_none();
    } catch (const Xapian::InvalidArgumentError&) {
        return false;
    }
}

Xapian::Stem make_folding_stem(const std::string& language, SpellingCollector* collector) {
    Xapian::Stem inner = has_stemmer(language) ? Xapian::Stem(language) : Xapian::Stem();
    // Elisions are French (and Catalan/Italian) apostrophe forms; English keeps "'s" for its stemmer.
    const bool elisions = language == "fr" || language == "ca" || language == "it";
    return Xapian::Stem(new FoldingStem(std::move(inner), elisions, language, collector));
}

}  // namespace passerelle
