// Guides as people get them: real PDFs checked with poppler-utils (pdftotext, pdfinfo) and
// qpdf (structure, bookmarks, links), over the bundled content and over a small index with a
// missing translation and an internal canary.
#include "generator/guide.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/search.h"
#include "core/utf8.h"
#include "generator/hyphenator.h"
#include "generator/text_layout.h"
#include "generator/theme.h"
#include "support/command.h"
#include "support/fixture_index.h"
#include "support/sample_files.h"
#include "support/vocab.h"

namespace passerelle {
namespace {

using test::note;

std::string shell(const std::string& command) { return test::run_command(command).out; }

std::filesystem::path guides_dir() { return test::source_dir() / "templates" / "guides"; }

class GuideTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_content = new test::FixtureIndex();
        for (const auto& e : std::filesystem::recursive_directory_iterator(test::source_dir() / "content"))
            if (e.path().extension() == ".md")
                s_content->add(std::filesystem::relative(e.path(), test::source_dir() / "content").string(), shell("cat '" + e.path().string() + "'"));
        s_content->index();
        ASSERT_EQ(s_content->report.errors, 0u);
        s_out = new test::TempDir();
    }
    static void TearDownTestSuite() {
        delete s_content;
        delete s_out;
    }

    // Builds guide `name` into a file and returns its path.
    static std::filesystem::path build(const std::string& name, const std::string& layout, GuideReport* report = nullptr,
                                       const std::filesystem::path& db = {}, const std::string& role = "public") {
        const auto def = load_guide_definition(find_guide(name, guides_dir()), test::bundled_vocabularies());
        GuideOptions o;
        o.db = db.empty() ? s_content->db() : db;
        o.layout = layout;
        o.role = role;
        o.date = "2026-11-22";
        o.base_url = "https://archive.example.org";
        const GuideResult r = build_guide(def, o);
        if (report) *report = r.report;
        const auto path = *s_out / (name + "-" + layout + ".pdf");
        std::ofstream(path, std::ios::binary) << r.pdf;
        return path;
    }

    static test::FixtureIndex* s_content;
    static test::TempDir* s_out;
};

test::FixtureIndex* GuideTest::s_content = nullptr;
test::TempDir* GuideTest::s_out = nullptr;

TEST(GuideDefinitionTest, TheBundledGuidesLoad) {
    for (const char* name : {"eau-ecoles", "energie", "voute-nubienne", "methode"}) {
        const auto g = load_guide_definition(find_guide(name, guides_dir()), test::bundled_vocabularies());
        EXPECT_FALSE(g.title.at("fr").empty()) << name;
        EXPECT_FALSE(g.introduction.at("en").empty()) << name;
        // Each of the four carries its own key messages in both languages (issue 20).
        for (const char* lang : {"fr", "en"}) {
            ASSERT_TRUE(g.key_messages.count(lang)) << name << " " << lang;
            EXPECT_GE(std::count(g.key_messages.at(lang).begin(), g.key_messages.at(lang).end(), '\n'), 3) << name << " " << lang;
        }
        EXPECT_FALSE(g.documents.empty()) << name << ": an explicit order of documents";
    }
}

TEST(GuideDefinitionTest, BadKeysAndValuesNameFileAndLine) {
    test::TempDir dir;
    const auto check = [&](const std::string& yaml, const std::string& expected) {
        const auto path = dir.write("g.yaml", "title: {fr: T, en: T}\nintroduction: {fr: I, en: I}\n" + yaml);
        try {
            load_guide_definition(path, test::bundled_vocabularies());
            ADD_FAILURE() << "no error for: " << yaml;
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
        }
    };
    check("selection: {themes: [water]}\ncolour: blue\n", "g.yaml:4:9: error: unknown key 'colour'");
    check("selection:\n  themes: [wash-school]\n", "g.yaml:4:11: error: 'themes': unknown value 'wash-school' (did you mean 'wash-schools'?)");
    check("selection: {kinds: [good_practice]}\norder: random\n", "g.yaml:4:8: error: 'order' must be phase, date or title");
    check("selection: {kinds: [good_practice]}\nparts: [summary, gossip]\n", "unknown part 'gossip'");
    check("selection: {years: 20x5}\n", "'years' must be YEAR, FROM..TO");
    check("", "a guide needs 'selection'");
    EXPECT_THROW(find_guide("nothing", guides_dir()), Error);
}

