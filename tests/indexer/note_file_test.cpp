// Notes written from the browser's form: the file they become reads back to the same fields
// (hostile text included), each problem the indexer finds is given to its field, ids and file
// names can never leave the content folder, and files are replaced atomically.
#include "indexer/note_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "core/document_reader.h"
#include "support/temp_dir.h"
#include "support/vocab.h"

namespace passerelle {
namespace {

NoteForm good_form() {
    NoteForm f;
    f.id = "le-puits-diamaguene";
    f.lang = "fr";
    f.kind = "lesson";
    f.title = "Les puits maraîchers de Diamaguène";
    f.summary = "Un comité de gestion dès le départ.";
    f.date = "2020-11";
    f.visibility = "partners";
    f.countries = "SN, ma";
    f.places = "Diamaguène\nPodor\n";
    f.themes = {"water"};
    f.phase = "evaluation";
    f.project = "pr-paems";
    f.partners = "Commune de Podor (maître d'ouvrage)\nUniversité Gaston Berger\n";
    f.indicators = {{"Puits", "12", "puits", "2020"}, {"", "", "", ""}, {"Usagers", "1500.5", "", ""}};
    f.body = "# Constat\r\n\r\nLes puits sans comité tombent en panne.\r\n";
    return f;
}

std::optional<Document> read_back(const NoteForm& f) {
    DiagnosticSink sink;
    auto d = read_markdown_document(note_text(f), f.id + "." + f.lang + ".md", test::bundled_vocabularies(), sink);
    EXPECT_EQ(sink.error_count() + sink.warning_count(), 0u) << (sink.error_count() ? sink.take().at(0).str() : "");
    return d;
}

TEST(NoteFileTest, EveryFieldOfTheFormReadsBackAsTheIndexerReadsIt) {
    const NoteForm f = good_form();
    Document d;
    ASSERT_TRUE(check_note(f, test::bundled_vocabularies(), &d).empty());
    EXPECT_EQ(d.title, f.title);
    EXPECT_EQ(d.summary, f.summary);
    EXPECT_EQ(d.date, "2020-11");
    EXPECT_EQ(d.visibility, "partners");
    EXPECT_EQ(d.countries, (std::vector<std::string>{"SN", "MA"}));
    EXPECT_EQ(d.places, (std::vector<std::string>{"Diamaguène", "Podor"}));
    EXPECT_EQ(d.themes, f.themes);
    EXPECT_EQ(d.phase, "evaluation");
    EXPECT_EQ(d.project, "pr-paems");
    ASSERT_EQ(d.partners.size(), 2u);
    EXPECT_EQ(d.partners[0].name, "Commune de Podor");
    EXPECT_EQ(d.partners[0].role, "maître d'ouvrage");
    EXPECT_EQ(d.partners[1].role, "");
    ASSERT_EQ(d.indicators.size(), 2u);  // the empty row is dropped
    EXPECT_EQ(d.indicators[0].value, 12);
    EXPECT_EQ(d.indicators[0].year, 2020);
    EXPECT_EQ(d.indicators[1].value, 1500.5);
    EXPECT_EQ(d.body.find('\r'), std::string::npos);
    EXPECT_NE(d.body.find("# Constat"), std::string::npos);
    // And back into a form, which gives the same file.
    EXPECT_EQ(note_text(note_form_of(d)), note_text(f));
}

TEST(NoteFileTest, HostileTextInEveryFieldStaysTextAndReadsBackExactly) {
    NoteForm f = good_form();
    const std::string hostile = "\"quoted\" 'single' : colon # hash --- [list] {map} & *alias !tag % | > \\ back <script>";
    f.title = hostile;
    f.summary = hostile + "\ttab";
    f.places = hostile + "\n";
    f.partners = hostile + " (role: \"x\")\n";
    f.indicators = {{hostile, "3", hostile, ""}};
    f.body = "---\nid: other\n---\n" + hostile + "\n";
    const auto d = read_back(f);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->id, "le-puits-diamaguene");
    EXPECT_EQ(d->title, hostile);
    EXPECT_EQ(d->summary, hostile + "\ttab");
    EXPECT_EQ(d->places.at(0), hostile);
    EXPECT_EQ(d->partners.at(0).name, hostile);
    EXPECT_EQ(d->partners.at(0).role, "role: \"x\"");
    EXPECT_EQ(d->indicators.at(0).name, hostile);
    EXPECT_EQ(d->indicators.at(0).unit, hostile);
    EXPECT_EQ(d->body, f.body);
}

TEST(NoteFileTest, EachProblemIsGivenToItsField) {
    NoteForm f = good_form();
    f.date = "2020-13";
    f.countries = "SN, XYZ";
    f.themes = {"no-such-theme"};
    f.phase = "no-such-phase";
    f.indicators = {{"Puits", "douze", "", "20"}};
    f.title = " ";
    f.body = "";
    const FieldErrors e = check_note(f, test::bundled_vocabularies());
    for (const char* field : {"date", "countries", "themes", "phase", "indicators", "title", "body"})
        EXPECT_EQ(e.count(field), 1u) << field;
    EXPECT_NE(e.at("date").at(0).find("2020-13"), std::string::npos);
    EXPECT_EQ(e.count("summary"), 0u);
    EXPECT_EQ(e.count("places"), 0u);
    f = good_form();
    f.id = "../../etc/passwd";
    f.lang = "xx";
    const FieldErrors ids = check_note(f, test::bundled_vocabularies());
    EXPECT_EQ(ids.count("id"), 1u);
    EXPECT_EQ(ids.count("lang"), 1u);
}

TEST(NoteFileTest, IdsAndFileNamesNeverLeaveTheContentFolder) {
    test::TempDir dir;
    const auto content = dir / "content";
    std::filesystem::create_directories(content);
    for (const char* id : {"../x", "a/b", "..", "x", "-abc", "abc-", "ABC", "a b c", "abc\n", "/etc/passwd", "%2e%2e", "a\\b"}) {
        EXPECT_FALSE(writable_note_id(id)) << id;
        EXPECT_THROW(published_note_path(content, "lesson", id, "fr"), Error) << id;
        EXPECT_THROW(draft_note_path(content, id, "fr"), Error) << id;
    }
    EXPECT_THROW(published_note_path(content, "lesson", "le-ok", "../fr"), Error);
    const auto p = published_note_path(content, "lesson", "le-ok", "fr");
    EXPECT_EQ(p, (std::filesystem::absolute(content) / "lessons" / "le-ok.fr.md").lexically_normal());
    EXPECT_EQ(draft_note_path(content, "le-ok", "en").parent_path().filename(), ".drafts");
    EXPECT_EQ(published_note_path(content, "good_practice", "gp-ok", "fr").parent_path().filename(), "practices");
    // A folder of the content that is a link to elsewhere is not followed out.
    std::filesystem::create_directories(dir / "elsewhere");
    std::filesystem::create_directory_symlink(dir / "elsewhere", content / "lessons");
    EXPECT_THROW(published_note_path(content, "lesson", "le-ok", "fr"), Error);
}

TEST(NoteFileTest, FilesAreReplacedWholeAndNoTemporaryFileStays) {
    test::TempDir dir;
    const auto file = dir / "content" / "lessons" / "le-a.fr.md";
    write_file_atomically(file, "first\n");
    write_file_atomically(file, std::string(100000, 'x'));
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(bytes, std::string(100000, 'x'));
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(file.parent_path())) files += e.is_regular_file() ? 1 : 0;
    EXPECT_EQ(files, 1u);
}

TEST(NoteFileTest, NewIdsFollowTheKindAndTheTitleAndAreNeverTaken) {
    std::set<std::string> taken = {"le-puits-maraichers-diamaguene"};
    auto is_taken = [&](const std::string& id) { return taken.count(id) > 0; };
    EXPECT_EQ(new_note_id("lesson", "Puits maraîchers : Diamaguène", is_taken), "le-puits-maraichers-diamaguene-2");
    EXPECT_EQ(new_note_id("good_practice", "L'eau à l'école", is_taken), "gp-eau-ecole");
    EXPECT_EQ(new_note_id("report", "!!!", is_taken), "rp-note");
    EXPECT_TRUE(writable_note_id(new_note_id("lesson", std::string(500, 'a') + " b", is_taken)));
}

}  // namespace
}  // namespace passerelle
