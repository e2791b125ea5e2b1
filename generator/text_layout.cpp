#include "generator/text_layout.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>

#include "core/fold.h"
#include "core/utf8.h"

namespace passerelle {

namespace {

const std::string k_nnbsp = "\xE2\x80\xAF";  // U+202F narrow no-break space

bool is_letter_byte(unsigned char c) { return std::isalpha(c) || c >= 0x80; }

// Latin letters, the ones the two languages write.
bool is_letter(char32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

bool is_upper(char32_t c) {
    return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) || c == 0x152 || c == 0x178;
}

char32_t lower(char32_t c) {
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
    if (c == 0x152) return 0x153;
    return c;
}

bool is_vowel(char32_t c) {
    static const std::u32string vowels = U"aeiouyàâäéèêëîïôöùûüÿœæ";
    return vowels.find(lower(c)) != std::u32string::npos;
}

Face face_of(const Span& s, Face base) {
    if (s.code) return Face::mono;
    const bool bold = s.bold || base == Face::bold || base == Face::bold_italic;
    const bool italic = s.italic || base == Face::italic || base == Face::bold_italic;
    return bold && italic ? Face::bold_italic : bold ? Face::bold : italic ? Face::italic : Face::regular;
}

struct Item {
    Word word;
    bool hard_break = false;
};

// A word, or the part of a word between two of its hyphenation points.
struct Frag {
    std::size_t word = 0;
    std::size_t from = 0, to = std::string::npos;  // bytes of the word's single piece (npos: the whole word)
    double width = 0;
    bool word_end = true;
    double hyphen = 0;           // the width of the hyphen added when a line ends after it
    bool explicit_hyphen = false;  // it ends with the word's own hyphen
};

// What a paragraph (between hard breaks) is laid out as.
class Breaker {
  public:
    Breaker(const std::vector<Word>& words, double width, double space, const std::string& lang, const Measure& measure,
            Hyphenator& hyphenator, const LineOptions& options)
        : m_words(words), m_width(width), m_space(space), m_options(options) {
        for (std::size_t w = 0; w < words.size(); ++w) {
            const Word& word = words[w];
            std::vector<std::size_t> points;
            if (options.hyphenate && word.pieces.size() == 1 && word.pieces[0].link.empty() && word.pieces[0].face != Face::mono)
                points = hyphenation_points(word.pieces[0].text, lang, hyphenator);
            if (points.empty()) {
                m_frags.push_back({w, 0, std::string::npos, word.width, true, 0, false});
                continue;
            }
            const Piece& p = word.pieces[0];
            std::size_t from = 0;
            for (std::size_t point : points) {
                Frag f{w, from, point, measure(p.face, p.text.substr(from, point - from)), false, 0, p.text[point - 1] == '-'};
                f.hyphen = f.explicit_hyphen ? 0 : measure(p.face, "-");
                m_frags.push_back(f);
                from = point;
            }
            m_frags.push_back({w, from, p.text.size(), measure(p.face, p.text.substr(from)), true, 0, false});
        }
        m_sum.assign(m_frags.size() + 1, 0);
        m_ends.assign(m_frags.size() + 1, 0);
        for (std::size_t i = 0; i < m_frags.size(); ++i) {
            m_sum[i + 1] = m_sum[i] + m_frags[i].width;
            m_ends[i + 1] = m_ends[i] + (m_frags[i].word_end ? 1 : 0);
        }
    }

    // The lines by total fit, justified (or ragged right); empty when there is none.
    std::vector<Line> lines(bool justify, const Measure& measure) {
        const auto breaks = best_breaks(justify);
        if (breaks.empty()) return {};
        std::vector<Line> out;
        long a = -1;
        for (long b : breaks) {
            out.push_back(make_line(a, b, measure));
            out.back().last = !justify || b == static_cast<long>(m_frags.size()) - 1;
            a = b;
        }
        return out;
    }

  private:
    static constexpr double k_infinite = std::numeric_limits<double>::infinity();

    struct State {
        double demerits = k_infinite;
        long prev = -2;  // the break before (-1: the paragraph's start)
        int prev_run = 0, prev_fit = 1;
    };