// Found by fuzzing the parser behind POST /api/guides: an empty body was refused with an error
// that named no place (": error: a guide definition is a mapping ...").
TEST(GuideDefinitionTest, AnEmptyOrBoundlessDefinitionIsRefusedWithWhereItCameFrom) {
    const auto refusal = [](const std::string& body) {
        try {
            parse_guide_definition(body, "request body", "guide", test::bundled_vocabularies());
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(refusal(""), "request body:1:1: error: a guide definition is a mapping (title, subtitle, introduction, selection, "
                           "order, parts)");
    EXPECT_EQ(refusal("# only a comment\n"), refusal(""));
    EXPECT_EQ(refusal("title: &t {fr: T, en: T}\nsubtitle: *t\n"),
              "request body:2:11: error: YAML aliases are not allowed in guide definitions");
    std::string marks;
    for (int i = 0; i < 400; ++i) marks += "[a](b) *K* ";
    EXPECT_EQ(refusal("title: {fr: T, en: T}\nintroduction: {fr: \"" + marks + "\", en: I}\n"),
              "request body:2:20: error: 'introduction.fr', line 1 of its text: more than 1000 links and emphasis marks in one "
              "paragraph: separate its parts by blank lines");
}

TEST(TextLayoutTest, FrenchSpacingGluesPunctuation) {
    const std::string nnbsp = "\xE2\x80\xAF";
    EXPECT_EQ(french_spacing("Attention : ceci ; cela ! Vraiment ?"),
              "Attention" + nnbsp + ": ceci" + nnbsp + "; cela" + nnbsp + "! Vraiment" + nnbsp + "?");
    EXPECT_EQ(french_spacing("« bonjour »"), "«" + nnbsp + "bonjour" + nnbsp + "»");
    EXPECT_EQ(french_spacing("voir http://x.org et 10:30"), "voir http://x.org et 10:30");
    EXPECT_EQ(french_spacing("Alors: oui"), "Alors" + nnbsp + ": oui");
}

TEST(TextLayoutTest, LinesFitTheirWidthAndLongWordsAreHyphenated) {
    Hyphenator h;
    const Measure measure = [](Face, const std::string& s) { return 5.0 * static_cast<double>(s.size()); };
    Spans spans{Span{"Le développement de l'assainissement scolaire demande une concertation"}};
    const auto lines = text_lines(spans, 62, Face::regular, "fr", measure, h);
    bool hyphenated = false;
    for (const Line& l : lines) {
        EXPECT_LE(l.natural, 62.0);
        const bool ends = !l.words.empty() && l.words.back().pieces.back().text.back() == '-';
        EXPECT_EQ(ends, l.hyphenated);
        hyphenated |= ends;
    }
    EXPECT_TRUE(hyphenated);
    EXPECT_TRUE(lines.back().last);
    EXPECT_EQ(h.points("développement", "fr"), (std::vector<std::size_t>{3, 5, 8, 10}));  // dé-ve-lop-pe-ment
    EXPECT_EQ(hyphenation_points("développement", "fr", h), (std::vector<std::size_t>{3, 5, 8, 10}));
}

// The faults a publications editor found in the first guides: names and capitalised words cut
// ("Gui-née", "l'A-gence", "l'É-tat"), a break before a final mute syllable ("énergéti-que"),
// between two vowels ("ge-ographic"), and fewer than two letters before or three after.
TEST(TextLayoutTest, HyphenationFollowsTheRulesOfEachLanguage) {
    Hyphenator h;
    for (const char* word : {"Guinée", "Sénégal", "l’Agence", "l’État", "Saint-Louis", "Agence,"})
        EXPECT_TRUE(hyphenation_points(word, "fr", h).empty()) << word;
    const auto split = [&](const std::string& w, const std::string& lang) {
        std::string out;
        std::size_t from = 0;
        for (std::size_t p : hyphenation_points(w, lang, h)) out += w.substr(from, p - from) + "-", from = p;
        return out + w.substr(from);
    };
    EXPECT_EQ(split("énergétique", "fr").find("-que"), std::string::npos) << split("énergétique", "fr");
    EXPECT_EQ(split("pratiques", "fr").find("-ques"), std::string::npos) << split("pratiques", "fr");
    EXPECT_EQ(split("geographic", "en").find("ge-o"), std::string::npos) << split("geographic", "en");
    EXPECT_NE(split("l’assainissement", "fr").find("l’as-"), std::string::npos) << split("l’assainissement", "fr");
    EXPECT_EQ(split("sous-traitance", "fr").substr(0, 5), "sous-");
    for (const std::string w : {"développement", "l’assainissement", "concertation", "sanitation", "maintenance"}) {
        for (std::size_t p : hyphenation_points(w, w == "sanitation" || w == "maintenance" ? "en" : "fr", h)) {
            const std::string before = w.substr(0, p), after = w.substr(p);
            const std::size_t apostrophe = before.rfind("’");
            const std::string head = apostrophe == std::string::npos ? before : before.substr(apostrophe + 3);
            EXPECT_GE(utf8::length(head), 2u) << w;
            EXPECT_GE(utf8::length(after), 3u) << w;
        }
    }
    EXPECT_TRUE(hyphenation_points("2019-2022", "fr", h).empty());
}

// Total fit: justified word spaces stay within 1.8 times their natural width (and shrink no
// further than two thirds, as TeX's), no three hyphenated lines follow one another, and what cannot
// be justified so is set ragged right.
TEST(TextLayoutTest, TotalFitBoundsWordSpacesAndHyphensInARow) {
    Hyphenator h;
    const Measure measure = [](Face, const std::string& s) { return 5.0 * static_cast<double>(utf8::length(s)); };
    std::string text;
    for (int i = 0; i < 6; ++i)
        text += "La maîtrise d’ouvrage communale des équipements scolaires suppose une concertation permanente entre "
                "les collectivités, les associations de parents et les services techniques déconcentrés. ";
    for (double width : {160.0, 230.0, 380.0}) {
        const auto lines = text_lines({Span{text}}, width, Face::regular, "fr", measure, h);
        int run = 0, justified = 0;
        for (const Line& l : lines) {
            if (l.last) EXPECT_LE(l.natural, width + 1e-6);
            run = l.hyphenated ? run + 1 : 0;
            EXPECT_LE(run, 2) << "three hyphenated lines in a row at width " << width;
            if (l.last || l.words.size() < 2) continue;
            ++justified;
            const double gap = 5.0 + (width - l.natural) / static_cast<double>(l.words.size() - 1);
            EXPECT_LE(gap, 1.8 * 5.0 + 1e-6) << "width " << width;
            EXPECT_GE(gap, 5.0 * 2 / 3 - 1e-6) << "width " << width;
        }
        if (width > 200) EXPECT_GT(justified, 0) << "width " << width;
    }
    // Twelve characters a line, with long words: not justifiable within the bounds.
    const auto narrow = text_lines({Span{"Décentralisation, assainissement et gouvernance"}}, 60, Face::regular, "fr", measure, h);
    for (const Line& l : narrow) EXPECT_TRUE(l.last) << "a narrow column is set ragged right";
}

TEST(TextLayoutTest, ApostrophesAndQuotesAreTypographicInEachLanguage) {
    EXPECT_EQ(typographic("l'école \"Keur\" d'été", "fr"), "l’école «Keur» d’été");
    EXPECT_EQ(typographic("the school's \"WASH\" club", "en"), "the school’s “WASH” club");
    Hyphenator h;
    const Measure measure = [](Face, const std::string& s) { return 5.0 * static_cast<double>(s.size()); };
    std::string set;
    for (const Line& l : text_lines({Span{"Il dit \"oui\" à l'Agence"}}, 400, Face::regular, "fr", measure, h))
        for (const Word& w : l.words)
            for (const Piece& p : w.pieces) set += p.text + " ";
    EXPECT_EQ(set, "Il dit «\xE2\x80\xAFoui\xE2\x80\xAF» à l’Agence ");
}

// Found by the markdown_pdf fuzzing target: a word of several pieces (a link glued to text)
// wider than the line, whose first piece fits whole, was cut into that piece and an empty one,
// again and again, and the layout never ended. Every byte now goes to a line exactly once.
TEST(TextLayoutTest, AWordOfSeveralPiecesWiderThanTheLineIsCutAndEnds) {
    Hyphenator h;
    const Measure measure = [](Face, const std::string& s) { return 5.0 * static_cast<double>(s.size()); };
    Span link{"https://example.org"};
    link.link = "https://example.org";
    const Spans spans{Span{"Tien]("}, link, Span{").aragraphe"}, Span{" suite"}};
    const auto lines = text_lines(spans, 60, Face::bold, "fr", measure, h);
    ASSERT_LT(lines.size(), 20u);
    std::string text;
    for (const Line& l : lines) {
        EXPECT_LE(l.natural, 60.0);
        for (const Word& w : l.words) {
            EXPECT_GT(w.width, 0.0) << "an empty word";
            for (const Piece& p : w.pieces) text += p.text;
        }
    }
    EXPECT_EQ(text, "Tien](https://example.org).aragraphesuite");
}

TEST_F(GuideTest, ParallelGuideHasCoverContentsBookmarksHeadersAndFooters) {
    GuideReport report;
    const auto pdf = build("eau-ecoles", "parallel", &report);
    EXPECT_GT(report.sections, 3u);
    const std::string info = shell("pdfinfo '" + pdf.string() + "' 2>/dev/null");
    EXPECT_NE(info.find("Title:           L'eau et l'assainissement à l'école / Water and sanitation in schools"), std::string::npos) << info;
    EXPECT_NE(info.find("Author:          Le Partenariat"), std::string::npos);
    EXPECT_NE(info.find("Keywords:        eau, assainissement, écoles"), std::string::npos);
    EXPECT_NE(info.find("CreationDate:    Sun Nov 22 00:00:00 2026 UTC"), std::string::npos);
    EXPECT_NE(info.find("Pages:           " + std::to_string(report.pages)), std::string::npos);
    const std::string text = shell("pdftotext -layout '" + pdf.string() + "' - 2>/dev/null");
    EXPECT_NE(text.find("Sommaire / Contents"), std::string::npos);
    EXPECT_NE(text.find("Confier la sensibilisation"), std::string::npos);  // accents extract
    EXPECT_NE(text.find("Entrusting hygiene"), std::string::npos);
    EXPECT_NE(text.find("page 2 / " + std::to_string(report.pages)), std::string::npos);
    EXPECT_NE(text.find("https://archive.example.org/fr/documents/"), std::string::npos);  // links back to the source
    // French rules: no line starts with a high punctuation mark or a closing guillemet, none ends
    // with an opening one (the spaces there do not break).
    static const std::regex bad_break(R"re((^|\n) *[;:!?»]|«\s*\n)re");
    EXPECT_FALSE(std::regex_search(shell("pdftotext '" + pdf.string() + "' - 2>/dev/null"), bad_break));
    // Structure, bookmarks and links, as qpdf reads them.
    EXPECT_EQ(shell("qpdf --check '" + pdf.string() + "' >/dev/null 2>&1; echo $?"), "0\n");
    const auto json = nlohmann::json::parse(shell("qpdf --json '" + pdf.string() + "' 2>/dev/null"));
    // The guide's parts, in the outline's order, each in both languages; the sections among them.
    std::vector<std::string> titles;
    for (const auto& o : json["outlines"]) titles.push_back(o["title"].get<std::string>());
    const std::vector<std::string> parts = {"Messages clés / Key messages", "Introduction", "Carte / Map", "Ce qu’il faut éviter / What to avoid",
                                            "Liste de contrôle pour reproduire / Replication checklist", "Sigles / Acronyms", "Contacts",
                                            "Sources", "Colophon"};
    std::size_t last = 0;
    for (const std::string& part : parts) {
        const auto at = std::find(titles.begin(), titles.end(), part);
        ASSERT_NE(at, titles.end()) << part;
        EXPECT_GE(static_cast<std::size_t>(at - titles.begin()), last) << part << " out of order";
        last = static_cast<std::size_t>(at - titles.begin());
    }
    EXPECT_NE(titles[3].find(" / "), std::string::npos);  // the first section, in both languages
    std::size_t links = 0, uris = 0;
    const std::string raw = shell("qpdf --qdf --object-streams=disable '" + pdf.string() + "' - 2>/dev/null");
    for (std::size_t at = raw.find("/Subtype /Link"); at != std::string::npos; at = raw.find("/Subtype /Link", at + 1)) ++links;
    for (std::size_t at = raw.find("/S /URI"); at != std::string::npos; at = raw.find("/S /URI", at + 1)) ++uris;
    EXPECT_GE(links, report.sections * 3);  // contents entries, and each section's number in the sources
    EXPECT_EQ(uris, report.sections + 2);  // the sources' public addresses, once each, and the guide's own in each language
}

TEST_F(GuideTest, ParallelSectionsStartLevelAndTextStaysInsideTheMargins) {
    const auto pdf = build("voute-nubienne", "parallel");
    const std::string bbox = shell("pdftotext -bbox '" + pdf.string() + "' - 2>/dev/null");
    static const std::regex word(R"re(<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>)re");
    std::size_t words = 0;
    for (std::sregex_iterator it(bbox.begin(), bbox.end(), word), end; it != end; ++it, ++words) {
        const double x0 = std::stod((*it)[1]), y0 = std::stod((*it)[2]), x1 = std::stod((*it)[3]), y1 = std::stod((*it)[4]);
        EXPECT_GE(x0, 56.0) << (*it)[5];
        EXPECT_LE(x1, 595.276 - 56.0) << (*it)[5];
        EXPECT_GE(y0, 20.0) << (*it)[5];
        EXPECT_LE(y1, 841.89 - 20.0) << (*it)[5];
    }
    EXPECT_GT(words, 500u);
    // Sections start level: the French heading in the left column and the English one in the
    // right column have the same top (checked on the introduction's headings).
    std::map<std::string, std::vector<std::pair<double, double>>> tops;  // word -> (x, yMin)
    for (std::sregex_iterator it(bbox.begin(), bbox.end(), word), end; it != end; ++it)
        if ((*it)[5] == "Introduction") tops["Introduction"].emplace_back(std::stod((*it)[1]), std::stod((*it)[2]));
    bool level = false;  // one in each column, at the same height (the contents line has both on the left)
    for (const auto& [x1, y1] : tops["Introduction"])
        for (const auto& [x2, y2] : tops["Introduction"]) level |= x1 < 297 && x2 > 297 && std::abs(y1 - y2) < 0.5;
    EXPECT_TRUE(level);
}

TEST_F(GuideTest, SequentialGuideLinksTheTwoVersionsOfEachSection) {
    GuideReport report;
    const auto pdf = build("energie", "sequential", &report);
    const std::string text = shell("pdftotext '" + pdf.string() + "' - 2>/dev/null");
    const auto fr = text.find("Version française"), en = text.find("English version\n");
    ASSERT_NE(fr, std::string::npos);
    EXPECT_NE(text.find("→ English version"), std::string::npos);
    EXPECT_NE(text.find("→ Version française"), std::string::npos);
    EXPECT_LT(fr, text.rfind("→ Version française"));
    (void)en;
    const auto json = nlohmann::json::parse(shell("qpdf --json '" + pdf.string() + "' 2>/dev/null"));
    // Français and English, each with its key messages, introduction, sections (lessons under
    // what to avoid) and checklist; then the map, acronyms, contacts, sources and colophon.
    ASSERT_EQ(json["outlines"].size(), 7u);
    EXPECT_EQ(json["outlines"][0]["title"], "Version française");
    EXPECT_EQ(json["outlines"][1]["title"], "English version");
    EXPECT_EQ(json["outlines"][6]["title"], "Colophon");
    for (const int part : {0, 1}) {
        EXPECT_EQ(json["outlines"][part]["kids"][0]["title"], part == 0 ? "Messages clés" : "Key messages");
        EXPECT_EQ(json["outlines"][part]["kids"][1]["title"], "Introduction");
        EXPECT_GE(json["outlines"][part]["kids"].size(), 4u);
    }
}

// The contents and the bookmarks are made from one list: every bookmark, at every level, is
// an entry of the contents (both languages' in the parallel layout, whose entries are never
// cut short), and both have the sections' own headings as sub-entries. No guide ends on a
// blank page.
TEST_F(GuideTest, TheContentsAndTheBookmarksAgreeInBothLanguages) {
    for (const char* name : {"methode", "eau-ecoles"})
        for (const std::string layout : {"parallel", "sequential"}) {
            const std::string what = std::string(name) + " " + layout;
            const auto pdf = build(name, layout, nullptr, {}, "internal");
            const auto json = nlohmann::json::parse(shell("qpdf --json '" + pdf.string() + "' 2>/dev/null"));
            std::vector<std::pair<std::string, int>> marks;  // title and depth
            std::function<void(const nlohmann::json&, int)> walk = [&](const nlohmann::json& list, int depth) {
                for (const auto& o : list) {
                    marks.emplace_back(o["title"].get<std::string>(), depth);
                    if (o.contains("kids")) walk(o["kids"], depth + 1);
                }
            };
            walk(json["outlines"], 0);
            ASSERT_GT(marks.size(), 10u) << what;
            int deepest = 0;
            for (const auto& m : marks) deepest = std::max(deepest, m.second);
            EXPECT_EQ(deepest, layout == "parallel" ? 1 : 2) << what << ": sub-entries";
            // The contents' pages: from the second to the one before the first bookmark's.
            const int body = json["outlines"][0]["destpageposfrom1"].get<int>();
            ASSERT_GT(body, 2) << what;
            const std::string first = shell("pdftotext -f 2 -l 2 '" + pdf.string() + "' - 2>/dev/null");
            const std::string contents = shell("pdftotext -f 2 -l " + std::to_string(body - 1) + " '" + pdf.string() + "' - 2>/dev/null");
            ASSERT_NE(first.find("Sommaire / Contents"), std::string::npos) << what;
            const std::string flat = std::regex_replace(contents, std::regex("\\s+"), " ");
            for (const auto& [title, depth] : marks) {
                std::vector<std::string> titles;
                const auto slash = title.find(" / ");
                if (layout == "parallel" && slash != std::string::npos) titles = {title.substr(0, slash), title.substr(slash + 3)};
                else titles = {title};
                for (const std::string& t : titles)
                    EXPECT_NE(flat.find(std::regex_replace(t, std::regex("\\s+"), " ")), std::string::npos) << what << ": '" << t << "' is a bookmark, not in the contents";
            }
            EXPECT_EQ(flat.find("…"), std::string::npos) << what << ": a title cut short";
            if (layout == "sequential") EXPECT_TRUE(std::regex_search(flat, std::regex("English version (\\d+ )?Key messages"))) << what;
            // The last page carries text.
            const int pages = std::stoi(shell("pdfinfo '" + pdf.string() + "' | awk '/^Pages:/{print $2}'"));
            const std::string last = shell("pdftotext -f " + std::to_string(pages) + " -l " + std::to_string(pages) + " '" + pdf.string() + "' - 2>/dev/null");
            EXPECT_GT(std::regex_replace(last, std::regex("page \\d+ / \\d+|\\s+"), "").size(), 100u) << what << ": a blank last page";
        }
}

TEST_F(GuideTest, SameInputsAndDateGiveTheSameBytes) {
    const auto a = build("methode", "parallel");
    const std::string first = shell("sha256sum < '" + a.string() + "'");
    const auto b = build("methode", "parallel");
    EXPECT_EQ(shell("sha256sum < '" + b.string() + "'"), first);
}

TEST_F(GuideTest, MissingTranslationsAreMarkedReportedAndStrictRefusesThem) {
    test::FixtureIndex f;
    f.add("gp-seul.fr.md", note("gp-seul", "fr", "good_practice", "Pratique sans traduction", "Le comité entretient la pompe.",
                          "visibility: public\nthemes: [energy]\ndate: 2020\n"));
    f.add("gp-deux.fr.md", note("gp-deux", "fr", "good_practice", "Pratique récente", "Texte.", "visibility: public\nthemes: [energy]\ndate: 2022-05\n"));
    f.add("gp-deux.en.md", note("gp-deux", "en", "good_practice", "Older practice", "Text.", "visibility: public\nthemes: [energy]\ndate: 2019-03\n"));
    f.add("gp-secret.fr.md", note("gp-secret", "fr", "good_practice", "Note zanzibarinterne", "zanzibarinterne", "themes: [energy]\ndate: 2021\n"));
    f.index();
    ASSERT_EQ(f.report.errors, 0u) << (f.messages.empty() ? "" : f.messages[0]);
    GuideReport report;
    const auto pdf = build("energie", "parallel", &report, f.db());
    EXPECT_EQ(report.missing, std::vector<std::string>{"gp-seul: English version missing"});
    EXPECT_EQ(report.outdated, std::vector<std::string>{"gp-deux: English version (2019-03) older than the French one (2022-05)"});
    const std::string text = std::regex_replace(shell("pdftotext '" + pdf.string() + "' - 2>/dev/null"), std::regex("\\s+"), " ");
    EXPECT_NE(text.find("Translation missing / traduction manquante"), std::string::npos);
    EXPECT_EQ(text.find("zanzibar"), std::string::npos);  // internal: not in a public guide
    const auto internal = build("energie", "parallel", nullptr, f.db(), "internal");
    EXPECT_NE(shell("pdftotext '" + internal.string() + "' - 2>/dev/null").find("zanzibarinterne"), std::string::npos);

    auto def = load_guide_definition(find_guide("energie", guides_dir()), test::bundled_vocabularies());
    GuideOptions strict;
    strict.db = f.db();
    strict.strict = true;
    try {
        build_guide(def, strict);
        FAIL() << "--strict accepted a missing translation";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("gp-seul: English version missing"), std::string::npos) << e.what();
    }
}

TEST_F(GuideTest, PngAndJpegImagesAreScaledIntoTheColumn) {
    test::FixtureIndex f;
    f.add("gp-image.fr.md", note("gp-image", "fr", "good_practice", "Pratique illustrée",
                                 "Avant.\n\n![Schéma du forage](img/forage.png)\n\n![Photo du chantier](img/chantier.jpg)\n\n"
                                 "![Fichier hors du dossier](../../etc/secret.png)\n\nAprès.",
                                 "visibility: public\nthemes: [energy]\ndate: 2020\n"));
    f.add("gp-image.en.md", note("gp-image", "en", "good_practice", "Illustrated practice",
                                 "Before.\n\n![Borehole diagram](img/forage.png)\n\n![Photo of the site](img/chantier.jpg)\n\nAfter.",
                                 "visibility: public\nthemes: [energy]\ndate: 2020\n"));
    f.index();
    ASSERT_EQ(f.report.errors, 0u);
    // Real PNG and JPEG files, made by poppler from a page of another guide.
    const auto source = build("voute-nubienne", "parallel");
    std::filesystem::create_directories(f.content() / "img");
    shell("pdftoppm -png -r 30 -f 1 -l 1 -singlefile '" + source.string() + "' '" + (f.content() / "img" / "forage").string() + "'");
    shell("pdftoppm -jpeg -r 30 -f 1 -l 1 -singlefile '" + source.string() + "' '" + (f.content() / "img" / "chantier").string() + "'");
    ASSERT_TRUE(std::filesystem::exists(f.content() / "img" / "forage.png"));
    auto def = load_guide_definition(find_guide("energie", guides_dir()), test::bundled_vocabularies());
    GuideOptions o;
    o.db = f.db();
    o.layout = "parallel";
    o.images = f.content().string();
    const auto pdf = *s_out / "images.pdf";
    std::ofstream(pdf, std::ios::binary) << build_guide(def, o).pdf;
    const std::string list = shell("pdfimages -list '" + pdf.string() + "' 2>/dev/null");
    static const std::regex row(R"re(\n +\d+ +\d+ +image )re");  // one row per image drawn
    const auto images = std::distance(std::sregex_iterator(list.begin(), list.end(), row), std::sregex_iterator());
    EXPECT_EQ(images, 2) << list;  // each once, across both columns, though both versions show them
    const std::string text = shell("pdftotext '" + pdf.string() + "' - 2>/dev/null");
    EXPECT_NE(text.find("Schéma du forage / Borehole diagram"), std::string::npos);  // the caption, in both languages
    EXPECT_NE(text.find("[Fichier hors du dossier]"), std::string::npos);  // outside the folder: its text only
    EXPECT_EQ(shell("qpdf --check '" + pdf.string() + "' >/dev/null 2>&1; echo $?"), "0\n");
}

TEST_F(GuideTest, ANotesAttachedPhotosShowWithTheirCreditAndItsPdfsAreLinked) {
    test::FixtureIndex f;
    f.add("gp-photo.fr.md", note("gp-photo", "fr", "good_practice", "Pratique avec photo", "Le texte de la pratique.",
                                 "visibility: public\nthemes: [energy]\ndate: 2020\nattachments:\n"
                                 "  - {file: panneaux.png, alt: Panneaux solaires sur le toit de l'école, credit: Photo Le Partenariat}\n"
                                 "  - {file: rapport.pdf, title: Rapport d'installation}\n"));
    f.add("gp-photo/rapport.pdf", test::sample_pdf({"Rapport."}));
    const auto source = build("voute-nubienne", "parallel");  // a real PNG: a page of another guide
    shell("pdftoppm -png -r 30 -f 1 -l 1 -singlefile '" + source.string() + "' '" + (f.content() / "gp-photo" / "panneaux").string() + "'");
    f.index();
    ASSERT_EQ(f.report.errors, 0u) << f.messages.at(0);
    auto def = load_guide_definition(find_guide("energie", guides_dir()), test::bundled_vocabularies());
    GuideOptions o;
    o.db = f.db();
    o.layout = "sequential";
    o.base_url = "https://archive.example.org";
    const auto pdf = *s_out / "attachments.pdf";
    std::ofstream(pdf, std::ios::binary) << build_guide(def, o).pdf;
    const std::string list = shell("pdfimages -list '" + pdf.string() + "' 2>/dev/null");
    static const std::regex row(R"re(\n +\d+ +\d+ +image )re");
    EXPECT_EQ(std::distance(std::sregex_iterator(list.begin(), list.end(), row), std::sregex_iterator()), 1) << list;
    const std::string text = shell("pdftotext '" + pdf.string() + "' - 2>/dev/null");
    EXPECT_NE(text.find("Panneaux solaires sur le toit de l’école — Crédit : Photo Le Partenariat"), std::string::npos) << text.substr(text.find("Pratique avec photo", text.find("Version française\nIntroduction")), 900);
    EXPECT_NE(text.find("PDF joint : Rapport d’installation"), std::string::npos) << text;
    EXPECT_NE(text.find("https://archive.example.org/fr/documents/gp-photo/files/rapport.pdf?lang=fr"), std::string::npos);
    EXPECT_EQ(shell("qpdf --check '" + pdf.string() + "' >/dev/null 2>&1; echo $?"), "0\n");
}

TEST_F(GuideTest, WithoutAPublicAddressSectionsNameTheirSourceWithoutALoopbackLink) {
    const auto def = load_guide_definition(find_guide("eau-ecoles", guides_dir()), test::bundled_vocabularies());
    GuideOptions o;
    o.db = s_content->db();
    o.date = "2026-11-22";
    const auto pdf = *s_out / "no-address.pdf";
    std::ofstream(pdf, std::ios::binary) << build_guide(def, o).pdf;
    const std::string text = shell("pdftotext '" + pdf.string() + "' - 2>/dev/null");
    EXPECT_EQ(text.find("127.0.0.1"), std::string::npos);
    // No address of the site; the only one is the organisation's own, among its contacts.
    EXPECT_EQ(std::regex_replace(text, std::regex("http://www\\.lepartenariat\\.org"), "").find("http"), std::string::npos);
    // Each section gives its number in the sources, which name each document by title and id.
    EXPECT_NE(text.find("Source : [1]"), std::string::npos) << text.substr(0, 3000);
    const std::string flat = std::regex_replace(text, std::regex("\\s+"), " ");
    EXPECT_TRUE(std::regex_search(flat, std::regex("\\[1\\] [^\\[]+Le Partenariat, (\\d{4}|s\\. d)\\. [^\\[]+Id\\. [a-z]+-"))) << flat.substr(flat.rfind("Sources"));
    EXPECT_EQ(flat.find("s. d.."), std::string::npos);
}

TEST_F(GuideTest, EveryBundledGuideBuildsInBothLayouts) {
    for (const char* name : {"eau-ecoles", "energie", "voute-nubienne", "methode"})
        for (const char* layout : {"parallel", "sequential"}) {
            GuideReport report;
            const auto pdf = build(name, layout, &report);
            EXPECT_GT(report.sections, 0u) << name;
            EXPECT_EQ(shell("qpdf --check '" + pdf.string() + "' >/dev/null 2>&1; echo $?"), "0\n") << name << " " << layout;
            // Page images for people to look at, kept as test artefacts.
            const std::filesystem::path images = std::filesystem::path(PASSERELLE_TEST_BINARY_DIR) / "guides";
            std::filesystem::create_directories(images);
            // Every page of every guide, kept as test artefacts to look at (build*/tests/guides/).
            shell("pdftoppm -r 40 -png '" + pdf.string() + "' '" + (images / (std::string(name) + "-" + layout)).string() + "' 2>/dev/null");
        }
}

// The cover gives the edition's date as each language writes it; the colophon names the
// publisher, the licence (or that none is declared, and whom to ask) and how to cite the guide,
// with its public address only when there is one; a guide with anything not public says
// "Diffusion restreinte / Restricted distribution" on every page, and a public one nowhere.
TEST_F(GuideTest, TheCoverAndColophonDateLicenceAndCitationAndARestrictedGuideSaysSoOnEveryPage) {
    const auto def = load_guide_definition(find_guide("methode", guides_dir()), test::bundled_vocabularies());
    GuideOptions o;
    o.db = s_content->db();
    o.date = "2026-11-22";
    o.role = "internal";  // the method guide then holds an internal lesson
    o.licence_name = "CC BY 4.0";
    o.licence_url = "https://creativecommons.org/licenses/by/4.0/";
    o.base_url = "https://archive.example.org";
    o.theme = (test::source_dir() / "templates" / "theme.yaml").string();
    const auto pdf = *s_out / "restricted.pdf";
    const GuideResult r = build_guide(def, o);
    std::ofstream(pdf, std::ios::binary) << r.pdf;
    const std::string cover = shell("pdftotext -f 1 -l 1 '" + pdf.string() + "' - 2>/dev/null");
    EXPECT_NE(cover.find("Édition du 22 novembre 2026"), std::string::npos) << cover;
    EXPECT_NE(cover.find("Edition of 22 November 2026"), std::string::npos) << cover;
    EXPECT_EQ(cover.find("2026-11-22"), std::string::npos);
    const std::string text = std::regex_replace(shell("pdftotext '" + pdf.string() + "' - 2>/dev/null"), std::regex("\\s+"), " ");
    EXPECT_NE(text.find("Licence : CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)."), std::string::npos);
    EXPECT_NE(text.find("Pour citer ce guide : Le Partenariat (2026). La méthode du Partenariat. Guide pratique bilingue. "
                        "https://archive.example.org/guides/methode.pdf"), std::string::npos) << text.substr(text.rfind("Colophon"));
    EXPECT_NE(text.find("To cite this guide: Le Partenariat (2026). Le Partenariat’s method."), std::string::npos);
    for (int page = 1; page <= r.report.pages; ++page)
        EXPECT_NE(shell("pdftotext -f " + std::to_string(page) + " -l " + std::to_string(page) + " '" + pdf.string() + "' - 2>/dev/null")
                      .find("Diffusion restreinte / Restricted distribution"),
                  std::string::npos)
            << "page " << page;
    // The same guide for the public: nothing restricted, no mark; no licence given, none declared; no address, none cited.
    o.role = "public";
    o.licence_name = o.licence_url = o.base_url = "";
    o.date = "";
    std::ofstream(pdf, std::ios::binary) << build_guide(def, o).pdf;
    const std::string open = std::regex_replace(shell("pdftotext '" + pdf.string() + "' - 2>/dev/null"), std::regex("\\s+"), " ");
    EXPECT_EQ(open.find("Diffusion restreinte"), std::string::npos);
    EXPECT_EQ(open.find("Édition du"), std::string::npos);  // no date given: none invented
    EXPECT_NE(open.find("Licence : aucune n’est déclarée ; pour réutiliser ce guide, s’adresser à l’éditeur (Le Partenariat)."), std::string::npos);
    EXPECT_NE(open.find("Pour citer ce guide : Le Partenariat (s. d.). La méthode du Partenariat. Guide pratique bilingue."), std::string::npos);
    EXPECT_EQ(std::regex_replace(open, std::regex("http://www\\.lepartenariat\\.org"), "").find("http"), std::string::npos);
}

// A guide, not a pile of notes: its parts come in the outline's order; the documents it names
// come first, in its order; key messages (the definition's, or the notes' summaries); the
// lessons gathered under "what to avoid" instead of among the practices; a checklist of the
// practices' steps; the map of its countries and places, drawn as shapes; the acronyms its text
// uses, spelled out, and no other; the offices of its countries and the head office.
TEST_F(GuideTest, AGuideFollowsItsOutlineWithKeyMessagesLessonsChecklistMapAcronymsAndContacts) {
    const auto vocab = test::bundled_vocabularies();
    const std::string yaml =
        "title: {fr: Énergie, en: Energy}\n"
        "introduction: {fr: Introduction du guide., en: The guide's introduction.}\n"
        "selection: {themes: [energy]}\n"
        "documents: [gp-entreprises-locales]\n"
        "outline: [introduction, documents, avoid, key_messages, checklist, map, glossary, contacts]\n";
    GuideDefinition def = parse_guide_definition(yaml, "test.yaml", "test", vocab);
    GuideOptions o;
    o.db = s_content->db();
    o.date = "2026-11-22";
    o.layout = "sequential";
    const auto pdf = *s_out / "outline.pdf";
    std::ofstream(pdf, std::ios::binary) << build_guide(def, o).pdf;
    const std::string text = std::regex_replace(shell("pdftotext '" + pdf.string() + "' - 2>/dev/null"), std::regex("\\s+"), " ");
    const auto json = nlohmann::json::parse(shell("qpdf --json '" + pdf.string() + "' 2>/dev/null"));
    std::vector<std::string> french;
    for (const auto& kid : json["outlines"][0]["kids"]) french.push_back(kid["title"].get<std::string>());
    ASSERT_GE(french.size(), 5u);
    EXPECT_EQ(french[0], "Introduction");
    EXPECT_EQ(french[1], "Appuyer les entreprises locales pour qu’une offre en énergies renouvelables existe");  // named first
    const auto index = [&](const std::string& t) { return std::find(french.begin(), french.end(), t) - french.begin(); };
    EXPECT_LT(index("Ce qu’il faut éviter"), index("Messages clés"));
    EXPECT_LT(index("Messages clés"), index("Liste de contrôle pour reproduire"));
    EXPECT_LT(index("Liste de contrôle pour reproduire"), static_cast<long>(french.size()));
    // The lesson is under "what to avoid", not among the sections.
    for (const std::string& t : french) EXPECT_EQ(t.find("Leçon apprise"), std::string::npos) << t;
    bool lesson = false;
    for (const auto& kid : json["outlines"][0]["kids"])
        if (kid["title"] == "Ce qu’il faut éviter")
            for (const auto& k : kid["kids"]) lesson |= k["title"].get<std::string>().find("Leçon apprise") != std::string::npos;
    EXPECT_TRUE(lesson);
    // Without key messages in the definition: the notes' summaries.
    EXPECT_NE(text.find("Messages clés • Le PAER soutient des entreprises locales"), std::string::npos) << text.substr(0, 1500);
    // The checklist: the practices' steps.
    EXPECT_NE(text.find("Identifier les entreprises locales qui pourront installer et réparer"), std::string::npos);
    // The map, named, and drawn as filled shapes.
    EXPECT_NE(text.find("Carte / Map"), std::string::npos);
    EXPECT_NE(text.find("Sénégal / Senegal"), std::string::npos);
    const std::string raw = shell("qpdf --qdf --object-streams=disable '" + pdf.string() + "' - 2>/dev/null");
    EXPECT_NE(raw.find(" re\nW\nn\n"), std::string::npos);  // the map is clipped to its frame
    EXPECT_GT(std::count(raw.begin(), raw.end(), 'l'), 500);  // (its outlines are lines)
    // Acronyms the text uses, and no other.
    EXPECT_NE(text.find("ARD Agence régionale de développement Regional Development Agency"), std::string::npos) << text.substr(text.find("Sigles"), 400);
    EXPECT_EQ(text.find("UGB Université"), std::string::npos);
    // The head office, and the office of Senegal; not Morocco's or Guinea's.
    EXPECT_NE(text.find("71 rue Victor Renard, 59000 Lille"), std::string::npos);
    EXPECT_NE(text.find("BP 746 Saint-Louis"), std::string::npos);
    EXPECT_EQ(text.find("Safi"), std::string::npos);
    EXPECT_EQ(text.find("Labé"), std::string::npos);
}

TEST_F(GuideTest, KeyMessagesFromTheDefinitionAndBadOutlineKeysSayWhere) {
    const auto vocab = test::bundled_vocabularies();
    const std::string head = "title: {fr: T, en: T}\nintroduction: {fr: I., en: I.}\nselection: {themes: [energy]}\n";
    const GuideDefinition def = parse_guide_definition(head + "key_messages:\n  fr: \"- Un message.\"\n  en: \"- A message.\"\n", "k.yaml", "k", vocab);
    EXPECT_EQ(def.key_messages.at("fr"), "- Un message.");
    const auto fails = [&](const std::string& yaml, const std::string& expected) {
        try {
            parse_guide_definition(head + yaml, "bad.yaml", "bad", vocab);
            ADD_FAILURE() << "accepted: " << yaml;
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
        }
    };
    fails("outline: [introduction, maps, documents]\n", "bad.yaml:4");
    fails("outline: [introduction, maps, documents]\n", "unknown part 'maps'");
    fails("outline: [introduction]\n", "'outline' needs 'documents'");
    fails("contacts: [paris]\n", "unknown contact 'paris'");
    fails("key_messages: {fr: Seul.}\n", "'key_messages' needs a non-empty 'en' entry");
}

// The words of each page of `pdf`, with their boxes, as pdftotext -bbox gives them.
struct BoxWord {
    int page = 0;
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    std::string text;
};
std::vector<BoxWord> box_words(const std::filesystem::path& pdf) {
    const std::string out = shell("pdftotext -bbox '" + pdf.string() + "' - 2>/dev/null");
    static const std::regex word_re(R"re(<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>)re");
    std::vector<BoxWord> words;
    int page = -1;
    for (std::size_t at = 0; (at = out.find("<page ", at)) != std::string::npos; ++at) {
        ++page;
        const std::size_t end = out.find("</page>", at);
        const std::string text = out.substr(at, end - at);
        for (std::sregex_iterator it(text.begin(), text.end(), word_re), e; it != e; ++it)
            words.push_back({page, std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]), std::stod((*it)[4]), (*it)[5]});
    }
    return words;
}

