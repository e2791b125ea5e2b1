#include "indexer/iati_import.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "core/catalogue.h"
#include "core/search.h"
#include "indexer/indexer.h"
#include "support/command.h"
#include "support/temp_dir.h"

namespace passerelle {
namespace {

const Vocabularies& vocab() {
    static const Vocabularies v = Vocabularies::load(Vocabularies::default_dir());
    return v;
}

std::vector<Document> documents_of(const std::string& activity_xml, DiagnosticSink& sink, const std::string& version = "2.03") {
    return iati_activity_documents(parse_xml(activity_xml), {version, ""}, "test.xml", vocab(), sink);
}

std::vector<std::string> messages(DiagnosticSink& sink) {
    std::vector<std::string> out;
    for (const Diagnostic& d : sink.take()) out.push_back(d.str());
    return out;
}

const char* k_activity = R"(<iati-activity xml:lang="en" default-currency="EUR">
  <iati-identifier>FR-TEST-0042</iati-identifier>
  <reporting-org ref="FR-TEST" type="21"><narrative>Test NGO</narrative><narrative xml:lang="fr">ONG d'essai</narrative></reporting-org>
  <title>
    <narrative>Water for schools in Saint-Louis</narrative>
    <narrative xml:lang="fr">De l'eau pour les écoles de Saint-Louis</narrative>
  </title>
  <description type="1">
    <narrative>Taps and latrines for twelve schools.

A second paragraph with *stars* and [brackets].</narrative>
    <narrative xml:lang="fr">Des robinets et des latrines pour douze écoles.</narrative>
  </description>
  <description type="2"><narrative>Every pupil drinks safe water.</narrative></description>
  <participating-org ref="FR-AFD" role="1" type="10"><narrative>AFD</narrative></participating-org>
  <participating-org role="4" type="21"><narrative>Le Partenariat</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date iso-date="2019-09-01" type="1"/>
  <activity-date iso-date="2019-10-15" type="2"/>
  <activity-date iso-date="2023-06-30" type="3"/>
  <recipient-country code="SN" percentage="80"/>
  <recipient-country code="zz" percentage="10"/>
  <recipient-region code="289" vocabulary="1" percentage="10"><narrative>South of Sahara, regional</narrative></recipient-region>
  <sector code="14030" vocabulary="1" percentage="70"/>
  <sector code="11120" vocabulary="1" percentage="20"/>
  <sector code="99999" vocabulary="1" percentage="5"/>
  <sector code="A7" vocabulary="99" percentage="5"><narrative>Own code</narrative></sector>
  <transaction><transaction-type code="3"/><recipient-country code="GN"/></transaction>
  <document-link url="https://example.org/report 2020.pdf" format="application/pdf">
    <title><narrative>Final report</narrative><narrative xml:lang="fr">Rapport final</narrative></title>
  </document-link>
  <result type="1">
    <title><narrative>Schools equipped</narrative><narrative xml:lang="fr">Écoles équipées</narrative></title>
    <indicator measure="1" ascending="1">
      <title><narrative>Schools with taps</narrative><narrative xml:lang="fr">Écoles avec robinets</narrative></title>
      <baseline year="2019" value="0"/>
      <period><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/><target value="6"/><actual value="5"/></period>
      <period><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/><target value="12"/><actual value="11"/></period>
    </indicator>
  </result>
</iati-activity>)";

TEST(IatiImportTest, AnActivityBecomesOneDocumentPerNarrativeLanguage) {
    DiagnosticSink sink;
    const auto docs = documents_of(k_activity, sink);
    ASSERT_EQ(docs.size(), 2u) << ::testing::PrintToString(messages(sink));
    const Document& en = docs[0];
    const Document& fr = docs[1];
    EXPECT_EQ(en.id, "FR-TEST-0042");
    EXPECT_EQ(fr.id, "FR-TEST-0042");  // one document, two language versions
    EXPECT_EQ(en.lang, "en");
    EXPECT_EQ(fr.lang, "fr");
    EXPECT_EQ(en.kind, "project");
    EXPECT_EQ(en.visibility, "public");
    EXPECT_EQ(en.title, "Water for schools in Saint-Louis");
    EXPECT_EQ(fr.title, "De l'eau pour les écoles de Saint-Louis");
    EXPECT_EQ(en.summary, "Taps and latrines for twelve schools.");
    EXPECT_EQ(fr.summary, "Des robinets et des latrines pour douze écoles.");
    EXPECT_EQ(en.date, "2019-10-15");  // the actual start
    EXPECT_EQ(en.year, 2019);
    EXPECT_EQ(en.phase, "steering-committees");  // status 2, implementation
    EXPECT_EQ(en.countries, (std::vector<std::string>{"SN"}));  // the activity's own, not the transaction's
    EXPECT_EQ(en.places, (std::vector<std::string>{"South of Sahara, regional"}));
    EXPECT_EQ(en.sectors, (std::vector<std::string>{"14030", "11120"}));
    EXPECT_NE(std::find(en.all_themes.begin(), en.all_themes.end(), "water"), en.all_themes.end());
    ASSERT_EQ(fr.partners.size(), 2u);
    EXPECT_EQ(fr.partners[0].name, "AFD");
    EXPECT_EQ(fr.partners[0].role, "Financement");
    EXPECT_EQ(en.partners[1].role, "Implementing");
    EXPECT_EQ(en.funders, (std::vector<std::string>{"AFD"}));
    EXPECT_EQ(fr.publisher, "ONG d'essai");
    ASSERT_EQ(en.indicators.size(), 1u);  // the last measured value, as structured data
    EXPECT_EQ(en.indicators[0].name, "Schools with taps");
    EXPECT_EQ(fr.indicators[0].name, "Écoles avec robinets");
    EXPECT_DOUBLE_EQ(en.indicators[0].value, 11);
    EXPECT_EQ(en.indicators[0].year, 2021);

    // The body keeps everything, in the version's language.
    const std::string& b = en.body;
    for (const char* part : {"## Description", "A second paragraph with \\*stars\\* and \\[brackets\\].", "## Objectives",
                             "Every pupil drinks safe water.", "- Planned start: 2019-09-01", "- Planned end: 2023-06-30",
                             "| AFD | Funding |", "- Senegal: 80\u00A0%", "- zz: 10\u00A0%", "South of Sahara, regional (289)",
                             "| 14030 |", "| 99999 |", "| A7 | Own code | reporting organisation | 5 |", "### Schools equipped",
                             "| Schools with taps | 0 (2019) | 6 | 5 | 2020-01-01 – 2020-12-31 |", "| Schools with taps | 0 (2019) | 12 | 11 |",
                             "[Final report](https://example.org/report%202020.pdf)"})
        EXPECT_NE(b.find(part), std::string::npos) << part << "\n---\n" << b;
    for (const char* part : {"## Objectifs", "| AFD | Financement |", "- Sénégal\u00A0: 80\u00A0%", "[Rapport final]",
                             "| Écoles avec robinets | 0 (2019) | 12 | 11 |", "Every pupil drinks safe water."})
        EXPECT_NE(fr.body.find(part), std::string::npos) << part << "\n---\n" << fr.body;

    // What the vocabularies do not know is said, where it is, and kept in the text only.
    const auto m = messages(sink);
    ASSERT_EQ(m.size(), 2u) << ::testing::PrintToString(m);
    EXPECT_NE(m[0].find("test.xml:22:"), std::string::npos) << m[0];
    EXPECT_NE(m[0].find("warning: unknown recipient country 'zz'"), std::string::npos) << m[0];
    EXPECT_NE(m[1].find("test.xml:26:"), std::string::npos) << m[1];
    EXPECT_NE(m[1].find("unknown DAC sector '99999'"), std::string::npos) << m[1];
}

// Regions are places, named from the IATI Region codelist in each version's language; a region
// the codelist does not know keeps the name the file gives, and one without a name is said.
TEST(IatiImportTest, RegionsArePlacesNamedInEachLanguage) {
    DiagnosticSink sink;
    const auto docs = documents_of(R"(<iati-activity xml:lang="en">
  <iati-identifier>FR-TEST-R</iati-identifier>
  <title><narrative>Regional</narrative><narrative xml:lang="fr">Régional</narrative></title>
  <recipient-region code="298" vocabulary="1"/>
  <recipient-region code="1000" vocabulary="1"><narrative>Somewhere, regional</narrative></recipient-region>
  <recipient-region code="1031" vocabulary="1"/>
</iati-activity>)", sink);
    ASSERT_EQ(docs.size(), 2u);
    EXPECT_EQ(docs[0].places, (std::vector<std::string>{"Africa, regional", "Somewhere, regional"}));
    EXPECT_EQ(docs[1].places, (std::vector<std::string>{"Afrique, régional", "Somewhere, regional"}));
    EXPECT_NE(docs[1].body.find("- Afrique, régional (298)"), std::string::npos) << docs[1].body;
    EXPECT_EQ(messages(sink), std::vector<std::string>{
                                  "test.xml:6: warning: unknown recipient region '1031' without a name in IATI activity 'FR-TEST-R': "
                                  "kept in the text only"});
}

TEST(IatiImportTest, CountriesAndSectorsOnlyOnTransactionsAreFound) {
    DiagnosticSink sink;
    const auto docs = documents_of(R"(<iati-activity xml:lang="en">
  <iati-identifier>US-GOV-1-X</iati-identifier>
  <title><narrative>Purchase order</narrative></title>
  <transaction><sector code="91010" vocabulary="1"/><sector code="8001" vocabulary="99"/><recipient-country code="GN"/></transaction>
  <transaction><sector code="91010" vocabulary="1"/><recipient-country code="ML"/></transaction>
</iati-activity>)",
                                   sink);
    ASSERT_EQ(docs.size(), 1u);
    EXPECT_EQ(docs[0].countries, (std::vector<std::string>{"GN", "ML"}));
    EXPECT_EQ(docs[0].sectors, (std::vector<std::string>{"91010"}));
    EXPECT_NE(docs[0].body.find("(from the transactions)"), std::string::npos);
    EXPECT_TRUE(messages(sink).empty());
}

