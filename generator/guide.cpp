#include "generator/guide.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <memory>

#include "core/catalogue.h"
#include "core/diagnostics.h"
#include "core/hash.h"
#include "core/markdown.h"
#include "core/search.h"
#include "generator/page_flow.h"
#include "generator/pdf.h"

namespace passerelle {

namespace {

const std::vector<std::string> k_langs = {"fr", "en"};

// Fixed words of the guide, in both languages.
std::string word(const std::string& key, const std::string& lang) {
    static const std::map<std::string, std::pair<std::string, std::string>> words = {
        {"contents", {"Sommaire", "Contents"}},
        {"introduction", {"Introduction", "Introduction"}},
        {"missing", {"Traduction manquante / translation missing", "Translation missing / traduction manquante"}},
        {"source", {"Source : ", "Source: "}},
        {"credit", {"Crédit : ", "Credit: "}},
        {"attached_pdf", {"PDF joint : ", "Attached PDF: "}},
        {"indicators", {"Indicateurs", "Indicators"}},
        {"indicator", {"Indicateur", "Indicator"}},
        {"value", {"Valeur", "Value"}},
        {"unit", {"Unité", "Unit"}},
        {"year", {"Année", "Year"}},
        {"partners", {"Partenaires", "Partners"}},
        {"contacts", {"Contacts", "Contacts"}},
        {"other_version", {"→ English version", "→ Version française"}},
        {"part", {"Version française", "English version"}},
        {"edition", {"Édition du ", "Edition of "}},
    };
    const auto& w = words.at(key);
    return lang == "fr" ? w.first : w.second;
}

Spans plain(const std::string& text, bool italic = false, bool bold = false) {
    Span s;
    s.text = text;
    s.italic = italic;
    s.bold = bold;
    return {s};
}

struct Section {
    std::string id;
    std::map<std::string, StoredDocument> versions;  // by language
    int phase_rank = 1000;
};

struct TocEntry {
    std::string title;
    int level = 0;
    Anchor at;
};

struct PendingLink {  // a link whose target is laid out later
    int page;
    double x, y, w, h;
    std::size_t section;
    std::string lang;
};

class GuideLayout {
  public:
    GuideLayout(const GuideDefinition& g, const GuideOptions& o, const Vocabularies& vocab, std::vector<Section> sections,
                Hyphenator& hyphenator, Pdf& pdf)
        : m_g(g), m_o(o), m_vocab(vocab), m_sections(std::move(sections)), m_pdf(pdf), m_frame(m_pdf), m_hyph(hyphenator) {}

    std::string build(GuideReport& report) {
        m_pdf.set_language("fr");
        cover();
        // The table of contents comes after the cover; its pages are reserved now and written
        // once every section's page is known.
        const std::size_t entries = 2 + m_sections.size() * (m_o.layout == "parallel" ? 1 : 2) + 2;
        const int toc_pages = static_cast<int>((entries + 33) / 34);
        m_toc_first = 1;
        m_frame.ensure(m_toc_first + toc_pages - 1);
        const Cursor start{m_toc_first + toc_pages, PageFrame::k_top};
        if (m_o.layout == "parallel") parallel(start);
        else sequential(start);
        toc();
        for (const PendingLink& l : m_pending) {
            const auto& anchors = m_anchors.at(l.lang);
            if (l.section < anchors.size()) m_pdf.link_to_page(l.page, l.x, l.y, l.w, l.h, anchors[l.section].page, anchors[l.section].y);
        }
        m_frame.finish(m_g.title.at("fr") + " / " + m_g.title.at("en"), 1);
        Pdf::Info info;
        info.title = m_g.title.at("fr") + " / " + m_g.title.at("en");
        info.author = m_g.author;
        info.subject = m_g.subtitle.count("fr") ? m_g.subtitle.at("fr") + " / " + m_g.subtitle.at("en") : info.title;
        for (const std::string& k : m_g.keywords) info.keywords += (info.keywords.empty() ? "" : ", ") + k;
        info.creator = "Passerelle";
        info.date = m_o.date;
        info.lang = "fr";
        m_pdf.set_info(info);
        report.pages = m_pdf.page_count();
        return m_pdf.save();
    }

