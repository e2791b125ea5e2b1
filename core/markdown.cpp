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

// --- Blocks for layout ---------------------------------------------------------------------

extern "C" {
// Exported by libcmark-gfm-extensions but declared in no installed header (library notes).
// NOLINTNEXTLINE(readability-identifier-naming): the library's own names
extern cmark_node_type CMARK_NODE_TABLE, CMARK_NODE_TABLE_ROW, CMARK_NODE_TABLE_CELL, CMARK_NODE_STRIKETHROUGH;
bool cmark_gfm_extensions_get_tasklist_item_checked(cmark_node* node);
}

namespace passerelle {

namespace {

struct BlockBuilder {
    std::vector<Block> blocks;
    int max_depth = 0;
    int depth = 0;  // block levels open around the element being read
    int quote = 0;
    struct ListState {
        bool ordered;
        int number;
        bool first_paragraph_done;
    };
    std::vector<ListState> lists;

    // Collects the inline content under `node` as spans; `level` counts the inline elements
    // open around it.
    void spans_of(cmark_node* node, Spans& out, const Span& style, int level = 0) const {
        if (depth + level > max_depth) return;
        for (cmark_node* c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
            const cmark_node_type t = cmark_node_get_type(c);
            Span s = style;
            if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
                s.text = cmark_node_get_literal(c) ? cmark_node_get_literal(c) : "";
                s.code = s.code || t == CMARK_NODE_CODE;
                if (!s.text.empty()) out.push_back(std::move(s));
            } else if (t == CMARK_NODE_SOFTBREAK) {
                s.text = " ";
                out.push_back(std::move(s));
            } else if (t == CMARK_NODE_LINEBREAK) {
                s.text.clear();
                s.line_break = true;
                out.push_back(std::move(s));
            } else if (t == CMARK_NODE_STRONG) {
                s.bold = true;
                spans_of(c, out, s, level + 1);
            } else if (t == CMARK_NODE_EMPH) {
                s.italic = true;
                spans_of(c, out, s, level + 1);
            } else if (t == CMARK_NODE_STRIKETHROUGH) {
                s.strike = true;
                spans_of(c, out, s, level + 1);
            } else if (t == CMARK_NODE_LINK) {
                const char* url = cmark_node_get_url(c);
                const std::string u = url ? url : "";
                // Only web and mail addresses become links; anything else is plain text.
                if (u.rfind("http://", 0) == 0 || u.rfind("https://", 0) == 0 || u.rfind("mailto:", 0) == 0) s.link = u;
                spans_of(c, out, s, level + 1);
            } else if (t == CMARK_NODE_IMAGE) {
                // An image inside text: its alternative text stands in.
                spans_of(c, out, s, level + 1);
            }
            // Raw inline HTML is dropped.
        }
    }

    void walk(cmark_node* node) {
        if (++depth <= max_depth)
            for (cmark_node* c = cmark_node_first_child(node); c; c = cmark_node_next(c)) block(c);
        --depth;
    }

