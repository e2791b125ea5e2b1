#include "core/document_reader.h"

#include <cstdio>
#include <filesystem>

#include "core/document_builder.h"
#include "core/front_matter.h"
#include "core/hash.h"
#include "core/jsonl.h"
#include "core/utf8.h"

namespace passerelle {

namespace {

// Reports invalid UTF-8 or NUL bytes at their line and column; true when the text is usable.
bool check_text(std::string_view bytes, const std::string& path, int first_line, DiagnosticSink& sink) {
    if (const auto bad = utf8::find_invalid(bytes)) {
        const utf8::LineCol lc = utf8::line_col(bytes, *bad);
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(bytes[*bad]));
        sink.error({path, first_line + lc.line - 1, lc.column}, std::string("invalid UTF-8 (byte ") + hex + ")");
        return false;
    }
    if (const auto nul = bytes.find('\0'); nul != std::string_view::npos) {
        const utf8::LineCol lc = utf8::line_col(bytes, nul);
        sink.error({path, first_line + lc.line - 1, lc.column}, "NUL byte: this is a binary file, not text");
        return false;
    }
    return true;
}

}  // namespace

std::optional<Document> read_markdown_document(std::string_view bytes, const std::string& path,
                                               const Vocabularies& vocab, DiagnosticSink& sink) {
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
    if (!parts) return std::nullopt;
    auto doc = build_document(parts->front_matter, std::move(parts->body), ctx, vocab, sink);
    if (doc) doc->hash = content_hash(bytes);
    return doc;
}

std::optional<Document> read_jsonl_document(std::string_view line, const std::string& path, int line_no,
                                            const Vocabularies& vocab, DiagnosticSink& sink) {
    if (!check_text(line, path, line_no, sink)) return std::nullopt;
    auto record = parse_jsonl_record(line, path, line_no, sink);
    if (!record) return std::nullopt;
    BuildContext ctx;
    ctx.origin = {path, line_no, 1};
    ctx.source_path = path;
    ctx.body_in_record = true;
    auto doc = build_document(*record, {}, ctx, vocab, sink);
    if (doc) doc->hash = content_hash(line);
    return doc;
}

}  // namespace passerelle