  private:
    void cover() {
        m_frame.ensure(0);
        Flow f(m_pdf, m_frame, m_hyph, PageFrame::k_left, PageFrame::k_right - PageFrame::k_left, {0, Pdf::k_height - 200}, "fr");
        f.heading(plain(m_g.title.at("fr")), 1);
        if (m_g.subtitle.count("fr")) f.paragraph(plain(m_g.subtitle.at("fr"), true), 13, Face::italic, 0, "", 0.2, false);
        f.space(24);
        Flow e(m_pdf, m_frame, m_hyph, PageFrame::k_left, PageFrame::k_right - PageFrame::k_left, f.cursor(), "en");
        e.heading(plain(m_g.title.at("en")), 1);
        if (m_g.subtitle.count("en")) e.paragraph(plain(m_g.subtitle.at("en"), true), 13, Face::italic, 0, "", 0.2, false);
        e.space(60);
        e.paragraph(plain(m_g.author, false, true), 11, Face::bold, 0, "", 0.2, false);
        if (!m_o.date.empty()) e.paragraph(plain(word("edition", "fr") + m_o.date + " / " + word("edition", "en") + m_o.date), 10, Face::regular, 0, "", 0.3, false);
    }

    std::string title_of(const Section& s, const std::string& lang) const {
        const auto it = s.versions.find(lang);
        if (it != s.versions.end()) return it->second.title;
        return s.versions.begin()->second.title;  // the other version's title, for a missing one
    }

    // One section in one language, in `f`.
    void section(Flow& f, std::size_t index, const std::string& lang, int level, bool link_other) {
        const Section& s = m_sections[index];
        const auto it = s.versions.find(lang);
        Spans title = plain(title_of(s, lang));
        if (it == s.versions.end()) title[0].italic = true;
        const Anchor a = f.heading(title, level);
        m_anchors[lang].push_back(a);
        if (it == s.versions.end()) {
            f.paragraph(plain(word("missing", lang), true), 10.5, Face::italic, 0, "", 0.35, false);
            return;
        }
        const StoredDocument& d = it->second;
        const nlohmann::json meta = nlohmann::json::parse(d.metadata, nullptr, false);
        std::string line;
        if (const Term* k = m_vocab.kinds.find(d.kind)) line = k->label(lang);
        if (d.year) line += " · " + std::to_string(d.year);
        if (const Term* p = m_vocab.phases.find(d.phase)) line += " · " + p->label(lang);
        f.paragraph(plain(line), 8.5, Face::regular, 0, "", 0.4, false);
        if (link_other) {  // the link to the other language's version of this section
            const Cursor c = f.cursor();
            const std::string label = word("other_version", lang);
            f.paragraph(plain(label), 8.5, Face::italic, 0, "", 0.15, false);
            m_pending.push_back({c.page, f.x(), c.y - 11, m_pdf.width(Face::italic, 8.5, label), 12, index, lang == "fr" ? "en" : "fr"});
        }
        const auto shown = [&](const char* part) { return std::find(m_g.parts.begin(), m_g.parts.end(), part) != m_g.parts.end(); };
        if (shown("summary") && !d.summary.empty()) f.paragraph(plain(d.summary, true), 10.5, Face::italic, 0, "", 0.15);
        if (shown("steps")) f.blocks(markdown_blocks(d.body), level, m_o.images);
        if (shown("steps")) attachments(f, meta, d, lang);
        if (shown("indicators") && !d.indicators.empty()) {
            f.heading(plain(word("indicators", lang)), std::min(4, level + 1));
            std::vector<std::vector<Spans>> rows = {{plain(word("indicator", lang)), plain(word("value", lang)), plain(word("unit", lang)),
                                                     plain(word("year", lang))}};
            for (const Indicator& i : d.indicators) {
                char value[32];
                std::snprintf(value, sizeof value, "%g", i.value);
                rows.push_back({plain(i.name), plain(value), plain(i.unit), plain(i.year ? std::to_string(i.year) : "")});
            }
            f.table(rows, true);
        }
        if (shown("partners") && meta.is_object() && meta.contains("partners") && !meta["partners"].empty()) {
            f.heading(plain(word("partners", lang)), std::min(4, level + 1));
            for (const auto& p : meta["partners"]) {
                std::string text = p.is_object() ? p.value("name", "") : p.is_string() ? p.get<std::string>() : "";
                if (p.is_object() && !p.value("role", "").empty()) text += " (" + p.value("role", "") + ")";
                f.paragraph(plain(text), 10, Face::regular, 16, "•");
            }
        }
        if (shown("contacts") && meta.is_object() && meta.contains("publisher") && meta["publisher"].is_string() &&
            !meta["publisher"].get<std::string>().empty()) {
            f.heading(plain(word("contacts", lang)), std::min(4, level + 1));
            f.paragraph(plain(meta["publisher"].get<std::string>()));
        }
        // The way back to the source document on the site (its id alone without a public address).
        const std::string path = "/" + lang + "/documents/" + d.id + "?lang=" + d.lang;
        f.paragraph(with_link(word("source", lang), m_o.base_url.empty() ? "" : m_o.base_url + path, d.id + " (" + d.lang + ")"), 8.5,
                    Face::regular, 0, "", 0.3, false);
    }