// The parallel columns meet again at every heading of a section, not only at its start: in the
// method guide, "Étape n" and "Stage n" stand on the same line, page after page.
TEST_F(GuideTest, TheParallelColumnsMeetAgainAtEveryHeading) {
    const auto words = box_words(build("methode", "parallel"));
    int pairs = 0;
    const auto heading = [](const BoxWord& w) { return (w.y1 - w.y0) / 1.163 > 10.6; };  // not the contents' entries
    for (const BoxWord& fr : words) {
        if (fr.text != "Étape" || !heading(fr)) continue;
        const auto en = std::find_if(words.begin(), words.end(), [&](const BoxWord& w) {
            return w.text == "Stage" && heading(w) && w.page == fr.page && w.x0 > Pdf::k_width / 2 && std::abs(w.y1 - fr.y1) < 40;
        });
        ASSERT_NE(en, words.end()) << "page " << fr.page + 1;
        EXPECT_NEAR(en->y1, fr.y1, 0.5) << "page " << fr.page + 1;
        ++pairs;
    }
    EXPECT_GE(pairs, 4);
}

// A table's cells break a word only with a hyphen ("construit / s" once printed): the label of
// an indicator too long for its column, in both layouts.
TEST_F(GuideTest, TableCellsBreakAWordOnlyWithAHyphen) {
    test::FixtureIndex f;
    const std::vector<std::string> label = {"Infrastructures", "d’assainissement", "scolaire", "réceptionnées", "définitivement",
                                            "après", "levée", "des", "réserves"};
    std::string name;
    for (const std::string& w : label) name += (name.empty() ? "" : " ") + w;
    for (const char* lang : {"fr", "en"})
        f.add(std::string("pr-un.") + lang + ".md",
              note("pr-un", lang, "project", "Le projet", "Texte.",
                   "visibility: public\nthemes: [energy]\ndate: 2022\nindicators:\n  - {name: \"" + name +
                       "\", value: 12, unit: infrastructure, year: 2022, target: 15}\n"));
    f.index();
    ASSERT_EQ(f.report.errors, 0u) << (f.messages.empty() ? "" : f.messages[0]);
    for (const char* layout : {"parallel", "sequential"}) {
        const auto pdf = build("energie", layout, nullptr, f.db());
        int checked = 0;
        for (const BoxWord& b : box_words(pdf)) {
            if (std::abs((b.y1 - b.y0) / 1.163 - 9) >= 0.3) continue;  // table cells only (9 pt)
            for (const std::string& w : label) {
                if (b.text == w || w.rfind(b.text, 0) != 0 || b.text.size() < 4) continue;  // (not "le", "des")
                ++checked;
                ADD_FAILURE() << layout << ": '" << w << "' cut as '" << b.text << "' without a hyphen";
            }
            if (b.text.size() > 1 && b.text.back() == '-') {
                ++checked;
                const std::string head = b.text.substr(0, b.text.size() - 1);
                const auto within = [&](const std::string& w) { return w.find(head) != std::string::npos && w != head; };
                EXPECT_TRUE(std::any_of(label.begin(), label.end(), within) || within("infrastructures") || within("Indicateur") ||
                            within("Indicator"))
                    << layout << ": '" << b.text << "' is no part of a word of the table";
            }
            if (std::find(label.begin(), label.end(), b.text) != label.end()) ++checked;
        }
        EXPECT_GE(checked, static_cast<int>(label.size()) - 2) << layout << ": the label was not found in the table";
    }
}

