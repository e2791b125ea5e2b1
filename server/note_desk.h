// The writing side of the server (`serve --content DIR`, docs/authoring.md): notes go to the
// content folder as Markdown (indexer/note_file.h), their history to DIR/editorial.sqlite
// (core/editorial.h), and a published note reaches the index in-process, through the indexer's
// library, one run at a time (and under the index's own lock, which `passerelle index` takes
// too). The server's readers see the new generation within `reload_seconds`. Thread-safe.
#pragma once

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "server/config.h"

namespace passerelle::http {

class NoteDesk {
  public:
    explicit NoteDesk(const ServerConfig& config);
    bool writing() const { return !m_content.empty(); }
    const std::filesystem::path& content() const { return m_content; }
    const std::filesystem::path& db() const { return m_db; }

    // Writes the draft file of a note (content/.drafts/, which the indexer skips).
    void write_draft(const std::string& id, const std::string& lang, const std::string& text) const;
    // Writes the note where published notes of its kind live, removes its draft, and indexes
    // it. Returns "" when done, else what went wrong with indexing (the file is written, and
    // the next indexing run takes it).
    // `existing`: the file the index read this version from, when it is in the content folder:
    // written over (so that one note never has two files).
    // `attachments`: the files of this version's uploads; those waiting in
    // content/.drafts/attachments/<id>/ move to the folder named after the id beside the
    // published file. Throws Error, before the note is written, when one cannot move (or a
    // different file of its name is already there).
    std::string publish(const std::string& id, const std::string& lang, const std::string& kind, const std::string& text,
                        const std::string& existing = "", const std::vector<std::string>& attachments = {});
    // The file the index read (id, lang) from, when it lies inside the content folder; else "".
    std::string existing_file(const std::string& source) const;
    // Takes a withdrawn note out of the content folder's indexed part (kept in its history) and
    // out of the index; same return.
    // `existing`: the file the index read it from (as for publish), removed when in the folder.
    std::string withdraw(const std::string& id, const std::string& lang, const std::string& kind, const std::string& existing = "");

  private:
    std::string reindex(const std::filesystem::path& input);
    // Where (id, lang) is published: `existing` when it is a file of the folder for it, else by kind.
    std::filesystem::path target(const std::string& id, const std::string& lang, const std::string& kind, const std::string& existing) const;  // a file or a folder

    std::filesystem::path m_content, m_db;
    std::mutex m_mutex;  // one indexing run at a time
};

}  // namespace passerelle::http
