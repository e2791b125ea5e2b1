// The bounded YAML adapter: what a hostile text is refused for, and where; what ordinary YAML
// still gives. Messages and positions are pinned (file lines: front matter starts on line 2).
#include "core/yaml.h"

#include <gtest/gtest.h>

#include "core/front_matter.h"
#include "core/limits.h"

namespace passerelle {
namespace {

// The diagnostics of parsing `text`, one "file:line:col: severity: message" a line.
std::string diagnostics_of(const std::string& text, YamlKind kind = YamlKind::front_matter, bool* parsed = nullptr) {
    DiagnosticSink sink;
    const auto v = parse_yaml_text(text, "x.fr.md", 2, kind, sink);
    if (parsed) *parsed = v.has_value();
    std::string out;
    for (const auto& d : sink.take()) out += d.str() + "\n";
    return out;
}

// Nine levels, each a list of nine references to the level above: 9^9 values once expanded.
std::string billion_laughs() {
    std::string y = "id: x\nlang: fr\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
    for (char level = 'b'; level <= 'i'; ++level) {
        const char prev = static_cast<char>(level - 1);
        y += std::string(1, level) + ": &" + level + " [";
        for (int i = 0; i < 9; ++i) y += std::string(i ? "," : "") + "*" + prev;
        y += "]\n";
    }
    return y;
}

TEST(YamlTest, AliasesAreRefusedAtTheFirstOne) {
    bool parsed = true;
    EXPECT_EQ(diagnostics_of(billion_laughs(), YamlKind::front_matter, &parsed),
              "x.fr.md:5:8: error: YAML aliases are not allowed in front matter\n");
    EXPECT_FALSE(parsed);
    EXPECT_EQ(diagnostics_of("title: &t Puits\nsummary: *t\n"), "x.fr.md:3:10: error: YAML aliases are not allowed in front matter\n");
}

TEST(YamlTest, EachKindNamesWhereAliasesAreRefused) {
    EXPECT_EQ(diagnostics_of(billion_laughs(), YamlKind::guide_definition),
              "x.fr.md:5:8: error: YAML aliases are not allowed in guide definitions\n");
    EXPECT_EQ(diagnostics_of(billion_laughs(), YamlKind::configuration),
              "x.fr.md:5:8: error: YAML aliases are not allowed in the configuration file\n");
}

TEST(YamlTest, MergeKeysAreRefused) {
    EXPECT_EQ(diagnostics_of("base: &b {lang: fr}\nother:\n  <<: *b\n"),
              "x.fr.md:4:3: error: YAML merge keys ('<<') are not allowed in front matter\n");
    // Even without an alias after it.
    EXPECT_EQ(diagnostics_of("other: {<<: {lang: fr}}\n"),
              "x.fr.md:2:9: error: YAML merge keys ('<<') are not allowed in front matter\n");
}

TEST(YamlTest, TagsAreRefused) {
    EXPECT_EQ(diagnostics_of("id: x\nimage: !!binary R0lGODlhAQABAAAAACw=\n"),
              "x.fr.md:3:8: error: YAML tags ('!!binary') are not allowed in front matter\n");
    EXPECT_EQ(diagnostics_of("id: !!str 12\n"), "x.fr.md:2:5: error: YAML tags ('!!str') are not allowed in front matter\n");
    EXPECT_EQ(diagnostics_of("tags: !custom [a]\n"), "x.fr.md:2:7: error: YAML tags ('!custom') are not allowed in front matter\n");
    EXPECT_EQ(diagnostics_of("m: !!map {a: 1}\n"), "x.fr.md:2:4: error: YAML tags ('!!map') are not allowed in front matter\n");
}

TEST(YamlTest, DeepFlowAndBlockNestingStopAtTheLimit) {
    const std::string flow = "tags: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
    EXPECT_EQ(diagnostics_of(flow), "x.fr.md:2:70: error: front matter nested deeper than 64 levels\n");
    std::string block;
    for (int i = 0; i < 70; ++i) block += std::string(static_cast<std::size_t>(2 * i), ' ') + "k" + std::to_string(i) + ":\n";
    EXPECT_EQ(diagnostics_of(block), "x.fr.md:66:129: error: front matter nested deeper than 64 levels\n");
}

TEST(YamlTest, TheNumberOfValuesIsBounded) {
    std::string many = "tags: [";
    for (std::size_t i = 0; i < limits::k_yaml_values; ++i) many += i ? ",1" : "1";
    many += "]\n";
    EXPECT_EQ(diagnostics_of(many), "x.fr.md:2:40002: error: front matter holds more than 20000 values\n");
}

TEST(YamlTest, LongTextsAreBoundedBySize) {
    const std::string big = "intro: " + std::string(limits::k_yaml_bytes, 'x') + "\n";
    EXPECT_EQ(diagnostics_of(big, YamlKind::guide_definition), "x.fr.md:2:1: error: the guide definition is over the 1024 KiB limit\n");
    // A long scalar within the size is an ordinary value.
    DiagnosticSink sink;
    const auto v = parse_yaml_text("intro: " + std::string(500000, 'x') + "\n", "g.yaml", 1, YamlKind::guide_definition, sink);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->get("intro")->scalar.size(), 500000u);
}

TEST(YamlTest, ASecondDocumentIsRefused) {
    EXPECT_EQ(diagnostics_of("title: a\n---\ntitle: b\n", YamlKind::guide_definition),
              "x.fr.md:3:1: error: only one YAML document is allowed\n");
}

TEST(YamlTest, OrdinaryYamlKeepsItsValuesAndPositions) {
    DiagnosticSink sink;
    const auto v = parse_yaml_text("id: gp-biogas\nempty:\nanchored: &a kept\ncountries: [SN, MA]\npartners:\n  - {name: GERES, role: x}\n",
                                   "x.fr.md", 2, YamlKind::front_matter, sink);
    ASSERT_TRUE(v) << sink.take().at(0).str();
    ASSERT_EQ(v->type, FieldValue::Type::map);
    ASSERT_EQ(v->fields.size(), 5u);
    EXPECT_EQ(v->get("id")->scalar, "gp-biogas");
    EXPECT_EQ(v->get("id")->pos.line, 2);
    EXPECT_EQ(v->get("id")->pos.column, 5);
    EXPECT_EQ(v->get("empty")->type, FieldValue::Type::null);
    EXPECT_EQ(v->get("empty")->pos.line, 3);  // a null value is placed at its key
    EXPECT_EQ(v->get("anchored")->scalar, "kept");  // an anchor alone changes nothing
    const FieldValue& countries = *v->get("countries");
    ASSERT_EQ(countries.items.size(), 2u);
    EXPECT_EQ(countries.items[1].scalar, "MA");
    EXPECT_EQ(countries.items[1].pos.column, 17);
    const FieldValue& partner = v->get("partners")->items.at(0);
    EXPECT_EQ(partner.get("role")->scalar, "x");
    EXPECT_EQ(partner.pos.line, 7);
    EXPECT_EQ(sink.error_count(), 0u);
}

TEST(YamlTest, DuplicateAndNonTextFieldNamesAreAllReported) {
    EXPECT_EQ(diagnostics_of("a: 1\na: 2\n[x]: 3\nb: 4\nb: 5\n"),
              "x.fr.md:3:1: error: duplicate field 'a'\n"
              "x.fr.md:4:1: error: field names must be plain text\n"
              "x.fr.md:6:1: error: duplicate field 'b'\n");
}

TEST(YamlTest, EmptyTextIsNullAndSyntaxErrorsSayWhere) {
    DiagnosticSink sink;
    const auto v = parse_yaml_text("", "c.yaml", 1, YamlKind::configuration, sink);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->type, FieldValue::Type::null);
    EXPECT_EQ(diagnostics_of("a: [1, 2\n"), "x.fr.md:3:1: error: invalid YAML: end of sequence flow not found\n");
}

TEST(FrontMatterTest, TheBillionLaughsFileGetsOneErrorAtItsAlias) {
    DiagnosticSink sink;
    const auto parts = parse_markdown_file("---\n" + billion_laughs() + "---\nCorps\n", "x.fr.md", sink);
    EXPECT_FALSE(parts);
    const auto d = sink.take();
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].str(), "x.fr.md:5:8: error: YAML aliases are not allowed in front matter");
}

TEST(FrontMatterTest, WholeFilesGoThroughTheSameBounds) {
    DiagnosticSink sink;
    EXPECT_FALSE(parse_yaml("port: &p 8080\nthreads: *p\n", "passerelle.yaml", sink));
    EXPECT_EQ(sink.take().at(0).str(), "passerelle.yaml:2:10: error: YAML aliases are not allowed in the configuration file");
}

}  // namespace
}  // namespace passerelle
