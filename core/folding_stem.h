// A Xapian stemmer that folds before it stems, so that "écoles", "ECOLES", "l'école" and
// "ecole" all give the same term in French. Used by the TermGenerator, the QueryParser
// and MSet::snippet alike; a Xapian::Stem is not thread-safe, so make one per thread.
#pragma once

#include <xapian.h>

#include <string>

namespace passerelle {

// `language` is a code Xapian knows ("fr", "en", "es", ...) or anything else for no stemming.
Xapian::Stem make_folding_stem(const std::string& language);

// True when Xapian has a Snowball stemmer for `language`.
bool has_stemmer(const std::string& language);

}  // namespace passerelle
