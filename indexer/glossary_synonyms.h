// The glossary as synonym sets for the index: every form of a glossary row, French or English,
// is a key whose expansions are all the forms of that row, each tagged with its language
// ("fr:eau potable", "en:drinking water") so that the query side stems it correctly.
#pragma once

#include <vector>

#include "core/vocabulary.h"
#include "core/xapian_writer.h"

namespace passerelle {

std::vector<SynonymSet> glossary_synonyms(const Vocabularies& vocab);

}  // namespace passerelle
