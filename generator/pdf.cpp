#include "generator/pdf.h"

#include <dlfcn.h>
#include <hpdf.h>
#include <hpdf_fontdef.h>
#include <hpdf_pages.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <future>
#include <map>
#include <unordered_map>
#include <vector>

#include "core/diagnostics.h"
#include "core/utf8.h"

// libharu maps a character to a glyph by scanning the font's character-map segments one by
// one, and making a UTF-8 font maps all 65,536 characters that way: some 10 ms for each face,
// the largest single cost of a guide. This definition is the same look-up (format 0, and
// format 4 as the TrueType specification gives it, whose segments are sorted by their last
// character) as a binary search. The dynamic linker binds libharu's own calls to it, because a
// program's definitions come before a shared library's. Should a libharu build bind the call
// internally, the output would be the same, only slower. `Pdf::glyph_lookup_differences`
// compares the two on every character of every face.
extern "C" HPDF_UINT16 HPDF_TTFontDef_GetGlyphid(HPDF_FontDef fontdef, HPDF_UINT16 unicode) {
    const auto* attr = static_cast<const HPDF_TTFontDefAttr_Rec*>(fontdef->attr);
    const HPDF_TTF_CmapRange& cmap = attr->cmap;
    if (cmap.format == 0) return cmap.glyph_id_array[unicode & 0xFF];
    if (cmap.seg_count_x2 == 0) {
        HPDF_SetError(fontdef->error, HPDF_TTF_INVALID_CMAP, 0);
        return 0;
    }
    const HPDF_UINT seg_count = cmap.seg_count_x2 / 2u;
    const HPDF_UINT i = static_cast<HPDF_UINT>(std::lower_bound(cmap.end_count, cmap.end_count + seg_count, unicode) - cmap.end_count);
    if (i == seg_count || cmap.start_count[i] > unicode) return 0;
    if (cmap.id_range_offset[i] == 0) return static_cast<HPDF_UINT16>(unicode + cmap.id_delta[i]);
    const HPDF_UINT at = cmap.id_range_offset[i] / 2u + (unicode - cmap.start_count[i]) - (seg_count - i);
    if (at >= cmap.glyph_id_array_count) return 0;
    return static_cast<HPDF_UINT16>(cmap.glyph_id_array[at] + cmap.id_delta[i]);
}

namespace passerelle {

namespace {

void on_error(HPDF_STATUS error, HPDF_STATUS detail, void* data) {
    auto* status = static_cast<std::pair<HPDF_STATUS, HPDF_STATUS>*>(data);
    if (status->first == 0) *status = {error, detail};  // the first error is the cause
}

const char* k_fonts[] = {
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif-BoldItalic.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
};

}  // namespace

struct Pdf::Impl {
    std::pair<HPDF_STATUS, HPDF_STATUS> status{0, 0};
    HPDF_Doc doc = nullptr;
    HPDF_Font fonts[5] = {};
    std::vector<HPDF_Page> pages;
    std::vector<HPDF_Outline> outlines;
    std::vector<HPDF_Image> images;
    std::map<std::string, int> image_files;  // each file's image, so that it is embedded once
    HPDF_Encoder utf8 = nullptr;
    // The base faces are loaded on another thread while the caller gets its content ready (a
    // face takes libharu several milliseconds: it maps every Unicode character to a glyph).
    // Nothing else touches the document until `ready()` has waited for it.
    std::future<void> loading;
    std::string lang;  // the document's language

    // Widths in 1/1000 em of each character measured so far, per face: a text's width is the
    // sum of its characters' (libharu has no kerning for these fonts), and libharu looks each
    // character up by a linear search of the font's character map.
    using WidthBlock = std::array<int, 256>;  // -1: not measured yet
    std::array<std::unique_ptr<WidthBlock>, 256> bmp_widths[5];                // by code point / 256
    std::unordered_map<char32_t, std::unique_ptr<WidthBlock>> other_widths[5];  // beyond U+FFFF

    // The text object left open on each page, with the state it has set, so that a line of
    // words is one text object that sets its font and colour once.
    struct TextState {
        bool open = false;
        int face = -1;
        double size = 0;
        double gray = -1;
    };
    std::vector<TextState> text_states;

    void ready() {
        if (loading.valid()) loading.get();  // rethrows a loading error
    }

