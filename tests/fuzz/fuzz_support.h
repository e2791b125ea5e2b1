// What the libFuzzer targets share: the bundled vocabularies, loaded once, and the check that
// every input a reader refuses gets at least one error naming where.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/diagnostics.h"
#include "core/vocabulary.h"

namespace passerelle::fuzz {

inline const Vocabularies& vocabularies() {
    static const Vocabularies v = Vocabularies::load(PASSERELLE_SOURCE_DIR "/content/vocabularies");
    return v;
}

// A refused document must come with an error that names `path`; anything else is a bug the
// fuzzer should report (abort() is a crash to it).
inline void require_reported(bool refused, DiagnosticSink& sink, const std::string& path) {
    const auto items = sink.take();
    for (const Diagnostic& d : items)
        if (d.where.file != path) {
            std::fprintf(stderr, "diagnostic without the file's name: %s\n", d.str().c_str());
            std::abort();
        }
    if (refused && sink.error_count() == 0) {
        std::fprintf(stderr, "document refused without an error\n");
        std::abort();
    }
}

}  // namespace passerelle::fuzz
