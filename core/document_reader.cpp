#include "core/document_reader.h"

#include <cstdio>
#include <filesystem>

#include "core/document_builder.h"
#include "core/front_matter.h"
#include "core/hash.h"
#include "core/jsonl.h"
#include "core/limits.h"
#include "core/markdown.h"
#include "core/markdown_cost.h"
#include "core/utf8.h"

namespace passerelle {

namespace {

// Reports invalid UTF-8 or NUL bytes at their line and column; true when the text is usable.
bool check_text(std::string_view bytes, const std::string& path, int first_line, DiagnosticSink& sink) {
    // NUL first: a binary file is named as such, not by its first byte that is not UTF-8.
    if (const auto nul = bytes.find('\0'); nul != std::string_view::npos) {
        const utf8::LineCol lc = utf8::line_col(bytes, nul);
        sink.error({path, first_line + lc.line - 1, lc.column}, "NUL byte: this is a binary file, not text");
        return false;
    }
    if (const auto bad = utf8::find_invalid(bytes)) {
        const utf8::LineCol lc = utf8::line_col(bytes, *bad);
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(bytes[*bad]));
        sink.error({path, first_line + lc.line - 1, lc.column}, std::string("invalid UTF-8 (byte ") + hex + ")");
        return false;
    }
    return true;
}

std::string mebibytes(std::size_t bytes) {
    char out[32];
    std::snprintf(out, sizeof out, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
    return out;
}

// Reports Markdown nested deeper than the limit. A Markdown file's body starts at line
// `first_line`, and the error names the line where the nesting goes too deep; a JSON Lines
// body (`in_one_line`) is all on its record's line.
// The Markdown's bounds: what would make the parser superlinear, checked on the text first,
// then the nesting, which the parser measures.
bool check_nesting(std::string_view markdown, const std::string& path, int first_line, bool in_one_line, DiagnosticSink& sink) {
    if (const auto over = markdown_over_cost(markdown)) {
        sink.error({path, in_one_line ? first_line : first_line + over->line - 1, 1}, over->message);
        return false;
    }
    const int line = line_nested_deeper_than(markdown, limits::k_markdown_depth);
    if (line == 0) return true;
    sink.error({path, in_one_line ? first_line : first_line + line - 1, 1},
               "lists, quotes or emphasis nested more than " + std::to_string(limits::k_markdown_depth) + " levels deep");
    return false;
}

}  // namespace

std::optional<Document> read_markdown_document(std::string_view bytes, const std::string& path,
                                               const Vocabularies& vocab, DiagnosticSink& sink) {
    if (bytes.size() > limits::k_document_bytes) {
        const utf8::LineCol lc = utf8::line_col(bytes, limits::k_document_bytes);
        sink.error({path, lc.line, lc.column}, "the file goes over " + mebibytes(limits::k_document_bytes) +
                                                   " here (it has " + mebibytes(bytes.size()) +
                                                   "): a document may have at most that; split it, or link to large data");
        return std::nullopt;
    }
    if (!check_text(bytes, path, 1, sink)) return std::nullopt;
    BuildContext ctx;
    ctx.origin = {path, 1, 1};
    ctx.source_path = path;
    const std::string stem = std::filesystem::path(path).filename().string();
    const auto dot_md = stem.rfind(".md");
    const auto dot_lang = stem.rfind('.', dot_md == std::string::npos ? 0 : dot_md - 1);
    if (dot_md == std::string::npos || dot_lang == std::string::npos || dot_lang == 0) {
        sink.error({path, 0, 0}, "file name must be <id>.<lang>.md");
        return std::nullopt;
    }
    ctx.expected_id = stem.substr(0, dot_lang);
    ctx.expected_lang = stem.substr(dot_lang + 1, dot_md - dot_lang - 1);
    auto parts = parse_markdown_file(bytes, path, sink);
    if (!parts || !check_nesting(parts->body, path, parts->body_line, false, sink)) return std::nullopt;
    auto doc = build_document(parts->front_matter, std::move(parts->body), ctx, vocab, sink);
    if (doc) doc->hash = content_hash(bytes);
    return doc;
}

std::optional<Document> read_jsonl_document(std::string_view line, const std::string& path, int line_no,
                                            const Vocabularies& vocab, DiagnosticSink& sink) {
    if (line.size() > limits::k_record_bytes) {
        sink.error({path, line_no, 1}, "record of " + mebibytes(line.size()) + " is over the " +
                                           mebibytes(limits::k_record_bytes) + " a record may have");
        return std::nullopt;
    }
    if (!check_text(line, path, line_no, sink)) return std::nullopt;
    auto record = parse_jsonl_record(line, path, line_no, sink);
    if (!record) return std::nullopt;
    BuildContext ctx;
    ctx.origin = {path, line_no, 1};
    ctx.source_path = path;
    ctx.body_in_record = true;
    ctx.bulk = true;
    auto doc = build_document(*record, {}, ctx, vocab, sink);
    if (doc && !check_nesting(doc->body, path, line_no, true, sink)) return std::nullopt;
    if (doc) doc->hash = content_hash(line);
    return doc;
}

}  // namespace passerelle