// An indicator table's numbers are written as each language writes them and right-aligned, its
// columns only those some indicator fills; a table a section shares with an earlier one is not
// printed again but pointed to.
TEST_F(GuideTest, IndicatorTablesAlignTheirNumbersAndAreNotRepeated) {
    test::FixtureIndex f;
    const std::string indicators =
        "indicators:\n  - {name: Écoles, value: 120, unit: école, year: 2021, target: 150}\n  - {name: Écoles, value: 130, unit: école, year: 2022}\n"
        "  - {name: Élèves, value: 10000, unit: élève, year: 2022}\n  - {name: Hectares, value: 2.5, unit: ha, year: 2022}\n";
    for (const char* id : {"pr-un", "ev-deux"})
        for (const char* lang : {"fr", "en"})
            f.add(std::string(id) + "." + lang + ".md",
                  note(id, lang, std::string(id) == "pr-un" ? "project" : "evaluation", std::string(id) == "pr-un" ? "Le projet" : "Son évaluation",
                       "Texte.", "visibility: public\nthemes: [energy]\ndate: 2022\n" + indicators));
    f.index();
    ASSERT_EQ(f.report.errors, 0u) << (f.messages.empty() ? "" : f.messages[0]);
    const auto pdf = build("energie", "parallel", nullptr, f.db());
    const auto words = box_words(pdf);
    const auto right_edge = [&](const std::string& w, bool english) {
        for (const BoxWord& b : words)
            if (b.text == w && (b.x0 > Pdf::k_width / 2) == english && std::abs((b.y1 - b.y0) / 1.163 - 9) < 0.3) return b.x1;  // in a table (9 pt)
        return -1.0;
    };
    for (const bool english : {false, true}) {
        const double a = right_edge("120", english), b = right_edge(english ? "10,000" : "000", english), c = right_edge(english ? "2.5" : "2,5", english);
        ASSERT_GT(a, 0) << english;
        EXPECT_NEAR(a, b, 0.5) << (english ? "English" : "French") << ": numbers right-aligned";
        EXPECT_NEAR(a, c, 0.5) << (english ? "English" : "French");
    }
    const std::string layout = shell("pdftotext -layout '" + pdf.string() + "' - 2>/dev/null");
    EXPECT_TRUE(std::regex_search(layout, std::regex("2022 +10(\u202F| )000 +150 +élèves|2022 +10(\u202F| )000 +élèves"))) << layout;  // French: "10 000", and the unit agrees
    // The charts: per indicator, its target (an outline) then each year's value, labelled and
    // written out; bars scaled to the largest (the target, 150).
    const auto row_before = [&](const std::string& first, const std::string& second) {  // `first`'s row comes before `second`'s
        const auto a = layout.find(first), b = layout.find(second);
        return a != std::string::npos && b != std::string::npos && a < b;
    };
    EXPECT_TRUE(std::regex_search(layout, std::regex("Cible +150 écoles")) && std::regex_search(layout, std::regex("2021 +120 écoles")) &&
                std::regex_search(layout, std::regex("2022 +130 écoles")) && std::regex_search(layout, std::regex("Target +150 ")))
        << layout;
    EXPECT_TRUE(row_before("Cible", "2021 ")) << "the target first";
    std::vector<double> bars;  // the filled bars' widths, in drawing order, from the page's content
    const std::string raw = shell("qpdf --qdf --object-streams=disable '" + pdf.string() + "' - 2>/dev/null");
    static const std::regex bar(R"re(0\.4 g\n[\d.]+ [\d.]+ ([\d.]+) 9 re\nf)re");
    for (std::sregex_iterator it(raw.begin(), raw.end(), bar), e; it != e; ++it) bars.push_back(std::stod((*it)[1]));
    ASSERT_GE(bars.size(), 4u) << "the achieved values' bars, both columns";
    EXPECT_NEAR(bars[0] / bars[1], 120.0 / 130.0, 0.01);  // 2021 then 2022, to the same scale
    const std::string text = std::regex_replace(shell("pdftotext '" + pdf.string() + "' - 2>/dev/null"), std::regex("\\s+"), " ");
    std::size_t pointers = 0;
    for (std::size_t at = text.find("Les mêmes que pour « "); at != std::string::npos; at = text.find("Les mêmes que pour « ", at + 1)) ++pointers;
    EXPECT_EQ(pointers, 1u) << text;
    EXPECT_NE(text.find("The same as for “"), std::string::npos);
    // Without years or targets, no such columns.
    test::FixtureIndex g;
    g.add("pr-trois.fr.md", note("pr-trois", "fr", "project", "Sans années", "Texte.",
                                 "visibility: public\nthemes: [energy]\nindicators:\n  - {name: Écoles, value: 120, unit: école}\n"));
    g.index();
    const std::string plain_table = shell("pdftotext -layout '" + build("energie", "parallel", nullptr, g.db()).string() + "' - 2>/dev/null");
    EXPECT_TRUE(std::regex_search(plain_table, std::regex("Indicateur +Valeur +Unité"))) << plain_table;
    EXPECT_EQ(plain_table.find("Année"), std::string::npos);
}

