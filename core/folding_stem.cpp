#include "core/folding_stem.h"

#include "core/fold.h"

namespace passerelle {

namespace {

class FoldingStem : public Xapian::StemImplementation {
  public:
    FoldingStem(std::string language, SpellingCollector* collector) : m_words(std::move(language), collector) {}
    std::string operator()(const std::string& word) override { return m_words(word).stem; }
    std::string get_description() const override { return "passerelle-folding-" + m_words.language(); }

  private:
    WordStems m_words;
};

constexpr std::size_t k_cache_limit = 200000;

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

WordStems::WordStems(std::string language, SpellingCollector* collector, Tagger tagger)
    : m_inner(has_stemmer(language) ? Xapian::Stem(language) : Xapian::Stem()),
      // Elisions are French (and Catalan/Italian) apostrophe forms; English keeps "'s" for its stemmer.
      m_strip_elisions(language == "fr" || language == "ca" || language == "it"),
      m_language(std::move(language)),
      m_collector(collector),
      m_tagger(std::move(tagger)) {}

WordStems::Entry WordStems::make_entry(const std::string& word) {
    std::string folded = fold(word);
    if (m_strip_elisions) {
        const std::string_view bare = strip_elision(folded);
        if (bare.size() != folded.size()) folded = std::string(bare);
    }
    Entry e{{m_inner(folded), 0}, nullptr, ~0u};
    if (m_tagger) e.word.tag = m_tagger(folded, e.word.stem);
    return e;
}

const StemmedWord& WordStems::operator()(const std::string& word) {
    // Word frequencies are Zipfian: most words were seen before, so their stem and their
    // spelling counter are found with one look-up.
    auto hit = m_cache.find(word);
    if (hit == m_cache.end()) {
        if (m_cache.size() >= k_cache_limit) m_cache.clear();
        hit = m_cache.emplace(word, make_entry(word)).first;
    }
    if (m_collector && m_collector->enabled()) {
        Entry& e = hit->second;
        if (e.generation != m_collector->generation()) {
            e.counter = m_collector->counter(m_strip_elisions ? std::string(strip_elision(word)) : word);
            e.generation = m_collector->generation();
        }
        if (e.counter) ++*e.counter;
    }
    return hit->second.word;
}

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
    return Xapian::Stem(new FoldingStem(language, collector));
}

}  // namespace passerelle
