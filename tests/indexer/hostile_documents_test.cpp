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
        // YAML that would expand: nine levels of nine aliases (the "billion laughs"), merge
        // keys and tags. Each is refused at its position, before anything grows.
        std::string laughs = "---\nid: laughs\nlang: fr\nkind: report\ntitle: T\nvisibility: public\na: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n";
        for (char level = 'b'; level <= 'i'; ++level) {
            laughs += std::string(1, level) + ": &" + level + " [";
            for (int i = 0; i < 9; ++i) laughs += std::string(i ? "," : "") + "*" + static_cast<char>(level - 1);
            laughs += "]\n";
        }
        m_dir.write("content/laughs.fr.md", laughs + "---\nCorps\n");
        expect("laughs.fr.md:8:8:", "YAML aliases are not allowed in front matter");
        m_dir.write("content/merge.fr.md", public_note("merge", "Fusion", "x", "base: {a: 1}\nother:\n  <<: {b: 2}\n"));
        expect("merge.fr.md:9:3:", "YAML merge keys ('<<') are not allowed in front matter");
        m_dir.write("content/tag.fr.md", public_note("tag", "Etiquette", "x", "image: !!binary R0lGODlhAQABAAAAACw=\n"));
        expect("tag.fr.md:7:8:", "YAML tags ('!!binary') are not allowed in front matter");
        std::string values = "tags: [";
        for (int i = 0; i < 30000; ++i) values += i ? ",x" : "x";
        m_dir.write("content/values.fr.md", public_note("values", "Valeurs", "x", values + "]\n"));
        expect("values.fr.md:7:", "front matter holds more than 20000 values");
        // Markdown that makes cmark-gfm superlinear: a header of 1,000 columns pads every row
        // below it (gigabytes from a 4 MiB file), and links and emphasis by the thousand in one
        // paragraph take it hours. Both are refused before it parses.
        std::string wide = "Tableau.\n\n|" + repeat("a|", 1000) + "\n|" + repeat("-|", 1000) + "\n";
        while (wide.size() < (4u << 20) - 4096) wide += "|x\n";
        m_dir.write("content/wide.fr.md", public_note("wide", "Large", wide));
        expect("wide.fr.md:11:", "a table of 1000 columns: a table may have at most 128");
        m_dir.write("content/brackets.fr.md", public_note("brackets", "Crochets", repeat("[a](b) *K* ", 300000)));
        expect("brackets.fr.md:8:", "more than 1000 links and emphasis marks in one paragraph");
        // A large table within the bounds is an ordinary document.
        m_dir.write("content/table.fr.md", public_note("table", "Tableau", "|" + repeat(" a |", 100) + "\n|" + repeat("---|", 100) + "\n" +
                                                                         repeat("|" + repeat(" x |", 100) + "\n", 1500)));
        m_good.push_back("table");
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

        // IATI files: entities that would expand a billion times, and elements nested past
        // any activity's shape.
        std::string dtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE iati-activities [\n <!ENTITY a \"lol\">\n";
        for (int i = 1; i <= 9; ++i) {
            dtd += " <!ENTITY " + std::string(1, static_cast<char>('a' + i)) + " \"";
            for (int k = 0; k < 10; ++k) dtd += "&" + std::string(1, static_cast<char>('a' + i - 1)) + ";";
            dtd += "\">\n";
        }
        m_dir.write("laughs.xml", dtd + "]>\n<iati-activities version=\"2.03\">\n"
                                      "<iati-activity><iati-identifier>X-LOL</iati-identifier><title><narrative>&j;</narrative></title>"
                                      "</iati-activity>\n</iati-activities>\n");
        expect("laughs.xml:15:", "malformed XML");
        m_dir.write("deep.xml", "<iati-activities version=\"2.03\">\n<iati-activity><iati-identifier>X-DEEP</iati-identifier>"
                                "<title><narrative>Profond</narrative></title>\n" +
                                    repeat("<a>", 3000000) + repeat("</a>", 3000000) + "</iati-activity>\n</iati-activities>\n");
        expect("deep.xml:3:", "elements nested deeper than 64 levels");
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
    // Under a limit of 1 GB of address space, which the sanitizers (terabytes of shadow
    // memory reserved) cannot run under: a document that would grow past it fails alone.
#ifdef __SANITIZE_ADDRESS__
    const std::string limit;
#else
    const std::string limit = "ulimit -v 1000000 && ";
#endif
    const auto run = test::run_command(limit + "timeout 120 '" + exe + "' index '" + (m_dir / "content").string() + "' '" +
                                       (m_dir / "bulk.jsonl").string() + "' '" + (m_dir / "laughs.xml").string() + "' '" +
                                       (m_dir / "deep.xml").string() + "' --db '" + (m_dir / "db").string() + "' 2>&1");
    // 1: indexed, with errors. A signal would give 128 and more (SIGKILL 137, SIGABRT 134,
    // SIGSEGV 139), the timeout 124.
    ASSERT_EQ(run.status, 1) << run.out.substr(0, 4000);

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
