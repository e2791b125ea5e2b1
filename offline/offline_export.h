// `passerelle export zim` and `passerelle export html`: the site as one role sees it, rendered
// by the server's handlers over an index folder, written as a ZIM file for Kiwix or as a folder
// of static files (the same pages and paths). docs/offline.md.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace passerelle::offline {

struct ExportOptions {
    std::string db = "data";
    std::string role = "public";  // public | partners | internal
    std::string output;           // the .zim file, or the folder
    std::string base_url;         // the online site, named in citations ("" for none)
    std::string guides_dir;       // guide definitions ("" for the bundled ones)
    std::string date;             // YYYY-MM-DD (default: today, UTC)
    unsigned threads = 0;         // 0: one per core
};

struct ExportReport {
    std::size_t pages = 0, files = 0, bytes = 0;  // bytes: before compression
    std::vector<std::string> failed;  // addresses linked but not answered with 200
};

// Throws Error (with the file or parameter at fault) when the index cannot be read or the
// output cannot be written; a ZIM file is replaced only once it is whole.
ExportReport export_zim(const ExportOptions& options);
ExportReport export_folder(const ExportOptions& options);

}  // namespace passerelle::offline
