#include "server/json_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/json_views.h"
#include "support/vocab.h"

namespace passerelle::http {
namespace {

TEST(JsonWriterTest, PlacesCommasAndNests) {
    JsonWriter w;
    w.begin_object().key("a").value(1LL).key("b").begin_array().value("x").null().value(2.5).end_array();
    w.key("c").begin_object().end_object().key("d").strings({"p", "q"}).end_object();
    EXPECT_EQ(w.str(), R"({"a":1,"b":["x",null,2.5],"c":{},"d":["p","q"]})");
}

TEST(JsonWriterTest, EscapesWhatJsonRequires) {
    JsonWriter w;
    const std::string in = "q\"b\\s/\n\r\t\b\f\x01\x1f é</script>";
    w.value(in);
    EXPECT_EQ(w.str(), "\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\\u001f é</script>\"");
    EXPECT_EQ(nlohmann::json::parse(w.str()).get<std::string>(), in);
}

TEST(JsonWriterTest, InvalidUtf8BecomesReplacementCharacters) {
    JsonWriter w;
    w.value("a\xC3(b\xFF\xE2\x82" "c\xF0\x9F\x98\x80");
    EXPECT_EQ(w.str(), "\"a\xEF\xBF\xBD(b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "c\xF0\x9F\x98\x80\"");
    EXPECT_TRUE(nlohmann::json::accept(w.str()));
}

TEST(JsonWriterTest, NumbersReadBackTheSame) {
    JsonWriter w;
    w.begin_array().value(0.1).value(12.345678901234567).value(-3LL).value(1e300).end_array();
    const auto j = nlohmann::json::parse(w.str());
    EXPECT_EQ(j[0].get<double>(), 0.1);
    EXPECT_EQ(j[1].get<double>(), 12.345678901234567);
    EXPECT_EQ(j[2].get<long>(), -3);
    EXPECT_EQ(j[3].get<double>(), 1e300);
}

TEST(JsonWriterTest, SearchResponseHasTheHitsOfHitJsonAndLabelledFacets) {
    SearchResult r;
    r.total = 42;
    SearchHit h;
    h.id = "p/1";
    h.lang = "fr";
    h.kind = "report";
    h.title = "Latrines \"<b>\"";
    h.snippet = "<mark>latrines</mark> de l’école";
    h.countries = {"SN"};
    h.themes = {"water"};
    h.translations = {"en"};
    h.score = 3.25;
    r.hits = {h, h};
    r.hits[1].year = 2019;
    r.facets["theme"] = {{"water", 40}};
    r.facets["country"] = {{"SN", 30}, {"MA", 12}};
    const auto j = nlohmann::ordered_json::parse(search_json(r, 2, 10, "https://x.org", test::bundled_vocabularies(), "fr"));
    EXPECT_EQ(j["total"], 42);
    EXPECT_EQ(j["page"], 2);
    EXPECT_EQ(j["per_page"], 10);
    ASSERT_EQ(j["hits"].size(), 2u);
    // A search hit is hit_json's, and says whether it matches every concept of the query.
    for (std::size_t i = 0; i < 2; ++i) {
        auto expected = nlohmann::ordered_json::parse(hit_json(r.hits[i], "https://x.org").dump());
        EXPECT_EQ(j["hits"][i]["all_words"], false);
        auto got = j["hits"][i];
        got.erase("all_words");
        EXPECT_EQ(got, expected) << i;
    }
    EXPECT_EQ(j["facets"]["country"][0]["label"], "Sénégal");
    EXPECT_EQ(j["facets"]["country"][1]["count"], 12);
    EXPECT_EQ(j["facets"]["theme"][0]["value"], "water");
    EXPECT_TRUE(j["facets"]["kind"].is_array());
    EXPECT_TRUE(j["facets"]["kind"].empty());
    EXPECT_TRUE(j["suggestion"].is_null());
    std::vector<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"total", "total_all_words", "total_exact", "page", "per_page", "hits", "facets",
                                              "suggestion", "corrected", "lang_pref", "missing_shards"}));
}

}  // namespace
}  // namespace passerelle::http