TEST(IatiImportTest, Version1ActivitiesMapAsFarAsTheyGo) {
    DiagnosticSink sink;
    const auto docs = documents_of(R"(<iati-activity default-currency="EUR">
  <iati-identifier>GB-1-100</iati-identifier>
  <title xml:lang="en">Rural electrification</title>
  <title xml:lang="fr">Électrification rurale</title>
  <description xml:lang="en">Solar kits for health centres.</description>
  <participating-org role="Funding">DFID</participating-org>
  <participating-org role="Implementing" ref="XM-1">Partner</participating-org>
  <activity-status code="4">Completion</activity-status>
  <activity-date type="start-actual" iso-date="2011-02-01T00:00:00"/>
  <activity-date type="end-actual" iso-date="2014-03-31"/>
  <recipient-country code="MA"/>
  <sector vocabulary="DAC" code="23230"/>
</iati-activity>)",
                                   sink, "1.05");
    ASSERT_EQ(docs.size(), 2u) << ::testing::PrintToString(messages(sink));
    EXPECT_EQ(docs[0].lang, "en");
    EXPECT_EQ(docs[1].lang, "fr");
    EXPECT_EQ(docs[1].title, "Électrification rurale");
    EXPECT_EQ(docs[0].summary, "Solar kits for health centres.");
    EXPECT_EQ(docs[0].date, "2011-02-01");
    EXPECT_EQ(docs[0].phase, "evaluation");  // closed
    EXPECT_EQ(docs[0].countries, (std::vector<std::string>{"MA"}));
    EXPECT_EQ(docs[0].sectors, (std::vector<std::string>{"23230"}));
    EXPECT_EQ(docs[0].funders, (std::vector<std::string>{"DFID"}));
    ASSERT_EQ(docs[1].partners.size(), 2u);
    EXPECT_EQ(docs[1].partners[1].role, "Mise en œuvre");
    EXPECT_NE(docs[0].body.find("- Actual end: 2014-03-31"), std::string::npos) << docs[0].body;
}