    // `lead`, then `url` as a link, or `otherwise` as plain text when there is no address.
    static Spans with_link(const std::string& lead, const std::string& url, const std::string& otherwise) {
        if (url.empty()) return plain(lead + otherwise);
        Spans out = plain(lead);
        Span link;
        link.text = url;
        link.link = url;
        out.push_back(link);
        return out;
    }

    // A section's photos (from the index's file store, with their credit), then a link to
    // each of its PDFs on the server.
    void attachments(Flow& f, const nlohmann::json& meta, const StoredDocument& d, const std::string& lang) {
        if (!meta.is_object() || !meta.contains("attachments") || !meta["attachments"].is_array()) return;
        for (const auto& a : meta["attachments"]) {
            const std::string type = a.value("type", ""), hash = a.value("hash", ""), file = a.value("file", "");
            if (type.rfind("image/", 0) != 0 || !is_content_hash(hash)) continue;
            const std::string alt = a.value("alt", ""), credit = a.value("credit", "");
            f.image((m_o.db / "files" / hash).string(), alt, alt + (credit.empty() ? "" : " — " + word("credit", lang) + credit), type);
        }
        for (const auto& a : meta["attachments"]) {
            if (a.value("type", "") != "application/pdf") continue;
            const std::string file = a.value("file", "");
            const std::string path = "/" + lang + "/documents/" + d.id + "/files/" + file + "?lang=" + d.lang;
            f.paragraph(with_link(word("attached_pdf", lang) + a.value("title", file) + " — ", m_o.base_url.empty() ? "" : m_o.base_url + path, file),
                        8.5, Face::regular, 0, "", 0.3, false);
        }
    }

    void introduction(Flow& f, const std::string& lang, int level) {
        const Anchor a = f.heading(plain(word("introduction", lang)), level);
        if (lang == "fr") m_toc.push_back({word("introduction", "fr") + " / " + word("introduction", "en"), 0, a});
        if (lang == "fr") m_intro = a;
        f.blocks(markdown_blocks(m_g.introduction.at(lang)), level, m_o.images);
    }

    void parallel(Cursor start) {
        const double gutter = 18, w = (PageFrame::k_right - PageFrame::k_left - gutter) / 2;
        Flow fr(m_pdf, m_frame, m_hyph, PageFrame::k_left, w, start, "fr");
        Flow en(m_pdf, m_frame, m_hyph, PageFrame::k_left + w + gutter, w, start, "en");
        introduction(fr, "fr", 2);
        introduction(en, "en", 2);
        const int intro_mark = m_pdf.bookmark(-1, word("introduction", "fr") + " / " + word("introduction", "en"), m_intro.page, m_intro.y);
        (void)intro_mark;
        for (std::size_t i = 0; i < m_sections.size(); ++i) {
            // Both sides start level: at the lower of the two, with room for the heading.
            Cursor c = std::max(fr.cursor(), en.cursor());
            if (c.y - 17 * 2.5 - 3 * 14.5 < PageFrame::k_bottom) c = {c.page + 1, PageFrame::k_top};
            else c.y -= 10;
            fr.move_to(c);
            en.move_to(c);
            m_frame.ensure(c.page);
            section(fr, i, "fr", 2, false);
            section(en, i, "en", 2, false);
            const Anchor& a = m_anchors["fr"].back();
            const std::string title = title_of(m_sections[i], "fr") + " / " + title_of(m_sections[i], "en");
            m_toc.push_back({title, 0, a});
            m_pdf.bookmark(-1, title, a.page, a.y);
        }
    }

    // One column of some 65 characters (55 to 75 is comfortable reading), centred.
    static constexpr double k_measure = 350;