// A line of text as pdftotext -bbox sees it: words on one baseline, split where a gap is wider
// than three spaces (the gutter between the parallel columns, table cells).
struct SetLine {
    int page = 0;
    double x0 = 0, x1 = 0, y = 0, size = 0;
    std::vector<std::string> words;
    std::vector<double> gaps;  // between words, in natural spaces
};

std::vector<SetLine> set_lines(const std::filesystem::path& pdf) {
    const std::string out = shell("pdftotext -bbox '" + pdf.string() + "' - 2>/dev/null");
    static const std::regex word_re(R"re(<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>)re");
    std::vector<SetLine> lines;
    int page = -1;
    std::size_t at = 0;
    while ((at = out.find("<page ", at)) != std::string::npos) {
        ++page;
        const std::size_t end = out.find("</page>", at);
        const std::string text = out.substr(at, end - at);
        struct W {
            double x0, x1, y0, y1;
            std::string text;
        };
        std::map<long, std::vector<W>> rows;  // by baseline, in tenths of a point
        for (std::sregex_iterator it(text.begin(), text.end(), word_re), e; it != e; ++it) {
            const W w{std::stod((*it)[1]), std::stod((*it)[3]), std::stod((*it)[2]), std::stod((*it)[4]), (*it)[5]};
            rows[std::lround(w.y1 * 10)].push_back(w);
        }
        for (auto& [y, words] : rows) {
            std::sort(words.begin(), words.end(), [](const W& a, const W& b) { return a.x0 < b.x0; });
            SetLine line;
            for (const W& w : words) {
                // DejaVu Serif: the box of a word is 1.163 em high, a space 0.318 em wide.
                const double size = (w.y1 - w.y0) / 1.163, space = 0.318 * size;
                const double gap = line.words.empty() ? 0 : (w.x0 - line.x1) / space;
                if (!line.words.empty() && gap > 3) {
                    lines.push_back(line);
                    line = SetLine{};
                }
                if (line.words.empty()) line = SetLine{page, w.x0, w.x1, w.y1, size, {}, {}};
                else line.gaps.push_back(gap);
                line.words.push_back(w.text);
                line.x1 = w.x1;
            }
            lines.push_back(line);
        }
        at = end;
    }
    return lines;
}