TEST(IatiImportTest, AnActivityWithoutIdentifierOrTitleIsAnErrorAtItsLine) {
    DiagnosticSink sink;
    EXPECT_TRUE(documents_of("<iati-activity>\n<title><narrative>T</narrative></title>\n</iati-activity>", sink).empty());
    EXPECT_TRUE(documents_of("<iati-activity>\n<iati-identifier>X-1</iati-identifier>\n<title/>\n</iati-activity>", sink).empty());
    const auto m = messages(sink);
    ASSERT_EQ(m.size(), 2u);
    EXPECT_NE(m[0].find("test.xml:1:"), std::string::npos) << m[0];
    EXPECT_NE(m[0].find("without an iati-identifier"), std::string::npos) << m[0];
    EXPECT_NE(m[1].find("test.xml:3:"), std::string::npos) << m[1];
    EXPECT_NE(m[1].find("'X-1' has no title"), std::string::npos) << m[1];
}

// --- through the indexer ---------------------------------------------------------------------

struct IatiIndex {
    test::TempDir dir;
    std::vector<std::string> messages;
    IndexReport index(const std::vector<std::filesystem::path>& files) {
        IndexOptions o;
        o.inputs = files;
        o.db = dir / "db";
        o.vocabularies = Vocabularies::default_dir();
        DiagnosticSink sink;
        IndexReport r = run_indexer(o, sink, {});
        messages.clear();
        for (const Diagnostic& d : sink.take()) messages.push_back(d.str());
        return r;
    }
};

