#include "generator/pdf.h"

#include <hpdf.h>

#include <cctype>
#include <cstdio>
#include <unordered_map>
#include <vector>

#include "core/diagnostics.h"

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
    HPDF_Encoder utf8 = nullptr;
    std::unordered_map<std::string, double> widths;  // face + text -> width in 1/1000 em

    // Faces are loaded (and so embedded) on first use: a guide without code embeds no mono font.
    HPDF_Font font(Face face) {
        const int i = static_cast<int>(face);
        if (!fonts[i]) {
            const char* name = HPDF_LoadTTFontFromFile(doc, k_fonts[i], HPDF_TRUE);
            check(k_fonts[i]);
            fonts[i] = HPDF_GetFont(doc, name, "UTF-8");
            check(k_fonts[i]);
        }
        return fonts[i];
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

Pdf::Pdf() : m(std::make_unique<Impl>()) {
    m->doc = HPDF_New(on_error, &m->status);
    if (!m->doc) throw Error("PDF: cannot create a document");
    HPDF_SetCompressionMode(m->doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(m->doc);
    HPDF_SetCurrentEncoder(m->doc, "UTF-8");
    m->check("setting up UTF-8");
    m->font(Face::regular);  // fails early when the fonts are not installed
    m->utf8 = HPDF_GetEncoder(m->doc, "UTF-8");
    HPDF_SetPageMode(m->doc, HPDF_PAGE_MODE_USE_OUTLINE);
}

Pdf::~Pdf() {
    if (m->doc) HPDF_Free(m->doc);
}

int Pdf::add_page() {
    HPDF_Page p = HPDF_AddPage(m->doc);
    HPDF_Page_SetWidth(p, static_cast<HPDF_REAL>(k_width));
    HPDF_Page_SetHeight(p, static_cast<HPDF_REAL>(k_height));
    m->check("adding a page");
    m->pages.push_back(p);
    return static_cast<int>(m->pages.size()) - 1;
}

int Pdf::page_count() const { return static_cast<int>(m->pages.size()); }

double Pdf::width(Face face, double size, std::string_view text) {
    if (text.empty()) return 0;
    // Words are measured again and again (line breaking, hyphenation, justification): the
    // width of each (face, text) in 1/1000 em is kept.
    std::string key(1, static_cast<char>('0' + static_cast<int>(face)));
    key += text;
    auto it = m->widths.find(key);
    if (it == m->widths.end()) {
        const HPDF_TextWidth tw = HPDF_Font_TextWidth(m->font(face), reinterpret_cast<const HPDF_BYTE*>(key.data() + 1),
                                                      static_cast<HPDF_UINT>(key.size() - 1));
        m->check("measuring text");
        it = m->widths.emplace(std::move(key), static_cast<double>(tw.width)).first;
    }
    return it->second * size / 1000.0;
}

void Pdf::text(int page, Face face, double size, double x, double y, std::string_view text, double gray) {
    if (text.empty()) return;
    HPDF_Page p = m->pages.at(page);
    const std::string s(text);
    HPDF_Page_BeginText(p);
    HPDF_Page_SetFontAndSize(p, m->font(face), static_cast<HPDF_REAL>(size));
    HPDF_Page_SetGrayFill(p, static_cast<HPDF_REAL>(gray));
    HPDF_Page_TextOut(p, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), s.c_str());
    HPDF_Page_EndText(p);
    m->check("writing text");
}

void Pdf::line(int page, double x1, double y1, double x2, double y2, double thickness, double gray) {
    HPDF_Page p = m->pages.at(page);
    HPDF_Page_SetLineWidth(p, static_cast<HPDF_REAL>(thickness));
    HPDF_Page_SetGrayStroke(p, static_cast<HPDF_REAL>(gray));
    HPDF_Page_MoveTo(p, static_cast<HPDF_REAL>(x1), static_cast<HPDF_REAL>(y1));
    HPDF_Page_LineTo(p, static_cast<HPDF_REAL>(x2), static_cast<HPDF_REAL>(y2));
    HPDF_Page_Stroke(p);
    m->check("drawing a line");
}

void Pdf::box(int page, double x, double y, double w, double h, double gray) {
    HPDF_Page p = m->pages.at(page);
    HPDF_Page_SetGrayFill(p, static_cast<HPDF_REAL>(gray));
    HPDF_Page_Rectangle(p, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), static_cast<HPDF_REAL>(w), static_cast<HPDF_REAL>(h));
    HPDF_Page_Fill(p);
    m->check("drawing a box");
}

