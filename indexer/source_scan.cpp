#include "indexer/source_scan.h"

#include <algorithm>
#include <set>

namespace passerelle {

namespace {

namespace fs = std::filesystem;

std::string key_of(const fs::path& p) { return fs::absolute(p).lexically_normal().string(); }

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void walk(const fs::path& dir, std::vector<Source>& out, DiagnosticSink& sink) {
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) {
        sink.error({dir.string(), 0, 0}, "cannot read directory: " + ec.message());
        return;
    }
    for (; it != end; it.increment(ec)) {
        if (ec) {
            sink.error({dir.string(), 0, 0}, "cannot walk directory: " + ec.message());
            break;
        }
        const fs::path& p = it->path();
        const std::string name = p.filename().string();
        if (name.front() == '.') {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        if (it->is_directory(ec) && !it->is_symlink(ec) && name == "vocabularies") {
            it.disable_recursion_pending();
            continue;
        }
        if (it->is_symlink(ec)) {
            // Links are followed to files only: a link to a folder could make a loop, or lead out
            // of the content. A link that cannot be followed (a loop, a missing target) is named.
            std::error_code target_ec;
            const fs::file_status target = fs::status(p, target_ec);
            if (fs::is_directory(target)) {
                sink.warning({p.string(), 0, 0}, "skipped: symbolic link to a folder (links to folders are not followed)");
                continue;
            }
            if (!ends_with(name, ".md")) continue;
            if (!fs::is_regular_file(target)) {
                sink.warning({p.string(), 0, 0}, "skipped: symbolic link to something other than a file" +
                                                     (target_ec ? " (" + target_ec.message() + ")" : std::string()));
                continue;
            }
        } else if (!ends_with(name, ".md") || !it->is_regular_file(ec)) {
            continue;
        }
        out.push_back({p.string(), key_of(p), SourceType::markdown});
    }
}

}  // namespace

ScanResult scan_sources(const std::vector<fs::path>& inputs, DiagnosticSink& sink) {
    ScanResult result;
    for (const fs::path& input : inputs) {
        std::error_code ec;
        const fs::file_status st = fs::status(input, ec);
        if (ec || !fs::exists(st)) {
            sink.error({input.string(), 0, 0}, "no such file or directory");
            continue;
        }
        result.roots.push_back(key_of(input));
        const std::string name = input.filename().string();
        if (fs::is_directory(st))
            walk(input, result.sources, sink);
        else if (ends_with(name, ".jsonl"))
            result.sources.push_back({input.string(), key_of(input), SourceType::jsonl});
        else if (ends_with(name, ".xml"))
            result.sources.push_back({input.string(), key_of(input), SourceType::iati});
        else if (ends_with(name, ".md"))
            result.sources.push_back({input.string(), key_of(input), SourceType::markdown});
        else
            sink.error({input.string(), 0, 0}, "unsupported file type (expected a directory, .md, .jsonl or an IATI .xml file)");
    }
    std::sort(result.sources.begin(), result.sources.end(), [](const Source& a, const Source& b) { return a.key < b.key; });
    result.sources.erase(std::unique(result.sources.begin(), result.sources.end(),
                                     [](const Source& a, const Source& b) { return a.key == b.key; }),
                         result.sources.end());
    return result;
}

bool covered_by(const std::string& key, const std::vector<std::string>& roots) {
    return std::any_of(roots.begin(), roots.end(), [&](const std::string& r) {
        return key == r || (key.size() > r.size() && key.compare(0, r.size(), r) == 0 && key[r.size()] == '/');
    });
}

}  // namespace passerelle
