#include "generator/hyphenator.h"

#include <hyphen.h>

#include <cctype>

#include "core/diagnostics.h"

namespace passerelle {

struct Hyphenator::Dict {
    HyphenDict* dict = nullptr;
    ~Dict() {
        if (dict) hnj_hyphen_free(dict);
    }
};

namespace {

const char* pattern_file(const std::string& lang) {
    return lang == "fr" ? "/usr/share/hyphen/hyph_fr.dic" : lang == "en" ? "/usr/share/hyphen/hyph_en_US.dic" : nullptr;
}

}  // namespace

Hyphenator::Hyphenator() = default;

Hyphenator::~Hyphenator() {
    for (auto& [lang, loading] : m_loading)  // patterns nobody asked for after all
        if (auto* d = static_cast<HyphenDict*>(loading.get())) hnj_hyphen_free(d);
}

void Hyphenator::preload(const std::vector<std::string>& langs) {
    for (const std::string& lang : langs) {
        const char* path = pattern_file(lang);
        if (!path || m_dicts.count(lang) || m_loading.count(lang)) continue;
        m_loading[lang] = std::async(std::launch::async, [path] { return static_cast<void*>(hnj_hyphen_load(path)); });
    }
}

Hyphenator::Dict* Hyphenator::dict(const std::string& lang) {
    auto it = m_dicts.find(lang);
    if (it != m_dicts.end()) return it->second.get();
    auto d = std::make_unique<Dict>();
    const char* path = pattern_file(lang);
    if (path) {
        const auto loading = m_loading.find(lang);
        if (loading != m_loading.end()) {
            d->dict = static_cast<HyphenDict*>(loading->second.get());
            m_loading.erase(loading);
        } else {
            d->dict = hnj_hyphen_load(path);
        }
        if (!d->dict) throw Error(std::string(path) + ": cannot load the hyphenation patterns (install hyphen-" +
                                  (lang == "fr" ? "fr" : "en-us") + ")");
    }
    return m_dicts.emplace(lang, std::move(d)).first->second.get();
}

std::vector<std::size_t> Hyphenator::points(std::string_view word, const std::string& lang) {
    std::vector<std::size_t> out;
    std::size_t letters = 0;
    for (unsigned char c : word) {
        if (std::isdigit(c)) return out;
        if ((c & 0xC0) != 0x80) ++letters;
    }
    if (letters < 5) return out;
    Dict* d = dict(lang);
    if (!d->dict) return out;
    const std::string w(word);
    std::vector<char> hyphens(w.size() + 5, 0), hword(2 * w.size() + 1, 0);
    char** rep = nullptr;
    int* pos = nullptr;
    int* cut = nullptr;
    hnj_hyphen_hyphenate2(d->dict, w.c_str(), static_cast<int>(w.size()), hyphens.data(), hword.data(), &rep, &pos, &cut);
    // With UTF-8 patterns the vector is indexed by character: map characters back to bytes.
    std::size_t ch = 0;
    for (std::size_t b = 0; b < w.size(); ++b) {
        if ((static_cast<unsigned char>(w[b]) & 0xC0) == 0x80) continue;
        std::size_t end = b + 1;
        while (end < w.size() && (static_cast<unsigned char>(w[end]) & 0xC0) == 0x80) ++end;
        if (ch < hyphens.size() && (hyphens[ch] & 1) && end < w.size()) out.push_back(end);
        ++ch;
    }
    if (rep) {
        for (std::size_t i = 0; i < w.size(); ++i) free(rep[i]);
        free(rep);
    }
    free(pos);
    free(cut);
    return out;
}

}  // namespace passerelle
