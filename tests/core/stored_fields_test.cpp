#include "core/stored_fields.h"

#include <gtest/gtest.h>

namespace passerelle {
namespace {

Document sample() {
    Document d;
    d.id = "p/1";
    d.lang = "fr";
    d.kind = "lesson";
    d.title = "Latrines « propres » de l’école \"n°2\" \\ fin";
    d.date = "2019-05";
    d.year = 2019;
    d.visibility = "partners";
    d.countries = {"SN", "GN"};
    d.all_themes = {"water", "education"};
    d.summary = "Résumé.";
    return d;
}

TEST(StoredFieldsTest, HitValueRoundTrips) {
    const auto value = encode_hit_value(sample(), "Corps du texte.\nDeuxième ligne.");
    const auto [f, text] = decode_hit_value(value);
    EXPECT_EQ(f.id, "p/1");
    EXPECT_EQ(f.lang, "fr");
    EXPECT_EQ(f.kind, "lesson");
    EXPECT_EQ(f.title, sample().title);
    EXPECT_EQ(f.date, "2019-05");
    EXPECT_EQ(f.year, 2019);
    EXPECT_EQ(f.visibility, "partners");
    EXPECT_EQ(f.countries, (std::vector<std::string>{"SN", "GN"}));
    EXPECT_EQ(f.themes, (std::vector<std::string>{"water", "education"}));
    EXPECT_EQ(text, "Résumé.\nCorps du texte.\nDeuxième ligne.");
}

TEST(StoredFieldsTest, DraftsAreStoredAsInternal) {
    Document d = sample();
    d.status = "draft";
    EXPECT_EQ(decode_stored_fields(encode_stored_fields(d)).visibility, "internal");
}

TEST(StoredFieldsTest, UnknownAndNestedKeysAreSkipped) {
    const StoredFields f = decode_stored_fields(
        R"({"extra": {"id": "no", "countries": ["XX"]}, "id": "a", "list": [["x"], {"title": "no"}], "themes": ["t"], "year": 2001})");
    EXPECT_EQ(f.id, "a");
    EXPECT_EQ(f.title, "");
    EXPECT_TRUE(f.countries.empty());
    EXPECT_EQ(f.themes, std::vector<std::string>{"t"});
    EXPECT_EQ(f.year, 2001);
}

TEST(StoredFieldsTest, MalformedValueGivesEmptyFields) {
    const StoredFields f = decode_stored_fields(R"({"id": "a", "title": )");
    EXPECT_EQ(f.id, "");
    EXPECT_EQ(f.title, "");
    EXPECT_EQ(decode_hit_value("not json").first.id, "");
}

TEST(StoredFieldsTest, SnippetSourceIsCutAtACharacterBoundary) {
    const std::string body(k_max_snippet_source - 1, 'a');
    const std::string text = snippet_source("", body + "é");
    EXPECT_EQ(text, body + "…");  // "é" would straddle the limit
    EXPECT_EQ(snippet_source("Court.", "Texte."), "Court.\nTexte.");
}

}  // namespace
}  // namespace passerelle
