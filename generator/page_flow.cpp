#include "generator/page_flow.h"

#include <algorithm>

namespace passerelle {

namespace {
constexpr double k_leading = 1.38;  // line height / font size
}

void PageFrame::ensure(int page) {
    while (m_pdf.page_count() <= page) m_pdf.add_page();
}

void PageFrame::finish(const std::string& running_title, int from, const std::string& mark) {
    const int total = m_pdf.page_count();
    if (!mark.empty())
        for (int p = 0; p < total; ++p) {
            const double w = m_pdf.width(Face::bold, 8, mark);
            m_pdf.box(p, k_right - w - 8, Pdf::k_height - 30, w + 8, 14, Rgb{0.62, 0.1, 0.1});
            m_pdf.text(p, Face::bold, 8, k_right - w - 4, Pdf::k_height - 26, mark, Rgb{1, 1, 1});
        }
    for (int p = from; p < total; ++p) {
        m_pdf.text(p, Face::italic, 8.5, k_left, Pdf::k_height - 44, running_title, 0.35);
        m_pdf.line(p, k_left, Pdf::k_height - 50, k_right, Pdf::k_height - 50, 0.4, 0.6);
        const std::string folio = "page " + std::to_string(p + 1) + " / " + std::to_string(total);
        m_pdf.text(p, Face::regular, 8.5, (Pdf::k_width - m_pdf.width(Face::regular, 8.5, folio)) / 2, 36, folio, 0.35);
    }
}

Flow::Flow(Pdf& pdf, PageFrame& frame, Hyphenator& hyphenator, double x, double width, Cursor start, std::string lang)
    : m_pdf(pdf), m_frame(frame), m_hyphenator(hyphenator), m_x(x), m_width(width), m_cursor(start), m_lang(std::move(lang)) {
    m_frame.ensure(m_cursor.page);
}

Measure Flow::measure(double size) {
    return [this, size](Face f, const std::string& s) { return m_pdf.width(f, size, s); };
}

void Flow::new_page() {
    ++m_cursor.page;
    m_cursor.y = PageFrame::k_top;
    m_frame.ensure(m_cursor.page);
}

void Flow::ensure_room(double height) {
    if (m_cursor.y - height < PageFrame::k_bottom && m_cursor.y < PageFrame::k_top) new_page();
}

Cursor Flow::take(double height) {
    ensure_room(height);
    const Cursor at = m_cursor;
    m_cursor.y -= height;
    return at;
}

void Flow::space(double points) {
    m_cursor.y -= points;
    if (m_cursor.y < PageFrame::k_bottom) new_page();
}

void Flow::draw_line(const Line& line, double x, double width, double size, bool justify, double gray) {
    const double space = m_pdf.width(Face::regular, size, " ");
    double gap = space;
    if (justify && !line.last && line.words.size() > 1) gap = space + (width - line.natural) / static_cast<double>(line.words.size() - 1);
    const double baseline = m_cursor.y - size;
    double cx = x;
    for (const Word& w : line.words) {
        for (const Piece& p : w.pieces) {
            const bool linked = !p.link.empty();
            m_pdf.text(m_cursor.page, p.face, size, cx, baseline, p.text, linked ? 0.1 : gray, p.lang.empty() ? m_lang : p.lang);
            if (linked) {
                m_pdf.line(m_cursor.page, cx, baseline - 1.5, cx + p.width, baseline - 1.5, 0.5, 0.3);
                m_pdf.link_to_uri(m_cursor.page, cx, baseline - 3, p.width, size + 3, p.link);
            }
            cx += p.width;
        }
        cx += gap;
    }
}

Anchor Flow::heading(const Spans& spans, int level, double keep) {
    static const double sizes[] = {17, 14, 12, 11};
    const double size = sizes[std::clamp(level, 1, 4) - 1];
    LineOptions options;  // headings are neither hyphenated nor justified
    options.hyphenate = false;
    options.justify = false;
    const auto lines = text_lines(spans, m_width, Face::bold, m_lang, measure(size), m_hyphenator, options);
    const double height = static_cast<double>(lines.size()) * size * k_leading;
    // A heading never ends a page: it needs room for itself and three lines of what follows.
    if (m_cursor.y < PageFrame::k_top) space(size * 0.8);
    ensure_room(height + keep);
    const Anchor a{m_cursor.page, m_cursor.y + 4};
    for (const Line& l : lines) {
        Line ragged = l;
        ragged.last = true;  // headings are not justified
        draw_line(ragged, m_x, m_width, size, false, 0);
        m_cursor.y -= size * k_leading;
    }
    m_cursor.y -= size * 0.35;
    return a;
}

void Flow::paragraph(const Spans& spans, double size, Face base, double indent, const std::string& marker, double gray,
                     bool justify) {
    const double lead = size * k_leading;
    LineOptions options;
    options.hyphenate = m_hyphenate;
    options.justify = justify;
    const auto lines = text_lines(spans, m_width - indent, base, m_lang, measure(size), m_hyphenator, options);
    std::size_t i = 0;
    bool first = true;
    while (i < lines.size()) {
        const std::size_t room = m_cursor.y > PageFrame::k_bottom
                                     ? static_cast<std::size_t>((m_cursor.y - PageFrame::k_bottom) / lead) : 0;
        const std::size_t left = lines.size() - i;
        std::size_t take = std::min(room, left);
        if (take < left) {
            // No single line alone at the bottom (orphan) nor at the top of the next page (widow).
            if ((take == 1 && i == 0) || (left - take == 1 && take <= 1)) take = 0;
            else if (left - take == 1) --take;
        }
        if (take == 0) {
            if (m_cursor.y >= PageFrame::k_top - 0.5) take = std::min<std::size_t>(left, std::max<std::size_t>(room, 1));  // a page cannot hold it: as much as fits
            else {
                new_page();
                continue;
            }
        }
        for (std::size_t k = 0; k < take; ++k, ++i) {
            if (first && (marker == "☐" || marker == "☑")) {  // a box to tick (the faces have no such glyph): drawn
                const double side = size * 0.7, bx = m_x + indent - side - 6, by = m_cursor.y - size;
                m_pdf.line(m_cursor.page, bx, by, bx + side, by, 0.7, gray);
                m_pdf.line(m_cursor.page, bx + side, by, bx + side, by + side, 0.7, gray);
                m_pdf.line(m_cursor.page, bx + side, by + side, bx, by + side, 0.7, gray);
                m_pdf.line(m_cursor.page, bx, by + side, bx, by, 0.7, gray);
                if (marker == "☑") m_pdf.line(m_cursor.page, bx + 1.5, by + side / 2, bx + side - 1.5, by + side - 1.5, 0.9, gray);
            } else if (first && !marker.empty()) {
                m_pdf.text(m_cursor.page, Face::regular, size, m_x + indent - m_pdf.width(Face::regular, size, marker) - 4,
                           m_cursor.y - size, marker, gray);
            }
            first = false;
            draw_line(lines[i], m_x + indent, m_width - indent, size, justify, gray);
            m_cursor.y -= lead;
        }
        if (i < lines.size()) new_page();
    }
    m_cursor.y -= size * 0.55;
}

void Flow::code(const std::string& text) {
    const double size = 8.8, lead = size * 1.3;
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        // Wrap long lines at the column width, on character boundaries.
        while (!line.empty() && m_pdf.width(Face::mono, size, line) > m_width - 12) {
            std::size_t cut = line.size();
            while (cut > 1 && m_pdf.width(Face::mono, size, line.substr(0, cut)) > m_width - 12) {
                --cut;
                while (cut > 1 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
            }
            lines.push_back(line.substr(0, cut));
            line = line.substr(cut);
        }
        lines.push_back(line);
        start = end + 1;
    }
    for (const std::string& l : lines) {
        ensure_room(lead);
        m_pdf.box(m_cursor.page, m_x, m_cursor.y - lead, m_width, lead, 0.94);
        m_pdf.text(m_cursor.page, Face::mono, size, m_x + 6, m_cursor.y - size, l, 0.1);
        m_cursor.y -= lead;
    }
    m_cursor.y -= 6;
}

void Flow::bars(const std::string& title, const std::vector<Bar>& bars) {
    if (bars.empty()) return;
    const double size = 8.5, row = 15, bar_h = 9;
    double label_w = 0, text_w = 0, largest = 0;
    for (const Bar& b : bars) {
        label_w = std::max(label_w, m_pdf.width(Face::regular, size, b.label));
        text_w = std::max(text_w, m_pdf.width(Face::regular, size, b.text));
        largest = std::max(largest, b.value);
    }
    LineOptions options;
    options.justify = false;
    const auto title_lines = text_lines({Span{title}}, m_width, Face::bold, m_lang, measure(size), m_hyphenator, options);
    ensure_room(static_cast<double>(title_lines.size()) * size * k_leading + static_cast<double>(bars.size()) * row + 6);
    for (const Line& l : title_lines) {
        draw_line(l, m_x, m_width, size, false, 0.15);
        m_cursor.y -= size * k_leading;
    }
    const double x0 = m_x + label_w + 12, span = std::max(20.0, m_width - label_w - text_w - 24);
    for (const Bar& b : bars) {
        const double w = largest > 0 ? span * b.value / largest : 0, y = m_cursor.y - row + (row - bar_h) / 2;
        m_pdf.text(m_cursor.page, Face::regular, size, m_x + label_w - m_pdf.width(Face::regular, size, b.label), y + 1.5, b.label, 0.3, m_lang);
        if (b.target) {  // an outline
            m_pdf.line(m_cursor.page, x0, y, x0 + w, y, 0.8, 0.25);
            m_pdf.line(m_cursor.page, x0, y + bar_h, x0 + w, y + bar_h, 0.8, 0.25);
            m_pdf.line(m_cursor.page, x0, y, x0, y + bar_h, 0.8, 0.25);
            m_pdf.line(m_cursor.page, x0 + w, y, x0 + w, y + bar_h, 0.8, 0.25);
        } else {
            m_pdf.box(m_cursor.page, x0, y, std::max(w, 0.5), bar_h, 0.4);
        }
        m_pdf.text(m_cursor.page, Face::regular, size, x0 + w + 12, y + 1.5, b.text, 0.1, m_lang);
        m_cursor.y -= row;
    }
    m_cursor.y -= 6;
}

void Flow::rule() {
    ensure_room(12);
    m_pdf.line(m_cursor.page, m_x + m_width * 0.3, m_cursor.y - 6, m_x + m_width * 0.7, m_cursor.y - 6, 0.6, 0.5);
    m_cursor.y -= 14;
}

namespace {

// A cell that holds a number: digits with their group and decimal separators, a sign, a per cent.
bool is_number_cell(const Spans& cell) {
    std::string text;
    for (const Span& s : cell) text += s.text;
    bool digit = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= '0' && c <= '9') digit = true;
        else if (c == ' ' || c == '.' || c == ',' || c == '%' || c == '+' || c == '-') continue;
        else if (text.compare(i, 3, "\xE2\x80\xAF") == 0 || text.compare(i, 3, "\xE2\x88\x92") == 0) i += 2;  // narrow no-break space, minus
        else if (text.compare(i, 2, "\xC2\xA0") == 0) i += 1;
        else return false;
    }
    return digit;
}

}  // namespace

