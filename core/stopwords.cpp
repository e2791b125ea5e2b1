#include "core/stopwords.h"

#include <set>
#include <string>

namespace passerelle {

namespace {

// Function words only: articles, prepositions, pronouns, conjunctions and auxiliaries.
const std::set<std::string>& french() {
    static const std::set<std::string> w = {
        // folded: no accents, elisions stripped
        "a", "au", "aux", "avec", "ce", "ces", "cet", "cette", "dans", "de", "des", "du", "elle", "elles", "en",
        "est", "et", "eux", "il", "ils", "je", "la", "le", "les", "leur", "leurs", "lui", "ma", "mais", "me",
        "meme", "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que",
        "qui", "sa", "se", "ses", "son", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos",
        "votre", "vous", "y", "sont", "ont", "ete", "etre", "avoir", "comme", "ainsi", "aussi", "entre", "vers",
        "chez", "sans", "sous", "lors", "dont", "ou", "si", "tout", "tous", "toute", "toutes",
    };
    return w;
}

const std::set<std::string>& english() {
    static const std::set<std::string> w = {
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has", "have", "he",
        "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "of", "on", "or", "our", "she", "so",
        "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "was",
        "we", "were", "what", "when", "where", "which", "who", "will", "with", "would", "you", "your", "about",
        "after", "all", "also", "can", "do", "does", "not", "no", "over", "such", "through", "under", "up",
        "while", "within",
    };
    return w;
}

class BilingualStopper : public Xapian::Stopper {
  public:
    bool operator()(const std::string& term) const override { return is_stopword(term); }
    std::string get_description() const override { return "passerelle-bilingual-stopper"; }
};

}  // namespace

bool is_stopword(const std::string& folded_word) { return french().count(folded_word) > 0 || english().count(folded_word) > 0; }

std::string stopword_language(const std::string& folded_word) {
    const bool fr = french().count(folded_word) > 0, en = english().count(folded_word) > 0;
    return fr == en ? std::string() : fr ? "fr" : "en";
}

const Xapian::Stopper& bilingual_stopper() {
    static const BilingualStopper s;
    return s;
}

}  // namespace passerelle
