// The `passerelle` program as people run it: exit codes, messages, and the --json output.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/fixture_index.h"
#include "support/shard_servers.h"

namespace passerelle {
namespace {

struct Output {
    int status = -1;
    std::string out, err;
};

// Runs passerelle with `args` (already shell-quoted) and captures both streams.
Output run(const std::string& args, const test::TempDir& dir) {
    const std::string exe = std::string(PASSERELLE_TEST_BINARY_DIR) + "/cli/passerelle";
    const auto err_file = dir / "stderr.txt";
    FILE* p = popen((exe + " " + args + " 2>" + err_file.string()).c_str(), "r");
    Output o;
    std::array<char, 4096> buf{};
    while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) o.out.append(buf.data(), n);
    const int raw = pclose(p);
    o.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    std::ifstream in(err_file);
    o.err.assign(std::istreambuf_iterator<char>(in), {});
    return o;
}

class CliTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_dir = new test::TempDir();
        const Output o = run("index " + (test::source_dir() / "content").string() + " --db " + (s_dir->path() / "db").string(), *s_dir);
        ASSERT_EQ(o.status, 0) << o.err;
        ASSERT_NE(o.out.find("68 added"), std::string::npos) << o.out;
    }
    static void TearDownTestSuite() { delete s_dir; }
    static std::string db() { return (s_dir->path() / "db").string(); }
    static test::TempDir* s_dir;
};

test::TempDir* CliTest::s_dir = nullptr;

TEST_F(CliTest, SearchJsonHasTheDocumentedShape) {
    const Output o = run("search --db " + db() + " --json 'assainissement écoles'", *s_dir);
    ASSERT_EQ(o.status, 0) << o.err;
    const auto j = nlohmann::json::parse(o.out);
    ASSERT_GT(j.at("total").get<int>(), 0);
    for (const auto& h : j.at("hits"))
        for (const char* k : {"id", "lang", "title", "kind", "year", "snippet", "score"}) EXPECT_TRUE(h.contains(k)) << k;
    EXPECT_EQ(j["hits"][0]["id"], "pr-paems");
    for (const char* f : {"kind", "lang", "country", "theme", "year"}) EXPECT_TRUE(j.at("facets").contains(f)) << f;
    EXPECT_TRUE(j.contains("suggestion"));
    EXPECT_NE(o.out.find("<mark>"), std::string::npos);
}

TEST_F(CliTest, BrowsingWithFiltersAndRoles) {
    auto total = [&](const std::string& args) {
        const Output o = run("search --db " + db() + " --json " + args, *s_dir);
        EXPECT_EQ(o.status, 0) << o.err;
        return nlohmann::json::parse(o.out).at("total").get<int>();
    };
    const int pub = total("''");
    const int partners = total("--role partners ''");
    const int internal = total("--role internal ''");
    EXPECT_EQ(internal, 34);  // documents, each in French and English
    EXPECT_EQ(total("--role internal --collapse none ''"), 68);
    EXPECT_LT(partners, internal);
    EXPECT_LT(pub, partners);
    EXPECT_EQ(total("--kind project --lang fr ''"), 6);
    EXPECT_EQ(total("--country MA --kind project ''"), 1);  // PAEMS
    EXPECT_EQ(total("--country MA --kind project --collapse none ''"), 2);  // in both languages
    EXPECT_EQ(total("--year 2015..2016 --kind project ''"), 2);
}

TEST_F(CliTest, TextOutputShowsHitsFacetsAndSuggestion) {
    const Output o = run("search --db " + db() + " 'latrinnes'", *s_dir);
    EXPECT_EQ(o.status, 0);
    EXPECT_NE(o.out.find("for \"latrines\""), std::string::npos) << o.out;  // corrected at once
    EXPECT_NE(o.out.find("Search instead for \"latrinnes\""), std::string::npos) << o.out;
    const Output as_typed = run("search --db " + db() + " --no-correct 'latrinnes'", *s_dir);
    EXPECT_NE(as_typed.out.find("Did you mean: latrines"), std::string::npos) << as_typed.out;
    const Output hits = run("search --db " + db() + " --limit 2 'voûte nubienne'", *s_dir);
    EXPECT_NE(hits.out.find("  1. "), std::string::npos) << hits.out;
    EXPECT_NE(hits.out.find("kind:"), std::string::npos);
}