std::string activity(int n) {
    return "  <iati-activity xml:lang=\"en\"><iati-identifier>T-" + std::to_string(n) + "</iati-identifier><title><narrative>Activity " +
           std::to_string(n) + "</narrative></title></iati-activity>\n";
}

TEST(IatiImportTest, AMalformedFileKeepsTheActivitiesBeforeTheFaultAndSaysWhere) {
    IatiIndex x;
    std::string text = "<?xml version=\"1.0\"?>\n<iati-activities version=\"2.03\">\n";
    for (int i = 1; i <= 300; ++i) text += activity(i);  // some 40 KB: the fault lies past the first read
    text += "  <iati-activity><iati-identifier>T-301</iati-identifier><title><narrative>Broken</title></iati-activity>\n";
    text += activity(302) + "</iati-activities>\n";
    const auto file = x.dir.write("broken.xml", text);
    const IndexReport r = x.index({file});
    EXPECT_EQ(r.documents, 300u);
    ASSERT_EQ(x.messages.size(), 1u);
    EXPECT_NE(x.messages[0].find("broken.xml:303:"), std::string::npos) << x.messages[0];
    EXPECT_NE(x.messages[0].find("malformed XML"), std::string::npos) << x.messages[0];

    // Mended, the file gives every activity.
    std::string mended = text;
    mended.replace(mended.find("Broken</title>"), 14, "Broken</narrative></title>");
    x.dir.write("broken.xml", mended);
    EXPECT_EQ(x.index({file}).documents, 302u);
    EXPECT_TRUE(x.messages.empty()) << x.messages[0];
}

