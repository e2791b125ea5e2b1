#include "core/snippet.h"

#include <algorithm>
#include <vector>

#include "core/fold.h"
#include "core/tokenizer.h"

namespace passerelle {

namespace {

struct Match {
    std::size_t begin, end;
    const std::string* stem;  // the query term it matched (a key of the stem table)
    double weight;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool is_ascii_head(std::string_view w) {
    return w.size() >= 2 && static_cast<unsigned char>(w[0]) < 0x80 && static_cast<unsigned char>(w[1]) < 0x80;
}

std::size_t head(std::string_view w) {
    return static_cast<std::size_t>(static_cast<unsigned char>(w[0])) << 8 | static_cast<unsigned char>(w[1]);
}

// Collects the words of a text that stem to a query term.
class MatchSink : public WordSink {
  public:
    MatchSink(const SnippetMaker& maker, const std::unordered_map<std::string, double>& stems,
              const SnippetMaker::StemFunction& stem)
        : m_maker(maker), m_stems(stems), m_stem(stem) {}

    void word(const std::string&) override {}
    void word_at(const std::string& w, std::size_t begin, std::size_t end) override {
        if (!m_maker.may_match(w)) return;
        const auto it = m_stems.find(m_stem(w));
        if (it != m_stems.end()) matches.push_back({begin, end, &it->first, it->second > 0 ? it->second : 1.0});
    }

    std::vector<Match> matches;

  private:
    const SnippetMaker& m_maker;
    const std::unordered_map<std::string, double>& m_stems;
    const SnippetMaker::StemFunction& m_stem;
};

// Back from `pos` to the start of a UTF-8 character.
std::size_t char_start(std::string_view text, std::size_t pos) {
    while (pos > 0 && pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) --pos;
    return pos;
}

// Where a passage that must show `first` should start: at the sentence around it when that
// sentence starts close enough before it, else at a word a little before it.
std::size_t passage_start(std::string_view text, std::size_t first, std::size_t context) {
    if (first <= context) return 0;
    const std::size_t from = first - context;
    for (std::size_t p = first; p > from; --p) {  // the nearest sentence end before the match
        const char c = text[p - 1];
        if ((c == '.' || c == '!' || c == '?' || c == '\n') && p < text.size() && is_space(text[p])) {
            std::size_t s = p;
            while (s < first && is_space(text[s])) ++s;
            return s;
        }
    }
    std::size_t s = from;
    while (s < first && !is_space(text[s])) ++s;  // the next word
    while (s < first && is_space(text[s])) ++s;
    return s < first ? s : char_start(text, from);
}

// Where a passage starting at `begin` ends: about `length` bytes on, at the end of a word, and
// never before `must_reach`.
std::size_t passage_end(std::string_view text, std::size_t begin, std::size_t length, std::size_t must_reach) {
    std::size_t end = begin + length;
    if (end >= text.size()) return text.size();
    end = std::max(end, must_reach);
    std::size_t e = end;
    while (e > must_reach && !is_space(text[e])) --e;
    return e > must_reach ? e : char_start(text, end);
}

double score(const std::vector<Match>& matches, std::size_t begin, std::size_t end) {
    std::vector<const std::string*> seen;
    double s = 0;
    for (const Match& m : matches) {
        if (m.begin < begin || m.end > end) continue;
        if (std::find(seen.begin(), seen.end(), m.stem) == seen.end()) {
            seen.push_back(m.stem);
            s += m.weight;
        } else {
            s += m.weight * 0.1;  // repeats count a little
        }
    }
    return s;
}

void append_escaped(std::string& out, std::string_view text, bool& last_was_space) {
    for (char c : text) {
        if (is_space(c)) {
            if (!last_was_space) out += ' ';
            last_was_space = true;
            continue;
        }
        last_was_space = false;
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            default: out += c;
        }
    }
}

}  // namespace

SnippetMaker::SnippetMaker(const std::unordered_map<std::string, double>& stems) : m_stems(stems) {
    for (const auto& [s, w] : m_stems) {
        if (s.size() < 2) m_short_stem = true;
        else m_heads.set(head(s));
    }
}

bool SnippetMaker::may_match(std::string_view w) const {
    if (m_stems.empty()) return false;
    if (m_short_stem) return true;
    const std::string_view bare = strip_elision(w);
    for (std::string_view form : {w, bare}) {
        if (!is_ascii_head(form)) return true;  // accents, ligatures: folding decides
        if (m_heads.test(head(form))) return true;
    }
    return false;
}

std::string SnippetMaker::make(std::string_view text, const StemFunction& stem, const SnippetStyle& style,
                               bool more_follows, std::size_t* found) const {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    MatchSink sink(*this, m_stems, stem);
    tokenize(text, sink);
    const std::vector<Match>& matches = sink.matches;

    std::size_t begin = 0, end = passage_end(text, 0, style.length, 0);
    if (end < text.size() && !matches.empty()) {
        double best = -1;
        for (const Match& anchor : matches) {
            const std::size_t b = passage_start(text, anchor.begin, style.length / 4);
            const std::size_t e = passage_end(text, b, style.length, anchor.end);
            const double s = score(matches, b, e);
            if (s > best) best = s, begin = b, end = e;
        }
    }

    if (found) {
        std::vector<const std::string*> seen;
        for (const Match& m : matches)
            if (m.begin >= begin && m.end <= end && std::find(seen.begin(), seen.end(), m.stem) == seen.end()) seen.push_back(m.stem);
        *found = seen.size();
    }
    std::string out;
    out.reserve(end - begin + 64);
    if (begin > 0) out += style.omit;
    bool last_was_space = false;
    std::size_t pos = begin;
    for (const Match& m : matches) {
        if (m.begin < begin || m.end > end) continue;
        append_escaped(out, text.substr(pos, m.begin - pos), last_was_space);
        out += style.mark_start;
        append_escaped(out, text.substr(m.begin, m.end - m.begin), last_was_space);
        out += style.mark_end;
        pos = m.end;
    }
    append_escaped(out, text.substr(pos, end - pos), last_was_space);
    if (end < text.size() || more_follows) {
        while (!out.empty() && out.back() == ' ') out.pop_back();
        out += style.omit;
    }
    return out;
}

}  // namespace passerelle
