#include "indexer/glossary_synonyms.h"

#include <map>
#include <set>

#include "core/fold.h"
#include "core/index_schema.h"

namespace passerelle {

std::vector<SynonymSet> glossary_synonyms(const Vocabularies& vocab) {
    std::map<std::string, std::set<std::string>> by_key;
    for (const GlossaryEntry& e : vocab.glossary) {
        std::vector<std::pair<std::string, std::string>> forms;  // (lang, folded phrase)
        for (const auto& f : e.fr) forms.emplace_back("fr", fold_phrase(f));
        for (const auto& f : e.en) forms.emplace_back("en", fold_phrase(f));
        for (const auto& [lang, key] : forms) {
            if (key.empty()) continue;
            for (const auto& [l2, phrase] : forms)
                if (!phrase.empty()) by_key[key].insert(schema::glossary_expansion(l2, phrase));
        }
    }
    std::vector<SynonymSet> out;
    for (auto& [key, set] : by_key) out.push_back({key, {set.begin(), set.end()}});
    return out;
}

}  // namespace passerelle