    // Faces are loaded (and so embedded) on first use: a guide without code embeds no mono font.
    HPDF_Font font(Face face) {
        const int i = static_cast<int>(face);
        if (!fonts[i]) {
            const char* name = HPDF_LoadTTFontFromFile(doc, k_fonts[i], HPDF_TRUE);
            check(k_fonts[i]);
            fonts[i] = HPDF_GetFont(doc, name, "UTF-8");
            check(k_fonts[i]);
            write_to_unicode(fonts[i]);
            check(k_fonts[i]);
        }
        return fonts[i];
    }

    // libharu 2.3.0 gives a UTF-8 font, as its ToUnicode map, the encoding's CMap: a map from
    // codes to CIDs ("begincidrange"), which is not what a ToUnicode map is, and every reader
    // warns about it ("Invalid 'begincidrange' operator in ToUnicode CMap"). With the UTF-8
    // encoder a code is the character's own number, so the true map is the identity over the
    // Basic Multilingual Plane (surrogates aside); it is written in place of libharu's, in the
    // same stream object, as bfrange rows of 256 codes, at most 100 to a block.
    static void write_to_unicode(HPDF_Font font) {
        auto* map = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT));
        if (!map || !map->stream) return;
        HPDF_MemStream_FreeData(map->stream);
        HPDF_Dict_RemoveElement(map, "CMapName");
        HPDF_Dict_RemoveElement(map, "CIDSystemInfo");
        HPDF_Dict_RemoveElement(map, "WMode");
        HPDF_Dict_RemoveElement(map, "Type");
        std::string cmap =
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
        std::vector<unsigned> rows;
        for (unsigned row = 0; row < 256; ++row)
            if (row < 0xD8 || row > 0xDF) rows.push_back(row);
        for (std::size_t at = 0; at < rows.size(); at += 100) {
            const std::size_t n = std::min<std::size_t>(100, rows.size() - at);
            cmap += std::to_string(n) + " beginbfrange\n";
            char line[32];
            for (std::size_t k = at; k < at + n; ++k) {
                std::snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", rows[k], rows[k], rows[k]);
                cmap += line;
            }
            cmap += "endbfrange\n";
        }
        cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
        HPDF_Stream_Write(map->stream, reinterpret_cast<const HPDF_BYTE*>(cmap.data()), static_cast<HPDF_UINT>(cmap.size()));
    }

    int char_width(int face, std::string_view bytes, char32_t cp) {
        auto& block = cp < 0x10000 ? bmp_widths[face][cp >> 8] : other_widths[face][cp >> 8];
        if (!block) {
            block = std::make_unique<WidthBlock>();
            block->fill(-1);
        }
        int& w = (*block)[cp & 0xFF];
        if (w < 0) {
            const HPDF_TextWidth tw = HPDF_Font_TextWidth(font(static_cast<Face>(face)), reinterpret_cast<const HPDF_BYTE*>(bytes.data()),
                                                          static_cast<HPDF_UINT>(bytes.size()));
            check("measuring text");
            w = static_cast<int>(tw.width);
        }
        return w;
    }

    TextState& text_state(int page) {
        if (text_states.size() <= static_cast<std::size_t>(page)) text_states.resize(page + 1);
        return text_states[page];
    }

    void end_text(int page) {
        TextState& t = text_state(page);
        if (!t.open) return;
        HPDF_Page_EndText(pages.at(page));
        t.open = false;
    }

    void check(const char* what) {
        if (status.first == 0) return;
        char buf[96];
        std::snprintf(buf, sizeof buf, " (libharu error 0x%04X, detail %u)", static_cast<unsigned>(status.first),
                      static_cast<unsigned>(status.second));
        status = {0, 0};
        HPDF_ResetError(doc);
        throw Error(std::string("PDF: ") + what + buf);
    }
};

// The number of bytes of the UTF-8 sequence starting with `lead` that `text` holds from `at`
// with well-formed continuation bytes, or 1 for a stray byte.
static std::size_t sequence_length(std::string_view text, std::size_t at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    const std::size_t n = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF8 ? 4 : 1;
    if (at + n > text.size()) return 1;
    for (std::size_t i = 1; i < n; ++i)
        if ((static_cast<unsigned char>(text[at + i]) & 0xC0) != 0x80) return 1;
    return n;
}

