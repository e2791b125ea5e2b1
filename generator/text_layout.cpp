#include "generator/text_layout.h"

#include <cctype>

namespace passerelle {

namespace {

const std::string k_nnbsp = "\xE2\x80\xAF";  // U+202F narrow no-break space

bool is_letter_byte(unsigned char c) { return std::isalpha(c) || c >= 0x80; }

Face face_of(const Span& s, Face base) {
    if (s.code) return Face::mono;
    const bool bold = s.bold || base == Face::bold || base == Face::bold_italic;
    const bool italic = s.italic || base == Face::italic || base == Face::bold_italic;
    return bold && italic ? Face::bold_italic : bold ? Face::bold : italic ? Face::italic : Face::regular;
}

}  // namespace

std::string french_spacing(const std::string& text) {
    std::string out;
    out.reserve(text.size() + 16);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool high = c == ';' || c == ':' || c == '!' || c == '?';
        const bool closing = text.compare(i, 2, "\xC2\xBB") == 0;  // »
        if (high || closing) {
            const bool after_space = !out.empty() && out.back() == ' ';
            const bool after_letter = !out.empty() && is_letter_byte(static_cast<unsigned char>(out.back()));
            const bool end_or_space = i + (closing ? 2 : 1) >= text.size() || text[i + (closing ? 2 : 1)] == ' ' ||
                                      text[i + (closing ? 2 : 1)] == '\n' || text[i + (closing ? 2 : 1)] == ',' ||
                                      text[i + (closing ? 2 : 1)] == '.';
            if (after_space) {
                out.pop_back();
                out += k_nnbsp;
            } else if (after_letter && (end_or_space || closing) && !(c == ':' && text.compare(i, 3, "://") == 0)) {
                out += k_nnbsp;
            }
        }
        if (text.compare(i, 2, "\xC2\xAB") == 0) {  // « then the space after it
            out += "\xC2\xAB";
            ++i;
            if (i + 1 < text.size() && text[i + 1] == ' ') ++i;
            out += k_nnbsp;
            continue;
        }
        out += c;
    }
    return out;
}

std::vector<Line> text_lines(const Spans& spans, double width, Face base, const std::string& lang, const Measure& measure,
                             Hyphenator& hyphenator) {
    // Words: pieces between ordinary spaces; a hard break ends a line.
    struct Item {
        Word word;
        bool hard_break = false;
    };
    std::vector<Item> items;
    bool open = false;  // the last word may take more pieces
    for (const Span& s : spans) {
        if (s.line_break) {
            items.push_back({{}, true});
            open = false;
            continue;
        }
        const Face f = face_of(s, base);
        const std::string text = lang == "fr" && !s.code && s.link.empty() ? french_spacing(s.text) : s.text;
        std::size_t i = 0;
        while (i <= text.size()) {
            const std::size_t sp = text.find_first_of(" \n\t", i);
            const std::size_t end = sp == std::string::npos ? text.size() : sp;
            if (end > i) {
                Piece p{text.substr(i, end - i), f, s.link, 0};
                p.width = measure(f, p.text);
                if (!open) items.push_back({});
                items.back().word.pieces.push_back(std::move(p));
                open = true;
            }
            if (sp == std::string::npos) break;
            open = false;
            i = sp + 1;
        }
    }
    for (auto& it : items)
        for (const Piece& p : it.word.pieces) it.word.width += p.width;

    const double space = measure(base == Face::bold ? Face::bold : Face::regular, " ");
    std::vector<Line> lines;
    Line current;
    auto flush = [&](bool last) {
        current.last = last;
        if (!current.words.empty() || last) lines.push_back(std::move(current));
        current = Line{};
    };
    auto add = [&](Word w) {
        current.natural += (current.words.empty() ? 0 : space) + w.width;
        current.words.push_back(std::move(w));
    };
    for (std::size_t k = 0; k < items.size(); ++k) {
        if (items[k].hard_break) {
            flush(true);
            continue;
        }
        Word w = std::move(items[k].word);
        for (;;) {
            const double needed = current.natural + (current.words.empty() ? 0 : space) + w.width;
            if (needed <= width) {
                add(std::move(w));
                break;
            }
            // Hyphenate a plain word (one piece): the longest start that fits, with its hyphen.
            bool split = false;
            if (w.pieces.size() == 1 && w.pieces[0].link.empty() && w.pieces[0].face != Face::mono) {
                const Piece& p = w.pieces[0];
                std::size_t core_end = p.text.size();
                while (core_end > 0 && !is_letter_byte(static_cast<unsigned char>(p.text[core_end - 1]))) --core_end;
                std::size_t core_start = 0;
                while (core_start < core_end && !is_letter_byte(static_cast<unsigned char>(p.text[core_start]))) ++core_start;
                const std::string core = p.text.substr(core_start, core_end - core_start);
                const auto points = hyphenator.points(core, lang);
                const double room = width - current.natural - (current.words.empty() ? 0 : space);
                for (auto it = points.rbegin(); it != points.rend(); ++it) {
                    const std::string head = p.text.substr(0, core_start + *it) + "-";
                    const double hw = measure(p.face, head);
                    if (hw > room) continue;
                    Word first{{Piece{head, p.face, "", hw}}, hw};
                    std::string tail = p.text.substr(core_start + *it);
                    const double tw = measure(p.face, tail);
                    Word rest{{Piece{tail, p.face, "", tw}}, tw};
                    add(std::move(first));
                    flush(false);
                    w = std::move(rest);
                    split = true;
                    break;
                }
            }
            if (split) continue;
            if (!current.words.empty()) {
                flush(false);
                continue;
            }
            // A single word wider than the line (a long address): cut it where it must.
            Piece& p = w.pieces[0];
            std::size_t cut = p.text.size();
            while (cut > 1 && measure(p.face, p.text.substr(0, cut)) > width) {
                --cut;
                while (cut > 1 && (static_cast<unsigned char>(p.text[cut]) & 0xC0) == 0x80) --cut;
            }
            // An address breaks after a '/', '&', '=', '-', '_' or '.' when one falls in the line's
            // second half, and a line never starts with a high punctuation mark ("?lang=fr").
            const auto high = [](char c) { return c == ';' || c == ':' || c == '!' || c == '?'; };
            for (std::size_t c = cut; c > 1 && c * 2 >= cut; --c) {
                const char before = p.text[c - 1];
                if ((before == '/' || before == '&' || before == '=' || before == '-' || before == '_' || before == '.') &&
                    c < p.text.size() && !high(p.text[c])) {
                    cut = c;
                    break;
                }
            }
            while (cut > 1 && cut < p.text.size() && high(p.text[cut])) --cut;
            // The head takes at least one character, so every pass goes forward; a first piece
            // that fits whole leaves no empty piece behind (that once looped for ever).
            Piece head{p.text.substr(0, cut), p.face, p.link, measure(p.face, p.text.substr(0, cut))};
            Piece tail{p.text.substr(cut), p.face, p.link, measure(p.face, p.text.substr(cut))};
            add(Word{{head}, head.width});
            flush(false);
            std::vector<Piece> rest;
            if (!tail.text.empty()) rest.push_back(std::move(tail));
            rest.insert(rest.end(), w.pieces.begin() + 1, w.pieces.end());
            if (rest.empty()) break;
            double rw = 0;
            for (const Piece& r : rest) rw += r.width;
            w = Word{std::move(rest), rw};
        }
    }
    flush(true);
    return lines;
}

}  // namespace passerelle