    void block(cmark_node* n) {
        const cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_HEADING) {
            Block b;
            b.type = Block::Type::heading;
            b.level = cmark_node_get_heading_level(n);
            b.quote = quote;
            spans_of(n, b.spans, {});
            blocks.push_back(std::move(b));
        } else if (t == CMARK_NODE_PARAGRAPH) {
            // A paragraph alone holding an image is an image block.
            cmark_node* only = cmark_node_first_child(n);
            if (only && !cmark_node_next(only) && cmark_node_get_type(only) == CMARK_NODE_IMAGE) {
                Block b;
            b.type = Block::Type::image;
                b.quote = quote;
                b.text = cmark_node_get_url(only) ? cmark_node_get_url(only) : "";
                Spans alt;
                spans_of(only, alt, {});
                for (const Span& s : alt) b.alt += s.text;
                blocks.push_back(std::move(b));
                return;
            }
            Block b;
            b.type = Block::Type::paragraph;
            b.quote = quote;
            spans_of(n, b.spans, {});
            if (!lists.empty()) {  // the paragraphs of a list item
                ListState& l = lists.back();
                if (!l.first_paragraph_done) {
                    b.type = Block::Type::item;
                    b.level = static_cast<int>(lists.size());
                    b.marker = item_marker(n);
                    l.first_paragraph_done = true;
                } else {
                    b.type = Block::Type::item;
                    b.level = static_cast<int>(lists.size());
                    b.continues_item = true;
                }
            }
            blocks.push_back(std::move(b));
        } else if (t == CMARK_NODE_LIST) {
            lists.push_back({cmark_node_get_list_type(n) == CMARK_ORDERED_LIST, cmark_node_get_list_start(n), false});
            for (cmark_node* item = cmark_node_first_child(n); item; item = cmark_node_next(item)) {
                lists.back().first_paragraph_done = false;
                walk(item);
                if (!lists.back().first_paragraph_done) {  // an empty item
                    Block b;
            b.type = Block::Type::item;
                    b.level = static_cast<int>(lists.size());
                    b.marker = item_marker(cmark_node_first_child(item));
                    blocks.push_back(std::move(b));
                }
                ++lists.back().number;
            }
            lists.pop_back();
        } else if (t == CMARK_NODE_BLOCK_QUOTE) {
            ++quote;
            walk(n);
            --quote;
        } else if (t == CMARK_NODE_CODE_BLOCK) {
            Block b;
            b.type = Block::Type::code;
            b.quote = quote;
            b.level = static_cast<int>(lists.size());
            b.text = cmark_node_get_literal(n) ? cmark_node_get_literal(n) : "";
            while (!b.text.empty() && b.text.back() == '\n') b.text.pop_back();
            blocks.push_back(std::move(b));
        } else if (t == CMARK_NODE_THEMATIC_BREAK) {
            Block rule;
            rule.type = Block::Type::rule;
            blocks.push_back(std::move(rule));
        } else if (t == CMARK_NODE_TABLE) {
            Block b;
            b.type = Block::Type::table;
            b.quote = quote;
            for (cmark_node* row = cmark_node_first_child(n); row; row = cmark_node_next(row)) {
                std::vector<Spans> cells;
                for (cmark_node* cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell)) {
                    Spans sp;
                    spans_of(cell, sp, {});
                    cells.push_back(std::move(sp));
                }
                b.rows.push_back(std::move(cells));
            }
            blocks.push_back(std::move(b));
        }
        // Raw HTML blocks are dropped.
    }

    // The marker of the item whose first child is `first`.
    std::string item_marker(cmark_node* first) {
        cmark_node* item = first ? cmark_node_parent(first) : nullptr;
        const char* ext = item && cmark_node_get_syntax_extension(item) ? "tasklist" : nullptr;
        if (ext) return cmark_gfm_extensions_get_tasklist_item_checked(item) ? "☑" : "☐";
        const ListState& l = lists.back();
        if (l.ordered) return std::to_string(l.number) + ".";
        static const char* bullets[] = {"•", "–", "◦"};
        return bullets[(lists.size() - 1) % 3];
    }
};

}  // namespace

int line_nested_deeper_than(std::string_view markdown, int max_depth) {
    if (is_plain_text(markdown)) return 0;
    auto parser = make_parser();
    cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
    std::unique_ptr<cmark_node, NodeDeleter> doc(cmark_parser_finish(parser.get()));
    // The chain of elements open around the one entered: amortised constant time per element.
    std::vector<cmark_node*> open;
    int line = 0;
    cmark_iter* it = cmark_iter_new(doc.get());
    for (cmark_event_type ev; line == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        if (ev != CMARK_EVENT_ENTER) continue;
        cmark_node* node = cmark_iter_get_node(it);
        cmark_node* parent = cmark_node_parent(node);
        while (!open.empty() && open.back() != parent) open.pop_back();
        open.push_back(node);
        if (static_cast<int>(open.size()) - 1 > max_depth) {  // the document itself is not a level
            for (cmark_node* n = node; n && line == 0; n = cmark_node_parent(n)) line = cmark_node_get_start_line(n);
            if (line == 0) line = 1;
        }
    }
    cmark_iter_free(it);
    return line;
}

std::vector<Block> markdown_blocks(std::string_view markdown, int max_depth) {
    auto parser = make_parser();
    cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
    std::unique_ptr<cmark_node, NodeDeleter> doc(cmark_parser_finish(parser.get()));
    BlockBuilder b;
    b.max_depth = max_depth;
    b.walk(doc.get());
    return std::move(b.blocks);
}

}  // namespace passerelle
