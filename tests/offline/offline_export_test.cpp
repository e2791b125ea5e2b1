// The offline copy as its readers meet it: the bundled content/ exported as a ZIM file, checked
// by zimcheck with all its checks, read back with libzim, and served by a real kiwix-serve on
// loopback, whose pages and searches are fetched; the canary index exported for each role, and
// every entry of each ZIM (PDFs as text) searched for what that role may not see.
#include "offline/offline_export.h"

#include <gtest/gtest.h>
#include <zim/archive.h>
#include <zim/item.h>
#include <zim/error.h>
#include <zim/search.h>

#include <fstream>
#include <regex>
#include <set>

#include "offline/search_text.h"
#include "server/api.h"
#include "server/index_readers.h"
#include "server/metrics.h"
#include "support/canary_api.h"
#include "support/command.h"
#include "support/http_client.h"
#include "support/shard_servers.h"
#include "support/temp_dir.h"

namespace passerelle::offline {
namespace {

// Every entry of `zim` (redirections followed), as path -> bytes.
std::map<std::string, std::string> entries(const zim::Archive& zim) {
    std::map<std::string, std::string> out;
    for (const zim::Entry& e : zim.iterByPath()) out[e.getPath()] = std::string(e.getItem(true).getData());
    return out;
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// The href and src addresses of an HTML page, entities left as they are.
std::vector<std::string> links_of(const std::string& html) {
    std::vector<std::string> out;
    static const std::regex k_link(R"re(\s(?:href|src|action)="([^"]*)")re");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), k_link); it != std::sregex_iterator(); ++it) out.push_back((*it)[1]);
    return out;
}

// `link` as seen from the entry at `from`: the path it names inside the copy, or "" when it
// leaves it (another site, mailto:) or only names a place in the page.
std::string resolve(const std::string& from, std::string link) {
    if (const auto hash = link.find('#'); hash != std::string::npos) link.erase(hash);
    if (link.empty() || link.find(':') != std::string::npos) return "";
    std::vector<std::string> parts;
    for (std::size_t at = 0, slash; at <= from.size(); at = slash + 1) {
        slash = std::min(from.find('/', at), from.size());
        parts.push_back(from.substr(at, slash - at));
    }
    parts.pop_back();  // the page itself
    for (std::size_t at = 0, slash; at <= link.size(); at = slash + 1) {
        slash = std::min(link.find('/', at), link.size());
        const std::string seg = link.substr(at, slash - at);
        if (seg == "..") {
            if (parts.empty()) return "<above the root>";
            parts.pop_back();
        } else if (seg != "." && !seg.empty()) {
            parts.push_back(seg);
        }
    }
    std::string path;
    for (const std::string& p : parts) path += (path.empty() ? "" : "/") + p;
    return path;
}

class ZimExportTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_dir = new test::TempDir();
        IndexOptions index;
        index.inputs = {test::source_dir() / "content"};
        index.db = s_dir->path() / "db";
        index.vocabularies = test::source_dir() / "content" / "vocabularies";
        DiagnosticSink sink;
        run_indexer(index, sink);
        ExportOptions o;
        o.db = index.db.string();
        o.output = (s_dir->path() / "passerelle.zim").string();
        o.date = "2026-12-05";
        s_report = new ExportReport(export_zim(o));
        s_port = test::free_loopback_port();
        s_kiwix = new test::LoopbackProcess({"kiwix-serve", "--address", "127.0.0.1", "--port", std::to_string(s_port), o.output}, s_port);
        s_kiwix->start();
    }
    static void TearDownTestSuite() {
        delete s_kiwix;
        delete s_report;
        delete s_dir;
    }
    static std::filesystem::path zim_file() { return s_dir->path() / "passerelle.zim"; }
    // A page of the ZIM through kiwix-serve, which serves the book "passerelle" under /passerelle/.
    static test::HttpReply kiwix(const std::string& target) { return test::http_get(static_cast<int>(s_port), target); }
    // The ZIM entries a search through kiwix-serve lists, in order.
    static std::vector<std::string> kiwix_search(const std::string& pattern) {
        const auto r = kiwix("/search?content=passerelle&pattern=" + pattern);
        EXPECT_EQ(r.status, 200) << pattern;
        std::vector<std::string> hits;
        static const std::regex k_hit(R"re(<a href="/passerelle/([^"]+)">)re");
        for (auto it = std::sregex_iterator(r.body.begin(), r.body.end(), k_hit); it != std::sregex_iterator(); ++it) hits.push_back((*it)[1]);
        return hits;
    }

    static test::TempDir* s_dir;
    static ExportReport* s_report;
    static test::LoopbackProcess* s_kiwix;
    static unsigned s_port;
};

test::TempDir* ZimExportTest::s_dir = nullptr;
ExportReport* ZimExportTest::s_report = nullptr;
test::LoopbackProcess* ZimExportTest::s_kiwix = nullptr;
unsigned ZimExportTest::s_port = 0;

TEST_F(ZimExportTest, ZimcheckFindsNothingWrongWithAllItsChecks) {
    const auto check = test::run_command("zimcheck --all --details '" + zim_file().string() + "' 2>&1");
    EXPECT_EQ(check.status, 0) << check.out;
    EXPECT_NE(check.out.find("Overall Test Status: Pass"), std::string::npos) << check.out;
    EXPECT_EQ(check.out.find("[ERROR]"), std::string::npos) << check.out;
    EXPECT_TRUE(s_report->failed.empty()) << s_report->failed.front();
}

TEST_F(ZimExportTest, TheMetadataIsCompleteWithA48PixelIllustration) {
    const zim::Archive zim(zim_file().string());
    for (const char* key : {"Name", "Title", "Description", "LongDescription", "Language", "Creator", "Publisher", "Date", "Tags"})
        EXPECT_FALSE(zim.getMetadata(key).empty()) << key;
    EXPECT_EQ(zim.getMetadata("Name"), "passerelle_mul_public");
    EXPECT_EQ(zim.getMetadata("Language"), "fra,eng");
    EXPECT_EQ(zim.getMetadata("Date"), "2026-12-05");
    EXPECT_EQ(zim.getMetadata("Creator"), "Le Partenariat");
    EXPECT_LE(zim.getMetadata("Title").size(), 30u);
    EXPECT_LE(zim.getMetadata("Description").size(), 80u);
    EXPECT_NE(zim.getMetadata("Tags").find("_ftindex:yes"), std::string::npos);
    EXPECT_THROW(zim.getMetadata("Flavour"), zim::EntryNotFound) << "a public copy carries no role";
    const std::string png = std::string(zim.getIllustrationItem(48).getData());
    ASSERT_GT(png.size(), 24u);
    EXPECT_EQ(png.substr(0, 8), "\x89PNG\r\n\x1a\n");
    EXPECT_EQ(png.substr(16, 8), std::string("\0\0\0\x30\0\0\0\x30", 8)) << "48 by 48 pixels";
    EXPECT_EQ(zim.getMainEntry().getItem(true).getPath(), "fr/index.html");
    EXPECT_TRUE(zim.hasFulltextIndex());
    EXPECT_TRUE(zim.hasTitleIndex());
}

TEST_F(ZimExportTest, KiwixServeServesTheHomeADocumentAProjectAndAGuide) {
    const auto home = kiwix("/passerelle/fr/index.html");
    EXPECT_EQ(home.status, 200);
    EXPECT_NE(home.body.find("Capitaliser pour reproduire"), std::string::npos);
    const auto doc = kiwix("/passerelle/fr/documents/gp-sensibilisation-hygiene~fr.html");
    EXPECT_EQ(doc.status, 200);
    EXPECT_NE(doc.body.find("<h1"), std::string::npos);
    EXPECT_NE(doc.body.find("latrines"), std::string::npos);
    const auto project = kiwix("/passerelle/en/projects/pr-paems~en.html");
    EXPECT_EQ(project.status, 200);
    EXPECT_NE(project.body.find("PAEMS"), std::string::npos);
    const auto guide = kiwix("/passerelle/guides/eau-ecoles.parallel.pdf");
    EXPECT_EQ(guide.status, 200);
    EXPECT_EQ(guide.body.rfind("%PDF-", 0), 0u);
    EXPECT_EQ(guide.headers.at("content-type").rfind("application/pdf", 0), 0u) << guide.headers.at("content-type");
    // The guides page links the PDFs of both layouts, relative to itself.
    const auto guides = kiwix("/passerelle/en/guides.html");
    EXPECT_NE(guides.body.find("href=\"../guides/eau-ecoles.sequential.pdf\""), std::string::npos);
}

TEST_F(ZimExportTest, KiwixSearchFindsFrenchWordsTypedWithOrWithoutAccentsAndWordsOfABody) {
    // The project's page says "écoles", "l’école", never "ecole".
    const zim::Archive zim(zim_file().string());
    const std::string text = main_text(std::string(zim.getEntryByPath("fr/documents/pr-paems~fr.html").getItem().getData()));
    ASSERT_NE(text.find("écoles"), std::string::npos);
    ASSERT_EQ(text.find("ecole"), std::string::npos);
    for (const std::string q : {"ecole", "%C3%A9cole", "%C3%89cole", "ecoles", "l%27%C3%A9cole", "l%E2%80%99ecole"}) {
        const auto hits = kiwix_search(q);
        EXPECT_NE(std::find(hits.begin(), hits.end(), "fr/documents/pr-paems~fr.html"), hits.end()) << q;
    }
    const auto latrines = kiwix_search("latrines");
    ASSERT_FALSE(latrines.empty());
    std::set<std::string> distinct(latrines.begin(), latrines.end());
    EXPECT_EQ(distinct.size(), latrines.size()) << "each document once, not once per interface language";
    EXPECT_NE(std::find(latrines.begin(), latrines.end(), "fr/documents/gp-sensibilisation-hygiene~fr.html"), latrines.end());
    EXPECT_NE(std::find(latrines.begin(), latrines.end(), "en/documents/gp-sensibilisation-hygiene~en.html"), latrines.end());
    // English words of English pages, with the French rules the index follows: plurals too.
    const auto schools = kiwix_search("school");
    EXPECT_NE(std::find(schools.begin(), schools.end(), "en/documents/pr-paems~en.html"), schools.end());
    EXPECT_TRUE(kiwix_search("zzzxqwv").empty()) << "the search can find nothing";
}

// What the folded words achieve: the same pages packed by zimwriterfs (libzim's own reading of
// the HTML) find nothing for "école" typed with its accent.
TEST_F(ZimExportTest, TheSamePagesPackedByZimwriterfsMissAccentedQueries) {
    ExportOptions o;
    o.db = (s_dir->path() / "db").string();
    o.output = (s_dir->path() / "site").string();
    export_folder(o);
    std::filesystem::copy_file(test::source_dir() / "templates" / "zim" / "illustration-48.png", s_dir->path() / "site" / "illustration.png");
    const std::string other = (s_dir->path() / "other.zim").string();
    const auto made = test::run_command("zimwriterfs -w fr/index.html -I illustration.png -l fra -t Passerelle -d Archive -c 'Le Partenariat' "
                                        "-p 'Le Partenariat' -n other '" + o.output + "' '" + other + "' >/dev/null 2>&1");
    ASSERT_EQ(made.status, 0);
    const unsigned port = test::free_loopback_port();
    test::LoopbackProcess serve({"kiwix-serve", "--address", "127.0.0.1", "--port", std::to_string(port), other}, port);
    serve.start();
    const auto count = [](unsigned on, const std::string& book, const std::string& q) {
        const auto r = test::http_get(static_cast<int>(on), "/search?content=" + book + "&pattern=" + q);
        const std::regex hit("<a href=\"/" + book + "/");
        return std::distance(std::sregex_iterator(r.body.begin(), r.body.end(), hit), std::sregex_iterator());
    };
    EXPECT_EQ(count(port, "other", "%C3%A9cole"), 0) << "zimwriterfs's index should miss accented queries (else this test shows nothing)";
    EXPECT_GT(count(port, "other", "ecole"), 0);
    EXPECT_GT(count(s_port, "passerelle", "%C3%A9cole"), 0);
}

TEST_F(ZimExportTest, EveryLinkOfEveryPageLeadsToAnEntryOfTheZim) {
    const zim::Archive zim(zim_file().string());
    int pages = 0, links = 0;
    for (const auto& [path, body] : entries(zim)) {
        if (path.size() < 5 || path.compare(path.size() - 5, 5, ".html") != 0) continue;
        ++pages;
        for (const std::string& link : links_of(body)) {
            EXPECT_NE(link.rfind('/', 0), 0u) << path << ": an absolute link " << link;
            const std::string target = resolve(path, link);
            if (target.empty()) continue;
            ++links;
            EXPECT_TRUE(zim.hasEntryByPath(target)) << path << " links to " << link << ", which the ZIM lacks";
        }
    }
    EXPECT_GT(pages, 150);
    EXPECT_GT(links, 4000);
    // The static facet pages are there, one per value, with their own further pages.
    for (const char* p : {"fr/country/SN.html", "en/theme/water.html", "fr/kind/good_practice.html", "fr/year/2012.html",
                          "fr/place/Podor.html", "en/projects/pr-paems~en.html", "static/offline.js", "static/site.css"})
        EXPECT_TRUE(zim.hasEntryByPath(p)) << p;
}

// A document's stable address is the online one, for citing, when the copy knows it; the copy
// makes none up when it does not.
TEST_F(ZimExportTest, TheStableAddressIsTheOnlineOneOrNone) {
    const zim::Archive zim(zim_file().string());
    const std::string plain(zim.getEntryByPath("fr/documents/pr-paems~fr.html").getItem().getData());
    EXPECT_EQ(plain.find("id=\"cite\""), std::string::npos) << "no base_url: no address to give";
    EXPECT_EQ(plain.find("http://localhost"), std::string::npos);
    EXPECT_EQ(std::regex_search(plain, std::regex(R"(https?://(?!www\.w3\.org/))")), false) << "no address of any server";
    ExportOptions o;
    o.db = (s_dir->path() / "db").string();
    o.output = (s_dir->path() / "online").string();
    o.base_url = "https://archive.example.org";
    export_folder(o);
    const std::string page = read_file(s_dir->path() / "online" / "fr" / "documents" / "pr-paems~fr.html");
    EXPECT_NE(page.find("<a href=\"../../fr/documents/pr-paems~fr.html\">https://archive.example.org/fr/documents/pr-paems?lang=fr</a>"),
              std::string::npos)
        << "the online address is shown, and the link stays in the copy";
    EXPECT_NE(page.find("content=\"https://archive.example.org/fr/documents/pr-paems?lang=fr\""), std::string::npos) << "citation tags";
}

// Pages stay as light as online: the server's own rendering of each page, as the public gets
// it, against the ZIM's entry for it (within 3%).
TEST_F(ZimExportTest, PagesWeighNoMoreThanOnline) {
    ServerConfig c;
    c.db = (s_dir->path() / "db").string();
    IndexReaders readers(c.db);
    http::Metrics metrics;
    http::Api api(c, readers, metrics);
    const zim::Archive zim(zim_file().string());
    const std::vector<std::pair<std::string, std::string>> pages = {
        {"/fr/", "fr/index.html"}, {"/en/browse", "en/browse.html"}, {"/fr/documents/pr-paems?lang=fr", "fr/documents/pr-paems~fr.html"},
        {"/en/projects/pr-paems?lang=en", "en/projects/pr-paems~en.html"}, {"/fr/guides", "fr/guides.html"}};
    for (const auto& [online, offline] : pages) {
        http::Request r;
        r.path = online.substr(0, online.find('?'));
        if (online.find('?') != std::string::npos) r.query = {{"lang", online.substr(online.find("lang=") + 5)}};
        r.headers["host"] = "127.0.0.1:8080";
        std::string route;
        const http::Response page = api.handle(r, route).resolved();
        ASSERT_EQ(page.status, 200) << online;
        const auto size = zim.getEntryByPath(offline).getItem().getSize();
        // (Relative links are a few bytes longer: "../../fr/browse.html" for "/fr/browse".)
        EXPECT_LE(size, page.body.size() * 103 / 100) << offline << " weighs " << size << " bytes, " << online << " " << page.body.size();
        EXPECT_GT(size, page.body.size() / 2) << offline << ": the same page, not a stub";
    }
    const auto script = zim.getEntryByPath("static/offline.js").getItem().getSize();
    EXPECT_LT(script, 2048u) << "the offline search's script";
}

TEST_F(ZimExportTest, BadOptionsSayWhichOneAndWriteNothing) {
    ExportOptions o;
    o.db = (s_dir->path() / "db").string();
    o.output = (s_dir->path() / "bad.zim").string();
    o.role = "staff";
    try {
        export_zim(o);
        ADD_FAILURE() << "a role that does not exist was taken";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("--role: 'staff'"), std::string::npos) << e.what();
    }
    o.role = "public";
    o.db = (s_dir->path() / "nowhere").string();
    EXPECT_THROW(export_zim(o), Error);
    EXPECT_FALSE(std::filesystem::exists(o.output));
    // A folder that is no index fails once libzim has begun: nothing of the file stays.
    std::filesystem::create_directories(s_dir->path() / "not-an-index");
    o.db = (s_dir->path() / "not-an-index").string();
    EXPECT_THROW(export_zim(o), Error);
    for (const auto& e : std::filesystem::directory_iterator(s_dir->path()))
        EXPECT_EQ(e.path().filename().string().rfind("bad.zim", 0), std::string::npos) << e.path() << " was left behind";
    // A folder copy goes only into a new or empty folder: an earlier copy's pages would stay.
    o.db = (s_dir->path() / "db").string();
    o.output = (s_dir->path() / "not-empty").string();
    std::filesystem::create_directories(o.output);
    std::ofstream(std::filesystem::path(o.output) / "internal.html") << "earlier";
    try {
        export_folder(o);
        ADD_FAILURE() << "a folder holding files was written into";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("is not empty"), std::string::npos) << e.what();
    }
    const auto cli = test::run_command(std::string(PASSERELLE_TEST_BINARY_DIR) + "/cli/passerelle export zim --db '" + (s_dir->path() / "db").string() +
                                       "' --role staff -o x.zim 2>&1");
    EXPECT_NE(cli.status, 0);
    EXPECT_NE(cli.out.find("--role"), std::string::npos) << cli.out;
}

// The leak tests of the export: the canary index (support/canary_api.h) exported for each role.
TEST(ZimRolesTest, EachCopyHoldsWhatItsRoleMaySeeAndSaysWhoItIsFor) {
    test::CanaryApi env;
    struct Case {
        std::string role;
        std::vector<std::string> seen, unseen;
    };
    const std::vector<Case> cases = {
        {"public", {"margelle"}, {"zanzibarpartner", "pdfcanarypartner", "zanzibarinterne", "pdfcanaryinterne"}},
        {"partners", {"margelle", "zanzibarpartner", "pdfcanarypartner"}, {"zanzibarinterne", "pdfcanaryinterne"}},
        {"internal", {"margelle", "zanzibarpartner", "pdfcanarypartner", "zanzibarinterne", "pdfcanaryinterne"}, {}},
    };
    for (const Case& c : cases) {
        ExportOptions o;
        o.db = env.config.db;
        o.role = c.role;
        o.output = (env.index.dir.path() / (c.role + ".zim")).string();
        export_zim(o);
        const zim::Archive zim(o.output);
        std::string all;  // every entry, PDFs as their text, lower-cased
        int pages = 0, marked = 0;
        for (auto [path, body] : entries(zim)) {
            if (body.rfind("%PDF-", 0) == 0) {
                const auto pdf = env.index.dir.path() / "entry.pdf";
                std::ofstream(pdf, std::ios::binary) << body;
                body = test::run_command("pdftotext '" + pdf.string() + "' - 2>/dev/null").out;
                for (std::size_t at; (at = body.find("-\n")) != std::string::npos;) body.erase(at, 2);
            }
            if (path.size() > 5 && path.compare(path.size() - 5, 5, ".html") == 0) {
                ++pages;
                marked += body.find("class=\"offline-role\"") != std::string::npos ? 1 : 0;
            }
            for (char& ch : body) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            all += path + "\n" + body + "\n";
        }
        for (const std::string& key : zim.getMetadataKeys()) all += zim.getMetadata(key) + "\n";
        for (const std::string& word : c.seen) EXPECT_NE(all.find(word), std::string::npos) << c.role << " should see " << word;
        for (const std::string& word : c.unseen) {
            EXPECT_EQ(all.find(word), std::string::npos) << c.role << " sees " << word;
            // Nor does the full-text index know the word.
            zim::Searcher searcher(zim);
            EXPECT_EQ(searcher.search(zim::Query(word)).getEstimatedMatches(), 0) << c.role << " finds " << word;
        }
        if (c.role != "public") {
            EXPECT_EQ(marked, pages) << c.role << ": every page says whom the copy is for";
            EXPECT_EQ(zim.getMetadata("Flavour"), c.role);
            EXPECT_EQ(zim.getMetadata("Name"), "passerelle_mul_" + c.role);
        } else {
            EXPECT_EQ(marked, 0);
        }
        EXPECT_GT(pages, 10);
    }
}

}  // namespace
}  // namespace passerelle::offline