TEST(IatiImportTest, AFileWithABadActivityIsReadAgainUntilItIsMended) {
    IatiIndex x;
    const std::string bad = "<iati-activities version=\"2.03\">\n" + activity(1) + "  <iati-activity><iati-identifier>T-2</iati-identifier></iati-activity>\n</iati-activities>\n";
    const auto file = x.dir.write("some.xml", bad);
    IndexReport r = x.index({file});
    EXPECT_EQ(r.documents, 1u);
    EXPECT_EQ(r.skipped, 1u);
    ASSERT_EQ(x.messages.size(), 1u);
    EXPECT_NE(x.messages[0].find("some.xml:3: error: IATI activity 'T-2' has no title"), std::string::npos) << x.messages[0];
    r = x.index({file});  // unchanged, but it had an error: read again, and said again
    EXPECT_EQ(r.unchanged_sources, 0u);
    ASSERT_EQ(x.messages.size(), 1u);
    x.dir.write("some.xml", "<iati-activities version=\"2.03\">\n" + activity(1) + activity(2) + "</iati-activities>\n");
    EXPECT_EQ(x.index({file}).documents, 2u);
    EXPECT_TRUE(x.messages.empty());
    EXPECT_EQ(x.index({file}).unchanged_sources, 1u);
}

// Entity tricks: a billion laughs and an external entity naming a local file. Nothing is
// expanded or read; the activities before the trick are kept and the error names its line.
TEST(IatiImportTest, EntityExpansionAndExternalEntitiesAreRefusedAtTheirLine) {
    IatiIndex x;
    std::string dtd = "<!DOCTYPE iati-activities [\n <!ENTITY a \"laugh\">\n";
    for (int i = 1; i <= 9; ++i) {
        dtd += " <!ENTITY " + std::string(1, static_cast<char>('a' + i)) + " \"";
        for (int k = 0; k < 10; ++k) dtd += "&" + std::string(1, static_cast<char>('a' + i - 1)) + ";";
        dtd += "\">\n";
    }
    dtd += " <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n";
    const std::string head = "<?xml version=\"1.0\"?>\n" + dtd + "<iati-activities version=\"2.03\">\n" + activity(1);
    const auto laughs = x.dir.write("laughs.xml", head + "  <iati-activity xml:lang=\"en\"><iati-identifier>T-2</iati-identifier>"
                                                         "<title><narrative>&j;</narrative></title></iati-activity>\n</iati-activities>\n");
    const auto xxe = x.dir.write("xxe.xml", head + "  <iati-activity xml:lang=\"en\"><iati-identifier>T-3</iati-identifier>"
                                                   "<title><narrative>&xxe;</narrative></title></iati-activity>\n</iati-activities>\n");
    const IndexReport r = x.index({laughs, xxe});
    EXPECT_EQ(r.documents, 1u);  // T-1, in both files (the second is a duplicate)
    ASSERT_GE(x.messages.size(), 2u);
    std::string all;
    for (const auto& m : x.messages) all += m + "\n";
    EXPECT_NE(all.find("laughs.xml:17:"), std::string::npos) << all;
    EXPECT_NE(all.find("xxe.xml:17:"), std::string::npos) << all;
    EXPECT_EQ(all.find("root:"), std::string::npos) << all;
    Searcher s(x.dir / "db");
    SearchRequest q;
    q.query = "laugh";
    EXPECT_EQ(s.search(q).total, 0u);
    q.query = "root";
    EXPECT_EQ(s.search(q).total, 0u);
}

