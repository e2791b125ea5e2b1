#include "core/document_reader.h"

#include <gtest/gtest.h>

#include "support/vocab.h"

namespace passerelle {
namespace {

using test::bundled_vocabularies;

const char* k_valid = R"(---
id: gp-biogas
lang: fr
kind: good_practice
title: "Biodigesteurs : associer les maraîchères"
summary: Les plateformes de biogaz de Cas-Cas.
date: 2019-06
visibility: partners
countries: [SN]
places: [Cas-Cas, Saint-Louis]
themes: [energy, agriculture]
sectors: ["23210"]
phase: capacity-building
project: pr-paer
partners:
  - {name: ARD Saint-Louis, role: maître d'ouvrage délégué}
  - GERES
funders: [AFD]
authors: [Le Partenariat]
indicators:
  - {name: Biodigesteurs construits, value: 60, unit: biodigester, year: 2021}
tags: [biogaz]
status: published
---
# Contexte

Le **biogaz** remplace le bois.
)";

struct Read {
    std::optional<Document> doc;
    std::vector<std::string> messages;
};

Read read_md(const std::string& text, const std::string& path = "content/practices/gp-biogas.fr.md") {
    DiagnosticSink sink;
    Read r{read_markdown_document(text, path, bundled_vocabularies(), sink), {}};
    for (const auto& d : sink.take()) r.messages.push_back(d.str());
    return r;
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
    const auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
}

TEST(DocumentReaderTest, ReadsEveryFieldOfAValidNote) {
    const Read r = read_md(k_valid);
    ASSERT_TRUE(r.doc.has_value());
    EXPECT_TRUE(r.messages.empty());
    const Document& d = *r.doc;
    EXPECT_EQ(d.id, "gp-biogas");
    EXPECT_EQ(d.lang, "fr");
    EXPECT_EQ(d.kind, "good_practice");
    EXPECT_EQ(d.title, "Biodigesteurs : associer les maraîchères");
    EXPECT_EQ(d.date, "2019-06");
    EXPECT_EQ(d.year, 2019);
    EXPECT_EQ(d.visibility, "partners");
    EXPECT_EQ(d.countries, std::vector<std::string>{"SN"});
    EXPECT_EQ(d.places.size(), 2u);
    EXPECT_EQ(d.sectors, std::vector<std::string>{"23210"});
    EXPECT_EQ(d.phase, "capacity-building");
    EXPECT_EQ(d.project, "pr-paer");
    ASSERT_EQ(d.partners.size(), 2u);
    EXPECT_EQ(d.partners[0].role, "maître d'ouvrage délégué");
    EXPECT_EQ(d.partners[1].name, "GERES");
    ASSERT_EQ(d.indicators.size(), 1u);
    EXPECT_EQ(d.indicators[0].value, 60);
    EXPECT_EQ(d.indicators[0].year, 2021);
    EXPECT_NE(d.body.find("**biogaz**"), std::string::npos);
    EXPECT_EQ(d.all_themes, (std::vector<std::string>{"energy", "agriculture"}));
    EXPECT_EQ(d.hash.size(), 64u);
}

TEST(DocumentReaderTest, MissingVisibilityMeansInternal) {
    const Read r = read_md(replace(k_valid, "visibility: partners\n", ""));
    ASSERT_TRUE(r.doc.has_value());
    EXPECT_EQ(r.doc->visibility, "internal");
}

TEST(DocumentReaderTest, DraftsAreInternalWhateverTheyDeclare) {
    const Read r = read_md(replace(replace(k_valid, "status: published", "status: draft"), "visibility: partners",
                                   "visibility: public"));
    ASSERT_TRUE(r.doc.has_value());
    EXPECT_EQ(r.doc->effective_visibility(), "internal");
}

TEST(DocumentReaderTest, ThemesFollowFromSectors) {
    const Read r = read_md(replace(replace(k_valid, "themes: [energy, agriculture]\n", ""), "[\"23210\"]",
                                   "[\"14030\", \"140\"]"));
    ASSERT_TRUE(r.doc.has_value());
    EXPECT_EQ(r.doc->themes.size(), 0u);
    EXPECT_EQ(r.doc->all_themes, std::vector<std::string>{"water"});
}

TEST(DocumentReaderTest, UnknownThemeSuggestsTheNearest) {
    const Read r = read_md(replace(k_valid, "themes: [energy, agriculture]", "themes: [energy, watr]"));
    EXPECT_FALSE(r.doc.has_value());
    ASSERT_EQ(r.messages.size(), 1u);
    EXPECT_EQ(r.messages[0], "content/practices/gp-biogas.fr.md:11:18: error: unknown theme 'watr' (did you mean 'water'?)");
}

TEST(DocumentReaderTest, UnknownKindListsTheKinds) {
    const Read r = read_md(replace(k_valid, "kind: good_practice", "kind: note"));
    ASSERT_EQ(r.messages.size(), 1u);
    EXPECT_EQ(r.messages[0],
              "content/practices/gp-biogas.fr.md:4:7: error: unknown kind 'note' (expected one of: project, report, "
              "good_practice, lesson, evaluation, guide)");
}

TEST(DocumentReaderTest, MissingRequiredField) {
    const Read r = read_md(replace(k_valid, "title: \"Biodigesteurs : associer les maraîchères\"\n", ""));
    ASSERT_EQ(r.messages.size(), 1u);
    EXPECT_EQ(r.messages[0], "content/practices/gp-biogas.fr.md:1:1: error: missing required field 'title'");
}

TEST(DocumentReaderTest, AnIndicatorMayCarryItsTargetWhichMustBeANumber) {
    const std::string line = "  - {name: Biodigesteurs construits, value: 60, unit: biodigester, year: 2021}";
    const Read r = read_md(replace(k_valid, line, "  - {name: Biodigesteurs construits, value: 60, unit: biodigester, year: 2021, target: 80}"));
    ASSERT_TRUE(r.doc.has_value());
    ASSERT_TRUE(r.doc->indicators.at(0).target.has_value());
    EXPECT_EQ(*r.doc->indicators[0].target, 80);
    EXPECT_FALSE(read_md(k_valid).doc->indicators.at(0).target.has_value());
    const Read bad = read_md(replace(k_valid, line, "  - {name: Biodigesteurs construits, value: 60, target: beaucoup}"));
    ASSERT_EQ(bad.messages.size(), 1u);
    EXPECT_EQ(bad.messages[0], "content/practices/gp-biogas.fr.md:21:57: error: indicator 'Biodigesteurs construits': 'target' must be a number");
}

TEST(DocumentReaderTest, BadDates) {
    for (const char* bad : {"2019-13", "2019-02-30", "19", "2019/06", "2019-6"}) {
        const Read r = read_md(replace(k_valid, "date: 2019-06", std::string("date: ") + bad));
        ASSERT_EQ(r.messages.size(), 1u) << bad;
        EXPECT_EQ(r.messages[0], std::string("content/practices/gp-biogas.fr.md:7:7: error: bad date '") + bad +
                                     "' (expected YYYY, YYYY-MM or YYYY-MM-DD)");
    }
    EXPECT_TRUE(read_md(replace(k_valid, "date: 2019-06", "date: 2020-02-29")).doc.has_value());
}

TEST(DocumentReaderTest, BadCountryCode) {
    const Read r = read_md(replace(k_valid, "countries: [SN]", "countries: [SN, SEN]"));
    ASSERT_EQ(r.messages.size(), 1u);
    EXPECT_EQ(r.messages[0],
              "content/practices/gp-biogas.fr.md:9:17: error: bad country code 'SEN' (expected an ISO 3166-1 alpha-2 "
              "code such as 'SN')");
}

TEST(DocumentReaderTest, LowerCaseCountryCodesAreAccepted) {
    const Read r = read_md(replace(k_valid, "countries: [SN]", "countries: [sn, ma]"));
    ASSERT_TRUE(r.doc.has_value());
    EXPECT_EQ(r.doc->countries, (std::vector<std::string>{"SN", "MA"}));
}

TEST(DocumentReaderTest, UnknownSectorAndPhase) {
    const Read r = read_md(replace(replace(k_valid, "\"23210\"", "\"99999\""), "phase: capacity-building",
                                   "phase: capacity-bulding"));
    ASSERT_EQ(r.messages.size(), 2u);
    EXPECT_EQ(r.messages[0],
              "content/practices/gp-biogas.fr.md:12:11: error: unknown sector '99999' (not an OECD DAC purpose code "
              "or category)");
    EXPECT_EQ(r.messages[1],
              "content/practices/gp-biogas.fr.md:13:8: error: unknown phase 'capacity-bulding' (did you mean "
              "'capacity-building'?)");
}

TEST(DocumentReaderTest, UnknownFieldIsAWarningAndTheDocumentStays) {
    const Read r = read_md(replace(k_valid, "tags: [biogaz]", "tags: [biogaz]\nautors: [X]"));
    ASSERT_TRUE(r.doc.has_value());
    ASSERT_EQ(r.messages.size(), 1u);
    EXPECT_EQ(r.messages[0],
              "content/practices/gp-biogas.fr.md:23:9: warning: unknown field 'autors' (did you mean 'authors'?)");
}

TEST(DocumentReaderTest, UnterminatedFrontMatter) {
    const Read r = read_md("---\nid: x\nlang: fr\n\nno closing line\n");
    ASSERT_EQ(r.messages.size(), 1u);
    EXPECT_EQ(r.messages[0],
              "content/practices/gp-biogas.fr.md:1:1: error: unterminated front matter (no closing '---' line)");
}

TEST(DocumentReaderTest, MissingFrontMatter) {
    const Read r = read_md("# Just a heading\n");
    ASSERT_EQ(r.messages.size(), 1u);
    EXPECT_EQ(r.messages[0],
              "content/practices/gp-biogas.fr.md:1:1: error: missing front matter (the file must start with a '---' line)");
}

TEST(DocumentReaderTest, InvalidUtf8NamesLineAndColumn) {
    const Read r = read_md(replace(k_valid, "Le **biogaz**", "Le \xFF**biogaz**"));
    ASSERT_EQ(r.messages.size(), 1u);
    EXPECT_EQ(r.messages[0], "content/practices/gp-biogas.fr.md:27:4: error: invalid UTF-8 (byte 0xFF)");
}

TEST(DocumentReaderTest, YamlSyntaxErrorNamesItsLine) {
    const Read r = read_md(replace(k_valid, "countries: [SN]", "countries: [SN"));
    EXPECT_FALSE(r.doc.has_value());
    ASSERT_EQ(r.messages.size(), 1u);
    EXPECT_EQ(r.messages[0].rfind("content/practices/gp-biogas.fr.md:", 0), 0u);
    EXPECT_NE(r.messages[0].find(": error: invalid YAML: "), std::string::npos);
}

TEST(DocumentReaderTest, FileNameMustMatchIdAndLang) {
    const Read r = read_md(k_valid, "content/practices/gp-biogaz.en.md");
    ASSERT_EQ(r.messages.size(), 2u);
    EXPECT_EQ(r.messages[0],
              "content/practices/gp-biogaz.en.md:2:5: error: id 'gp-biogas' does not match the file name (expected "
              "'gp-biogaz')");
    EXPECT_EQ(r.messages[1],
              "content/practices/gp-biogaz.en.md:3:7: error: lang 'fr' does not match the file name (expected 'en')");
}

TEST(DocumentReaderTest, ByteOrderMarkAndCrlfAreAccepted) {
    std::string crlf;
    for (char c : std::string(k_valid)) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    const Read r = read_md("\xEF\xBB\xBF" + crlf);
    ASSERT_TRUE(r.doc.has_value()) << (r.messages.empty() ? "" : r.messages[0]);
    EXPECT_EQ(r.doc->title, "Biodigesteurs : associer les maraîchères");
}

TEST(DocumentReaderTest, JsonLinesRecordWithYearAndBody) {
    DiagnosticSink sink;
    const auto doc = read_jsonl_document(
        R"({"id": "US-GOV-1-519-22/REG", "lang": "en", "title": "Wells", "body": "Boreholes *drilled*.", )"
        R"("kind": "project", "countries": ["SN"], "sectors": ["14031"], "year": 2015, "visibility": "public"})",
        "bulk.jsonl", 7, bundled_vocabularies(), sink);
    ASSERT_TRUE(doc.has_value());
    EXPECT_EQ(sink.error_count(), 0u);
    EXPECT_EQ(doc->id, "US-GOV-1-519-22/REG");
    EXPECT_EQ(doc->year, 2015);
    EXPECT_EQ(doc->date, "2015");
    EXPECT_EQ(doc->body, "Boreholes *drilled*.");
    EXPECT_EQ(doc->origin.line, 7);
    EXPECT_EQ(doc->all_themes, std::vector<std::string>{"water"});
}

TEST(DocumentReaderTest, JsonLinesErrorsNameFileLineAndColumn) {
    DiagnosticSink sink;
    const auto doc = read_jsonl_document(R"({"id": "x", "lang": "en", "kind": "project", "title": "T", "date": "2019-13"})",
                                         "bulk.jsonl", 12, bundled_vocabularies(), sink);
    EXPECT_FALSE(doc.has_value());
    auto items = sink.take();
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].str(), "bulk.jsonl:12:60: error: bad date '2019-13' (expected YYYY, YYYY-MM or YYYY-MM-DD)");
}

