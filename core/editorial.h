// What happens to notes written in the browser before and after they are published, in its
// own SQLite file beside the index (DIR/editorial.sqlite), which indexing never touches: each
// note's state (draft, submitted, returned, published, withdrawn) and author, every version
// saved (its whole text, who saved it, when, and why), and reviewers' comments. The notes'
// text itself is Markdown under the content folder (indexer/note_file.h); this is their
// history. Not thread-safe: one per thread (or per request).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace passerelle {

struct NoteEntry {
    std::string id, lang, kind, title;
    std::string state;  // draft | submitted | returned | published | withdrawn
    std::int64_t author = 0;
    std::string author_name, updated;  // updated: UTC, ISO 8601
    int version = 0;                    // the latest version's number (from 1)
    std::string reason;                 // withdrawn: why
};

struct NoteVersion {
    int n = 0;
    std::string text, account_name, saved, action;  // action: saved, submitted, returned, published, withdrawn, restored
};

struct NoteComment {
    int version = 0;  // the version it is about
    std::string account_name, at, text;
};

struct NoteAttachment {
    std::string file;     // its name in the note's attachment folder
    std::string type;     // application/pdf, image/png or image/jpeg (from its bytes)
    std::int64_t bytes = 0;
    std::string alt, credit, added_by, added;
};

class Editorial {
  public:
    static std::filesystem::path file_in(const std::filesystem::path& db) { return db / "editorial.sqlite"; }
    explicit Editorial(const std::filesystem::path& db);  // throws Error when it cannot be opened
    ~Editorial();

    std::optional<NoteEntry> note(const std::string& id, const std::string& lang);
    bool id_taken(const std::string& id);  // in any language

    // Saves `text` as a new version of (entry.id, entry.lang) by `account`, in `state`, when the
    // latest version is still `base` (0 for a new note); returns the new version's number, or
    // nothing when someone saved a newer version meanwhile (nothing is written then). The
    // note's author is whoever saved its first version.
    std::optional<int> save(const NoteEntry& entry, const std::string& text, int base, std::int64_t account,
                            const std::string& account_name, const std::string& action);
    // A new state without a new text (submitted, returned, published, withdrawn), recorded as a
    // version with the latest text; `reason` is kept for a withdrawal.
    void set_state(const std::string& id, const std::string& lang, const std::string& state, std::int64_t account,
                   const std::string& account_name, const std::string& reason = "");

    std::vector<NoteVersion> versions(const std::string& id, const std::string& lang);  // oldest first
    std::optional<NoteVersion> version(const std::string& id, const std::string& lang, int n);
    void comment(const std::string& id, const std::string& lang, const std::string& account_name, const std::string& text);
    std::vector<NoteComment> comments(const std::string& id, const std::string& lang);  // oldest first

    std::vector<NoteEntry> by_author(std::int64_t account);     // newest first
    std::vector<NoteEntry> in_state(const std::string& state);  // oldest first (a queue)
    std::vector<NoteEntry> all();

    void add_attachment(const std::string& id, const std::string& lang, const NoteAttachment& a);
    std::vector<NoteAttachment> attachments(const std::string& id, const std::string& lang);

  private:
    std::unique_ptr<SQLite::Database> m_db;
};

}  // namespace passerelle