TEST(IatiImportTest, OtherXmlIsRefusedWithAClearError) {
    IatiIndex x;
    const auto file = x.dir.write("other.xml", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>\n");
    const auto future = x.dir.write("future.xml", "<iati-activities version=\"3.0\">" + activity(1) + "</iati-activities>");
    EXPECT_EQ(x.index({file, future}).documents, 0u);
    ASSERT_EQ(x.messages.size(), 2u);
    EXPECT_NE(x.messages[0].find("future.xml: error: IATI version 3.0 is not supported"), std::string::npos) << x.messages[0];
    EXPECT_NE(x.messages[1].find("other.xml: error: not an IATI activity file (the root element is <rss>"), std::string::npos)
        << x.messages[1];
}

// --- the real files --------------------------------------------------------------------------

std::filesystem::path corpus() { return std::filesystem::path(PASSERELLE_TEST_SOURCE_DIR) / "../shared/corpus/iati"; }

TEST(IatiImportTest, EveryRealFileImportsWithTheDocumentsItHolds) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(corpus()))
        if (e.path().extension() == ".xml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    ASSERT_EQ(files.size(), 26u) << "expected the 26 files of shared/corpus/iati";

    IatiIndex x;
    const IndexReport r = x.index(files);
    EXPECT_EQ(r.errors, 0u) << ::testing::PrintToString(x.messages);
    EXPECT_EQ(r.sources, 26u);

    // What each file should give, counted by an independent script (Python's ElementTree).
    std::string command = "python3 '" + std::string(PASSERELLE_TEST_SOURCE_DIR) + "/tests/indexer/iati_expected.py'";
    for (const auto& f : files) command += " '" + f.string() + "'";
    const auto run = test::run_command(command);
    ASSERT_EQ(run.status, 0) << run.out;
    const std::string& out = run.out;
    std::map<std::string, std::size_t> expected;
    std::size_t total = 0;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        const auto t1 = line.find('\t'), t2 = line.rfind('\t');
        const std::size_t docs = std::stoul(line.substr(t2 + 1));
        expected[std::filesystem::path(line.substr(0, t1)).filename().string()] = docs;
        total += docs;
        EXPECT_GT(std::stoul(line.substr(t1 + 1, t2 - t1 - 1)), 0u) << line;
    }
    ASSERT_EQ(expected.size(), 26u);
    EXPECT_EQ(r.documents, total);

    std::size_t sources = 0;
    {
        SQLite::Database db((x.dir / "db/catalogue.sqlite").string(), SQLite::OPEN_READONLY);
        SQLite::Statement q(db, "SELECT source, count(*) FROM current_documents GROUP BY source");
        while (q.executeStep()) {
            const std::string name = std::filesystem::path(q.getColumn(0).getString()).filename().string();
            EXPECT_EQ(static_cast<std::size_t>(q.getColumn(1).getInt64()), expected[name]) << name;
            ++sources;
        }
    }
    EXPECT_EQ(sources, 26u);
    Catalogue catalogue(x.dir / "db/catalogue.sqlite", Catalogue::Mode::read_only);

    // French narratives are the French version of the same document.
    const std::vector<std::string> everyone = {"public", "partners", "internal"};
    const auto versions = catalogue.versions("US-GOV-1-5EC7117C9F16", r.generation, everyone);
    ASSERT_EQ(versions.size(), 2u);
    EXPECT_EQ(versions[0].lang, "en");
    EXPECT_EQ(versions[1].lang, "fr");
    EXPECT_EQ(versions[1].title, "Bon de commande");
    Searcher searcher(x.dir / "db");
    SearchRequest q;
    q.query = "bon de commande";
    q.langs = {"fr"};
    q.limit = 50;
    bool linked = false;
    for (const SearchHit& h : searcher.search(q).hits)
        if (h.id == "US-GOV-1-5EC7117C9F16") linked = h.translations == std::vector<std::string>{"en"};
    EXPECT_TRUE(linked);

    // USAID gives this activity's country and sector on its transactions only.
    const auto doc = catalogue.document("US-GOV-1-5EC7117C9F16", "en", r.generation, everyone);
    ASSERT_TRUE(doc.has_value());
    const auto metadata = nlohmann::json::parse(doc->metadata);
    EXPECT_EQ(metadata.at("countries"), nlohmann::json::array({"GN"}));
    EXPECT_EQ(metadata.at("sectors"), nlohmann::json::array({"91010"}));
    SearchRequest by_country;
    by_country.countries = {"GN"};
    by_country.limit = 0;
    by_country.collapse = false;  // language versions
    EXPECT_GT(searcher.search(by_country).total, 600u);
}

}  // namespace
}  // namespace passerelle