void Flow::table(const std::vector<std::vector<Spans>>& rows, bool bold_first_column) {
    if (rows.empty()) return;
    std::size_t columns = 0;
    for (const auto& r : rows) columns = std::max(columns, r.size());
    const double size = 9, lead = size * 1.3, pad = 5;  // cells' texts at least 10 pt apart
    const Spans empty;
    const auto cell = [&](std::size_t r, std::size_t c) -> const Spans& { return c < rows[r].size() ? rows[r][c] : empty; };
    const auto face = [&](std::size_t r, std::size_t c) { return r == 0 || (bold_first_column && c == 0) ? Face::bold : Face::regular; };
    // Each column's narrowest (its longest word) and widest (its longest cell on one line) width.
    std::vector<double> narrow(columns, 0), wide(columns, 0);
    std::vector<bool> numbers(columns, rows.size() > 1);
    LineOptions one_line;
    one_line.hyphenate = false;
    one_line.justify = false;
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (std::size_t c = 0; c < columns; ++c) {
            for (const Line& l : text_lines(cell(r, c), 1e9, face(r, c), m_lang, measure(size), m_hyphenator, one_line)) {
                wide[c] = std::max(wide[c], l.natural);
                for (const Word& w : l.words) narrow[c] = std::max(narrow[c], w.width);
            }
            if (r > 0 && !cell(r, c).empty() && !is_number_cell(cell(r, c))) numbers[c] = false;
        }
    // Widths as content asks: every column its widest when that fits, the room left shared in
    // proportion; otherwise its narrowest, and what is left shared by how much more each wants.
    const double room = m_width - 2 * pad * static_cast<double>(columns);
    double sum_narrow = 0, sum_wide = 0;
    for (std::size_t c = 0; c < columns; ++c) sum_narrow += narrow[c], sum_wide += wide[c];
    std::vector<double> width(columns);
    // When even the longest words do not fit, the columns of numbers keep theirs (a number and
    // its heading stay whole) and the columns of words share the rest by their longest word:
    // their words break with a hyphen.
    double number_room = 0, text_narrow = 0;
    for (std::size_t c = 0; c < columns; ++c) (numbers[c] ? number_room : text_narrow) += narrow[c];
    for (std::size_t c = 0; c < columns; ++c) {
        if (sum_wide <= room) width[c] = wide[c] + (room - sum_wide) * (sum_wide > 0 ? wide[c] / sum_wide : 1.0 / static_cast<double>(columns));
        else if (sum_narrow <= room) width[c] = narrow[c] + (room - sum_narrow) * (sum_wide > sum_narrow ? (wide[c] - narrow[c]) / (sum_wide - sum_narrow) : 0);
        else if (number_room <= room * 0.6 && text_narrow > 0) width[c] = numbers[c] ? narrow[c] : (room - number_room) * narrow[c] / text_narrow;
        else width[c] = room * (sum_narrow > 0 ? narrow[c] / sum_narrow : 1.0 / static_cast<double>(columns));
    }
    std::vector<double> left(columns + 1, m_x);
    for (std::size_t c = 0; c < columns; ++c) left[c + 1] = left[c] + width[c] + 2 * pad;
    LineOptions in_cell;
    in_cell.justify = false;
    auto layout_row = [&](std::size_t r) {
        std::vector<std::vector<Line>> cells;
        std::size_t height = 1;
        for (std::size_t c = 0; c < columns; ++c) {
            cells.push_back(text_lines(cell(r, c), width[c] + 0.01, face(r, c), m_lang, measure(size), m_hyphenator, in_cell));
            height = std::max(height, cells.back().size());
        }
        return std::make_pair(cells, static_cast<double>(height) * lead + 2 * pad * 0.6);
    };
    // Rules above and below the table and under its header, none between columns.
    auto draw_row = [&](const std::vector<std::vector<Line>>& cells, double h, bool header) {
        const double top = m_cursor.y;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            m_cursor.y = top - pad * 0.6;
            for (const Line& l : cells[c]) {
                Line ragged = l;
                ragged.last = true;
                const double x = numbers[c] ? left[c + 1] - pad - l.natural : left[c] + pad;  // numbers to the right
                draw_line(ragged, x, width[c], size, false, 0);
                m_cursor.y -= lead;
            }
        }
        m_cursor.y = top;
        if (header) {
            m_pdf.line(m_cursor.page, m_x, top, left[columns], top, 0.9, 0.2);
            m_pdf.line(m_cursor.page, m_x, top - h, left[columns], top - h, 0.5, 0.35);
        }
        m_cursor.y -= h;
    };
    const auto header = layout_row(0);
    ensure_room(header.second + lead * 2);
    draw_row(header.first, header.second, true);
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto row = layout_row(r);
        if (m_cursor.y - row.second < PageFrame::k_bottom) {
            m_pdf.line(m_cursor.page, m_x, m_cursor.y, left[columns], m_cursor.y, 0.9, 0.2);
            new_page();
            draw_row(header.first, header.second, true);  // the header row again
        }
        draw_row(row.first, row.second, false);
    }
    m_pdf.line(m_cursor.page, m_x, m_cursor.y, left[columns], m_cursor.y, 0.9, 0.2);
    m_cursor.y -= 10;
}

