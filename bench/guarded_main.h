// The main of a benchmark program: runs `run`, and reports what escapes it with the program's
// name and a failing status instead of std::terminate.
#pragma once

#include <cstdio>
#include <exception>

namespace passerelle::bench {

inline int guarded_main(int argc, char** argv, int (*run)(int, char**)) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
        return 1;
    }
}

}  // namespace passerelle::bench
