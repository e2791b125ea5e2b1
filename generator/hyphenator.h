// Hyphenation points of words, from Debian's hyphen patterns through libhyphen (the only file
// that includes it). French uses hyph_fr.dic, English hyph_en_US.dic.
#pragma once

#include <future>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle {

class Hyphenator {
  public:
    Hyphenator();
    ~Hyphenator();
    Hyphenator(const Hyphenator&) = delete;
    Hyphenator& operator=(const Hyphenator&) = delete;

    // Starts loading the patterns of `langs` on other threads (a French pattern file takes
    // some 20 ms to read), so that they are ready when first needed.
    void preload(const std::vector<std::string>& langs);

    // Byte offsets in `word` after which it may be broken with a hyphen, for `lang` (fr or en;
    // others: none). Words with digits, or shorter than five letters, are never broken.
    std::vector<std::size_t> points(std::string_view word, const std::string& lang);

  private:
    struct Dict;
    Dict* dict(const std::string& lang);
    std::map<std::string, std::unique_ptr<Dict>> m_dicts;
    std::map<std::string, std::future<void*>> m_loading;  // patterns being read (HyphenDict*)
};

}  // namespace passerelle
