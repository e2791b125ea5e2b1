// What Kiwix's full-text index is given of a page (offline/search_text.h).
#include "offline/search_text.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace passerelle::offline {
namespace {

TEST(SearchTextTest, TheVisibleTextOfMainWithoutDrawingsScriptsOrForms) {
    const std::string html =
        "<html><head><title>L&#39;école · Passerelle</title></head><body><nav>Menu</nav><main id=\"main\"><h1>Latrines à l’école</h1>\n"
        "<p>Des <em>latrines</em>&nbsp;: 120&#8239;écoles &amp; 3 communes.</p><svg><text>Dakar</text></svg>"
        "<form><label>Rechercher</label></form><script>var x = 1;</script></main><footer>Pied</footer></body></html>";
    EXPECT_EQ(main_text(html), "Latrines à l’école Des latrines : 120 écoles & 3 communes.");
    EXPECT_EQ(page_title(html), "L'école");
    EXPECT_EQ(main_text("<p>Sans main</p>"), "Sans main");
}

TEST(SearchTextTest, EachWordIsAlsoGivenAsSearchFoldsIt) {
    const std::string text = searchable_text("L’École des écoles de Podor, l'école");
    EXPECT_EQ(text.rfind("L’École des écoles de Podor, l'école\n", 0), 0u) << "the text as written comes first";
    const std::string folded = text.substr(text.find('\n') + 1);
    EXPECT_NE(folded.find("ecole "), std::string::npos) << folded;   // "L’École" and "l'école" without accent or elision
    EXPECT_NE(folded.find("ecoles "), std::string::npos) << folded;
    std::vector<std::string> words;
    for (std::size_t at = 0, space; (space = folded.find(' ', at)) != std::string::npos; at = space + 1) words.push_back(folded.substr(at, space - at));
    EXPECT_EQ(std::count(words.begin(), words.end(), "ecole"), 1) << "each folded word once: " << folded;
    EXPECT_NE(folded.find("École "), std::string::npos) << "an elided word as written: 'école' finds 'l’école' " << folded;
    EXPECT_NE(folded.find("l'ecole "), std::string::npos) << "and folded whole: 'l’ecole' finds it too " << folded;
}

TEST(SearchTextTest, TheWordsAfterAnElisionAsWritten) {
    std::vector<std::string> words;
    for (const Elided& e : elided_words("L’école d'Agadir, aujourd'hui l'État qu’il rock'n'roll")) words.push_back(e.prefix + "|" + e.word);
    const std::vector<std::string> expected = {"l|école", "d|Agadir", "l|État", "qu|il"};
    EXPECT_EQ(words, expected);
    EXPECT_TRUE(elided_words("l' école, ' , d’").empty());
}

}  // namespace
}  // namespace passerelle::offline