// Bulk records come from other systems: an IATI region code among the countries is kept as a
// place, named in the record's language; other unknown codes are warnings at their field, and
// the record is indexed without them.
TEST(DocumentReaderTest, BulkRecordsKeepRegionsAsPlacesAndLeaveUnknownCodesOut) {
    DiagnosticSink sink;
    const auto doc = read_jsonl_document(R"({"id": "x", "lang": "fr", "kind": "project", "title": "T", )"
                                         R"("countries": ["SN", "289", "1000", "XX"], "sectors": ["14030", "99999", "abc"]})",
                                         "bulk.jsonl", 7, bundled_vocabularies(), sink);
    ASSERT_TRUE(doc.has_value());
    EXPECT_EQ(doc->countries, std::vector<std::string>{"SN"});
    EXPECT_EQ(doc->places, std::vector<std::string>{"Sud du Sahara, régional"});
    EXPECT_EQ(doc->sectors, std::vector<std::string>{"14030"});
    std::vector<std::string> messages;
    for (const auto& d : sink.take()) messages.push_back(d.str());
    EXPECT_EQ(messages, (std::vector<std::string>{
                            "bulk.jsonl:7:60: warning: unknown country code '1000': the record is indexed without it",
                            "bulk.jsonl:7:60: warning: unknown country code 'XX': the record is indexed without it",
                            "bulk.jsonl:7:102: warning: unknown sector '99999': the record is indexed without it",
                            "bulk.jsonl:7:102: warning: bad sector 'abc': the record is indexed without it",
                        }));
    // In English, the region's English name; named twice, it is one place.
    const auto en = read_jsonl_document(R"({"id": "y", "lang": "en", "kind": "project", "title": "T", "countries": ["289", "289"]})",
                                        "bulk.jsonl", 8, bundled_vocabularies(), sink);
    ASSERT_TRUE(en.has_value());
    EXPECT_EQ(en->places, std::vector<std::string>{"South of Sahara, regional"});
}