    void sequential(Cursor start) {
        const double x = (Pdf::k_width - k_measure) / 2;
        Cursor c = start;
        for (const std::string& lang : k_langs) {
            Flow f(m_pdf, m_frame, m_hyph, x, k_measure, c, lang);
            const Anchor part = f.heading(plain(word("part", lang)), 1);
            m_toc.push_back({word("part", lang), 0, part});
            const int mark = m_pdf.bookmark(-1, word("part", lang), part.page, part.y);
            introduction(f, lang, 2);
            if (lang == "en") m_toc.back().level = 1;
            for (std::size_t i = 0; i < m_sections.size(); ++i) {
                section(f, i, lang, 2, true);
                const Anchor& a = m_anchors[lang].back();
                m_toc.push_back({title_of(m_sections[i], lang), 1, a});
                m_pdf.bookmark(mark, title_of(m_sections[i], lang), a.page, a.y);
            }
            f.new_page();
            c = f.cursor();
        }
    }

    void toc() {
        const double left = PageFrame::k_left, right = PageFrame::k_right, size = 10, lead = 19;
        int page = m_toc_first;
        double y = PageFrame::k_top - 10;
        m_pdf.text(page, Face::bold, 17, left, y - 17, word("contents", "fr") + " / " + word("contents", "en"));
        y -= 50;
        for (const TocEntry& e : m_toc) {
            if (y - lead < PageFrame::k_bottom) {
                ++page;
                m_frame.ensure(page);
                y = PageFrame::k_top;
            }
            const double indent = left + 14.0 * e.level;
            const std::string number = std::to_string(e.at.page + 1);
            const double nw = m_pdf.width(Face::regular, size, number);
            std::string title = e.title;
            const Face face = e.level == 0 ? Face::bold : Face::regular;
            if (m_pdf.width(face, size, title) > right - indent - nw - 24) {  // too long: cut, with an ellipsis
                while (title.size() > 1 && m_pdf.width(face, size, title + "…") > right - indent - nw - 24) {
                    title.pop_back();
                    while (!title.empty() && (static_cast<unsigned char>(title.back()) & 0xC0) == 0x80) title.pop_back();
                    if (!title.empty() && (static_cast<unsigned char>(title.back()) & 0xC0) == 0xC0) title.pop_back();
                }
                title += "…";
            }
            m_pdf.text(page, face, size, indent, y - size, title);
            m_pdf.text(page, Face::regular, size, right - nw, y - size, number);
            const double tw = m_pdf.width(face, size, title);
            for (double x = indent + tw + 6; x < right - nw - 6; x += 5) m_pdf.text(page, Face::regular, size, x, y - size, ".", 0.6);
            m_pdf.link_to_page(page, indent, y - size - 3, right - indent, size + 6, e.at.page, e.at.y);
            y -= lead;
        }
    }