TEST_F(CliTest, BadParametersAreErrorsThatNameThem) {
    const Output role = run("search --db " + db() + " --role admin x", *s_dir);
    EXPECT_EQ(role.status, 2);
    EXPECT_NE(role.err.find("unknown role 'admin'"), std::string::npos) << role.err;
    EXPECT_NE(role.err.find("parameter 'role'"), std::string::npos);
    const Output year = run("search --db " + db() + " --year 20x5 x", *s_dir);
    EXPECT_EQ(year.status, 2);
    EXPECT_NE(year.err.find("bad year '20x5'"), std::string::npos) << year.err;
    const Output missing = run("search --db " + (s_dir->path() / "nothing").string() + " x", *s_dir);
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.err.find("cannot open the index"), std::string::npos) << missing.err;
}

TEST_F(CliTest, CheckExitsNonZeroAndPrintsDiagnostics) {
    test::TempDir dir;
    dir.write("c/ok.fr.md", test::note("ok", "fr", "report", "Bon", "texte"));
    dir.write("c/bad.fr.md", test::note("bad", "fr", "rapport", "Mauvais", "texte"));
    const Output o = run("check " + (dir / "c").string(), dir);
    EXPECT_EQ(o.status, 1);
    EXPECT_NE(o.err.find("bad.fr.md:4:7: error: unknown kind 'rapport' (did you mean 'report'?)"), std::string::npos) << o.err;
    EXPECT_NE(o.out.find("1 documents valid, 1 skipped, 1 errors"), std::string::npos) << o.out;
    EXPECT_FALSE(std::filesystem::exists(dir / "db"));
}

TEST(CliCompactTest, CompactsAnIndexAndKeepsItsResults) {
    test::TempDir dir;
    const std::string db = (dir / "db").string();
    ASSERT_EQ(run("index " + (test::source_dir() / "content").string() + " --db " + db + " -q", dir).status, 0);
    const Output before = run("search --db " + db + " --json latrines", dir);
    const Output o = run("compact --db " + db, dir);
    EXPECT_EQ(o.status, 0) << o.err;
    EXPECT_NE(o.out.find("compacted " + db + " (generation 1, 1 database)"), std::string::npos) << o.out;
    EXPECT_EQ(run("search --db " + db + " --json latrines", dir).out, before.out);

    const Output missing = run("compact --db " + (dir / "none").string(), dir);
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.err.find("passerelle: error: " + (dir / "none").string()), std::string::npos) << missing.err;
}

TEST_F(CliTest, GuideWritesAPdfAndSaysWhatIsWrong) {
    test::TempDir dir;
    const auto out = dir / "g.pdf";
    const Output o = run("guide eau-ecoles --db " + db() + " -o " + out.string() + " --layout sequential --date 2026-11-22", dir);
    EXPECT_EQ(o.status, 0) << o.err;
    EXPECT_NE(o.out.find("guide 'eau-ecoles' (sequential):"), std::string::npos) << o.out;
    std::ifstream in(out, std::ios::binary);
    std::string head(5, '\0');
    in.read(head.data(), 5);
    EXPECT_EQ(head, "%PDF-");
    const Output missing = run("guide nothing --db " + db() + " -o " + out.string(), dir);
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.err.find("no guide 'nothing'"), std::string::npos) << missing.err;
    const Output date = run("guide eau-ecoles --db " + db() + " -o " + out.string() + " --date 22/11/2026", dir);
    EXPECT_EQ(date.status, 2);
    EXPECT_NE(date.err.find("--date: '22/11/2026' is not a date"), std::string::npos) << date.err;
    EXPECT_EQ(run("guide eau-ecoles --db " + db() + " -o " + out.string() + " --date 2026-1x-22", dir).status, 2);
    EXPECT_NE(run("guide eau-ecoles --db " + db() + " -o x.pdf --layout diagonal", dir).status, 0);
}

// Every YAML the program reads refuses what would expand: a guide definition and the server's
// configuration file, as people pass them, each named with the line of its alias.
TEST_F(CliTest, YamlAliasesInGuidesAndConfigurationAreRefusedAtTheirLine) {
    test::TempDir dir;
    std::string laughs = "title: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (char level = 'b'; level <= 'i'; ++level)
        laughs += std::string(1, level) + ": &" + level + " [" + std::string("*") + static_cast<char>(level - 1) + "]\n";
    const auto guide = dir.write("laughs.yaml", laughs + "introduction: {fr: x, en: y}\nselection: {query: x}\n");
    const Output g = run("guide " + guide.string() + " --db " + db() + " -o " + (dir / "g.pdf").string(), dir);
    EXPECT_EQ(g.status, 2);
    EXPECT_NE(g.err.find(guide.string() + ":2:8: error: YAML aliases are not allowed in guide definitions"), std::string::npos) << g.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "g.pdf"));
    const auto config = dir.write("passerelle.yaml", "port: &p 8080\nthreads: *p\n");
    const Output c = run("serve --config " + config.string() + " --db " + db(), dir);
    EXPECT_EQ(c.status, 2);
    EXPECT_NE(c.err.find(config.string() + ":2:10: error: YAML aliases are not allowed in the configuration file"), std::string::npos)
        << c.err;
}