    // Fragments a+1 .. b on one line: its badness and fitness class, or infinite.
    std::pair<double, int> badness(long a, long b, bool justify, bool& too_long) const {
        const auto first = static_cast<std::size_t>(a + 1), last = static_cast<std::size_t>(b);
        const double gaps = m_ends[last] - m_ends[first];
        const bool end = last + 1 == m_frags.size();
        const double natural = m_sum[last + 1] - m_sum[first] + gaps * m_space + m_frags[last].hyphen;
        // TeX's glue for a text face: a space stretches by half its width and shrinks by a third,
        // badness 100 at full stretch; beyond that, up to max_space, at a rising cost.
        const double stretch = gaps * m_space / 2, shrink = gaps * m_space / 3, most = (m_options.max_space - 1) * 2;
        // The last line keeps natural spaces, so it never shrinks.
        too_long = natural - (justify && !end ? shrink : 0) > m_width + 1e-9;
        if (too_long) return {k_infinite, 1};
        if (!justify) {
            if (end) return {0, 1};
            const double r = (m_width - natural) / (m_width * 0.3);
            return {100 * r * r * r, 1};
        }
        if (natural > m_width) {
            const double r = (natural - m_width) / shrink;
            return {100 * r * r * r, r > 0.5 ? 0 : 1};
        }
        if (end) return {0, 1};
        if (stretch <= 0) return {k_infinite, 1};
        const double r = (m_width - natural) / stretch;
        if (r > most + 1e-9) return {k_infinite, 3};
        return {100 * r * r * r, r <= 0.5 ? 1 : r <= 1 ? 2 : 3};
    }

    bool hyphenated(long b) const { return b >= 0 && !m_frags[static_cast<std::size_t>(b)].word_end; }

    std::vector<long> best_breaks(bool justify) const {
        const long n = static_cast<long>(m_frags.size());
        if (n == 0) return {};
        // states[b + 1][run][fit]: the least demerits of lines ending after fragment b, the last
        // `run` of them hyphenated, the last of fitness `fit`.
        std::vector<std::array<std::array<State, 4>, 3>> states(static_cast<std::size_t>(n + 1));
        states[0][0][1].demerits = 0;
        for (long b = 0; b < n; ++b) {
                // Every fragment ends at a break: a space, or a hyphenation point.
            const bool hyph = b < n - 1 && hyphenated(b);
            for (long a = b - 1; a >= -1; --a) {
                bool too_long = false;
                const auto [bad, fit] = badness(a, b, justify, too_long);
                if (too_long) break;  // starting earlier only makes it longer
                if (bad == k_infinite) continue;
                for (int run = 0; run < 3; ++run)
                    for (int pf = 0; pf < 4; ++pf) {
                        const State& from = states[static_cast<std::size_t>(a + 1)][run][pf];
                        if (from.demerits == k_infinite) continue;
                        if (hyph && run == 2) continue;  // never three hyphenated lines in a row
                        double d = (10 + bad) * (10 + bad) + from.demerits;
                        if (hyph) d += 50 * 50 + (run > 0 ? 3000 : 0);
                        if (justify && std::abs(fit - pf) > 1) d += 3000;
                        if (b == n - 1 && run > 0) d += 5000;  // the last full line ends with a hyphen
                        const int new_run = hyph ? run + 1 : 0;
                        State& to = states[static_cast<std::size_t>(b + 1)][new_run][fit];
                        if (d < to.demerits) to = {d, a, run, pf};
                    }
            }
        }
        // The best ending, then back.
        int run = -1, fit = -1;
        double best = k_infinite;
        for (int r = 0; r < 3; ++r)
            for (int f = 0; f < 4; ++f)
                if (states[static_cast<std::size_t>(n)][r][f].demerits < best) best = states[static_cast<std::size_t>(n)][r][f].demerits, run = r, fit = f;
        if (run < 0) return {};
        std::vector<long> breaks;
        for (long b = n - 1; b >= 0;) {
            breaks.push_back(b);
            const State& s = states[static_cast<std::size_t>(b + 1)][run][fit];
            b = s.prev;
            run = s.prev_run;
            fit = s.prev_fit;
        }
        std::reverse(breaks.begin(), breaks.end());
        return breaks;
    }

