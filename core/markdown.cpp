#include "core/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>
#include <mutex>

namespace passerelle {

namespace {

constexpr int k_options = CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART;

struct ParserDeleter {
    void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
    void operator()(cmark_node* n) const { cmark_node_free(n); }
};

// A parser with the GFM extensions; cmark-gfm's registry must be filled once, before any use.
std::unique_ptr<cmark_parser, ParserDeleter> make_parser() {
    static std::once_flag once;
    std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
    std::unique_ptr<cmark_parser, ParserDeleter> p(cmark_parser_new(k_options));
    for (const char* name : {"table", "strikethrough", "autolink", "tasklist", "tagfilter"})
        if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
            cmark_parser_attach_syntax_extension(p.get(), ext);
    return p;
}

bool is_block(cmark_node_type t) {
    return t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING || t == CMARK_NODE_CODE_BLOCK ||
           t == CMARK_NODE_ITEM || t == CMARK_NODE_BLOCK_QUOTE;
}

void ensure_separator(std::string& out, char sep) {
    if (!out.empty() && out.back() != '\n' && out.back() != ' ') out += sep;
}

}  // namespace

// Text where Markdown can change nothing a reader or the indexer sees: no inline or block
// syntax characters, no entity, no line indented as code or starting a list or heading. Its
// plain text is itself, so cmark is skipped (most JSON Lines bodies are like this).
bool is_plain_text(std::string_view s) {
    bool line_start = true;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        switch (c) {
            case '*': case '_': case '`': case '[': case ']': case '<': case '>': case '!': case '|':
            case '\\': case '&': case '~': case '#': case '\r': case '\t':
                return false;
            default: break;
        }
        if (line_start && (c == ' ' || c == '-' || c == '+' || c == '=' || (c >= '0' && c <= '9'))) return false;
        line_start = c == '\n';
        if (c == ':' && s.compare(i, 3, "://") == 0) return false;  // autolinks
        if (c == 'w' && s.compare(i, 4, "www.") == 0) return false;
    }
    return true;
}

std::string markdown_to_text(std::string_view markdown) {
    if (is_plain_text(markdown)) {
        std::string out(markdown);
        while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
        return out;
    }
    auto parser = make_parser();
    cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
    std::unique_ptr<cmark_node, NodeDeleter> doc(cmark_parser_finish(parser.get()));
    std::string out;
    out.reserve(markdown.size());
    cmark_iter* it = cmark_iter_new(doc.get());
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node* node = cmark_iter_get_node(it);
        const cmark_node_type type = cmark_node_get_type(node);
        if (ev == CMARK_EVENT_EXIT) {
            if (is_block(type)) ensure_separator(out, '\n');
            else if (std::string_view(cmark_node_get_type_string(node)) == "table_cell") ensure_separator(out, ' ');
            continue;
        }
        switch (type) {
            case CMARK_NODE_TEXT:
            case CMARK_NODE_CODE:
            case CMARK_NODE_CODE_BLOCK:
                if (const char* lit = cmark_node_get_literal(node)) out += lit;
                if (type == CMARK_NODE_CODE_BLOCK) ensure_separator(out, '\n');
                break;
            case CMARK_NODE_SOFTBREAK:
            case CMARK_NODE_LINEBREAK:
                ensure_separator(out, ' ');
                break;
            default:
                break;
        }
    }
    cmark_iter_free(it);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

std::string markdown_to_html(std::string_view markdown) {
    auto parser = make_parser();
    cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
    std::unique_ptr<cmark_node, NodeDeleter> doc(cmark_parser_finish(parser.get()));
    char* html = cmark_render_html(doc.get(), k_options, cmark_parser_get_syntax_extensions(parser.get()));
    std::string out = html ? html : "";
    std::free(html);
    return out;
}

}  // namespace passerelle