    const GuideDefinition& m_g;
    const GuideOptions& m_o;
    const Vocabularies& m_vocab;
    std::vector<Section> m_sections;
    Pdf& m_pdf;
    PageFrame m_frame;
    Hyphenator& m_hyph;
    int m_toc_first = 1;
    std::vector<TocEntry> m_toc;
    std::map<std::string, std::vector<Anchor>> m_anchors;
    std::vector<PendingLink> m_pending;
    Anchor m_intro;
};

}  // namespace

bool is_guide_date(const std::string& d) {
    if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (d[i] < '0' || d[i] > '9') return false;
    return true;
}

namespace {
GuideResult build(const GuideDefinition& g, const GuideOptions& o, Searcher& searcher, Hyphenator& hyphenator, Pdf& pdf);

SearchRequest selection_request(const GuideDefinition& g, const std::string& role) {
    SearchRequest r;
    r.query = g.query;
    r.themes = g.themes;
    r.kinds = g.kinds;
    r.countries = g.countries;
    r.projects = g.projects;
    r.phases = g.phases;
    r.year_from = g.year_from;
    r.year_to = g.year_to;
    r.role = role;
    r.limit = 1000;
    r.sort = SearchRequest::Sort::date;
    r.match_all = true;   // a guide selects: every word of its query, not most of them
    r.correct = false;    // nor another word than the definition says
    return r;
}
}  // namespace

std::vector<std::string> guide_document_ids(const GuideDefinition& guide, const std::string& role, Searcher& searcher) {
    SearchRequest r = selection_request(guide, role);
    r.langs = {"fr", "en"};
    std::vector<std::string> ids;
    for (const SearchHit& h : searcher.search(r).hits)
        if (std::find(ids.begin(), ids.end(), h.id) == ids.end()) ids.push_back(h.id);
    return ids;
}

// The hyphenation patterns and the fonts are read on other threads while the index is opened
// and searched.
GuideResult build_guide(const GuideDefinition& g, const GuideOptions& o, Searcher* open) {
    Hyphenator hyphenator;
    hyphenator.preload(k_langs);
    Pdf pdf;
    std::unique_ptr<Searcher> own;
    if (!open) own = std::make_unique<Searcher>(o.db);
    return build(g, o, open ? *open : *own, hyphenator, pdf);
}

GuideResult build_guide_file(const std::filesystem::path& definition, const GuideOptions& o, std::string* name) {
    Hyphenator hyphenator;
    hyphenator.preload(k_langs);
    Pdf pdf;
    Searcher searcher(o.db);
    const GuideDefinition g = load_guide_definition(definition, searcher.vocabularies());
    if (name) *name = g.name;
    return build(g, o, searcher, hyphenator, pdf);
}

namespace {

GuideResult build(const GuideDefinition& g, const GuideOptions& o, Searcher& searcher, Hyphenator& hyphenator, Pdf& pdf) {
    if (o.layout != "parallel" && o.layout != "sequential")
        throw Error("--layout: '" + o.layout + "' is not a layout (expected parallel or sequential)");
    if (!o.date.empty() && !is_guide_date(o.date)) throw Error("--date: '" + o.date + "' is not a date (YYYY-MM-DD)");
    const auto levels = searcher.visible_levels(o.role);  // throws for an unknown role
    const SearchResult found = searcher.search(selection_request(g, o.role));
    Catalogue catalogue(o.db / "catalogue.sqlite", Catalogue::Mode::read_only);
    const Vocabularies& vocab = searcher.vocabularies();
    std::vector<Section> sections;
    std::map<std::string, bool> seen;
    for (const SearchHit& h : found.hits) {
        if (seen[h.id]) continue;
        seen[h.id] = true;
        Section s;
        s.id = h.id;
        for (const StoredDocument& v : catalogue.versions(h.id, searcher.generation(), levels))
            if (v.lang == "fr" || v.lang == "en")  // the whole version: body and indicators
                if (auto d = catalogue.document(h.id, v.lang, searcher.generation(), levels)) s.versions[v.lang] = std::move(*d);
        if (s.versions.empty()) continue;
        const StoredDocument& any = s.versions.begin()->second;
        const auto& phases = vocab.phases.terms();
        for (std::size_t i = 0; i < phases.size(); ++i)
            if (phases[i].id == any.phase) s.phase_rank = static_cast<int>(i);
        sections.push_back(std::move(s));
    }
    const auto date_of = [](const Section& s) { return s.versions.begin()->second.date; };
    const auto title_of = [](const Section& s) {
        const auto fr = s.versions.find("fr");
        return fr != s.versions.end() ? fr->second.title : s.versions.begin()->second.title;
    };
    std::stable_sort(sections.begin(), sections.end(), [&](const Section& a, const Section& b) {
        if (g.order == "phase" && a.phase_rank != b.phase_rank) return a.phase_rank < b.phase_rank;
        if (g.order != "title" && date_of(a) != date_of(b)) return date_of(a) < date_of(b);
        if (title_of(a) != title_of(b)) return title_of(a) < title_of(b);
        return a.id < b.id;
    });

    GuideResult result;
    for (const Section& s : sections) {
        for (const std::string& lang : k_langs)
            if (!s.versions.count(lang))
                result.report.missing.push_back(s.id + ": " + (lang == "fr" ? "French" : "English") + " version missing");
        if (s.versions.size() == 2) {
            const StoredDocument& fr = s.versions.at("fr");
            const StoredDocument& en = s.versions.at("en");
            if (!fr.date.empty() && !en.date.empty() && fr.date != en.date) {
                const bool en_older = en.date < fr.date;
                result.report.outdated.push_back(s.id + ": " + (en_older ? "English" : "French") + " version (" +
                                                 (en_older ? en.date : fr.date) + ") older than the " + (en_older ? "French" : "English") +
                                                 " one (" + (en_older ? fr.date : en.date) + ")");
            }
        }
    }
    result.report.sections = sections.size();
    for (const Section& s : sections) result.report.documents.push_back(s.id);
    if (o.strict && (!result.report.missing.empty() || !result.report.outdated.empty())) {
        std::string message = "guide '" + g.name + "': translations to fix (--strict):";
        for (const auto& m : result.report.missing) message += "\n  " + m;
        for (const auto& m : result.report.outdated) message += "\n  " + m;
        throw Error(message);
    }
    GuideLayout layout(g, o, vocab, std::move(sections), hyphenator, pdf);
    result.pdf = layout.build(result.report);
    return result;
}

}  // namespace

}  // namespace passerelle