// What a publications editor checks on every page of every bundled guide, in both layouts and
// for the public and for staff, measured from the PDF as pdftotext reads it:
// - a word space stays within 1.8 times its natural width (dot leaders aside);
// - no more than two hyphenated lines follow one another in a column, and no heading is hyphenated;
// - in the sequential layout, a full line of body text holds 55 to 75 characters, and none more.
TEST_F(GuideTest, EveryBundledGuideIsSetWithinTheBoundsOfGoodTypography) {
    for (const char* role : {"public", "internal"})
        for (const char* name : {"eau-ecoles", "energie", "voute-nubienne", "methode"})
            for (const std::string layout : {"parallel", "sequential"}) {
                const std::string what = std::string(name) + " " + layout + " " + role;
                const auto lines = set_lines(build(name, layout, nullptr, {}, role));
                ASSERT_GT(lines.size(), 50u) << what;
                double widest = 0, body_lines = 0;
                for (const SetLine& l : lines)
                    if (std::abs(l.size - 10.5) < 0.2) widest = std::max(widest, l.x1), ++body_lines;
                ASSERT_GT(body_lines, 20) << what;
                std::map<std::pair<int, bool>, std::vector<const SetLine*>> columns;  // by page and side
                for (const SetLine& l : lines) {
                    for (std::size_t g = 0; g < l.gaps.size(); ++g) {
                        if (l.words[g] == "." || l.words[g + 1] == ".") continue;  // the contents' dot leaders
                        EXPECT_LE(l.gaps[g], 1.8 + 0.02) << what << ", page " << l.page + 1 << ": a wide space between '" << l.words[g]
                                                         << "' and '" << l.words[g + 1] << "'";
                    }
                    if (l.size > 11) EXPECT_NE(l.words.back().back(), '-') << what << ", page " << l.page + 1 << ": a hyphenated heading";
                    columns[{l.page, l.x0 > Pdf::k_width / 2}].push_back(&l);
                    if (layout == "sequential" && std::abs(l.size - 10.5) < 0.2) {
                        std::size_t chars = l.words.size() - 1;
                        for (const std::string& w : l.words) chars += utf8::length(w);
                        EXPECT_LE(chars, 75u) << what << ", page " << l.page + 1;
                        if (l.x1 > widest - 1.5) EXPECT_GE(chars, 55u) << what << ", page " << l.page + 1;
                    }
                }
                for (auto& [where, column] : columns) {
                    std::sort(column.begin(), column.end(), [](const SetLine* a, const SetLine* b) { return a->y < b->y; });
                    int run = 0;
                    for (const SetLine* l : column) {
                        run = l->words.back().size() > 1 && l->words.back().back() == '-' ? run + 1 : 0;
                        EXPECT_LE(run, 2) << what << ", page " << where.first + 1 << ": three hyphenated lines in a row, to '"
                                          << l->words.back() << "'";
                    }
                }
            }
}

