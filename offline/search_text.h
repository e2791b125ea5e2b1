// What Kiwix's full-text search reads of a page. libzim 8.1.1 indexes the text it is given
// word for word, and kiwix-serve 3.3.0 looks a query up as typed: "école" does not find
// "ecole", "ecole" does not find "école", and "l'école" is one word that neither finds. So the
// text of each page is given as written, followed once by each of its words folded (accents
// and elisions removed, core/fold.h) and by each elided word as written: then "ecole",
// "école", "École", "l'école" and "écoles" all find a page that says "l’école". docs/offline.md gives the choice of French rules for the index.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle::offline {

// The visible text of `html`'s <main> (the whole body when there is none): tags, scripts,
// styles, drawings (svg) and forms left out, entities decoded, white space collapsed.
std::string main_text(std::string_view html);

// `text`, then a line of its distinct words as search folds them ("l’École" -> "ecole"), and
// of its elided words as written ("École") and folded whole ("l'ecole").
std::string searchable_text(const std::string& text);

// The words of `text` that follow a French elision, as written, with the elision lower-cased:
// "L’école d'Agadir" -> {{"l", "école"}, {"d", "Agadir"}}; "aujourd'hui" gives nothing.
struct Elided {
    std::string prefix, word;
};
std::vector<Elided> elided_words(std::string_view text);

// The code point HTML entity `name` (without '&' and ';') stands for: the five escape_html()
// writes, nbsp, and numeric ones; nothing for any other.
std::optional<long> html_entity(std::string_view name);

// The page's <title>, without the site's name after " · ".
std::string page_title(std::string_view html);

}  // namespace passerelle::offline