// Markdown in content/ stays strict: the same codes are errors, each with what to write.
TEST(DocumentReaderTest, ContentCountryAndSectorErrorsSayWhatToWrite) {
    const Read r = read_md(replace(replace(k_valid, "countries: [SN]", "countries: [Sénégal, \"289\", Morocco]"), "\"23210\"",
                                   "\"23211\""));
    ASSERT_FALSE(r.doc.has_value());
    ASSERT_EQ(r.messages.size(), 4u);
    EXPECT_EQ(r.messages[0], "content/practices/gp-biogas.fr.md:9:13: error: bad country code 'Sénégal' (did you mean 'SN'?)");
    EXPECT_EQ(r.messages[1],
              "content/practices/gp-biogas.fr.md:9:24: error: bad country code '289' (an IATI region code, 'South of Sahara, "
              "regional': name the region under 'places')");
    EXPECT_EQ(r.messages[2], "content/practices/gp-biogas.fr.md:9:31: error: bad country code 'Morocco' (did you mean 'MA'?)");
    EXPECT_EQ(r.messages[3],
              "content/practices/gp-biogas.fr.md:12:11: error: unknown sector '23211' (not an OECD DAC purpose code or "
              "category; did you mean '23210'?)");
}

TEST(DocumentReaderTest, JsonLinesSyntaxError) {
    DiagnosticSink sink;
    EXPECT_FALSE(read_jsonl_document(R"({"id": "x", "lang": )", "bulk.jsonl", 3, bundled_vocabularies(), sink));
    auto items = sink.take();
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].str().rfind("bulk.jsonl:3:", 0), 0u);
    EXPECT_NE(items[0].str().find("error: invalid JSON: syntax error"), std::string::npos);
}

