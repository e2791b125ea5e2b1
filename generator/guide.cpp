#include "generator/guide.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "core/catalogue.h"
#include "core/diagnostics.h"
#include "core/hash.h"
#include "core/locale_format.h"
#include "core/markdown.h"
#include "core/search.h"
#include "core/world_map.h"
#include "generator/page_flow.h"
#include "generator/pdf.h"
#include "generator/theme.h"

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
        {"sources", {"Sources", "Sources"}},
        {"no_date", {"s. d.", "n.d."}},
        {"funders", {"Financement : ", "Funding: "}},
        {"credit", {"Crédit : ", "Credit: "}},
        {"attached_pdf", {"PDF joint : ", "Attached PDF: "}},
        {"indicators", {"Indicateurs", "Indicators"}},
        {"indicator", {"Indicateur", "Indicator"}},
        {"value", {"Valeur", "Value"}},
        {"unit", {"Unité", "Unit"}},
        {"year", {"Année", "Year"}},
        {"target", {"Cible", "Target"}},
        {"achieved", {"Atteint", "Achieved"}},
        {"same_indicators", {"Les mêmes que pour ", "The same as for "}},
        {"partners", {"Partenaires", "Partners"}},
        {"contacts", {"Contacts", "Contacts"}},
        {"other_version", {"→ English version", "→ Version française"}},
        {"part", {"Version française", "English version"}},
        {"edition", {"Édition du ", "Edition of "}},
        {"restricted", {"Diffusion restreinte", "Restricted distribution"}},
        {"colophon", {"Colophon", "Colophon"}},
        {"key_messages", {"Messages clés", "Key messages"}},
        {"avoid", {"Ce qu’il faut éviter", "What to avoid"}},
        {"checklist", {"Liste de contrôle pour reproduire", "Replication checklist"}},
        {"glossary", {"Sigles", "Acronyms"}},
        {"acronym", {"Sigle", "Acronym"}},
        {"map", {"Carte", "Map"}},
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

// An entry of the contents, which the bookmarks follow too: a title (in the parallel layout,
// its English beside it) at a level (0: top), and where it landed.
struct TocEntry {
    std::string title, beside;
    int level = 0;
    Anchor at;
    std::string lang = "fr";  // the title's
};

struct PendingLink {  // a link whose target is laid out later
    int page;
    double x, y, w, h;
    std::size_t section;
    std::string lang;
};

class GuideLayout {
  public:
    GuideLayout(const GuideDefinition& g, const GuideOptions& o, const Vocabularies& vocab, const std::vector<Section>& sections,
                Hyphenator& hyphenator, Pdf& pdf, const GuideTheme& theme)
        : m_g(g), m_o(o), m_vocab(vocab), m_sections(sections), m_pdf(pdf), m_frame(m_pdf), m_hyph(hyphenator),
          m_theme(theme) {
        for (const Section& s : m_sections)
            for (const auto& [lang, d] : s.versions) m_restricted |= d.visibility != "public";
        const bool avoid = std::find(g.outline.begin(), g.outline.end(), "avoid") != g.outline.end();
        for (std::size_t i = 0; i < m_sections.size(); ++i)
            (avoid && m_sections[i].versions.begin()->second.kind == "lesson" ? m_lessons : m_main).push_back(i);
    }