Pdf::Pdf() : m_impl(std::make_unique<Impl>()) {
    m_impl->doc = HPDF_New(on_error, &m_impl->status);
    if (!m_impl->doc) throw Error("PDF: cannot create a document");
    HPDF_SetCompressionMode(m_impl->doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(m_impl->doc);
    HPDF_SetCurrentEncoder(m_impl->doc, "UTF-8");
    m_impl->check("setting up UTF-8");
    m_impl->utf8 = HPDF_GetEncoder(m_impl->doc, "UTF-8");
    HPDF_SetPageMode(m_impl->doc, HPDF_PAGE_MODE_USE_OUTLINE);
    m_impl->loading = std::async(std::launch::async, [impl = m_impl.get()] {
        for (Face f : {Face::regular, Face::bold, Face::italic}) impl->font(f);
    });
}

Pdf::~Pdf() {
    if (m_impl->loading.valid()) m_impl->loading.wait();
    if (m_impl->doc) HPDF_Free(m_impl->doc);
}

int Pdf::add_page() {
    m_impl->ready();
    HPDF_Page p = HPDF_AddPage(m_impl->doc);
    HPDF_Page_SetWidth(p, static_cast<HPDF_REAL>(k_width));
    HPDF_Page_SetHeight(p, static_cast<HPDF_REAL>(k_height));
    m_impl->check("adding a page");
    m_impl->pages.push_back(p);
    return static_cast<int>(m_impl->pages.size()) - 1;
}

void Pdf::insert_pages(int at, int count) {
    m_impl->ready();
    for (int i = 0; i < count; ++i) {
        HPDF_Page p = HPDF_InsertPage(m_impl->doc, m_impl->pages.at(static_cast<std::size_t>(at)));
        HPDF_Page_SetWidth(p, static_cast<HPDF_REAL>(k_width));
        HPDF_Page_SetHeight(p, static_cast<HPDF_REAL>(k_height));
        m_impl->check("inserting a page");
        m_impl->pages.insert(m_impl->pages.begin() + at, p);
        if (m_impl->text_states.size() > static_cast<std::size_t>(at))
            m_impl->text_states.insert(m_impl->text_states.begin() + at, Impl::TextState{});
    }
}

int Pdf::page_count() const { return static_cast<int>(m_impl->pages.size()); }

double Pdf::width(Face face, double size, std::string_view text) {
    m_impl->ready();
    const int f = static_cast<int>(face);
    long total = 0;
    for (std::size_t at = 0; at < text.size();) {
        const auto b = static_cast<unsigned char>(text[at]);
        const std::size_t n = b < 0x80 ? 1 : sequence_length(text, at);
        char32_t cp = b;
        if (n > 1) {
            std::size_t pos = at;
            cp = utf8::decode(text, pos);
        } else if (b >= 0x80) {
            cp = 0x110000 + b;  // a stray byte: measured (and kept) apart from any character
        }
        total += m_impl->char_width(f, text.substr(at, n), cp);
        at += n;
    }
    return static_cast<double>(total) * size / 1000.0;
}

void Pdf::text(int page, Face face, double size, double x, double y, std::string_view text, double gray, std::string_view lang) {
    if (text.empty()) return;
    m_impl->ready();
    HPDF_Page p = m_impl->pages.at(page);
    Impl::TextState& t = m_impl->text_state(page);
    if (!t.open) {
        HPDF_Page_BeginText(p);
        t.open = true;
    }
    if (t.face != static_cast<int>(face) || t.size != size) {
        HPDF_Page_SetFontAndSize(p, m_impl->font(face), static_cast<HPDF_REAL>(size));
        t.face = static_cast<int>(face);
        t.size = size;
    }
    if (gray >= 0 && t.gray != gray) {  // (-1: the colour already set)
        HPDF_Page_SetGrayFill(p, static_cast<HPDF_REAL>(gray));
        t.gray = gray;
    }
    const std::string s(text);
    // A passage in another language than the document's is marked content carrying its
    // language (PDF 14.9.2), inside the text object: libharu has no call for it, so the
    // operators are written to the page's content stream directly.
    const bool other = !lang.empty() && lang != m_impl->lang;
    HPDF_Stream content = static_cast<HPDF_PageAttr>(p->attr)->stream;
    if (other) HPDF_Stream_WriteStr(content, ("/Span <</Lang (" + std::string(lang) + ")>> BDC\n").c_str());
    HPDF_Page_TextOut(p, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), s.c_str());
    if (other) HPDF_Stream_WriteStr(content, "EMC\n");
    m_impl->check("writing text");
}

