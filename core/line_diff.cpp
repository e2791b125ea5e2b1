#include "core/line_diff.h"

#include <algorithm>

namespace passerelle {

namespace {

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find('\n', at);
        if (end == std::string::npos) end = text.size();
        out.push_back(text.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

}  // namespace

std::vector<DiffLine> line_diff(const std::string& before, const std::string& after, std::size_t max_cells) {
    const std::vector<std::string> a = split_lines(before), b = split_lines(after);
    std::vector<DiffLine> out;
    if ((a.size() + 1) * (b.size() + 1) > max_cells) {
        for (const auto& l : a) out.push_back({'-', l});
        for (const auto& l : b) out.push_back({'+', l});
        return out;
    }
    // common[i][j]: the longest common subsequence of a[i..] and b[j..].
    const std::size_t w = b.size() + 1;
    std::vector<unsigned> common((a.size() + 1) * w, 0);
    for (std::size_t i = a.size(); i-- > 0;)
        for (std::size_t j = b.size(); j-- > 0;)
            common[i * w + j] = a[i] == b[j] ? common[(i + 1) * w + j + 1] + 1 : std::max(common[(i + 1) * w + j], common[i * w + j + 1]);
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        if (i < a.size() && j < b.size() && a[i] == b[j]) {
            out.push_back({' ', a[i]});
            ++i, ++j;
        } else if (i < a.size() && (j == b.size() || common[(i + 1) * w + j] >= common[i * w + j + 1])) {
            out.push_back({'-', a[i++]});  // what went before what came
        } else {
            out.push_back({'+', b[j++]});
        }
    }
    return out;
}

}  // namespace passerelle