TEST_F(CliTest, ExportIatiWritesTheOwnProjectsAndSaysWhatIsLeftOut) {
    test::TempDir dir;
    const Output o = run("export iati --db " + db() + " --generated 2026-11-22T00:00:00Z", dir);
    EXPECT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(o.out.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0), 0u) << o.out.substr(0, 200);
    EXPECT_NE(o.out.find("<iati-identifier>FR-LEPARTENARIAT-pr-paems</iati-identifier>"), std::string::npos);
    EXPECT_NE(o.err.find("passerelle: warning: left out pr-dechets-podor: no date"), std::string::npos) << o.err;
    const auto file = dir / "one.xml";
    const Output one = run("export iati --db " + db() + " --project pr-paems --org-ref XM-TEST -o " + file.string(), dir);
    EXPECT_EQ(one.status, 0) << one.err;
    EXPECT_NE(one.err.find("1 IATI activity in " + file.string()), std::string::npos) << one.err;
    const Output none = run("export iati --db " + db() + " --project gp-nothing", dir);
    EXPECT_EQ(none.status, 2);
    EXPECT_NE(none.err.find("--project: 'gp-nothing' is not a public project"), std::string::npos) << none.err;
    EXPECT_NE(run("export", dir).status, 0);  // a format is needed
}

}  // namespace
}  // namespace passerelle

namespace passerelle {
namespace {

// `--db` repeated with remote shards, and `passerelle lexicon`, as an office-per-shard
// deployment runs them (four xapian-tcpsrv on loopback).
TEST(CliFederationTest, SearchOverShardsPrintsWhatOneIndexPrintsAndNamesAMissingShard) {
    test::Federation fed(300);
    const auto& dir = fed.dir;
    const std::string lexicon = (dir / "lexicon-cli").string();
    std::string sources;
    for (const auto& s : fed.shards) sources += " --db " + s.string();
    const Output lex = run("lexicon" + sources + " -o " + lexicon, dir);
    ASSERT_EQ(lex.status, 0) << lex.err;
    EXPECT_NE(lex.out.find("from 4 index folders"), std::string::npos) << lex.out;

    std::string shards;
    for (const auto& a : fed.addresses()) shards += " --db " + a;
    // Over remote shards, facets count language versions (a remote shard's spy counts versions):
    // compared without collapsing.
    for (const std::string q : {"eau", "'latrines écoles' --country SN", "watr", "'' --lang en --limit 3"}) {
        const Output one = run("search --json --collapse none --db " + fed.one.string() + " " + q, dir);
        const Output many = run("search --json --collapse none" + shards + " --lexicon " + lexicon + " " + q, dir);
        ASSERT_EQ(one.status, 0) << one.err;
        EXPECT_EQ(many.status, 0) << many.err;
        EXPECT_EQ(many.out, one.out) << q;
        EXPECT_EQ(many.err, "");
    }
    // One hit per document over shards too, in the same order.
    for (const std::string q : {"eau", "'latrines écoles' --country SN"}) {
        const Output one = run("search --json --db " + fed.one.string() + " " + q, dir);
        const Output many = run("search --json" + shards + " --lexicon " + lexicon + " " + q, dir);
        ASSERT_EQ(one.status, 0) << one.err;
        EXPECT_EQ(many.status, 0) << many.err;
        const auto a = nlohmann::json::parse(one.out), b = nlohmann::json::parse(many.out);
        ASSERT_EQ(a.at("hits").size(), b.at("hits").size()) << q;
        for (std::size_t i = 0; i < a.at("hits").size(); ++i) {
            EXPECT_EQ(a["hits"][i]["id"], b["hits"][i]["id"]) << q;
            EXPECT_EQ(a["hits"][i]["lang"], b["hits"][i]["lang"]) << q;
            EXPECT_EQ(a["hits"][i]["versions"], b["hits"][i]["versions"]) << q;
        }
        EXPECT_FALSE(b.at("total_exact").get<bool>()) << q;  // collapsed over shards: an estimate
    }
    fed.servers[0]->kill();
    const Output down = run("search --json --shard-timeout 300" + shards + " --lexicon " + lexicon + " eau", dir);
    EXPECT_EQ(down.status, 0) << down.err;
    EXPECT_NE(down.err.find(fed.addresses()[0] + ": the shard did not answer"), std::string::npos) << down.err;
    EXPECT_EQ(nlohmann::json::parse(down.out)["missing_shards"], nlohmann::json::array({fed.addresses()[0]}));

    const Output alone = run("search" + shards + " eau", dir);  // remote shards only, no lexicon
    EXPECT_EQ(alone.status, 2);
    EXPECT_NE(alone.err.find("--lexicon"), std::string::npos) << alone.err;
}

}  // namespace
}  // namespace passerelle

