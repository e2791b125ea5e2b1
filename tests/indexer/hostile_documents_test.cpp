// Hostile and broken documents among good ones, indexed by the real program: each bad one gets
// a clear diagnostic naming its file and line, nothing crashes or hangs (the run is bounded by
// `timeout`), and every other document is indexed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "core/search.h"
#include "support/command.h"
#include "support/fixture_index.h"
#include "support/temp_dir.h"

namespace passerelle {
namespace {

namespace fs = std::filesystem;
using test::note;

std::string public_note(const std::string& id, const std::string& title, const std::string& body,
                        const std::string& extra = "") {
    return note(id, "fr", "report", title, body, "visibility: public\n" + extra);
}

std::string record(const std::string& id, const std::string& title, const std::string& body, const std::string& extra = "") {
    return R"({"id": ")" + id + R"(", "lang": "fr", "kind": "report", "title": ")" + title + R"(", "body": ")" + body +
           R"(", "visibility": "public")" + extra + "}\n";
}

struct Expected {
    std::string where;    // "file:line" the diagnostic must start with
    std::string message;  // a part of its message
};

class HostileDocumentsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        const fs::path c = m_dir / "content";
        // Good documents, which must all be indexed.
        m_dir.write("content/good/puits.fr.md", public_note("puits", "Puits", "Le puits du village de Kédougou."));
        m_dir.write("content/good/wells.en.md", note("wells", "en", "report", "Wells", "The village well.", "visibility: public\n"));
        m_dir.write("content/crlf.fr.md", "\xEF\xBB\xBF" + crlf(public_note("crlf", "Avec BOM et CRLF", "Texte du forage\nsur deux lignes.")));
        m_good = {"puits", "wells", "crlf", "j-good", "j-after"};

        // Bad documents, each with the diagnostic it must get.
        m_dir.write("content/utf8.fr.md", public_note("utf8", "Octets", "une ligne\nune autre \xFF\xFE ligne"));
        expect("utf8.fr.md:9:", "invalid UTF-8 (byte 0xFF)");
        std::string binary(4096, '\0');
        for (std::size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>(i * 37 % 256);
        m_dir.write("content/image.fr.md", binary);
        expect("image.fr.md:1:", "binary file");
        m_dir.write("content/front.fr.md", "---\nid: front\nlang: fr\nkind: report\ntitle: T\nvisibility: public\nsummary: " +
                                                std::string(10 << 20, 'x') + "\n---\nCorps\n");
        expect("front.fr.md:7:", "goes over 4.0 MiB here (it has 10.0 MiB)");
        m_dir.write("content/front-big.fr.md", "---\nid: front-big\nlang: fr\nkind: report\ntitle: T\nvisibility: public\n" +
                                                    std::string(3000, '#') + "\n" + repeat("# un commentaire long\n", 4000) + "---\nCorps\n");
        expect("front-big.fr.md:", "the front matter goes over 64 KiB at this line");
        m_dir.write("content/line.fr.md", public_note("line", "Ligne", "début\n" + repeat("mot ", (10 << 20) / 4)));
        expect("line.fr.md:9:", "goes over 4.0 MiB here");
        m_dir.write("content/lists.fr.md", public_note("lists", "Listes", "Avant.\n\n" + repeat("- ", 10000) + "fond"));
        expect("lists.fr.md:10:", "nested more than 100 levels deep");
        m_dir.write("content/quotes.fr.md", public_note("quotes", "Citations", repeat(">", 10000) + " fond"));
        expect("quotes.fr.md:8:", "nested more than 100 levels deep");
        m_dir.write("content/yaml.fr.md", public_note("yaml", "YAML", "x", "tags: " + repeat("[", 10000) + repeat("]", 10000) + "\n"));
        expect("yaml.fr.md:7:", "front matter nested deeper than 64 levels");
        m_dir.write("content/path.fr.md", public_note("../../etc/passwd", "Chemin", "x"));
        expect("path.fr.md:2:", "bad id '../../etc/passwd'");
        m_dir.write("content/a/twice.fr.md", public_note("twice", "Premier", "x"));
        m_dir.write("content/b/twice.fr.md", public_note("twice", "Second", "x"));
        expect("b/twice.fr.md:", "twice");  // names the first one too (checked below)
        m_good.push_back("twice");
        fs::create_directory_symlink("..", c / "good" / "loop");
        expect("good/loop:", "symbolic link to a folder");
        fs::create_symlink("self.fr.md", c / "self.fr.md");
        expect("self.fr.md:", "symbolic link");

        std::ofstream jsonl(m_dir / "bulk.jsonl");
        jsonl << record("j-good", "Bon", "Une latrine.");
        jsonl << record("j-huge", "Enorme", std::string(10 << 20, 'x'));
        expect("bulk.jsonl:2:", "record of 10.0 MiB is over the 4.0 MiB");
        jsonl << record("j-deep", "Profond", "x", R"(, "extra": )" + repeat("[", 10000) + repeat("]", 10000));
        expect("bulk.jsonl:3:", "nested deeper than");
        jsonl << record("../j", "Chemin", "x");
        expect("bulk.jsonl:4:", "bad id '../j'");
        jsonl << record("j-good", "Encore", "x");
        expect("bulk.jsonl:5:", "j-good");
        jsonl << record("j-utf8", "Octets \xC3", "x");
        expect("bulk.jsonl:6:", "invalid UTF-8");
        jsonl << record("j-md", "Markdown", repeat("> ", 5000) + "fond");
        expect("bulk.jsonl:7:", "nested more than 100 levels deep");
        jsonl << "{\"id\": \"j-cut\", \"lang\": \"fr\"\n";
        expect("bulk.jsonl:8:", "");
        jsonl << record("j-after", "Après", "La dernière ligne.");
        jsonl << record("..", "Point point", "x");
        expect("bulk.jsonl:10:", "bad id '..'");
        // Slashes are legitimate in the ids of other systems (IATI identifiers, help pages: a
        // quarter of shared/corpus); they name documents in URLs, percent-encoded, never files.
        jsonl << record("lohelp::scalc/01/page.html", "Aide", "x");
        m_good.push_back("lohelp::scalc/01/page.html");
    }

    static std::string repeat(const std::string& s, int n) {
        std::string out;
        out.reserve(s.size() * static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) out += s;
        return out;
    }
    static std::string crlf(const std::string& s) {
        std::string out;
        for (const char ch : s) out += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
        return out;
    }
    void expect(const std::string& where, const std::string& message) { m_expected.push_back({where, message}); }

    test::TempDir m_dir;
    std::vector<std::string> m_good;
    std::vector<Expected> m_expected;
};

