// PDF output through libharu (the only file that includes it): pages of A4, embedded DejaVu
// fonts (serif regular, bold, italic, bold italic; sans mono for code), UTF-8 text, lines and
// boxes, links to pages and to addresses, the outline (bookmarks) and the document
// information. Every libharu error is caught by a handler and turned into an Error naming the
// call, so a broken document is never saved.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace passerelle {

enum class Face { regular, bold, italic, bold_italic, mono };

struct Rgb {
    double r = 0, g = 0, b = 0;  // 0..1
};

class Pdf {
  public:
    static constexpr double k_width = 595.276, k_height = 841.89;  // A4 in points

    // Starts loading the regular, bold and italic faces on another thread. The first call that
    // needs the document waits for them, and throws Error when a font cannot be loaded
    // (fonts-dejavu-core, fonts-dejavu-extra).
    Pdf();
    ~Pdf();
    Pdf(const Pdf&) = delete;
    Pdf& operator=(const Pdf&) = delete;

    int add_page();  // returns its index (0-based)
    // `count` new pages before page `at`; the pages from `at` on move `count` places later.
    void insert_pages(int at, int count);
    int page_count() const;

    double width(Face face, double size, std::string_view text);
    // `lang`: the passage's language when it may differ from the document's (see set_language).
    void text(int page, Face face, double size, double x, double y, std::string_view text, double gray = 0,
              std::string_view lang = {});
    // The same in a colour.
    void text(int page, Face face, double size, double x, double y, std::string_view text, const Rgb& colour, std::string_view lang = {});
    void box(int page, double x, double y, double w, double h, const Rgb& colour);  // filled
    // Closed shapes (rings of points, in points from the page's bottom left), filled and outlined.
    void shapes(int page, const std::vector<std::vector<std::pair<double, double>>>& rings, const Rgb& fill, const Rgb& stroke,
                double line_width);
    // Until clip_end, only what falls inside the rectangle is painted.
    void clip_begin(int page, double x, double y, double w, double h);
    void clip_end(int page);
    void dot(int page, double x, double y, double radius, const Rgb& fill, const Rgb& stroke, double line_width);
    void line(int page, double x1, double y1, double x2, double y2, double thickness, double gray);
    void box(int page, double x, double y, double w, double h, double gray);  // filled
    void link_to_page(int page, double x, double y, double w, double h, int target, double target_y);
    void link_to_uri(int page, double x, double y, double w, double h, const std::string& uri);

    // A PNG or JPEG file as an image of the document: its index, or -1 when it cannot be read
    // (not an error: the caller shows the alternative text). `pixels` gets its size. `type`
    // (image/png or image/jpeg) says what the file is when its name does not (an attachment
    // kept under its hash).
    int load_image(const std::string& path, double& width_px, double& height_px, const std::string& type = "");
    void draw_image(int page, int image, double x, double y, double w, double h);

    // A bookmark under `parent` (-1: top level) to `target` page at `target_y`; returns its id.
    int bookmark(int parent, const std::string& title, int target, double target_y);

    // The document's main language: text in another is marked with its own (/Lang).
    void set_language(const std::string& lang);

    struct Info {
        std::string title, author, subject, keywords, creator, date;  // date: YYYY-MM-DD
        std::string lang;  // BCP 47, for the catalog's /Lang
    };
    void set_info(const Info& info);

    std::string save();  // the whole file

    // For the tests: on how many of the 65,536 characters the adapter's glyph look-up (see
    // pdf.cpp) and libharu's own disagree for `face`. Throws Error if the adapter's is not the
    // one libharu's calls reach.
    static std::size_t glyph_lookup_differences(Face face);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace passerelle
