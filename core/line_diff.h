// A line diff of two texts (the longest common subsequence of their lines), for a note's
// history. Bounded: texts whose line counts multiply past `max_cells` are shown as one block
// removed and one added.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace passerelle {

struct DiffLine {
    char op = ' ';  // ' ' kept, '-' removed, '+' added
    std::string text;
};

std::vector<DiffLine> line_diff(const std::string& before, const std::string& after, std::size_t max_cells = 4000000);

}  // namespace passerelle
