#include "core/folding_stem.h"

#include "core/fold.h"

namespace passerelle {

namespace {

class FoldingStem : public Xapian::StemImplementation {
  public:
    FoldingStem(Xapian::Stem inner, bool strip_elisions, std::string language)
        : m_inner(std::move(inner)), m_strip_elisions(strip_elisions), m_language(std::move(language)) {}

    std::string operator()(const std::string& word) override {
        std::string folded = fold(word);
        if (m_strip_elisions) {
            const std::string_view bare = strip_elision(folded);
            if (bare.size() != folded.size()) folded = std::string(bare);
        }
        return m_inner(folded);
    }

    std::string get_description() const override { return "passerelle-folding-" + m_language; }

  private:
    Xapian::Stem m_inner;
    bool m_strip_elisions;
    std::string m_language;
};

}  // namespace

bool has_stemmer(const std::string& language) {
    try {
        Xapian::Stem s(language);
        return !s.is_none();
    } catch (const Xapian::InvalidArgumentError&) {
        return false;
    }
}

Xapian::Stem make_folding_stem(const std::string& language) {
    Xapian::Stem inner = has_stemmer(language) ? Xapian::Stem(language) : Xapian::Stem();
    // Elisions are French (and Catalan/Italian) apostrophe forms; English keeps "'s" for its stemmer.
    const bool elisions = language == "fr" || language == "ca" || language == "it";
    return Xapian::Stem(new FoldingStem(std::move(inner), elisions, language));
}

}  // namespace passerelle