// Found by fuzzing (tests/fuzz/fuzz_jsonl_record): nlohmann reports a number too large for a
// double as out_of_range, not parse_error; it escaped and stopped the whole index run.
TEST(DocumentReaderTest, JsonLinesNumberTooLargeIsAnErrorAtItsLine) {
    DiagnosticSink sink;
    EXPECT_FALSE(read_jsonl_document(R"({"id": "x", "lang": "en", "kind": "project", "title": "T", "year": 1E99999})",
                                     "bulk.jsonl", 4, bundled_vocabularies(), sink));
    auto items = sink.take();
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].str(), "bulk.jsonl:4:1: error: invalid JSON: number overflow parsing '1E99999'");
}

TEST(DocumentReaderTest, IdsLikePathsAreRejected) {
    DiagnosticSink sink;
    EXPECT_FALSE(read_jsonl_document(R"({"id": "../../etc/passwd", "lang": "en", "kind": "project", "title": "T"})",
                                     "bulk.jsonl", 1, bundled_vocabularies(), sink));
    EXPECT_EQ(sink.take().at(0).str(),
              "bulk.jsonl:1:2: error: bad id '../../etc/passwd' (1 to 200 characters, no control characters, no "
              "surrounding spaces, nothing like a file path such as '../')");
}

}  // namespace
}  // namespace passerelle