namespace passerelle {
namespace {

// `passerelle user`, as a script runs it: the password on standard input, errors naming the
// field, and accounts that indexing, re-indexing and compacting leave alone.
// Writing needs one office's own index and content: a federation's central server is read-only.
TEST(CliServeTest, WritingIsRefusedForAFederationAndAMissingFolder) {
    test::TempDir dir;
    const std::string db = (dir.path() / "db").string();
    ASSERT_EQ(run("index " + (test::source_dir() / "content").string() + " --db " + db, dir).status, 0);
    Output o = run("serve --db " + db + " --db " + db + "2 --content " + dir.path().string() + " --port 0", dir);
    EXPECT_EQ(o.status, 2);
    EXPECT_NE(o.err.find("--content: a federation is read-only"), std::string::npos) << o.err;
    o = run("serve --db " + db + " --content " + (dir.path() / "no-such-folder").string() + " --port 0", dir);
    EXPECT_EQ(o.status, 2);
    EXPECT_NE(o.err.find("is not a folder"), std::string::npos) << o.err;
}

TEST(CliUserTest, AccountsAreManagedFromScriptsAndIndexingLeavesThem) {
    test::TempDir dir;
    const std::string db = (dir.path() / "db").string();
    const std::string content = (test::source_dir() / "content").string();
    ASSERT_EQ(run("index " + content + " --db " + db, dir).status, 0);
    dir.write("pw.txt", "correct horse battery\n");
    dir.write("short.txt", "short\n");
    const std::string pw = " < " + (dir / "pw.txt").string();

    Output o = run("user add awa --db " + db + " --role partners --email awa@example.org --rights author,reviewer" + pw, dir);
    EXPECT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(o.out, "added awa (partners)\n");
    o = run("user add bob --db " + db + " --role partners < " + (dir / "short.txt").string(), dir);
    EXPECT_EQ(o.status, 2);
    EXPECT_NE(o.err.find("password: the password is shorter than 10 characters"), std::string::npos) << o.err;
    o = run("user add '../bob' --db " + db + " --role internal" + pw, dir);
    EXPECT_EQ(o.status, 2);
    EXPECT_NE(o.err.find("name:"), std::string::npos) << o.err;
    o = run("user add bob --db " + db + " --role partners --rights author,root" + pw, dir);
    EXPECT_EQ(o.status, 2);
    EXPECT_NE(o.err.find("rights: unknown right 'root'"), std::string::npos) << o.err;
    o = run("user add carl --db " + db + " --role internal" + pw, dir);
    EXPECT_EQ(o.status, 0) << o.err;

    // Indexing again, with nothing changed and then compacting, keeps the accounts.
    ASSERT_EQ(run("index " + content + " --db " + db, dir).status, 0);
    ASSERT_EQ(run("compact --db " + db, dir).status, 0);
    o = run("user list --db " + db, dir);
    EXPECT_EQ(o.status, 0) << o.err;
    EXPECT_NE(o.out.find("awa\tawa@example.org\tpartners\tauthor,reviewer\tactive\t"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("carl\t-\tinternal\t-\tactive\t"), std::string::npos) << o.out;
    EXPECT_EQ(o.out.find("bob"), std::string::npos) << o.out;
    EXPECT_EQ(o.out.find("correct horse"), std::string::npos);

    o = run("user passwd awa --db " + db + " < " + (dir / "short.txt").string(), dir);
    EXPECT_EQ(o.status, 2);
    o = run("user disable carl --db " + db, dir);
    EXPECT_EQ(o.status, 0) << o.err;
    EXPECT_NE(run("user list --db " + db, dir).out.find("carl\t-\tinternal\t-\tdisabled"), std::string::npos);
    o = run("user disable nobody --db " + db, dir);
    EXPECT_EQ(o.status, 2);
    EXPECT_NE(o.err.find("no account is named 'nobody'"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace passerelle
