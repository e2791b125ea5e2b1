#include "core/markdown_cost.h"

#include "core/limits.h"

namespace passerelle {

namespace {

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

// The cells of a GFM table's delimiter row ("| :--- | ---: |" has 2), or 0 for another line.
std::size_t delimiter_cells(std::string_view line) {
    std::size_t cells = 0, dashes = 0;
    bool pipe = false, in_cell = false;
    for (const char c : line) {
        if (c == '|') {
            pipe = true;
            if (in_cell) ++cells;
            in_cell = false;
        } else if (c == '-') {
            ++dashes;
            in_cell = true;
        } else if (c == ':') {
            in_cell = true;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            return 0;
        }
    }
    if (in_cell) ++cells;
    return pipe && dashes > 0 ? cells : 0;
}

class Scan {
  public:
    std::optional<MarkdownCost> line(std::string_view text, int number) {
        const std::size_t indent = text.find_first_not_of(' ');
        if (indent < 4 && (text.substr(indent, 3) == "```" || text.substr(indent, 3) == "~~~")) {  // npos is not < 4
            m_in_fence = !m_in_fence;  // code is not parsed for links or tables
            return std::nullopt;
        }
        if (m_in_fence) return std::nullopt;
        if (is_blank(text)) {
            m_marks = 0;  // inline parsing never crosses a blank line
            m_table_columns = 0;
            return std::nullopt;
        }
        if (auto over = table(text, number)) return over;
        if (m_table_columns > 0) m_marks = 0;  // each cell of a table row is parsed alone
        return marks(text, number);
    }

  private:
    // Links and emphasis marks of one paragraph: '[' and runs of '*', '_' or '~'. cmark-gfm
    // 0.29.0.gfm.6 matches them against each other in more than linear time ("[a](b) *K*" over
    // 128 KiB of one paragraph takes seconds, over 256 KiB most of a minute).
    std::optional<MarkdownCost> marks(std::string_view text, int number) {
        for (std::size_t i = starts_block(text); i < text.size(); ++i) {
            const char c = text[i];
            if (c == '\\') {
                ++i;
                continue;
            }
            const bool emphasis = c == '*' || c == '_' || c == '~';
            if (c != '[' && !(emphasis && (i == 0 || text[i - 1] != c))) continue;
            if (++m_marks > limits::k_markdown_paragraph_marks)
                return MarkdownCost{number, "more than " + std::to_string(limits::k_markdown_paragraph_marks) +
                                                " links and emphasis marks in one paragraph: separate its parts by blank lines"};
        }
        return std::nullopt;
    }

    // Where the inline text of `text` begins when the line starts a block of its own (a list
    // item, a heading): its marks then count afresh. 0 for a line that goes on a paragraph.
    std::size_t starts_block(std::string_view text) {
        const std::size_t i = text.find_first_not_of(' ');
        if (i > 3) return 0;  // npos included: a blank line
        std::size_t j = i;
        if (text[j] == '#') {
            while (j < text.size() && text[j] == '#') ++j;
        } else if (text[j] == '-' || text[j] == '*' || text[j] == '+') {
            ++j;
        } else {
            while (j < text.size() && j - i < 9 && text[j] >= '0' && text[j] <= '9') ++j;
            if (j == i || j >= text.size() || (text[j] != '.' && text[j] != ')')) return 0;
            ++j;
        }
        if (j < text.size() && text[j] != ' ' && text[j] != '\t') return 0;
        m_marks = 0;
        return j;
    }

    // Every row of a table holds as many cells as its header: columns x rows, in all tables.
    std::optional<MarkdownCost> table(std::string_view text, int number) {
        if (m_table_columns == 0) {
            const std::size_t columns = delimiter_cells(text);
            if (columns == 0) return std::nullopt;
            if (columns > limits::k_markdown_table_columns)
                return MarkdownCost{number, "a table of " + std::to_string(columns) + " columns: a table may have at most " +
                                                std::to_string(limits::k_markdown_table_columns)};
            m_table_columns = columns;
            m_cells += 2 * columns;  // the header and this row
        } else {
            m_cells += m_table_columns;
        }
        if (m_cells > limits::k_markdown_table_cells)
            return MarkdownCost{number, "tables of more than " + std::to_string(limits::k_markdown_table_cells) +
                                            " cells in all: split the document, or link to the data"};
        return std::nullopt;
    }

    bool m_in_fence = false;
    std::size_t m_marks = 0;  // in the paragraph being read
    std::size_t m_table_columns = 0;  // of the table being read, 0 outside tables
    std::size_t m_cells = 0;
};

}  // namespace

std::optional<MarkdownCost> markdown_over_cost(std::string_view markdown) {
    Scan scan;
    int number = 1;
    for (std::size_t at = 0; at <= markdown.size(); ++number) {
        std::size_t end = markdown.find('\n', at);
        if (end == std::string_view::npos) end = markdown.size();
        if (auto over = scan.line(markdown.substr(at, end - at), number)) return over;
        at = end + 1;
    }
    return std::nullopt;
}

}  // namespace passerelle
