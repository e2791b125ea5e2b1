// The bundled vocabularies, loaded once per test binary.
#pragma once

#include "core/vocabulary.h"
#include "support/temp_dir.h"

namespace passerelle::test {

inline const Vocabularies& bundled_vocabularies() {
    static const Vocabularies v = Vocabularies::load(source_dir() / "content" / "vocabularies");
    return v;
}

}  // namespace passerelle::test