    Line make_line(long a, long b, const Measure& measure) const {
        Line line;
        std::size_t i = static_cast<std::size_t>(a + 1);
        const auto last = static_cast<std::size_t>(b);
        while (i <= last) {
            const Frag& f = m_frags[i];
            const Word& word = m_words[f.word];
            if (f.to == std::string::npos) {
                line.words.push_back(word);
                ++i;
                continue;
            }
            // The fragments of this word on this line, as one piece.
            std::size_t j = i;
            while (j < last && m_frags[j + 1].word == f.word) ++j;
            const Piece& p = word.pieces[0];
            Piece piece{p.text.substr(f.from, m_frags[j].to - f.from), p.face, p.link, m_sum[j + 1] - m_sum[i], p.lang};
            if (!m_frags[j].word_end) {
                line.hyphenated = true;
                if (!m_frags[j].explicit_hyphen) {
                    piece.text += "-";
                    piece.width = measure(p.face, piece.text);
                }
            }
            line.words.push_back(Word{{piece}, piece.width});
            i = j + 1;
        }
        for (const Word& w : line.words) line.natural += w.width;
        if (!line.words.empty()) line.natural += m_space * static_cast<double>(line.words.size() - 1);
        return line;
    }

    const std::vector<Word>& m_words;
    double m_width, m_space;
    const LineOptions& m_options;
    std::vector<Frag> m_frags;
    std::vector<double> m_sum;    // widths of the fragments before each
    std::vector<double> m_ends;   // words ended before each fragment
};

// Line by line, the first break that fits: for what total fit cannot set (a word wider than
// the line, such as a long address, which is cut where it must be). Lines are left ragged.
std::vector<Line> greedy_lines(std::vector<Word> words, double width, double space, const std::string& lang, const Measure& measure,
                               Hyphenator& hyphenator, const LineOptions& options) {
    std::vector<Line> lines;
    Line current;
    auto flush = [&] {
        current.last = true;
        if (!current.words.empty()) lines.push_back(std::move(current));
        current = Line{};
    };
    auto add = [&](Word w) {
        current.natural += (current.words.empty() ? 0 : space) + w.width;
        current.words.push_back(std::move(w));
    };
    for (Word& next : words) {
        Word w = std::move(next);
        for (;;) {
            const double needed = current.natural + (current.words.empty() ? 0 : space) + w.width;
            if (needed <= width) {
                add(std::move(w));
                break;
            }
            // Hyphenate a plain word (one piece): the longest start that fits, with its hyphen.
            bool split = false;
            if (options.hyphenate && w.pieces.size() == 1 && w.pieces[0].link.empty() && w.pieces[0].face != Face::mono) {
                const Piece& p = w.pieces[0];
                const auto points = hyphenation_points(p.text, lang, hyphenator);
                const double room = width - current.natural - (current.words.empty() ? 0 : space);
                for (auto it = points.rbegin(); it != points.rend(); ++it) {
                    const std::string head = p.text.substr(0, *it) + (p.text[*it - 1] == '-' ? "" : "-");
                    const double hw = measure(p.face, head);
                    if (hw > room) continue;
                    const std::string tail = p.text.substr(*it);
                    const double tw = measure(p.face, tail);
                    Word rest{{Piece{tail, p.face, "", tw, p.lang}}, tw};
                    add(Word{{Piece{head, p.face, "", hw, p.lang}}, hw});
                    current.hyphenated = true;
                    flush();
                    w = std::move(rest);
                    split = true;
                    break;
                }
            }
            if (split) continue;
            if (!current.words.empty()) {
                flush();
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
            // A word (not an address or code) cut between two letters carries a hyphen, as any
            // word broken at a line's end does ("Infrastructu / res" once printed in a table).
            const auto letters_around = [&p](std::size_t at) {  // a letter ends before `at`, one starts at it
                if (at == 0 || at >= p.text.size()) return false;
                std::size_t before = at - 1;
                while (before > 0 && (static_cast<unsigned char>(p.text[before]) & 0xC0) == 0x80) --before;
                std::size_t pos = before;
                const char32_t a = utf8::decode(p.text, pos);
                pos = at;
                const char32_t b = utf8::decode(p.text, pos);
                const auto letter = [](char32_t c) { return is_word_char(c) && c != '_' && !(c >= '0' && c <= '9'); };
                return letter(a) && letter(b);
            };
            std::string mark;
            if (p.link.empty() && p.face != Face::mono && letters_around(cut)) {
                // The first character always stays in the head, however narrow the line.
                std::size_t first = 1;
                while (first < p.text.size() && (static_cast<unsigned char>(p.text[first]) & 0xC0) == 0x80) ++first;
                std::size_t at = cut;
                while (at > first && measure(p.face, p.text.substr(0, at) + "-") > width) {
                    --at;
                    while (at > first && (static_cast<unsigned char>(p.text[at]) & 0xC0) == 0x80) --at;
                }
                if (letters_around(at)) {
                    cut = at;
                    mark = "-";
                    current.hyphenated = true;
                }
            }
            // The head takes at least one character, so every pass goes forward; a first piece
            // that fits whole leaves no empty piece behind (that once looped for ever).
            Piece head{p.text.substr(0, cut) + mark, p.face, p.link, measure(p.face, p.text.substr(0, cut) + mark), p.lang};
            Piece tail{p.text.substr(cut), p.face, p.link, measure(p.face, p.text.substr(cut)), p.lang};
            add(Word{{head}, head.width});
            flush();
            std::vector<Piece> rest;
            if (!tail.text.empty()) rest.push_back(std::move(tail));
            rest.insert(rest.end(), w.pieces.begin() + 1, w.pieces.end());
            if (rest.empty()) break;
            double rw = 0;
            for (const Piece& r : rest) rw += r.width;
            w = Word{std::move(rest), rw};
        }
    }
    flush();
    return lines;
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
            const bool after_nnbsp = out.size() >= 3 && out.compare(out.size() - 3, 3, k_nnbsp) == 0;
            if (after_space) {
                out.pop_back();
                out += k_nnbsp;
            } else if (!after_nnbsp && after_letter && (end_or_space || closing) && !(c == ':' && text.compare(i, 3, "://") == 0)) {
                out += k_nnbsp;
            }
        }
        if (text.compare(i, 2, "\xC2\xAB") == 0) {  // « then the space after it
            out += "\xC2\xAB";
            ++i;
            if (i + 1 < text.size() && text[i + 1] == ' ') ++i;
            if (text.compare(i + 1, 3, k_nnbsp) != 0) out += k_nnbsp;
            continue;
        }
        out += c;
    }
    return out;
}

std::string typographic(const std::string& text, const std::string& lang) {
    std::string out;
    out.reserve(text.size() + 8);
    bool open = false;  // a double quote is open
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\'') {
            out += "\xE2\x80\x99";  // ’
        } else if (c == '"') {
            const bool opens = !open && (out.empty() || out.back() == ' ' || out.back() == '(' || out.back() == '[' || out.back() == '\n');
            if (opens || !open) {
                out += lang == "fr" ? "\xC2\xAB" : "\xE2\x80\x9C";
                open = true;
            } else {
                out += lang == "fr" ? "\xC2\xBB" : "\xE2\x80\x9D";
                open = false;
            }
        } else {
            out += c;
        }
    }
    return out;
}

