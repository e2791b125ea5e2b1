#include "server/note_desk.h"

#include <chrono>
#include <thread>

#include "core/diagnostics.h"
#include "core/vocabulary.h"
#include "indexer/attachments.h"
#include "indexer/indexer.h"
#include "indexer/note_file.h"

namespace passerelle::http {

NoteDesk::NoteDesk(const ServerConfig& config)
    : m_content(config.content.empty() ? std::filesystem::path() : std::filesystem::absolute(config.content)), m_db(config.db) {}

void NoteDesk::write_draft(const std::string& id, const std::string& lang, const std::string& text) const {
    write_file_atomically(draft_note_path(m_content, id, lang), text);
}

std::string NoteDesk::existing_file(const std::string& source) const {
    if (source.empty() || !writing()) return "";
    const auto base = std::filesystem::weakly_canonical(m_content);
    const auto rel = std::filesystem::weakly_canonical(source).lexically_relative(base);
    if (rel.empty() || *rel.begin() == ".." || rel.is_absolute() || rel.begin()->string().front() == '.') return "";
    return source;
}

std::filesystem::path NoteDesk::target(const std::string& id, const std::string& lang, const std::string& kind,
                                      const std::string& existing) const {
    if (!existing_file(existing).empty() && std::filesystem::path(existing).filename() == id + "." + lang + ".md") return existing;
    return published_note_path(m_content, kind, id, lang);
}

std::string NoteDesk::publish(const std::string& id, const std::string& lang, const std::string& kind, const std::string& text,
                              const std::string& existing, const std::vector<std::string>& attachments) {
    const std::filesystem::path file = target(id, lang, kind, existing);
    std::lock_guard lock(m_mutex);
    for (const std::string& name : attachments) {  // the files first: the note is indexed with them
        if (!writable_attachment_name(name)) continue;  // (a name no upload has: never a draft)
        const std::filesystem::path from = draft_attachment_path(m_content, id, name);
        const std::filesystem::path to = attachment_folder(file) / name;
        std::error_code ec;
        if (!std::filesystem::exists(from, ec)) continue;  // published before (or the indexer says it is missing)
        if (std::filesystem::exists(to, ec))  // never replaced by another file of the same name
            throw Error(to.string() + ": a file of this name is already published with the note");
        std::filesystem::create_directories(to.parent_path(), ec);
        std::filesystem::rename(from, to, ec);
        if (ec) throw Error(to.string() + ": " + ec.message());
    }
    write_file_atomically(file, text);
    std::error_code ec;
    std::filesystem::remove(draft_note_path(m_content, id, lang), ec);
    return reindex(file);
}

std::string NoteDesk::withdraw(const std::string& id, const std::string& lang, const std::string& kind, const std::string& existing) {
    const std::filesystem::path file = target(id, lang, kind, existing);
    std::lock_guard lock(m_mutex);
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return file.string() + ": no such file";
    std::filesystem::remove(file, ec);
    if (ec) return file.string() + ": " + ec.message();
    return reindex(file.parent_path());  // its folder, where the file is gone: its document leaves the index
}

// Another writer (`passerelle index`) may hold the index's lock for a while: a few tries, then
// the reason is reported.
std::string NoteDesk::reindex(const std::filesystem::path& input) {
    IndexOptions o;
    o.inputs = {input};
    o.db = m_db;
    o.vocabularies = Vocabularies::default_dir();
    std::string failure;
    for (int attempt = 0; attempt < 5; ++attempt) {
        DiagnosticSink sink;
        try {
            const IndexReport r = run_indexer(o, sink);
            if (r.errors == 0) return "";
            const auto found = sink.take();
            return found.empty() ? "the indexer refused the note" : found.front().str();
        } catch (const Error& e) {
            failure = e.what();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200 << attempt));
    }
    return failure;
}

}  // namespace passerelle::http
