// Laying blocks out on pages: the page frame (margins, running header, "page X / Y" footer)
// and a flow of blocks in one column (the full text width, or half of it for the parallel
// bilingual layout). Headings stay with what follows; no single line of a paragraph is left
// alone at the bottom or the top of a page; table header rows repeat on each new page.
#pragma once

#include <string>
#include <vector>

#include "core/markdown.h"
#include "generator/hyphenator.h"
#include "generator/pdf.h"
#include "generator/text_layout.h"

namespace passerelle {

struct Cursor {
    int page = 0;
    double y = 0;  // PDF y (from the bottom) of the top of the space left
    bool operator<(const Cursor& o) const { return page != o.page ? page < o.page : y > o.y; }
};

class PageFrame {
  public:
    static constexpr double k_left = 62, k_right = Pdf::k_width - 62, k_top = Pdf::k_height - 72, k_bottom = 64;

    explicit PageFrame(Pdf& pdf) : m_pdf(pdf) {}
    void ensure(int page);  // adds pages up to `page`
    // Running header (the title, from page `from` on) and footer "page X / Y" on every page
    // but the cover; `mark` (a restricted distribution) at the head of every page, the cover's too.
    void finish(const std::string& running_title, int from, const std::string& mark = "");

  private:
    Pdf& m_pdf;
};

struct Anchor {  // where a heading landed
    int page = 0;
    double y = 0;
};

class Flow {
  public:
    Flow(Pdf& pdf, PageFrame& frame, Hyphenator& hyphenator, double x, double width, Cursor start, std::string lang);

    Cursor cursor() const { return m_cursor; }
    void move_to(Cursor c) { m_cursor = c; }
    void new_page();

    // Level 1 to 4; kept on the page with `keep` points of what follows (three lines of text).
    Anchor heading(const Spans& spans, int level, double keep = 3 * 10.5 * 1.38);
    void paragraph(const Spans& spans, double size = 10.5, Face base = Face::regular, double indent = 0,
                   const std::string& marker = "", double gray = 0, bool justify = true);
    // `images`: the folder relative image addresses are read from ("" for none).
    // Returns the headings it laid out (their text, level and place), for the contents.
    struct Heading {
        std::string text;
        int level = 0;
        Anchor at;
    };
    std::vector<Heading> blocks(const std::vector<Block>& blocks, int heading_shift, const std::string& images = "");
    // A PNG or JPEG scaled to fit the column (and a third of a page), with its caption; the
    // alternative text alone when the file cannot be read.
    // `caption` is shown under it (the alternative text when ""); `type` as for Pdf::load_image.
    void image(const std::string& path, const std::string& alt, const std::string& caption = "", const std::string& type = "");
    void table(const std::vector<std::vector<Spans>>& rows, bool bold_first_column = false);
    // The file an image's address in Markdown names: only a relative address inside `images`
    // (no absolute path, no "..", no web address); "" otherwise.
    static std::string image_file(const std::string& address, const std::string& images);
    // A bar chart of one quantity: a row per bar, its label on the left, its value written on
    // the right; bars scaled to the largest; a target drawn as an outline.
    struct Bar {
        std::string label;
        double value = 0;
        bool target = false;
        std::string text;  // the value as written
    };
    void bars(const std::string& title, const std::vector<Bar>& bars);
    void code(const std::string& text);
    void rule();
    void space(double points);
    // Room for `height` points (on a new page when this one lacks it): where it starts.
    Cursor take(double height);

    // Whether paragraphs may be hyphenated (not on the cover); headings never are.
    void set_hyphenation(bool on) { m_hyphenate = on; }

    const std::string& lang() const { return m_lang; }
    double width() const { return m_width; }
    double x() const { return m_x; }

  private:
    void ensure_room(double height);
    void draw_line(const Line& line, double x, double width, double size, bool justify, double gray);
    Measure measure(double size);

    Pdf& m_pdf;
    PageFrame& m_frame;
    Hyphenator& m_hyphenator;
    double m_x, m_width;
    Cursor m_cursor;
    std::string m_lang;
    bool m_hyphenate = true;
};

}  // namespace passerelle