void Pdf::text(int page, Face face, double size, double x, double y, std::string_view text, const Rgb& colour, std::string_view lang) {
    if (text.empty()) return;
    m_impl->ready();
    Impl::TextState& t = m_impl->text_state(page);
    if (!t.open) {
        HPDF_Page_BeginText(m_impl->pages.at(page));
        t.open = true;
    }
    HPDF_Page_SetRGBFill(m_impl->pages.at(page), static_cast<HPDF_REAL>(colour.r), static_cast<HPDF_REAL>(colour.g), static_cast<HPDF_REAL>(colour.b));
    t.gray = -1;  // the next grey text sets its colour again
    this->text(page, face, size, x, y, text, -1, lang);
}

void Pdf::box(int page, double x, double y, double w, double h, const Rgb& colour) {
    m_impl->ready();
    m_impl->end_text(page);
    m_impl->text_state(page).gray = -1;
    HPDF_Page p = m_impl->pages.at(page);
    HPDF_Page_SetRGBFill(p, static_cast<HPDF_REAL>(colour.r), static_cast<HPDF_REAL>(colour.g), static_cast<HPDF_REAL>(colour.b));
    HPDF_Page_Rectangle(p, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), static_cast<HPDF_REAL>(w), static_cast<HPDF_REAL>(h));
    HPDF_Page_Fill(p);
    m_impl->check("drawing a box");
}

void Pdf::shapes(int page, const std::vector<std::vector<std::pair<double, double>>>& rings, const Rgb& fill, const Rgb& stroke,
                 double line_width) {
    if (rings.empty()) return;
    m_impl->ready();
    m_impl->end_text(page);
    m_impl->text_state(page).gray = -1;
    HPDF_Page p = m_impl->pages.at(page);
    HPDF_Page_SetRGBFill(p, static_cast<HPDF_REAL>(fill.r), static_cast<HPDF_REAL>(fill.g), static_cast<HPDF_REAL>(fill.b));
    HPDF_Page_SetRGBStroke(p, static_cast<HPDF_REAL>(stroke.r), static_cast<HPDF_REAL>(stroke.g), static_cast<HPDF_REAL>(stroke.b));
    HPDF_Page_SetLineWidth(p, static_cast<HPDF_REAL>(line_width));
    HPDF_Page_SetLineJoin(p, HPDF_ROUND_JOIN);
    for (const auto& ring : rings) {
        if (ring.size() < 3) continue;
        HPDF_Page_MoveTo(p, static_cast<HPDF_REAL>(ring[0].first), static_cast<HPDF_REAL>(ring[0].second));
        for (std::size_t i = 1; i < ring.size(); ++i) HPDF_Page_LineTo(p, static_cast<HPDF_REAL>(ring[i].first), static_cast<HPDF_REAL>(ring[i].second));
        HPDF_Page_ClosePath(p);
    }
    HPDF_Page_FillStroke(p);
    m_impl->check("drawing shapes");
}

void Pdf::clip_begin(int page, double x, double y, double w, double h) {
    m_impl->ready();
    m_impl->end_text(page);
    HPDF_Page p = m_impl->pages.at(page);
    HPDF_Page_GSave(p);
    HPDF_Page_Rectangle(p, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), static_cast<HPDF_REAL>(w), static_cast<HPDF_REAL>(h));
    HPDF_Page_Clip(p);
    HPDF_Page_EndPath(p);
    m_impl->check("clipping");
}

void Pdf::clip_end(int page) {
    m_impl->ready();
    m_impl->end_text(page);
    m_impl->text_state(page) = Impl::TextState{};  // the graphics state (colours, font) is restored
    HPDF_Page_GRestore(m_impl->pages.at(page));
    m_impl->check("clipping");
}

void Pdf::dot(int page, double x, double y, double radius, const Rgb& fill, const Rgb& stroke, double line_width) {
    m_impl->ready();
    m_impl->end_text(page);
    m_impl->text_state(page).gray = -1;
    HPDF_Page p = m_impl->pages.at(page);
    HPDF_Page_SetRGBFill(p, static_cast<HPDF_REAL>(fill.r), static_cast<HPDF_REAL>(fill.g), static_cast<HPDF_REAL>(fill.b));
    HPDF_Page_SetRGBStroke(p, static_cast<HPDF_REAL>(stroke.r), static_cast<HPDF_REAL>(stroke.g), static_cast<HPDF_REAL>(stroke.b));
    HPDF_Page_SetLineWidth(p, static_cast<HPDF_REAL>(line_width));
    HPDF_Page_Circle(p, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), static_cast<HPDF_REAL>(radius));
    HPDF_Page_FillStroke(p);
    m_impl->check("drawing a dot");
}

