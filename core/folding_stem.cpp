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
        if (m_collector) m_collector->add(m_strip_elisions ? std::string(strip_elision(word)) : word);
        // Word frequencies are Zipfian: most words were seen before, so cache their stems.
        if (const auto hit = m_cache.find(word); hit != m_cache.end()) return hit->second;
        std::string folded = fold(word);
        if (m_strip_elisions) {
            const std::string_view bare = strip_elision(folded);
            if (bare.size() != folded.size()) folded = std::string(bare);
        }
        std::string stem = m_inner(folded);
        if (m_cache.size() >= k_cache_limit) m_cache.clear();
        m_cache.emplace(word, stem);
        return stem;
    }

    std::string get_description() const override { return "passerelle-folding-" + m_language; }

  private:
    Xapian::Stem m_inner;
    bool m_strip_elisions;
    std::string m_language;
    SpellingCollector* m_collector;
    static constexpr std::size_t k_cache_limit = 200000;
    std::unordered_map<std::string, std::string> m_cache;
};

// Words worth suggesting: at least three letters, not only digits, not too long.
bool spelling_candidate(const std::string& w) {
    if (w.size() < 3 || w.size() > 40) return false;
    for (char c : w)
        if (!(c >= '0' && c <= '9')) return true;
    return false;
}

}  // namespace

void SpellingCollector::add(const std::string& word, int count) {
    if (m_enabled && spelling_candidate(word)) m_words[word] += count;
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