std::string Flow::image_file(const std::string& address, const std::string& images) {
    const bool safe = !images.empty() && !address.empty() && address[0] != '/' && address.find("..") == std::string::npos &&
                      address.find("://") == std::string::npos;
    return safe ? images + "/" + address : "";
}

void Flow::image(const std::string& path, const std::string& alt, const std::string& caption_text, const std::string& type) {
    double wpx = 0, hpx = 0;
    const int img = path.empty() ? -1 : m_pdf.load_image(path, wpx, hpx, type);
    if (img < 0 || wpx <= 0 || hpx <= 0) {
        Span shown;  // the alternative text, in place of the image
        shown.text = "[" + alt + "]";
        shown.italic = true;
        Spans text{shown};
        paragraph(text, 9.5, Face::italic, 0, "", 0.35, false);
        return;
    }
    const double max_h = (PageFrame::k_top - PageFrame::k_bottom) / 3;
    double w = std::min(m_width, wpx * 0.75), h = w * hpx / wpx;  // 96 dpi pixels to points, never wider than the column
    if (h > max_h) h = max_h, w = h * wpx / hpx;
    // Too tall for what is left of the page: rather than leave a quarter of it or more blank,
    // the image is made smaller to fit, down to half its size.
    const double left = m_cursor.y - PageFrame::k_bottom - 14;
    if (h > left && left >= (PageFrame::k_top - PageFrame::k_bottom) / 4 && left >= h / 2) h = left, w = h * wpx / hpx;
    ensure_room(h + 14);
    m_pdf.draw_image(m_cursor.page, img, m_x + (m_width - w) / 2, m_cursor.y - h, w, h);
    m_cursor.y -= h + 4;
    Span caption;
    caption.text = caption_text.empty() ? alt : caption_text;
    if (!caption.text.empty()) paragraph(Spans{caption}, 8.5, Face::italic, 0, "", 0.35, false);
}

