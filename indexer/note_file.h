// Notes written in the browser (issue 18), as the indexer reads them: a form's fields become a
// Markdown file with front matter, checked by the indexer's own reader, each problem given to
// the field it concerns; files are written atomically, and never outside the content folder.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "core/vocabulary.h"

namespace passerelle {

struct IndicatorRow {
    std::string name, value, unit, year;  // as typed
};

struct AttachmentRow {
    std::string file, title, alt, credit;  // file: its name in the note's attachment folder
};

// Every field of the content model a note has, as a form holds them (text as typed).
struct NoteForm {
    std::string id, lang, kind, title, summary, date, visibility = "partners", phase, project, body;
    std::string countries;                // codes separated by commas or spaces: "SN, MA"
    std::string places, partners;         // one per line; a partner "Name (role)"
    std::vector<std::string> themes;      // theme ids
    std::vector<IndicatorRow> indicators; // empty rows are dropped
    std::vector<AttachmentRow> attachments;  // from the note's uploads (core/editorial.h), not typed
};

// Problems by field name (id, lang, kind, title, summary, date, visibility, countries, places,
// themes, phase, project, partners, indicators, body), in the order found.
using FieldErrors = std::map<std::string, std::vector<std::string>>;

// The Markdown file of `form` (front matter, then the body).
std::string note_text(const NoteForm& form);

// The form of a document read back (to edit a note).
NoteForm note_form_of(const Document& doc);

// Checks `form` as the indexer would read its file, plus the id rule of written notes (lower
// case letters, digits and '-', 3 to 80, so that it is a safe file name). Returns the problems
// by field; `doc` gets the document when there are none.
FieldErrors check_note(const NoteForm& form, const Vocabularies& vocab, Document* doc = nullptr);

// True for ids written notes may have.
bool writable_note_id(const std::string& id);

// A new id for a note of `kind` titled `title`: the kind's prefix and the title's words, folded
// ("le-un-equipement-sans-plan"); `taken` says whether an id is in use (then -2, -3...).
std::string new_note_id(const std::string& kind, const std::string& title, const std::function<bool(const std::string&)>& taken);

// content/<collection>/<id>.<lang>.md, the collection by kind (projects, practices, lessons,
// evaluations, guides, reports); drafts in content/.drafts/, which the indexer skips. Throws
// Error when the id or language cannot be a file name, or the path would leave `content`.
std::filesystem::path published_note_path(const std::filesystem::path& content, const std::string& kind,
                                          const std::string& id, const std::string& lang);
std::filesystem::path draft_note_path(const std::filesystem::path& content, const std::string& id, const std::string& lang);

// What an attachment is, from its first bytes (never its name): application/pdf, image/png or
// image/jpeg; "" for anything else (HTML, SVG, scripts, archives are refused; WebP too, which
// the guides' PDF library cannot embed).
std::string attachment_type(std::string_view bytes);
// A safe file name for an upload named `name` of `type`: folded to [a-z0-9.-], at most 80
// characters, with the extension of its type ("rapport-final.pdf").
std::string attachment_name(const std::string& name, const std::string& type);
// True for the names uploads are given ([a-z0-9.-], at most 100, not starting with '.').
bool writable_attachment_name(const std::string& file);
// content/.drafts/attachments/<id>/<file>: where a note's attachments wait until it is published.
// Throws Error when `id` or `file` cannot be a file name there.
std::filesystem::path draft_attachment_path(const std::filesystem::path& content, const std::string& id, const std::string& file);

// Writes `bytes` to `path` so that a reader (or a crash) sees the old file or the new one,
// never a part: a temporary file beside it, flushed to disk, then renamed over it.
void write_file_atomically(const std::filesystem::path& path, const std::string& bytes);

}  // namespace passerelle
