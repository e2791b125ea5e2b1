#include "indexer/iati_export.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>

#include "core/xml.h"
#include "indexer/iati_import.h"
#include "indexer/indexer.h"
#include "support/command.h"
#include "support/fixture_index.h"

namespace passerelle {
namespace {

using test::note;

std::filesystem::path schema() {
    return std::filesystem::path(PASSERELLE_TEST_SOURCE_DIR) / "../shared/reference/iati-codelists/iati-activities-schema.xsd";
}

// xmllint's verdict on `xml` against the IATI 2.03 activity schema: "" when valid.
std::string schema_errors(const std::string& xml, const test::TempDir& dir) {
    const auto path = dir / "export.xml";
    std::ofstream(path, std::ios::binary) << xml;
    const auto r = test::run_command("xmllint --noout --schema '" + schema().string() + "' '" + path.string() + "' 2>&1");
    return r.status == 0 && r.out.find("validates") != std::string::npos ? "" : r.out;
}

IatiExportOptions options(const std::filesystem::path& db) {
    IatiExportOptions o;
    o.db = db;
    o.org_ref = "FR-TEST";
    o.org_name = "Le Partenariat";
    o.base_url = "https://archive.example.org";
    o.generated = "2026-11-22T10:00:00Z";
    return o;
}

// Indexes `inputs` (Markdown folders, IATI files) into `db`; the number of errors.
std::size_t index_into(const std::filesystem::path& db, const std::vector<std::filesystem::path>& inputs) {
    IndexOptions o;
    o.inputs = inputs;
    o.db = db;
    o.vocabularies = Vocabularies::default_dir();
    DiagnosticSink sink;
    return run_indexer(o, sink, {}).errors;
}

std::vector<const XmlElement*> activities(const XmlElement& root) { return root.children_named("iati-activity"); }

std::string narrative(const XmlElement* e, const std::string& lang) {
    if (!e) return "";
    for (const XmlElement* n : e->children_named("narrative"))
        if (n->attribute_or("xml:lang", "") == lang) return n->text;
    return "";
}

TEST(IatiExportTest, TheBundledProjectsAreValidIati) {
    test::FixtureIndex f;
    ASSERT_EQ(index_into(f.db(), {test::source_dir() / "content"}), 0u);
    const IatiExport x = export_iati(options(f.db()));
    EXPECT_EQ(schema_errors(x.xml, f.dir), "");
    const XmlElement root = parse_xml(x.xml);
    EXPECT_EQ(root.attribute_or("version", ""), "2.03");
    EXPECT_EQ(activities(root).size(), x.activities);
    EXPECT_GE(x.activities, 4u);
    bool paems = false;
    for (const XmlElement* a : activities(root)) {
        if (a->child("iati-identifier")->text != "FR-TEST-pr-paems") continue;
        paems = true;
        // One activity, both languages.
        EXPECT_EQ(narrative(a->child("title"), "fr"), "PAEMS : accès à l'eau et à l'assainissement en milieu scolaire");
        EXPECT_EQ(narrative(a->child("title"), "en"), "PAEMS: water and sanitation access in schools");
        EXPECT_EQ(a->children_named("recipient-country").size(), 3u);
        EXPECT_EQ(a->child("sector")->attribute_or("code", ""), "14030");
        EXPECT_EQ(a->child("activity-date")->attribute_or("iso-date", ""), "2012-01-01");
        // Indicators as results. The bundled ones have no year (the organisation's documents
        // date no result), so no period: the value is in the description. (A dated indicator
        // gets its year as the period: AnExportReadsBackAsTheSameProjects.)
        const auto results = a->children_named("result");
        ASSERT_EQ(results.size(), 2u);
        const XmlElement* indicator = results[0]->child("indicator");
        ASSERT_NE(indicator, nullptr);
        EXPECT_EQ(narrative(indicator->child("title"), "en"), "Schools reached");
        EXPECT_EQ(indicator->child("period"), nullptr);
        EXPECT_EQ(narrative(indicator->child("description"), "fr"), "120 école");
        std::vector<std::string> roles;
        for (const XmlElement* p : a->children_named("participating-org")) roles.push_back(p->attribute_or("role", ""));
        EXPECT_EQ(roles, (std::vector<std::string>{"2", "1", "4", "4"}));
    }
    EXPECT_TRUE(paems);
}

TEST(IatiExportTest, OnlyPublicVersionsOfOwnProjectsAreExported) {
    test::FixtureIndex f;
    f.add("p/open.fr.md", note("open", "fr", "project", "Projet ouvert", "corps", "visibility: public\ndate: 2020\ncountries: [SN]\n"));
    f.add("p/open.en.md", note("open", "en", "project", "CANARYEN hidden title", "body", "visibility: partners\ndate: 2020\n"));
    f.add("p/closed.fr.md", note("closed", "fr", "project", "CANARYCLOSED", "corps", "visibility: internal\ndate: 2020\n"));
    f.add("p/note.fr.md", note("note", "fr", "report", "Un rapport", "corps", "visibility: public\ndate: 2020\n"));
    ASSERT_EQ(f.index().errors, 0u);
    // An activity imported from IATI is someone else's record: never exported again.
    const auto iati = f.dir.write("other.xml", R"(<iati-activities version="2.03"><iati-activity xml:lang="en">
<iati-identifier>XM-OTHER-1</iati-identifier><title><narrative>Someone else's</narrative></title>
<activity-date type="2" iso-date="2019-01-01"/></iati-activity></iati-activities>)");
    ASSERT_EQ(index_into(f.db(), {f.content(), iati}), 0u);

    const IatiExport x = export_iati(options(f.db()));
    EXPECT_EQ(schema_errors(x.xml, f.dir), "");
    EXPECT_EQ(x.activities, 1u);
    EXPECT_NE(x.xml.find("Projet ouvert"), std::string::npos);
    for (const char* hidden : {"CANARYEN", "CANARYCLOSED", "XM-OTHER-1", "Un rapport"})
        EXPECT_EQ(x.xml.find(hidden), std::string::npos) << hidden;

    IatiExportOptions one = options(f.db());
    one.project = "open";
    EXPECT_EQ(export_iati(one).activities, 1u);
    one.project = "closed";
    EXPECT_THROW(export_iati(one), Error);
}

TEST(IatiExportTest, AnExportReadsBackAsTheSameProjects) {
    test::FixtureIndex f;
    f.add("p/pr.fr.md", note("pr", "fr", "project", "Puits & latrines « Saint-Louis »", "corps",
                             "visibility: public\ndate: 2018-03\ncountries: [SN, GN]\nsectors: [\"14030\"]\nphase: evaluation\n"
                             "funders: [AFD]\nindicators:\n  - {name: Puits, value: 12, unit: puits, year: 2021}\n"));
    f.add("p/pr.en.md", note("pr", "en", "project", "Wells & latrines", "body",
                             "visibility: public\ndate: 2018-03\ncountries: [SN, GN]\nsectors: [\"14030\"]\nphase: evaluation\n"
                             "funders: [AFD]\nindicators:\n  - {name: Wells, value: 12, unit: well, year: 2021}\n"));
    ASSERT_EQ(f.index().errors, 0u);
    const IatiExport x = export_iati(options(f.db()));
    ASSERT_EQ(schema_errors(x.xml, f.dir), "");

    DiagnosticSink sink;
    std::vector<Document> back;
    const auto file = f.dir.write("export.xml", x.xml);
    read_iati_file(file, "export.xml", Vocabularies::load(Vocabularies::default_dir()), sink, [&](Document&& d) { back.push_back(std::move(d)); });
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back[0].id, "FR-TEST-pr");
    EXPECT_EQ(back[0].lang, "fr");
    EXPECT_EQ(back[0].title, "Puits & latrines « Saint-Louis »");
    EXPECT_EQ(back[1].title, "Wells & latrines");
    EXPECT_EQ(back[0].countries, (std::vector<std::string>{"SN", "GN"}));
    EXPECT_EQ(back[0].sectors, (std::vector<std::string>{"14030"}));
    EXPECT_EQ(back[0].date, "2018-03-01");
    EXPECT_EQ(back[1].funders, (std::vector<std::string>{"AFD"}));
    ASSERT_EQ(back[1].indicators.size(), 1u);
    EXPECT_EQ(back[1].indicators[0].name, "Wells");
    EXPECT_DOUBLE_EQ(back[1].indicators[0].value, 12);
    EXPECT_EQ(back[1].indicators[0].year, 2021);
}

}  // namespace
}  // namespace passerelle