// No reader complains about a bundled guide: pdftotext, pdffonts and qpdf --check say nothing
// but their results (libharu's own ToUnicode maps once made poppler warn on every page), the
// document declares its language, and the English passages are marked as English.
TEST_F(GuideTest, EveryBundledGuideReadsWithoutAWarningAndDeclaresItsLanguages) {
    for (const char* name : {"eau-ecoles", "energie", "voute-nubienne", "methode"})
        for (const std::string layout : {"parallel", "sequential"}) {
            const std::string what = std::string(name) + " " + layout;
            const std::string pdf = build(name, layout, nullptr, {}, "internal").string();
            EXPECT_EQ(shell("pdftotext '" + pdf + "' /dev/null 2>&1"), "") << what;  // (only its warnings)
            EXPECT_EQ(shell("pdffonts '" + pdf + "' 2>&1 >/dev/null"), "") << what;
            const auto check = test::run_command("qpdf --check '" + pdf + "' 2>&1");
            EXPECT_EQ(check.status, 0) << what << check.out;
            EXPECT_EQ(check.out.find("WARNING"), std::string::npos) << what << check.out;
            EXPECT_NE(check.out.find("No syntax or stream encoding errors"), std::string::npos) << what;
            const std::string qdf = pdf + ".qdf";
            shell("qpdf --qdf --object-streams=disable '" + pdf + "' '" + qdf + "'");
            const std::string raw = shell("cat '" + qdf + "'");
            EXPECT_NE(raw.find("/Lang (fr)"), std::string::npos) << what;
            EXPECT_NE(raw.find("/Span <</Lang (en)>> BDC"), std::string::npos) << what;
            EXPECT_EQ(raw.find("begincidrange"), std::string::npos) << what;
        }
}

}  // namespace
}  // namespace passerelle