TEST_F(HostileDocumentsTest, EachGetsADiagnosticAtItsLineAndEveryOtherDocumentIsIndexed) {
    const std::string exe = std::string(PASSERELLE_TEST_BINARY_DIR) + "/cli/passerelle";
    const auto run = test::run_command("timeout 120 '" + exe + "' index '" + (m_dir / "content").string() + "' '" +
                                       (m_dir / "bulk.jsonl").string() + "' --db '" + (m_dir / "db").string() + "' 2>&1");
    ASSERT_EQ(run.status, 1) << run.out.substr(0, 4000);  // 1: indexed, with errors; 124 would be the timeout

    std::vector<std::string> lines;
    for (std::size_t at = 0, next; at < run.out.size(); at = next + 1) {
        next = run.out.find('\n', at);
        if (next == std::string::npos) next = run.out.size();
        lines.push_back(run.out.substr(at, next - at));
    }
    for (const auto& e : m_expected) {
        bool found = false;
        for (const auto& l : lines) {
            const auto at = l.find(e.where);
            // The diagnostic starts with the file's path, and the part after the path matches.
            if (at != std::string::npos && l.rfind((m_dir / "").string(), 0) == 0 && l.find(e.message, at) != std::string::npos) found = true;
        }
        EXPECT_TRUE(found) << "no diagnostic at " << e.where << " saying '" << e.message << "' in:\n" << run.out.substr(0, 4000);
    }
    // The duplicate names the first file.
    bool names_first = false;
    for (const auto& l : lines)
        if (l.find("b/twice.fr.md:") != std::string::npos && l.find("a/twice.fr.md") != std::string::npos) names_first = true;
    EXPECT_TRUE(names_first) << run.out.substr(0, 4000);

    Searcher s(m_dir / "db");
    EXPECT_EQ(s.document_count(), m_good.size());
    SearchRequest q;
    q.limit = 50;
    q.role = "internal";
    std::map<std::string, std::string> titles;
    for (const auto& h : s.search(q).hits) titles[h.id] = h.title;
    for (const auto& id : m_good) EXPECT_EQ(titles.count(id), 1u) << id << " is not indexed";
    EXPECT_EQ(titles["crlf"], "Avec BOM et CRLF");
    EXPECT_EQ(titles["twice"], "Premier");
    EXPECT_EQ(titles["j-good"], "Bon");
    q.query = "forage";
    EXPECT_EQ(s.search(q).total, 1u);  // the CRLF body is read
}

}  // namespace
}  // namespace passerelle
