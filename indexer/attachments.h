// The files a note carries (Document::attachments, docs/content-format.md "Attachments"): each
// lies in the folder named after the note's id beside its file ("lessons/le-puits/rapport.pdf"
// for "lessons/le-puits.fr.md"). The indexer reads them here: type from the bytes, size, hash,
// and the text of PDFs page by page; then copies each into the index's file store, from which
// the server serves it.
#pragma once

#include <filesystem>
#include <string>

#include "core/diagnostics.h"
#include "core/document.h"

namespace passerelle {

namespace limits {
constexpr std::size_t k_attachment_bytes = 64u << 20;       // one attached file
constexpr std::size_t k_attachment_text_bytes = 2u << 20;   // the PDF text indexed for one document
}  // namespace limits

// <folder of note_file>/<id>, where `id` is the note file's name without ".<lang>.md".
std::filesystem::path attachment_folder(const std::filesystem::path& note_file);

// Reads each attachment of `doc` (read from `note_file`): it must be a regular file of its
// folder (not a link), of at most k_attachment_bytes, a PDF, PNG or JPEG by its bytes; an image
// needs its alternative text and its credit. Fills type, bytes, hash, page_count and pages, and
// copies the file to `store`/<hash> unless `store` is empty (a check). Each problem is reported
// at the attachment's line; returns false when there was one (the document is then refused).
bool load_attachments(Document& doc, const std::filesystem::path& note_file, const std::filesystem::path& store,
                      DiagnosticSink& sink);

// What the attachment folder of `note_file` holds (names, sizes, modification times), as a
// string that changes when a file does; "" when there is no such folder. An incremental run
// adds it to the note file's own hash, so that a changed attachment is read again.
std::string attachment_folder_stamp(const std::filesystem::path& note_file);

}  // namespace passerelle