    std::string build(GuideReport& report) {
        m_pdf.set_language("fr");
        cover();
        // The sections from the second page on; then the contents' pages are inserted before
        // them, as many as they take (their lines do not depend on the numbers they give), and
        // every place kept so far moves that many pages on.
        const Cursor start{1, PageFrame::k_top};
        if (m_o.layout == "parallel") parallel(start);
        else sequential(start);
        const int contents = toc(false);
        m_pdf.insert_pages(m_toc_first, contents);
        const auto shift = [&](int& page) {
            if (page >= m_toc_first) page += contents;
        };
        for (TocEntry& e : m_toc) shift(e.at.page);
        for (auto& [lang, anchors] : m_anchors)
            for (Anchor& a : anchors) shift(a.page);
        for (auto& [index, a] : m_source_anchors) shift(a.page);
        for (PendingLink& l : m_pending) shift(l.page);
        toc(true);
        outline();
        for (const PendingLink& l : m_pending) {
            if (l.lang == "sources") {
                const auto at = m_source_anchors.find(l.section);
                if (at != m_source_anchors.end()) m_pdf.link_to_page(l.page, l.x, l.y, l.w, l.h, at->second.page, at->second.y);
                continue;
            }
            const auto& anchors = m_anchors.at(l.lang);
            if (l.section < anchors.size()) m_pdf.link_to_page(l.page, l.x, l.y, l.w, l.h, anchors[l.section].page, anchors[l.section].y);
        }
        m_frame.finish(typographic(m_g.title.at("fr"), "fr") + " / " + typographic(m_g.title.at("en"), "en"), 1,
                       m_restricted ? word("restricted", "fr") + " / " + word("restricted", "en") : "");
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
    // Lines of `text` set in `width` from (x, y) down, in a colour; returns the y below them.
    double cover_text(const std::string& text, double x, double y, double width, double size, Face face, const Rgb& colour,
                      const std::string& lang) {
        LineOptions unbroken;
        unbroken.hyphenate = false;
        unbroken.justify = false;
        const auto measure = [&](Face f, const std::string& t) { return m_pdf.width(f, size, t); };
        for (const Line& l : text_lines(plain(text), width, face, lang, measure, m_hyph, unbroken)) {
            double cx = x;
            for (const Word& w : l.words) {
                for (const Piece& p : w.pieces) {
                    m_pdf.text(0, p.face, size, cx, y - size, p.text, colour, lang);
                    cx += p.width;
                }
                cx += m_pdf.width(face, size, " ");
            }
            y -= size * 1.25;
        }
        return y;
    }

    // The cover: a band in the theme's colour with the French title and subtitle, the English
    // ones under it, then the publisher, the edition's date as each language writes it, and the
    // theme's logo.
    void cover() {
        m_frame.ensure(0);
        const double left = PageFrame::k_left, width = PageFrame::k_right - PageFrame::k_left, band = 360;
        const Rgb white{1, 1, 1}, ink{0.1, 0.1, 0.1}, muted{0.35, 0.35, 0.35};
        m_pdf.box(0, 0, Pdf::k_height - band, Pdf::k_width, band, m_theme.primary);
        m_pdf.box(0, left, Pdf::k_height - band + 36, 60, 4, m_theme.accent);
        double y = cover_text(m_g.author, left, Pdf::k_height - 70, width, 11, Face::bold, white, "fr");
        y = cover_text(m_g.title.at("fr"), left, y - 40, width, 26, Face::bold, white, "fr");
        if (m_g.subtitle.count("fr")) cover_text(m_g.subtitle.at("fr"), left, y - 10, width, 13, Face::italic, white, "fr");
        y = cover_text(m_g.title.at("en"), left, Pdf::k_height - band - 40, width, 20, Face::bold, m_theme.primary, "en");
        if (m_g.subtitle.count("en")) y = cover_text(m_g.subtitle.at("en"), left, y - 8, width, 12, Face::italic, muted, "en");
        double bottom = 150;
        if (!m_o.date.empty()) {
            cover_text(word("edition", "fr") + format_date(m_o.date, "fr"), left, bottom, width, 10.5, Face::regular, ink, "fr");
            cover_text(word("edition", "en") + format_date(m_o.date, "en"), left, bottom - 15, width, 10.5, Face::regular, muted, "en");
        }
        m_pdf.line(0, left, bottom + 14, PageFrame::k_right, bottom + 14, 0.6, 0.6);
        if (!m_theme.logo.empty()) {
            double wpx = 0, hpx = 0;
            const int logo = m_pdf.load_image(m_theme.logo, wpx, hpx);
            if (logo >= 0 && wpx > 0 && hpx > 0) {
                const double h = 48, w = std::min(160.0, h * wpx / hpx);
                m_pdf.draw_image(0, logo, PageFrame::k_right - w, bottom - 40, w, w * hpx / wpx);
            }
        }
    }

    // The colophon: publisher, edition, licence and how to cite the guide, in both languages.
    void colophon(Flow& f, int level) {
        const Anchor a = f.heading(plain(word("colophon", "fr")), level);
        m_toc.push_back({word("colophon", "fr"), m_o.layout == "parallel" ? word("colophon", "en") : "", 0, a});
        const std::string year = m_o.date.size() >= 4 ? m_o.date.substr(0, 4) : "";
        const std::string address = m_o.base_url.empty() ? "" : m_o.base_url + "/guides/" + m_g.name + ".pdf";
        for (const std::string& lang : k_langs) {
            const bool fr = lang == "fr";
            std::string text = (fr ? "Publié par " : "Published by ") + m_g.author + ".";
            if (!m_o.date.empty()) text += (fr ? " Édition du " : " Edition of ") + format_date(m_o.date, lang) + ".";
            text += fr ? " Licence : " : " Licence: ";
            if (!m_o.licence_name.empty()) text += m_o.licence_name + (m_o.licence_url.empty() ? "" : " (" + m_o.licence_url + ")") + ".";
            else text += fr ? "aucune n’est déclarée ; pour réutiliser ce guide, s’adresser à l’éditeur (" + m_g.author + ")."
                            : "none is declared; to reuse this guide, ask the publisher (" + m_g.author + ").";
            Spans p = plain(text);
            p[0].lang = lang;
            f.paragraph(p, 9.5, Face::regular, 0, "", 0.15, false);
            Spans cite = plain((fr ? "Pour citer ce guide : " : "To cite this guide: ") + m_g.author + " (" +
                               (year.empty() ? word("no_date", lang) : year) + "). " + m_g.title.at(lang) + ". " +
                               (fr ? "Guide pratique bilingue." : "Bilingual practice guide.") + (address.empty() ? "" : " "));
            cite[0].lang = lang;
            if (!address.empty()) {
                Span link;
                link.text = link.link = address;
                cite.push_back(link);
            }
            f.paragraph(cite, 9.5, Face::regular, 0, "", 0.15, false);
            if (m_restricted) {
                Spans mark = plain(fr ? "Diffusion restreinte : ce guide contient des documents qui ne sont pas publics ; il ne doit pas "
                                        "être diffusé au-delà de leurs destinataires."
                                      : "Restricted distribution: this guide contains documents that are not public; it must not be "
                                        "passed on beyond those they are meant for.", false, true);
                mark[0].lang = lang;
                f.paragraph(mark, 9.5, Face::bold, 0, "", 0.1, false);
            }
            f.space(4);
        }
        Spans made = plain("Composé par Passerelle à partir des notes de capitalisation de l’archive. ", true);
        made.push_back(plain("Set by Passerelle from the archive’s capitalisation notes.", true)[0]);
        made.back().lang = "en";
        f.paragraph(made, 8.5, Face::italic, 0, "", 0.35, false);
    }

    std::string title_of(const Section& s, const std::string& lang) const {
        const auto it = s.versions.find(lang);
        if (it != s.versions.end()) return it->second.title;
        return s.versions.begin()->second.title;  // the other version's title, for a missing one
    }

    bool shown(const char* part) const { return std::find(m_g.parts.begin(), m_g.parts.end(), part) != m_g.parts.end(); }

    // The start of a section in one language, in `f`: its heading, kept with its meta line and
    // the first lines of what follows, and its summary. Its document, or null when this
    // language's version is missing.
    const StoredDocument* section_head(Flow& f, std::size_t index, const std::string& lang, int level, bool link_other) {
        m_current = index;
        const Section& s = m_sections[index];
        const auto it = s.versions.find(lang);
        Spans title = plain(title_of(s, lang));
        if (it == s.versions.end()) title[0].italic = true;
        const Anchor a = f.heading(title, level, 2 * 8.5 * 1.93 + 2 * 10.5 * 1.38);
        m_anchors[lang].push_back(a);
        if (it == s.versions.end()) {
            f.paragraph(plain(word("missing", lang), true), 10.5, Face::italic, 0, "", 0.35, false);
            return nullptr;
        }
        const StoredDocument& d = it->second;
        std::string line;
        const Term* kind = m_vocab.kinds.find(d.kind);
        if (kind) line = kind->label(lang);
        if (d.year) line += " · " + std::to_string(d.year);
        const Term* phase = m_vocab.phases.find(d.phase);
        if (phase && (!kind || phase->label(lang) != kind->label(lang))) line += " · " + phase->label(lang);  // not "Évaluation · 2022 · Évaluation"
        // Where: its countries, and its places after them.
        const nlohmann::json meta = nlohmann::json::parse(d.metadata, nullptr, false);
        const auto names = [&](const char* key) {
            std::vector<std::string> out;
            if (meta.is_object() && meta.contains(key) && meta[key].is_array())
                for (const auto& v : meta[key])
                    if (v.is_string()) out.push_back(v.get<std::string>());
            return out;
        };
        std::string where;
        for (const std::string& code : names("countries")) {
            const Term* c = m_vocab.countries.find(code);
            where += (where.empty() ? "" : ", ") + (c ? c->label(lang) : code);
        }
        std::string places;
        for (const std::string& p : names("places")) places += (places.empty() ? "" : ", ") + p;
        if (!places.empty()) where += where.empty() ? places : " (" + places + ")";
        if (!where.empty()) line += " · " + where;
        f.paragraph(plain(line), 8.5, Face::regular, 0, "", 0.4, false);
        if (link_other) {  // the link to the other language's version of this section
            const Cursor c = f.cursor();
            const std::string label = word("other_version", lang);
            f.paragraph(plain(label), 8.5, Face::italic, 0, "", 0.15, false);
            m_pending.push_back({c.page, f.x(), c.y - 11, m_pdf.width(Face::italic, 8.5, label), 12, index, lang == "fr" ? "en" : "fr"});
        }
        std::string funders;
        for (const std::string& n : names("funders")) funders += (funders.empty() ? "" : ", ") + n;
        if (!funders.empty()) f.paragraph(plain(word("funders", lang) + funders), 8.5, Face::regular, 0, "", 0.4, false);
        if (shown("summary") && !d.summary.empty()) f.paragraph(plain(d.summary, true), 10.5, Face::italic, 0, "", 0.15);
        return &d;
    }

    // The body of a section's version, in parts that each start at a heading (the first: what
    // comes before any), so that the parallel columns can meet again at every heading.
    static std::vector<std::vector<Block>> body_parts(const StoredDocument* d) {
        std::vector<std::vector<Block>> parts(1);
        if (!d) return parts;
        for (Block& b : markdown_blocks(d->body)) {
            if (b.type == Block::Type::heading) parts.emplace_back();
            parts.back().push_back(std::move(b));
        }
        return parts;
    }

    // The end of a section's version: attachments, indicators, partners, contacts, source.
    // `photos`: whether its photos go in its column (the parallel layout draws them once,
    // across both columns: parallel_photos).
    void section_tail(Flow& f, const StoredDocument& d, const std::string& lang, int level, bool photos = true) {
        const nlohmann::json meta = nlohmann::json::parse(d.metadata, nullptr, false);
        if (shown("steps")) attachments(f, meta, d, lang, photos);
        if (shown("indicators") && !d.indicators.empty()) indicators(f, d, lang, level);
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
        // The section's number in the sources at the end, which give its address.
        const Cursor c = f.cursor();
        const std::string label = word("source", lang) + "[" + std::to_string(source_number(m_current)) + "]";
        f.paragraph(plain(label), 8.5, Face::regular, 0, "", 0.3, false);
        m_pending.push_back({c.page, f.x(), c.y - 11, m_pdf.width(Face::regular, 8.5, typographic(label, lang)) + 4, 12, m_current, "sources"});
    }

    // The sections in the order a reader meets them: the documents part's and the lessons', as the outline places them.
    std::vector<std::size_t> reading_order() const {
        std::vector<std::size_t> out;
        for (const std::string& part : m_g.outline) {
            if (part == "documents") out.insert(out.end(), m_main.begin(), m_main.end());
            if (part == "avoid") out.insert(out.end(), m_lessons.begin(), m_lessons.end());
        }
        return out;
    }
    int source_number(std::size_t section) const {
        const auto order = reading_order();
        return static_cast<int>(std::find(order.begin(), order.end(), section) - order.begin()) + 1;
    }

    // The sources: each section's document, numbered, with its authors, year and kind, and its
    // stable public address on the site (from base_url; without one, its id, never a
    // loopback address).
    void sources(Flow& f, int level) {
        const Anchor a = f.heading(plain(word("sources", "fr")), level);  // the same word in both languages
        m_toc.push_back({word("sources", "fr"), m_o.layout == "parallel" ? word("sources", "en") : "", 0, a});
        for (const std::size_t i : reading_order()) {
            const Section& s = m_sections[i];
            const StoredDocument& any = s.versions.count("fr") ? s.versions.at("fr") : s.versions.begin()->second;
            const nlohmann::json meta = nlohmann::json::parse(any.metadata, nullptr, false);
            std::string who = m_g.author;
            if (meta.is_object() && meta.contains("publisher") && meta["publisher"].is_string() && !meta["publisher"].get<std::string>().empty())
                who = meta["publisher"].get<std::string>();
            const std::string fr = title_of(s, "fr"), en = title_of(s, "en");
            Spans entry = plain("[" + std::to_string(source_number(i)) + "] " + fr + (en != fr ? " / " : ""));
            if (en != fr) {  // the English title, as English
                entry.push_back(plain(en)[0]);
                entry.back().lang = "en";
            }
            std::string text = ". " + who + ", " + (any.year ? std::to_string(any.year) + "." : word("no_date", "fr"));  // "s. d." ends with its own point
            if (const Term* k = m_vocab.kinds.find(any.kind)) text += " " + k->label("fr") + ".";
            entry.push_back(plain(text + " ")[0]);
            if (m_o.base_url.empty()) {
                entry.back().text += "Id. " + s.id + ".";
            } else {
                Span link;
                link.text = link.link = m_o.base_url + "/fr/documents/" + s.id;
                entry.push_back(link);
            }
            m_source_anchors[i] = {f.cursor().page, f.cursor().y + 2};
            f.paragraph(entry, 9, Face::regular, 18, "", 0.1, false);
        }
    }

    // A section's indicators: a bar chart of each (what was achieved, year by year, against its
    // target), then the table of them all, whose numbers are right-aligned and written as the
    // language writes them. Indicators a section shares with an earlier one are not printed
    // twice: the section says where they are.
    void indicators(Flow& f, const StoredDocument& stored, const std::string& lang, int level) {
        // The catalogue keeps no targets; the document's metadata does, indicator by indicator.
        StoredDocument d = stored;
        const nlohmann::json meta = nlohmann::json::parse(d.metadata, nullptr, false);
        if (meta.is_object() && meta.contains("indicators") && meta["indicators"].is_array())
            for (std::size_t k = 0; k < d.indicators.size() && k < meta["indicators"].size(); ++k)
                if (const auto& m = meta["indicators"][k]; m.is_object() && m.contains("target") && m["target"].is_number())
                    d.indicators[k].target = m["target"].get<double>();
        std::string key;
        for (const Indicator& i : d.indicators)
            key += i.name + '\t' + std::to_string(i.value) + '\t' + i.unit + '\t' + std::to_string(i.year) + '\t' +
                   (i.target ? std::to_string(*i.target) : "") + '\n';
        const Anchor heading = f.heading(plain(word("indicators", lang)), std::min(4, level + 1));
        const auto seen = m_indicator_tables.find(lang + '\n' + key);
        if (seen != m_indicator_tables.end()) {
            f.paragraph(plain(word("same_indicators", lang) + "\"" + seen->second.first + "\" [" + std::to_string(seen->second.second) + "]."),
                        10, Face::italic, 0, "", 0.3, false);
            return;
        }
        m_indicator_tables[lang + '\n' + key] = {title_of(m_sections[m_current], lang), source_number(m_current)};
        (void)heading;
        // Charts: one group of bars per indicator, its target first.
        std::vector<std::string> names;
        for (const Indicator& i : d.indicators)
            if (std::find(names.begin(), names.end(), i.name) == names.end()) names.push_back(i.name);
        for (const std::string& name : names) {
            std::vector<Flow::Bar> bars;
            std::string unit;
            for (const Indicator& i : d.indicators) {
                if (i.name != name) continue;
                unit = i.unit;
                if (i.target && bars.empty()) bars.push_back({word("target", lang), *i.target, true, quantity(*i.target, i.unit, lang)});
                bars.push_back({i.year ? std::to_string(i.year) : word("achieved", lang), i.value, false, quantity(i.value, i.unit, lang)});
            }
            f.bars(name, bars);
        }
        bool targets = false, years = false;  // columns only for what some indicator has
        for (const Indicator& i : d.indicators) targets |= i.target.has_value(), years |= i.year != 0;
        std::vector<std::vector<Spans>> rows = {{plain(word("indicator", lang))}};
        if (years) rows[0].push_back(plain(word("year", lang)));
        rows[0].push_back(plain(word("value", lang)));
        if (targets) rows[0].push_back(plain(word("target", lang)));
        rows[0].push_back(plain(word("unit", lang)));
        for (const Indicator& i : d.indicators) {
            rows.push_back({plain(i.name)});
            if (years) rows.back().push_back(plain(i.year ? std::to_string(i.year) : ""));
            rows.back().push_back(plain(format_number(i.value, lang, 2)));
            if (targets) rows.back().push_back(plain(i.target ? format_number(*i.target, lang, 2) : ""));
            rows.back().push_back(plain(unit_for(std::max(i.value, i.target.value_or(0)), i.unit, lang)));
        }
        f.table(rows, true);
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
    void attachments(Flow& f, const nlohmann::json& meta, const StoredDocument& d, const std::string& lang, bool photos) {
        if (!meta.is_object() || !meta.contains("attachments") || !meta["attachments"].is_array()) return;
        for (const auto& a : meta["attachments"]) {
            if (!photos) break;
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

    // A section's photos across both columns, once, captioned in both languages.
    void parallel_photos(Flow& fr, Flow& en, const StoredDocument* dfr, const StoredDocument* den) {
        const StoredDocument* d = dfr ? dfr : den;
        if (!d || !shown("steps")) return;
        const nlohmann::json meta = nlohmann::json::parse(d->metadata, nullptr, false);
        const nlohmann::json other = dfr && den ? nlohmann::json::parse(den->metadata, nullptr, false) : nlohmann::json();
        if (!meta.is_object() || !meta.contains("attachments") || !meta["attachments"].is_array()) return;
        std::vector<nlohmann::json> photos;
        for (const auto& a : meta["attachments"])
            if (a.value("type", "").rfind("image/", 0) == 0 && is_content_hash(a.value("hash", ""))) photos.push_back(a);
        if (photos.empty()) return;
        parallel_whole(fr, en, 120, [&](Flow& whole) {
            for (const auto& a : photos) {
                std::string caption = a.value("alt", "");
                if (other.is_object() && other.contains("attachments") && other["attachments"].is_array())
                    for (const auto& b : other["attachments"])
                        if (b.value("hash", "") == a.value("hash", "") && !b.value("alt", "").empty() && b.value("alt", "") != caption)
                            caption += " / " + b.value("alt", "");
                const std::string credit = a.value("credit", "");
                if (!credit.empty()) caption += " — " + word("credit", "fr") + credit;
                whole.image((m_o.db / "files" / a.value("hash", "")).string(), a.value("alt", ""), caption, a.value("type", ""));
            }
        });
    }

    // Images of a part of a section's body, taken out of it: the parallel layout draws them
    // once across both columns, after the part.
    static std::vector<Block> take_images(std::vector<Block>& blocks) {
        std::vector<Block> images;
        for (auto it = blocks.begin(); it != blocks.end();) {
            if (it->type == Block::Type::image) {
                images.push_back(std::move(*it));
                it = blocks.erase(it);
            } else {
                ++it;
            }
        }
        return images;
    }

    Anchor introduction(Flow& f, const std::string& lang, int level) {
        const Anchor a = f.heading(plain(word("introduction", lang)), level);
        f.blocks(markdown_blocks(m_g.introduction.at(lang)), level, m_o.images);
        return a;
    }

    // Both columns go on from the lower of their two positions, on a new page when `room` is
    // not left on this one.
    void level_columns(Flow& fr, Flow& en, double room) {
        Cursor c = std::max(fr.cursor(), en.cursor());
        if (c.y - room < PageFrame::k_bottom) c = {c.page + 1, PageFrame::k_top};
        m_frame.ensure(c.page);
        fr.move_to(c);
        en.move_to(c);
    }

    // The sections `which` (indices into m_sections) side by side; their contents entries at
    // `toc_level` (their own headings one below, when that is 1).
    void parallel_sections(Flow& fr, Flow& en, const std::vector<std::size_t>& which, int toc_level) {
        for (const std::size_t i : which) {
            // Both sides start level: at the lower of the two, with room for the heading.
            Cursor c = std::max(fr.cursor(), en.cursor());
            if (c.y - 17 * 2.5 - 3 * 14.5 < PageFrame::k_bottom) c = {c.page + 1, PageFrame::k_top};
            else if (c.y < PageFrame::k_top) c.y -= 10;
            fr.move_to(c);
            en.move_to(c);
            m_frame.ensure(c.page);
            const StoredDocument* dfr = section_head(fr, i, "fr", 2, false);
            const StoredDocument* den = section_head(en, i, "en", 2, false);
            // The two versions meet again at each heading of their bodies when both have the same
            // headings; otherwise each runs on in its column.
            auto parts_fr = body_parts(shown("steps") ? dfr : nullptr), parts_en = body_parts(shown("steps") ? den : nullptr);
            m_toc.push_back({title_of(m_sections[i], "fr"), title_of(m_sections[i], "en"), toc_level, m_anchors["fr"].back()});
            std::vector<Flow::Heading> heads_fr, heads_en;
            const auto add = [](std::vector<Flow::Heading>& to, std::vector<Flow::Heading> from) { to.insert(to.end(), from.begin(), from.end()); };
            if (parts_fr.size() == parts_en.size()) {
                for (std::size_t k = 0; k < parts_fr.size(); ++k) {
                    if (k > 0) level_columns(fr, en, 12 * 1.38 * 2 + 3 * 10.5 * 1.38);
                    const auto images_fr = take_images(parts_fr[k]), images_en = take_images(parts_en[k]);
                    add(heads_fr, fr.blocks(parts_fr[k], 2, m_o.images));
                    add(heads_en, en.blocks(parts_en[k], 2, m_o.images));
                    // The part's images, once, across both columns, captioned in both languages.
                    if (!images_fr.empty() || !images_en.empty())
                        parallel_whole(fr, en, 120, [&](Flow& whole) {
                            const auto& images = images_fr.empty() ? images_en : images_fr;
                            for (std::size_t j = 0; j < images.size(); ++j) {
                                std::string caption = images[j].alt;
                                if (&images == &images_fr && j < images_en.size() && !images_en[j].alt.empty() && images_en[j].alt != caption)
                                    caption += " / " + images_en[j].alt;
                                whole.image(Flow::image_file(images[j].text, m_o.images), images[j].alt.empty() ? images[j].text : images[j].alt, caption);
                            }
                        });
                }
            } else {
                for (const auto& part : parts_fr) add(heads_fr, fr.blocks(part, 2, m_o.images));
                for (const auto& part : parts_en) add(heads_en, en.blocks(part, 2, m_o.images));
            }
            // Sub-entries: the sections' own headings, side by side when both versions have them.
            if (toc_level == 0)
                for (std::size_t k = 0; k < heads_fr.size(); ++k)
                    if (heads_fr[k].level <= 2)
                        m_toc.push_back({heads_fr[k].text, heads_fr.size() == heads_en.size() ? heads_en[k].text : "", 1, heads_fr[k].at});
            level_columns(fr, en, 11 * 1.38 * 2 + 3 * 10.5 * 1.38);
            parallel_photos(fr, en, dfr, den);
            if (dfr) section_tail(fr, *dfr, "fr", 2, false);
            if (den) section_tail(en, *den, "en", 2, false);
        }
    }

    // A part's heading in both columns, level, kept with what follows; its contents entry.
    void parallel_heading(Flow& fr, Flow& en, const std::string& key, int level = 2) {
        level_columns(fr, en, 17 * 1.38 * 2 + 4 * 10.5 * 1.38);
        const Anchor a = fr.heading(plain(word(key, "fr")), level);
        en.heading(plain(word(key, "en")), level);
        m_toc.push_back({word(key, "fr"), word(key, "en"), 0, a});
    }

    // A part across the whole width, from where the columns meet; then the columns go on below it.
    template <typename Draw>
    void parallel_whole(Flow& fr, Flow& en, double room, Draw draw) {
        level_columns(fr, en, room);
        Flow whole(m_pdf, m_frame, m_hyph, PageFrame::k_left, PageFrame::k_right - PageFrame::k_left, fr.cursor(), "fr");
        draw(whole);
        fr.move_to(whole.cursor());
        en.move_to(whole.cursor());
    }

    void parallel(Cursor start) {
        const double gutter = 18, w = (PageFrame::k_right - PageFrame::k_left - gutter) / 2;
        Flow fr(m_pdf, m_frame, m_hyph, PageFrame::k_left, w, start, "fr");
        Flow en(m_pdf, m_frame, m_hyph, PageFrame::k_left + w + gutter, w, start, "en");
        for (const std::string& part : m_g.outline) {
            if (part == "key_messages") {
                parallel_heading(fr, en, "key_messages");
                key_messages(fr, "fr");
                key_messages(en, "en");
                // The key messages have their page: what follows starts on the next.
                const Cursor c = std::max(fr.cursor(), en.cursor());
                fr.move_to({c.page + 1, PageFrame::k_top});
                en.move_to({c.page + 1, PageFrame::k_top});
                m_frame.ensure(c.page + 1);
            } else if (part == "introduction") {
                level_columns(fr, en, 17 * 1.38 * 2 + 4 * 10.5 * 1.38);
                m_toc.push_back({word("introduction", "fr"), word("introduction", "en"), 0, introduction(fr, "fr", 2)});
                introduction(en, "en", 2);
            } else if (part == "map") {
                parallel_whole(fr, en, 300, [&](Flow& whole) { map(whole, 2); });
            } else if (part == "documents") {
                parallel_sections(fr, en, m_main, 0);
            } else if (part == "avoid" && !m_lessons.empty()) {
                parallel_heading(fr, en, "avoid");
                parallel_sections(fr, en, m_lessons, 1);
            } else if (part == "checklist" && has_steps()) {
                parallel_heading(fr, en, "checklist");
                for (const std::size_t i : m_main) {
                    checklist(fr, i, "fr");
                    checklist(en, i, "en");
                    level_columns(fr, en, 60);
                }
            } else if (part == "glossary" && !used_acronyms().empty()) {
                parallel_whole(fr, en, 120, [&](Flow& whole) { glossary(whole, 2); });
            } else if (part == "contacts" && !contacts().empty()) {
                parallel_whole(fr, en, 120, [&](Flow& whole) { contacts_part(whole, 2); });
            }
        }
        parallel_whole(fr, en, 14 * 1.38 + 4 * 9 * 1.38, [&](Flow& whole) {
            sources(whole, 2);
            colophon(whole, 2);
        });
    }

    // One column of some 65 characters (55 to 75 is comfortable reading), centred.
    static constexpr double k_measure = 350;

    void sequential(Cursor start) {
        const double x = (Pdf::k_width - k_measure) / 2;
        Cursor c = start;
        for (const std::string& lang : k_langs) {
            Flow f(m_pdf, m_frame, m_hyph, x, k_measure, c, lang);
            m_toc.push_back({word("part", lang), "", 0, f.heading(plain(word("part", lang)), 1), lang});
            const auto part_heading = [&](const std::string& key) {
                m_toc.push_back({word(key, lang), "", 1, f.heading(plain(word(key, lang)), 2, 4 * 10.5 * 1.38), lang});
            };
            for (const std::string& part : m_g.outline) {
                if (part == "key_messages") {
                    part_heading("key_messages");
                    key_messages(f, lang);
                    f.new_page();
                } else if (part == "introduction") {
                    m_toc.push_back({word("introduction", lang), "", 1, introduction(f, lang, 2), lang});
                } else if (part == "documents") {
                    sequential_sections(f, lang, m_main, 1);
                } else if (part == "avoid" && !m_lessons.empty()) {
                    part_heading("avoid");
                    sequential_sections(f, lang, m_lessons, 2);
                } else if (part == "checklist" && has_steps()) {
                    part_heading("checklist");
                    for (const std::size_t i : m_main) checklist(f, i, lang);
                }
            }
            if (lang != k_langs.back()) {
                f.new_page();  // the English part on a page of its own; no blank page at the end
                c = f.cursor();
                continue;
            }
            // Then, for both languages: the map, the glossary, the contacts, the sources, the colophon.
            for (const std::string& part : m_g.outline) {
                if (part == "map") map(f, 1);
                else if (part == "glossary" && !used_acronyms().empty()) glossary(f, 1);
                else if (part == "contacts" && !contacts().empty()) contacts_part(f, 1);
            }
            sources(f, 1);
            colophon(f, 1);
        }
    }

    void sequential_sections(Flow& f, const std::string& lang, const std::vector<std::size_t>& which, int toc_level) {
        for (const std::size_t i : which) {
            const StoredDocument* d = section_head(f, i, lang, 2, true);
            m_toc.push_back({title_of(m_sections[i], lang), "", toc_level, m_anchors[lang].back(), lang});
            if (!d) continue;
            if (shown("steps"))
                for (const Flow::Heading& h : f.blocks(markdown_blocks(d->body), 2, m_o.images))
                    if (h.level <= 2 && toc_level == 1) m_toc.push_back({h.text, "", 2, h.at, lang});
            section_tail(f, *d, lang, 2);
        }
    }

    // The key messages: the definition's, or else the summaries of the guide's notes.
    void key_messages(Flow& f, const std::string& lang) {
        if (m_g.key_messages.count(lang)) {
            f.blocks(markdown_blocks(m_g.key_messages.at(lang)), 2, m_o.images);
            return;
        }
        for (const std::size_t i : m_main) {
            const auto it = m_sections[i].versions.find(lang);
            if (it != m_sections[i].versions.end() && !it->second.summary.empty())
                f.paragraph(plain(it->second.summary), 10.5, Face::regular, 16, "•");
        }
    }

    bool has_steps() const {
        for (const std::size_t i : m_main)
            for (const auto& [lang, d] : m_sections[i].versions)
                if (!steps_of(d).empty()) return true;
        return false;
    }

    static std::vector<std::string> steps_of(const StoredDocument& d) {
        std::vector<std::string> out;
        const nlohmann::json meta = nlohmann::json::parse(d.metadata, nullptr, false);
        if (meta.is_object() && meta.contains("steps") && meta["steps"].is_array())
            for (const auto& s : meta["steps"])
                if (s.is_string()) out.push_back(s.get<std::string>());
        return out;
    }

    // A practice's steps, to tick off: its title, then each step with a box.
    void checklist(Flow& f, std::size_t index, const std::string& lang) {
        const auto it = m_sections[index].versions.find(lang);
        if (it == m_sections[index].versions.end()) return;
        const auto steps = steps_of(it->second);
        if (steps.empty()) return;
        f.heading(plain(it->second.title), 4, 2 * 10.5 * 1.38);
        for (const std::string& step : steps) f.paragraph(plain(step), 10, Face::regular, 18, "☐", 0, false);
    }

    // The acronyms of the vocabularies the guide's text uses, as whole words.
    std::vector<const Acronym*> used_acronyms() const {
        std::string text;
        for (const auto& [lang, t] : m_g.introduction) text += t + '\n';
        for (const auto& [lang, t] : m_g.key_messages) text += t + '\n';
        for (const Section& s : m_sections)
            for (const auto& [lang, d] : s.versions) text += d.title + '\n' + d.summary + '\n' + d.body + '\n';
        std::vector<const Acronym*> out;
        for (const Acronym& a : m_vocab.acronyms) {
            for (std::size_t at = text.find(a.acronym); at != std::string::npos; at = text.find(a.acronym, at + 1)) {
                const auto boundary = [&](std::size_t i) { return i >= text.size() || !std::isalnum(static_cast<unsigned char>(text[i])); };
                if ((at == 0 || boundary(at - 1)) && boundary(at + a.acronym.size())) {
                    out.push_back(&a);
                    break;
                }
            }
        }
        std::sort(out.begin(), out.end(), [](const Acronym* a, const Acronym* b) { return a->acronym < b->acronym; });
        return out;
    }

    void glossary(Flow& f, int level) {
        const Anchor a = f.heading(plain(word("glossary", "fr") + " / " + word("glossary", "en")), level);
        m_toc.push_back({word("glossary", "fr"), m_o.layout == "parallel" ? word("glossary", "en") : "", 0, a});
        std::vector<std::vector<Spans>> rows = {{plain(word("acronym", "fr") + " / " + word("acronym", "en")), plain("Français"), plain("English")}};
        rows[0][2][0].lang = "en";
        for (const Acronym* ac : used_acronyms()) {
            rows.push_back({plain(ac->acronym), plain(ac->fr), plain(ac->en)});
            rows.back()[2][0].lang = "en";
        }
        f.table(rows, true);
    }

    // The offices to contact: the definition's, or else the head office and those of the
    // countries the guide's documents are about.
    std::vector<const Contact*> contacts() const {
        std::vector<const Contact*> out;
        std::set<std::string> countries;
        for (const Section& s : m_sections)
            for (const auto& [lang, d] : s.versions) {
                const nlohmann::json meta = nlohmann::json::parse(d.metadata, nullptr, false);
                if (meta.is_object() && meta.contains("countries") && meta["countries"].is_array())
                    for (const auto& c : meta["countries"])
                        if (c.is_string()) countries.insert(c.get<std::string>());
            }
        for (const Contact& c : m_vocab.contacts) {
            const bool chosen = m_g.contacts.empty() ? (&c == &m_vocab.contacts.front() || countries.count(c.country) > 0)
                                                     : std::find(m_g.contacts.begin(), m_g.contacts.end(), c.id) != m_g.contacts.end();
            if (chosen) out.push_back(&c);
        }
        return out;
    }

    void contacts_part(Flow& f, int level) {
        const Anchor a = f.heading(plain(word("contacts", "fr")), level);  // the same word in both languages
        m_toc.push_back({word("contacts", "fr"), m_o.layout == "parallel" ? word("contacts", "en") : "", 0, a});
        for (const Contact* c : contacts()) {
            Spans name = plain(c->name_fr, false, true);
            if (!c->name_en.empty() && c->name_en != c->name_fr) {
                name.push_back(plain(" / ", false, true)[0]);
                name.push_back(plain(c->name_en, false, true)[0]);
                name.back().lang = "en";
            }
            f.paragraph(name, 10, Face::bold, 0, "", 0, false);
            std::string line = c->address;
            for (const std::string* part : {&c->phone, &c->email, &c->web})
                if (!part->empty()) line += (line.empty() ? "" : " · ") + *part;
            f.paragraph(plain(line), 9.5, Face::regular, 0, "", 0.2, false);
        }
    }

    // The map of the guide's countries and places (those with coordinates in the vocabularies).
    void map(Flow& f, int level) {
        std::vector<MapArea> areas;
        std::vector<MapPlace> places;
        std::set<std::string> seen_countries, seen_places;
        for (const Section& s : m_sections)
            for (const auto& [lang, d] : s.versions) {
                const nlohmann::json meta = nlohmann::json::parse(d.metadata, nullptr, false);
                if (!meta.is_object()) continue;
                if (meta.contains("countries") && meta["countries"].is_array())
                    for (const auto& c : meta["countries"])
                        if (c.is_string() && seen_countries.insert(c.get<std::string>()).second) {
                            const Term* t = m_vocab.countries.find(c.get<std::string>());
                            areas.push_back({c.get<std::string>(), t ? t->label("fr") + " / " + t->label("en") : c.get<std::string>(), ""});
                        }
                if (meta.contains("places") && meta["places"].is_array())
                    for (const auto& p : meta["places"])
                        if (p.is_string())
                            if (const Place* at = m_vocab.find_place(p.get<std::string>()); at && seen_places.insert(at->name).second)
                                places.push_back({at->name, at->name, "", at->lat, at->lon});
            }
        const WorldMap::Drawing d = WorldMap::bundled().draw(areas, places, std::min(f.width(), 360.0));
        if (d.width == 0) return;
        const Anchor a = f.heading(plain(word("map", "fr") + " / " + word("map", "en")), level, d.height + 40);
        m_toc.push_back({word("map", "fr"), m_o.layout == "parallel" ? word("map", "en") : "", 0, a});
        const Cursor top = f.take(d.height + 6);
        const double x0 = f.x() + (f.width() - d.width) / 2, y0 = top.y;
        const auto to_page = [&](const WorldMap::Polygon& p) {
            WorldMap::Polygon out;
            out.reserve(p.size());
            for (const auto& [x, y] : p) out.emplace_back(x0 + x, y0 - y);
            return out;
        };
        m_pdf.box(top.page, x0, y0 - d.height, d.width, d.height, Rgb{0.93, 0.96, 0.98});
        m_pdf.clip_begin(top.page, x0, y0 - d.height, d.width, d.height);
        std::vector<WorldMap::Polygon> land;
        for (const auto& p : d.land) land.push_back(to_page(p));
        m_pdf.shapes(top.page, land, Rgb{1, 1, 1}, Rgb{0.72, 0.76, 0.8}, 0.5);
        for (const auto& [index, shapes] : d.areas) {
            std::vector<WorldMap::Polygon> area;
            for (const auto& p : shapes) area.push_back(to_page(p));
            m_pdf.shapes(top.page, area, Rgb{0.62, 0.73, 0.85}, m_theme.primary, 0.8);
        }
        for (std::size_t i = 0; i < places.size(); ++i) {
            const double x = x0 + d.places[i].first, y = y0 - d.places[i].second;
            m_pdf.dot(top.page, x, y, 3.2, m_theme.accent, Rgb{1, 1, 1}, 1);
            const bool left = d.places[i].first > d.width * 0.7;
            const double tw = m_pdf.width(Face::regular, 8.5, places[i].name);
            m_pdf.text(top.page, Face::regular, 8.5, left ? x - 6 - tw : x + 6, y - 3, places[i].name, 0.1);
        }
        m_pdf.clip_end(top.page);
        // The countries, named under the map.
        std::string names;
        for (const MapArea& ar : areas) names += (names.empty() ? "" : " · ") + ar.label;
        f.paragraph(plain(names), 8.5, Face::italic, 0, "", 0.3, false);
    }

    // The contents: each entry's title wrapped in its column (the French and the English side
    // by side in the parallel layout), never cut, and its page number; the whole entry links
    // to its place. Returns the number of pages they take; draws them when `draw`.
    int toc(bool draw) {
        const double left = PageFrame::k_left, right = PageFrame::k_right, lead = 13.5;
        const bool parallel = m_o.layout == "parallel";
        const double number_w = 28, gutter = 14;
        const double column = parallel ? (right - left - number_w - gutter) / 2 : right - left - number_w;
        LineOptions unbroken;
        unbroken.hyphenate = false;
        unbroken.justify = false;
        int page = m_toc_first;
        double y = PageFrame::k_top - 10 - 17 * 1.38 - 24;
        if (draw) m_pdf.text(page, Face::bold, 17, left, PageFrame::k_top - 10 - 17, typographic(word("contents", "fr") + " / " + word("contents", "en"), "fr"));
        for (const TocEntry& e : m_toc) {
            const double size = e.level == 0 ? 11 : e.level == 1 ? 10 : 9;
            const Face face = e.level == 0 ? Face::bold : Face::regular;
            const double indent = 14.0 * e.level;
            const auto measure = [&](Face f, const std::string& t) { return m_pdf.width(f, size, t); };
            const auto set = [&](const std::string& title, const std::string& lang) {
                return text_lines(plain(title), column - indent - 6, face, lang, measure, m_hyph, unbroken);
            };
            const auto fr = set(e.title, e.lang);
            const auto en = parallel && !e.beside.empty() ? set(e.beside, "en") : std::vector<Line>{};
            const std::size_t rows = std::max(fr.size(), en.size());
            const double line_h = size * 1.3, height = static_cast<double>(rows) * line_h;
            const double before = e.level == 0 ? 7 : 1.5;
            if (y - before - height < PageFrame::k_bottom) {
                ++page;
                y = PageFrame::k_top;
            }
            y -= before;
            if (draw) {
                m_frame.ensure(page);
                const auto column_text = [&](const std::vector<Line>& lines, double x, const std::string& lang) {
                    double ly = y;
                    for (const Line& l : lines) {
                        double cx = x;
                        for (const Word& w : l.words) {
                            for (const Piece& p : w.pieces) {
                                m_pdf.text(page, p.face, size, cx, ly - size, p.text, e.level == 2 ? 0.3 : 0, lang);
                                cx += p.width;
                            }
                            cx += m_pdf.width(face, size, " ");
                        }
                        ly -= line_h;
                    }
                };
                column_text(fr, left + indent, e.lang);
                column_text(en, left + column + gutter + indent, "en");
                const std::string number = std::to_string(e.at.page + 1);
                m_pdf.text(page, face, size, right - m_pdf.width(face, size, number), y - static_cast<double>(rows - 1) * line_h - size, number,
                           e.level == 2 ? 0.3 : 0);
                m_pdf.link_to_page(page, left + indent, y - height - 2, right - left - indent, height + 3, e.at.page, e.at.y);
            }
            y -= height + lead - line_h;
        }
        return page - m_toc_first + 1;
    }

    // The bookmarks: the contents' entries, nested by level (in the parallel layout, "French /
    // English").
    void outline() {
        std::vector<int> parents;  // the last bookmark at each level
        for (const TocEntry& e : m_toc) {
            const std::string title = e.beside.empty() || e.beside == e.title ? e.title : e.title + " / " + e.beside;
            parents.resize(static_cast<std::size_t>(e.level));
            const int parent = parents.empty() ? -1 : parents.back();
            parents.push_back(m_pdf.bookmark(parent, typographic(title, "fr"), e.at.page, e.at.y));
        }
    }

    const GuideDefinition& m_g;
    const GuideOptions& m_o;
    const Vocabularies& m_vocab;
    const std::vector<Section>& m_sections;
    Pdf& m_pdf;
    PageFrame m_frame;
    Hyphenator& m_hyph;
    int m_toc_first = 1;  // the contents' first page
    std::vector<TocEntry> m_toc;
    std::map<std::string, std::pair<std::string, int>> m_indicator_tables;  // printed: by language and content, in which source
    std::size_t m_current = 0;  // the section being laid out
    const GuideTheme& m_theme;
    bool m_restricted = false;  // something in it is not public
    std::vector<std::size_t> m_main, m_lessons;  // the sections of the documents part, and the lessons of "what to avoid"
    std::map<std::size_t, Anchor> m_source_anchors;  // each section's entry in the sources
    std::map<std::string, std::vector<Anchor>> m_anchors;
    std::vector<PendingLink> m_pending;
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
    // The documents the definition names first, in its order; then the others by `order`.
    const auto named = [&](const Section& s) {
        const auto it = std::find(g.documents.begin(), g.documents.end(), s.id);
        return static_cast<std::size_t>(it - g.documents.begin());
    };
    std::stable_sort(sections.begin(), sections.end(), [&](const Section& a, const Section& b) {
        if (named(a) != named(b)) return named(a) < named(b);
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
    const GuideTheme theme = load_theme(o.theme);
    GuideLayout layout(g, o, vocab, sections, hyphenator, pdf, theme);
    result.pdf = layout.build(result.report);
    return result;
}

}  // namespace

}  // namespace passerelle