std::vector<std::size_t> hyphenation_points(const std::string& word, const std::string& lang, Hyphenator& hyphenator) {
    // The word's code points, where each starts.
    std::vector<char32_t> cps;
    std::vector<std::size_t> at;
    for (std::size_t pos = 0; pos < word.size();) {
        at.push_back(pos);
        const auto lead = static_cast<unsigned char>(word[pos]);
        const std::size_t n = lead < 0x80 ? 1 : lead >= 0xC2 && lead < 0xE0 ? 2 : lead >= 0xE0 && lead < 0xF0 ? 3 : lead >= 0xF0 && lead < 0xF5 ? 4 : 0;
        if (n == 0 || pos + n > word.size()) return {};  // not UTF-8: left whole
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(word[pos + k]) & 0xC0) != 0x80) return {};
        if (n == 1) cps.push_back(lead), ++pos;
        else cps.push_back(utf8::decode(word, pos));
    }
    at.push_back(word.size());
    for (char32_t c : cps)
        if (c >= '0' && c <= '9') return {};
    std::vector<std::size_t> out;
    // Letter runs; an explicit hyphen between two lower-case runs is a break too.
    std::size_t best_from = 0, best_to = 0;
    for (std::size_t i = 0; i < cps.size();) {
        if (!is_letter(cps[i])) {
            if (cps[i] == '-' && i > 0 && i + 1 < cps.size() && is_letter(cps[i - 1]) && is_letter(cps[i + 1]) && !is_upper(cps[i + 1])) {
                std::size_t before = 0, after = 0;
                for (std::size_t k = i; k > 0 && is_letter(cps[k - 1]); --k) ++before;
                for (std::size_t k = i + 1; k < cps.size() && is_letter(cps[k]); ++k) ++after;
                if (before >= 2 && after >= 3) out.push_back(at[i + 1]);
            }
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < cps.size() && is_letter(cps[j])) ++j;
        if (j - i > best_to - best_from) best_from = i, best_to = j;
        i = j;
    }
    const std::size_t letters = best_to - best_from;
    if (letters >= 5 && !is_upper(cps[best_from])) {
        std::string lowered;
        for (std::size_t k = best_from; k < best_to; ++k) utf8::append(lowered, lower(cps[k]));
        for (std::size_t point : hyphenator.points(lowered, lang)) {
            // `point` is a byte offset in `lowered`, whose characters have the same lengths as the core's
            const std::size_t k = static_cast<std::size_t>(std::lower_bound(at.begin(), at.end(), at[best_from] + point) - at.begin());
            if (k >= at.size() || at[k] != at[best_from] + point) continue;
            if (k - best_from < 2 || best_to - k < 3) continue;
            if (is_vowel(cps[k - 1]) && is_vowel(cps[k])) continue;
            if (lang == "fr") {  // a final mute syllable: one group of vowels, ending in e or es
                int groups = 0;
                for (std::size_t m = k; m < best_to; ++m)
                    if (is_vowel(cps[m]) && (m == k || !is_vowel(cps[m - 1]))) ++groups;
                const char32_t z = lower(cps[best_to - 1]), y = lower(cps[best_to - 2]);
                if (groups == 1 && (z == 'e' || (z == 's' && y == 'e'))) continue;
            }
            out.push_back(at[k]);
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<Line> text_lines(const Spans& spans, double width, Face base, const std::string& lang, const Measure& measure,
                             Hyphenator& hyphenator, const LineOptions& options) {
    // Words: pieces between ordinary spaces; a hard break ends a line.
    std::vector<Item> items;
    bool open = false;  // the last word may take more pieces
    for (const Span& s : spans) {
        if (s.line_break) {
            items.push_back({{}, true});
            open = false;
            continue;
        }
        const Face f = face_of(s, base);
        std::string text = s.text;
        const std::string& span_lang = s.lang.empty() ? lang : s.lang;
        if (!s.code && s.link.empty()) {
            text = typographic(text, span_lang);
            if (span_lang == "fr") text = french_spacing(text);
        }
        std::size_t i = 0;
        while (i <= text.size()) {
            const std::size_t sp = text.find_first_of(" \n\t", i);
            const std::size_t end = sp == std::string::npos ? text.size() : sp;
            if (end > i) {
                Piece p{text.substr(i, end - i), f, s.link, 0, s.lang};
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
    // Each run of words between hard breaks is a paragraph of its own.
    std::size_t k = 0;
    for (;;) {
        std::vector<Word> words;
        while (k < items.size() && !items[k].hard_break) words.push_back(std::move(items[k++].word));
        if (words.empty()) {
            Line empty;
            empty.last = true;
            lines.push_back(empty);
        } else {
            Breaker breaker(words, width, space, lang, measure, hyphenator, options);
            std::vector<Line> set;
            if (options.justify) set = breaker.lines(true, measure);
            if (set.empty()) set = breaker.lines(false, measure);
            if (set.empty()) set = greedy_lines(std::move(words), width, space, lang, measure, hyphenator, options);
            for (Line& l : set) lines.push_back(std::move(l));
        }
        if (k >= items.size()) break;
        ++k;  // the hard break
    }
    return lines;
}

}  // namespace passerelle