std::vector<Flow::Heading> Flow::blocks(const std::vector<Block>& blocks, int heading_shift, const std::string& images) {
    std::vector<Heading> headings;
    for (const Block& b : blocks) {
        // Deep quotes and lists stop moving right at a third (half, for list items) of the
        // width, so the text always has room.
        const double indent = std::min(14.0 * b.quote, m_width / 3);
        const double gray = b.quote > 0 ? 0.3 : 0;
        switch (b.type) {
            case Block::Type::heading: {
                const Anchor at = heading(b.spans, std::min(4, b.level + heading_shift));
                std::string text;
                for (const Span& s : b.spans) text += s.line_break ? " " : s.text;
                headings.push_back({text, b.level, at});
                break;
            }
            case Block::Type::paragraph:
                paragraph(b.spans, 10.5, b.quote > 0 ? Face::italic : Face::regular, indent, "", gray);
                break;
            case Block::Type::item:
                paragraph(b.spans, 10.5, Face::regular, std::min(indent + 16.0 * b.level, m_width / 2), b.continues_item ? "" : b.marker, gray);
                break;
            case Block::Type::code: code(b.text); break;
            case Block::Type::table: table(b.rows); break;
            case Block::Type::rule: rule(); break;
            case Block::Type::image: {
                image(image_file(b.text, images), b.alt.empty() ? b.text : b.alt);
                break;
            }
        }
    }
    return headings;
}

}  // namespace passerelle
