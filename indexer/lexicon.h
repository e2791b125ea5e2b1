// A lexicon: a small local index folder holding what remote shards cannot serve in Xapian 1.4,
// the spelling dictionary and the glossary synonyms, plus the vocabularies, merged from the
// index folders (or other lexicons) of a federation. A search over remote shards reads them
// from here (SearcherOptions::lexicon); it holds no documents.
#pragma once

#include <cstddef>
#include <filesystem>
#include <vector>

namespace passerelle {

struct LexiconReport {
    std::size_t sources = 0;
    std::size_t words = 0;         // distinct words of the spelling dictionary
    std::size_t synonym_keys = 0;  // glossary forms with synonyms
    int generation = 0;            // of the lexicon folder, one more at each build
    double seconds = 0;
};

// Builds the lexicon of `sources` into `out`: spelling frequencies are added up (as one index of
// every document would count them), synonyms joined, vocabularies taken from the first source
// that recorded any. Replaces what `out` held atomically; readers see the new one on reload.
// Throws Error naming the source or folder that cannot be read or written.
LexiconReport build_lexicon(const std::vector<std::filesystem::path>& sources, const std::filesystem::path& out);

}  // namespace passerelle