void Pdf::link_to_page(int page, double x, double y, double w, double h, int target, double target_y) {
    HPDF_Destination dst = HPDF_Page_CreateDestination(m->pages.at(target));
    HPDF_Destination_SetXYZ(dst, 0, static_cast<HPDF_REAL>(target_y), 1);  // zoom 0 is refused (library notes)
    const HPDF_Rect rect{static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), static_cast<HPDF_REAL>(x + w), static_cast<HPDF_REAL>(y + h)};
    HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(m->pages.at(page), rect, dst);
    HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
    m->check("adding a link");
}

void Pdf::link_to_uri(int page, double x, double y, double w, double h, const std::string& uri) {
    const HPDF_Rect rect{static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), static_cast<HPDF_REAL>(x + w), static_cast<HPDF_REAL>(y + h)};
    HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(m->pages.at(page), rect, uri.c_str());
    HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
    m->check("adding a web link");
}

int Pdf::load_image(const std::string& path, double& width_px, double& height_px) {
    std::string ext = path.size() > 4 ? path.substr(path.size() - 4) : "";
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    HPDF_Image img = nullptr;
    if (ext == ".png") img = HPDF_LoadPngImageFromFile(m->doc, path.c_str());
    else if (ext == ".jpg" || ext == "jpeg") img = HPDF_LoadJpegImageFromFile(m->doc, path.c_str());
    if (!img || m->status.first != 0) {  // unreadable: reset, and let the caller show the text
        m->status = {0, 0};
        HPDF_ResetError(m->doc);
        return -1;
    }
    width_px = HPDF_Image_GetWidth(img);
    height_px = HPDF_Image_GetHeight(img);
    m->images.push_back(img);
    return static_cast<int>(m->images.size()) - 1;
}

void Pdf::draw_image(int page, int image, double x, double y, double w, double h) {
    HPDF_Page_DrawImage(m->pages.at(page), m->images.at(image), static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y),
                        static_cast<HPDF_REAL>(w), static_cast<HPDF_REAL>(h));
    m->check("drawing an image");
}

int Pdf::bookmark(int parent, const std::string& title, int target, double target_y) {
    HPDF_Outline o = HPDF_CreateOutline(m->doc, parent < 0 ? nullptr : m->outlines.at(parent), title.c_str(), m->utf8);
    HPDF_Destination dst = HPDF_Page_CreateDestination(m->pages.at(target));
    HPDF_Destination_SetXYZ(dst, 0, static_cast<HPDF_REAL>(target_y), 1);
    HPDF_Outline_SetDestination(o, dst);
    HPDF_Outline_SetOpened(o, HPDF_FALSE);
    m->check("adding a bookmark");
    m->outlines.push_back(o);
    return static_cast<int>(m->outlines.size()) - 1;
}

void Pdf::set_info(const Info& info) {
    HPDF_SetInfoAttr(m->doc, HPDF_INFO_TITLE, info.title.c_str());
    HPDF_SetInfoAttr(m->doc, HPDF_INFO_AUTHOR, info.author.c_str());
    HPDF_SetInfoAttr(m->doc, HPDF_INFO_SUBJECT, info.subject.c_str());
    HPDF_SetInfoAttr(m->doc, HPDF_INFO_KEYWORDS, info.keywords.c_str());
    HPDF_SetInfoAttr(m->doc, HPDF_INFO_CREATOR, info.creator.c_str());
    if (info.date.size() == 10) {
        HPDF_Date d{};
        d.year = std::stoi(info.date.substr(0, 4));
        d.month = std::stoi(info.date.substr(5, 2));
        d.day = std::stoi(info.date.substr(8, 2));
        d.ind = 'Z';
        HPDF_SetInfoDateAttr(m->doc, HPDF_INFO_CREATION_DATE, d);
        HPDF_SetInfoDateAttr(m->doc, HPDF_INFO_MOD_DATE, d);
    }
    m->check("setting the document information");
    if (!info.lang.empty()) {  // the catalog's /Lang: the language screen readers and extractors assume
        HPDF_Dict_Add(m->doc->catalog, "Lang", HPDF_String_New(m->doc->mmgr, info.lang.c_str(), nullptr));
        m->check("setting the document language");
    }
}

std::string Pdf::save() {
    HPDF_SaveToStream(m->doc);
    m->check("writing the file");
    HPDF_ResetStream(m->doc);
    std::string out(HPDF_GetStreamSize(m->doc), '\0');
    HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
    HPDF_ReadFromStream(m->doc, reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
    out.resize(size);
    m->check("reading the file back");
    return out;
}

}  // namespace passerelle
