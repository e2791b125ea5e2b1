// Tab-separated data files: '#' comment lines, one header row, then records.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace passerelle {

struct TsvRow {
    int line = 0;  // 1-based line in the file
    std::vector<std::string> cells;
};

struct TsvTable {
    std::string path;
    std::vector<std::string> header;
    std::vector<TsvRow> rows;

    // Index of `column` in the header; throws Error ("path: missing column 'x'") when absent.
    std::size_t column(const std::string& name) const;
};

// Parses a table; throws Error naming `name` and the line for a row with the wrong number of cells.
TsvTable parse_tsv(const std::string& name, const std::string& content);

// Reads a whole file; throws Error naming it when it cannot be read.
std::string read_file(const std::filesystem::path& path);

// Splits "a ; b ; c" into {"a", "b", "c"}, trimmed, empty parts dropped.
std::vector<std::string> split_list(const std::string& cell, const std::string& separator = ";");

std::string trim(const std::string& s);

}  // namespace passerelle