void Pdf::line(int page, double x1, double y1, double x2, double y2, double thickness, double gray) {
    m_impl->ready();
    m_impl->end_text(page);
    HPDF_Page p = m_impl->pages.at(page);
    HPDF_Page_SetLineWidth(p, static_cast<HPDF_REAL>(thickness));
    HPDF_Page_SetGrayStroke(p, static_cast<HPDF_REAL>(gray));
    HPDF_Page_MoveTo(p, static_cast<HPDF_REAL>(x1), static_cast<HPDF_REAL>(y1));
    HPDF_Page_LineTo(p, static_cast<HPDF_REAL>(x2), static_cast<HPDF_REAL>(y2));
    HPDF_Page_Stroke(p);
    m_impl->check("drawing a line");
}

void Pdf::box(int page, double x, double y, double w, double h, double gray) {
    m_impl->ready();
    m_impl->end_text(page);
    m_impl->text_state(page).gray = gray;  // the fill colour texts share
    HPDF_Page p = m_impl->pages.at(page);
    HPDF_Page_SetGrayFill(p, static_cast<HPDF_REAL>(gray));
    HPDF_Page_Rectangle(p, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), static_cast<HPDF_REAL>(w), static_cast<HPDF_REAL>(h));
    HPDF_Page_Fill(p);
    m_impl->check("drawing a box");
}

void Pdf::link_to_page(int page, double x, double y, double w, double h, int target, double target_y) {
    m_impl->ready();
    HPDF_Destination dst = HPDF_Page_CreateDestination(m_impl->pages.at(target));
    HPDF_Destination_SetXYZ(dst, 0, static_cast<HPDF_REAL>(target_y), 1);  // zoom 0 is refused (library notes)
    const HPDF_Rect rect{static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), static_cast<HPDF_REAL>(x + w), static_cast<HPDF_REAL>(y + h)};
    HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(m_impl->pages.at(page), rect, dst);
    HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
    m_impl->check("adding a link");
}

void Pdf::link_to_uri(int page, double x, double y, double w, double h, const std::string& uri) {
    m_impl->ready();
    const HPDF_Rect rect{static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), static_cast<HPDF_REAL>(x + w), static_cast<HPDF_REAL>(y + h)};
    HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(m_impl->pages.at(page), rect, uri.c_str());
    HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
    m_impl->check("adding a web link");
}

int Pdf::load_image(const std::string& path, double& width_px, double& height_px, const std::string& type) {
    m_impl->ready();
    if (const auto known = m_impl->image_files.find(path); known != m_impl->image_files.end()) {  // embedded once
        HPDF_Image img = m_impl->images.at(static_cast<std::size_t>(known->second));
        width_px = HPDF_Image_GetWidth(img);
        height_px = HPDF_Image_GetHeight(img);
        return known->second;
    }
    std::string ext = type == "image/png" ? ".png" : type == "image/jpeg" ? ".jpg" : path.size() > 4 ? path.substr(path.size() - 4) : "";
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    HPDF_Image img = nullptr;
    if (ext == ".png") img = HPDF_LoadPngImageFromFile(m_impl->doc, path.c_str());
    else if (ext == ".jpg" || ext == "jpeg") img = HPDF_LoadJpegImageFromFile(m_impl->doc, path.c_str());
    if (!img || m_impl->status.first != 0) {  // unreadable: reset, and let the caller show the text
        m_impl->status = {0, 0};
        HPDF_ResetError(m_impl->doc);
        return -1;
    }
    width_px = HPDF_Image_GetWidth(img);
    height_px = HPDF_Image_GetHeight(img);
    m_impl->images.push_back(img);
    m_impl->image_files[path] = static_cast<int>(m_impl->images.size()) - 1;
    return static_cast<int>(m_impl->images.size()) - 1;
}

void Pdf::draw_image(int page, int image, double x, double y, double w, double h) {
    m_impl->ready();
    m_impl->end_text(page);
    HPDF_Page_DrawImage(m_impl->pages.at(page), m_impl->images.at(image), static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y),
                        static_cast<HPDF_REAL>(w), static_cast<HPDF_REAL>(h));
    m_impl->check("drawing an image");
}

