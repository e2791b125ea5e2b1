#include "core/tsv.h"

#include <fstream>
#include <iterator>
#include <sstream>

#include "core/diagnostics.h"

namespace passerelle {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::vector<std::string> split_list(const std::string& cell, const std::string& separator) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= cell.size()) {
        auto end = cell.find(separator, start);
        if (end == std::string::npos) end = cell.size();
        std::string part = trim(cell.substr(start, end - start));
        if (!part.empty()) out.push_back(std::move(part));
        start = end + separator.size();
    }
    return out;
}

static std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (;;) {
        const auto tab = line.find('\t', start);
        cells.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos) break;
        start = tab + 1;
    }
    return cells;
}

std::size_t TsvTable::column(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return i;
    throw Error(path + ": missing column '" + name + "'");
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path.string() + ": cannot open file");
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw Error(path.string() + ": read error");
    return content;
}

TsvTable parse_tsv(const std::string& name, const std::string& content) {
    std::istringstream in(content);
    TsvTable table;
    table.path = name;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        auto cells = split_tabs(line);
        if (table.header.empty()) {
            table.header = std::move(cells);
            continue;
        }
        if (cells.size() != table.header.size())
            throw Error(table.path + ":" + std::to_string(number) + ": expected " +
                        std::to_string(table.header.size()) + " tab-separated cells, found " +
                        std::to_string(cells.size()));
        table.rows.push_back({number, std::move(cells)});
    }
    if (table.header.empty()) throw Error(table.path + ": no header row");
    return table;
}

}  // namespace passerelle
