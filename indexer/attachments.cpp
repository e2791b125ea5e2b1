#include "indexer/attachments.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <vector>

#include "core/hash.h"
#include "indexer/note_file.h"
#include "indexer/pdf_text.h"

namespace passerelle {

namespace fs = std::filesystem;

fs::path attachment_folder(const fs::path& note_file) {
    std::string name = note_file.filename().string();
    if (name.size() > 3 && name.compare(name.size() - 3, 3, ".md") == 0) name.resize(name.size() - 3);
    if (const auto dot = name.rfind('.'); dot != std::string::npos && dot > 0) name.resize(dot);
    return note_file.parent_path() / name;
}

namespace {

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw Error("cannot be opened");
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw Error("cannot be read");
    return bytes;
}

std::string mib(std::uintmax_t bytes) { return std::to_string((bytes + (1u << 19)) >> 20) + " MiB"; }

}  // namespace

bool load_attachments(Document& doc, const fs::path& note_file, const fs::path& store, DiagnosticSink& sink) {
    const fs::path folder = attachment_folder(note_file);
    const std::string shown = folder.filename().string() + "/";
    bool ok = true;
    std::size_t text_left = limits::k_attachment_text_bytes;
    for (Attachment& a : doc.attachments) {
        const auto fail = [&](const std::string& why) {
            sink.error(a.pos, "attachment '" + shown + a.file + "': " + why);
            ok = false;
        };
        const fs::path path = folder / a.file;
        std::error_code ec;
        const fs::file_status st = fs::symlink_status(path, ec);
        if (ec || !fs::exists(st)) {
            fail("no such file (attachments go in the folder '" + shown + "' beside the note)");
            continue;
        }
        if (fs::is_symlink(st) || !fs::is_regular_file(st)) {
            fail("not a plain file (links are not followed)");
            continue;
        }
        const std::uintmax_t size = fs::file_size(path, ec);
        if (ec || size > limits::k_attachment_bytes) {
            fail(ec ? ec.message() : "the file has " + mib(size) + ", over the " + mib(limits::k_attachment_bytes) + " an attachment may have");
            continue;
        }
        std::string bytes;
        try {
            bytes = read_all(path);
        } catch (const Error& e) {
            fail(e.what());
            continue;
        }
        a.type = attachment_type(bytes);
        a.bytes = static_cast<long long>(bytes.size());
        if (a.type.empty()) {
            fail("not a PDF, PNG or JPEG file (its type is read from its bytes, not its name)");
            continue;
        }
        if (a.type != "application/pdf" && (a.alt.empty() || a.credit.empty())) {
            fail("an image needs its alternative text ('alt') and its credit ('credit')");
            continue;
        }
        if (a.type == "application/pdf") {
            try {
                PdfText text = pdf_text(bytes, text_left);
                a.page_count = text.pages;
                for (const std::string& p : text.text) text_left -= p.size();
                a.pages = std::move(text.text);
                if (text.cut)
                    sink.warning(a.pos, "attachment '" + shown + a.file + "': only the text of its first " + std::to_string(a.pages.size()) +
                                            " pages is indexed (a document's PDFs may bring " + mib(limits::k_attachment_text_bytes) + " of text)");
            } catch (const Error& e) {
                fail(e.what());
                continue;
            }
        }
        a.hash = content_hash(bytes);
        if (store.empty()) continue;
        const fs::path kept = store / a.hash;
        if (fs::exists(kept, ec)) continue;  // the same bytes are there already
        try {
            fs::create_directories(store);
            write_file_atomically(kept, bytes);
        } catch (const std::exception& e) {
            fail(std::string("cannot be copied into the index: ") + e.what());
        }
    }
    return ok;
}

std::string attachment_folder_stamp(const fs::path& note_file) {
    const fs::path folder = attachment_folder(note_file);
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) return "";
    std::vector<std::string> rows;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code e;
        const auto size = it->is_regular_file(e) ? it->file_size(e) : 0;
        const auto time = it->last_write_time(e).time_since_epoch().count();
        rows.push_back(it->path().filename().string() + '\t' + std::to_string(size) + '\t' + std::to_string(time));
    }
    std::sort(rows.begin(), rows.end());
    std::string out;
    for (const std::string& r : rows) out += r + '\n';
    return out;
}

}  // namespace passerelle