int Pdf::bookmark(int parent, const std::string& title, int target, double target_y) {
    m_impl->ready();
    HPDF_Outline o = HPDF_CreateOutline(m_impl->doc, parent < 0 ? nullptr : m_impl->outlines.at(parent), title.c_str(), m_impl->utf8);
    HPDF_Destination dst = HPDF_Page_CreateDestination(m_impl->pages.at(target));
    HPDF_Destination_SetXYZ(dst, 0, static_cast<HPDF_REAL>(target_y), 1);
    HPDF_Outline_SetDestination(o, dst);
    HPDF_Outline_SetOpened(o, HPDF_FALSE);
    m_impl->check("adding a bookmark");
    m_impl->outlines.push_back(o);
    return static_cast<int>(m_impl->outlines.size()) - 1;
}

void Pdf::set_language(const std::string& lang) { m_impl->lang = lang; }

void Pdf::set_info(const Info& info) {
    m_impl->ready();
    HPDF_SetInfoAttr(m_impl->doc, HPDF_INFO_TITLE, info.title.c_str());
    HPDF_SetInfoAttr(m_impl->doc, HPDF_INFO_AUTHOR, info.author.c_str());
    HPDF_SetInfoAttr(m_impl->doc, HPDF_INFO_SUBJECT, info.subject.c_str());
    HPDF_SetInfoAttr(m_impl->doc, HPDF_INFO_KEYWORDS, info.keywords.c_str());
    HPDF_SetInfoAttr(m_impl->doc, HPDF_INFO_CREATOR, info.creator.c_str());
    if (info.date.size() == 10) {
        HPDF_Date d{};
        d.year = std::stoi(info.date.substr(0, 4));
        d.month = std::stoi(info.date.substr(5, 2));
        d.day = std::stoi(info.date.substr(8, 2));
        d.ind = 'Z';
        HPDF_SetInfoDateAttr(m_impl->doc, HPDF_INFO_CREATION_DATE, d);
        HPDF_SetInfoDateAttr(m_impl->doc, HPDF_INFO_MOD_DATE, d);
    }
    m_impl->check("setting the document information");
    if (!info.lang.empty()) {  // the catalog's /Lang: the language screen readers and extractors assume
        HPDF_Dict_Add(m_impl->doc->catalog, "Lang", HPDF_String_New(m_impl->doc->mmgr, info.lang.c_str(), nullptr));
        m_impl->check("setting the document language");
    }
}

std::string Pdf::save() {
    m_impl->ready();
    for (std::size_t page = 0; page < m_impl->text_states.size(); ++page) m_impl->end_text(static_cast<int>(page));
    HPDF_SaveToStream(m_impl->doc);
    m_impl->check("writing the file");
    HPDF_ResetStream(m_impl->doc);
    std::string out(HPDF_GetStreamSize(m_impl->doc), '\0');
    HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
    HPDF_ReadFromStream(m_impl->doc, reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
    out.resize(size);
    m_impl->check("reading the file back");
    return out;
}

std::size_t Pdf::glyph_lookup_differences(Face face) {
    using Lookup = HPDF_UINT16 (*)(HPDF_FontDef, HPDF_UINT16);
    const auto libharus = reinterpret_cast<Lookup>(dlsym(RTLD_NEXT, "HPDF_TTFontDef_GetGlyphid"));
    const auto bound = reinterpret_cast<Lookup>(dlsym(RTLD_DEFAULT, "HPDF_TTFontDef_GetGlyphid"));
    if (!libharus) throw Error("PDF: libharu's own glyph look-up cannot be found");
    if (bound != &HPDF_TTFontDef_GetGlyphid) throw Error("PDF: the glyph look-up is not the one libharu calls");
    HPDF_Doc doc = HPDF_New(nullptr, nullptr);
    const char* name = HPDF_LoadTTFontFromFile(doc, k_fonts[static_cast<int>(face)], HPDF_FALSE);
    HPDF_FontDef def = name ? HPDF_GetFontDef(doc, name) : nullptr;
    if (!def) {
        HPDF_Free(doc);
        throw Error(std::string("PDF: cannot load ") + k_fonts[static_cast<int>(face)]);
    }
    std::size_t differences = 0;
    for (unsigned c = 0; c <= 0xFFFF; ++c)
        if (HPDF_TTFontDef_GetGlyphid(def, static_cast<HPDF_UINT16>(c)) != libharus(def, static_cast<HPDF_UINT16>(c))) ++differences;
    HPDF_Free(doc);
    return differences;
}

}  // namespace passerelle
