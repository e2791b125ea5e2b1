#include "indexer/attachments.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "core/catalogue.h"
#include "core/search.h"
#include "support/fixture_index.h"
#include "support/sample_files.h"

namespace passerelle {
namespace {

using test::note;

// A lesson whose report is attached: page 2 of the PDF tells of the "margelle" (the well's
// rim), a word the note's own text does not have.
const std::vector<std::string> k_report_pages = {
    "Rapport final du projet de puits. Introduction et contexte du village, protege des crues.",
    "Le chantier: la margelle du puits a ete rehaussee de quarante centimetres avant la saison des pluies."};

std::string lesson_with(const std::string& attachments, const std::string& id = "le-puits") {
    return note(id, "fr", "lesson", "Un puits protégé des crues", "Le puits a été rehaussé.",
                "visibility: public\nattachments:\n" + attachments);
}

std::string read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

SearchResult search(const std::filesystem::path& db, const std::string& q) {
    Searcher s(db);
    SearchRequest r;
    r.query = q;
    return s.search(r);
}

TEST(AttachmentsTest, APdfsTextIsSearchedAndAHitSaysWhichPageHoldsTheWords) {
    test::FixtureIndex f;
    f.add("lessons/le-puits.fr.md", lesson_with("  - file: rapport.pdf\n    title: Rapport final\n"));
    const std::string pdf = test::sample_pdf(k_report_pages);
    f.add("lessons/le-puits/rapport.pdf", pdf);
    f.index();
    ASSERT_EQ(f.report.errors, 0u) << (f.messages.empty() ? "" : f.messages[0]);

    const SearchResult r = search(f.db(), "margelle");
    ASSERT_EQ(r.total, 1u);
    EXPECT_EQ(r.hits[0].id, "le-puits");
    EXPECT_EQ(r.hits[0].attachment, "rapport.pdf");
    EXPECT_EQ(r.hits[0].attachment_page, 2);
    EXPECT_NE(r.hits[0].snippet.find("<mark>margelle</mark>"), std::string::npos) << r.hits[0].snippet;

    // Words of the note itself (its text, or its title, which the PDF may repeat): its own.
    const SearchResult titled = search(f.db(), "crues");
    ASSERT_EQ(titled.total, 1u);
    EXPECT_EQ(titled.hits[0].attachment, "");
    const SearchResult own = search(f.db(), "rehaussé");
    ASSERT_EQ(own.total, 1u);
    EXPECT_EQ(own.hits[0].attachment, "");
    EXPECT_EQ(own.hits[0].attachment_page, 0);

    // The file is in the index's store under its hash; the catalogue lists it.
    Catalogue cat(f.db() / "catalogue.sqlite", Catalogue::Mode::read_only);
    const auto doc = cat.document("le-puits", "fr", index_generation(f.db()), {"public"});
    ASSERT_TRUE(doc);
    const auto meta = nlohmann::json::parse(doc->metadata);
    ASSERT_EQ(meta["attachments"].size(), 1u);
    const auto& a = meta["attachments"][0];
    EXPECT_EQ(a["file"], "rapport.pdf");
    EXPECT_EQ(a["type"], "application/pdf");
    EXPECT_EQ(a["pages"], 2);
    EXPECT_EQ(a["title"], "Rapport final");
    EXPECT_EQ(a["bytes"], pdf.size());
    EXPECT_EQ(read(f.db() / "files" / std::string(a["hash"])), pdf);
}

TEST(AttachmentsTest, AChangedAttachmentIsReadAgainByTheNextRun) {
    test::FixtureIndex f;
    f.add("lessons/le-puits.fr.md", lesson_with("  - file: rapport.pdf\n"));
    f.add("lessons/le-puits/rapport.pdf", test::sample_pdf({"premier texte: latrines"}));
    f.index();
    ASSERT_EQ(search(f.db(), "latrines").total, 1u);
    f.add("lessons/le-puits/rapport.pdf", test::sample_pdf({"second texte: compostage des dechets"}));
    f.index();
    EXPECT_EQ(f.report.errors, 0u);
    EXPECT_EQ(search(f.db(), "latrines").total, 0u);
    EXPECT_EQ(search(f.db(), "compostage").total, 1u);
}

TEST(AttachmentsTest, AnImageNeedsItsAlternativeTextAndCreditWhichAreSearched) {
    test::FixtureIndex f;
    f.add("lessons/le-puits.fr.md", lesson_with("  - file: puits.png\n    alt: Le puits et sa margelle neuve\n    credit: Photo Awa Diop\n"));
    f.add("lessons/le-puits/puits.png", test::sample_png());
    f.add("lessons/le-sans.fr.md", lesson_with("  - file: puits.png\n    alt: Un puits\n", "le-sans"));
    f.add("lessons/le-sans/puits.png", test::sample_png());
    f.index();
    EXPECT_EQ(f.report.added, 1u);
    ASSERT_EQ(f.messages.size(), 1u);
    EXPECT_NE(f.messages[0].find("le-sans.fr.md:8:5: error: attachment 'le-sans/puits.png': an image needs its alternative text ('alt') and its credit ('credit')"),
              std::string::npos) << f.messages[0];
    EXPECT_EQ(search(f.db(), "Diop").total, 1u);  // the credit is searched
}

TEST(AttachmentsTest, EachBadAttachmentIsReportedAtItsLineAndTheOtherNotesAreIndexed) {
    test::FixtureIndex f;
    f.add("lessons/le-bon.fr.md", note("le-bon", "fr", "lesson", "Bon", "Une note sans pièce jointe."));
    f.add("lessons/le-absent.fr.md", lesson_with("  - file: absent.pdf\n", "le-absent"));
    f.add("lessons/le-html.fr.md", lesson_with("  - file: page.pdf\n", "le-html"));
    f.add("lessons/le-html/page.pdf", "<html><script>alert(1)</script></html>");
    f.add("lessons/le-chemin.fr.md", lesson_with("  - file: ../le-bon.fr.md\n", "le-chemin"));
    f.add("lessons/le-casse.fr.md", lesson_with("  - file: casse.pdf\n", "le-casse"));
    f.add("lessons/le-casse/casse.pdf", "%PDF-1.4\nthis is not really a PDF\n");
    f.add("lessons/le-lien.fr.md", lesson_with("  - file: lien.pdf\n", "le-lien"));
    f.add("secret.pdf", test::sample_pdf({"secret"}));
    std::filesystem::create_directories(f.content() / "lessons/le-lien");
    std::filesystem::create_symlink(f.content() / "secret.pdf", f.content() / "lessons/le-lien/lien.pdf");
    f.index();
    EXPECT_EQ(f.report.added, 1u);
    ASSERT_EQ(f.messages.size(), 5u);
    std::string all;
    for (const auto& m : f.messages) all += m + "\n";
    EXPECT_NE(all.find("le-absent.fr.md:8:5: error: attachment 'le-absent/absent.pdf': no such file"), std::string::npos) << all;
    EXPECT_NE(all.find("le-html.fr.md:8:5: error: attachment 'le-html/page.pdf': not a PDF, PNG or JPEG file"), std::string::npos) << all;
    EXPECT_NE(all.find("le-chemin.fr.md:8:11: error: bad attachment file name '../le-bon.fr.md'"), std::string::npos) << all;
    EXPECT_NE(all.find("le-casse.fr.md:8:5: error: attachment 'le-casse/casse.pdf': poppler cannot read this PDF"), std::string::npos) << all;
    EXPECT_NE(all.find("le-lien.fr.md:8:5: error: attachment 'le-lien/lien.pdf': not a plain file (links are not followed)"), std::string::npos) << all;
    EXPECT_EQ(search(f.db(), "secret").total, 0u);
}

TEST(AttachmentFolderTest, IsNamedAfterTheNotesIdBesideIt) {
    EXPECT_EQ(attachment_folder("content/lessons/le-puits.fr.md"), std::filesystem::path("content/lessons/le-puits"));
    EXPECT_EQ(attachment_folder("/x/rp-a.en.md"), std::filesystem::path("/x/rp-a"));
}

}  // namespace
}  // namespace passerelle
