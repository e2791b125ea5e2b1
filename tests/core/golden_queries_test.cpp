// The judged golden queries of tests/core/golden_queries.tsv (issue 17, point 6), run over one
// index of the bundled content/: each row is one test, named after its qid, that searches as
// the row's role and checks which documents come first and which never come at all.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include "core/diagnostics.h"
#include "core/document_reader.h"
#include "core/search.h"
#include "core/tsv.h"
#include "indexer/indexer.h"
#include "support/temp_dir.h"
#include "support/vocab.h"

namespace passerelle {
namespace {

struct GoldenQuery {
    int line = 0;
    std::string qid, who, role, query;
    std::size_t depth = 0;
    std::vector<std::string> expected, absent;
};

// gtest prints a parameter when a test fails; the qid says which row it was.
void PrintTo(const GoldenQuery& q, std::ostream* os) {
    *os << q.qid;
}

struct GoldenFile {
    std::vector<GoldenQuery> queries;  // the well-formed rows
    std::vector<std::string> errors;   // "path:line: message", one per malformed row
};

const std::vector<std::string> k_columns = {"qid", "who", "role", "query", "depth", "expected", "absent"};
const std::map<std::string, int> k_visibility_rank = {{"public", 0}, {"partners", 1}, {"internal", 2}};

std::vector<std::string> split(const std::string& s, char separator) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        const auto end = s.find(separator, start);
        out.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) return out;
        start = end + 1;
    }
}

bool is_name(const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) != 0 || c == '_'; });
}

// Document ids, each followed by exactly one space: no empty, repeated or unknown id. Returns the
// problem, or "" when the list is good.
std::string read_ids(const std::string& cell, const std::string& column,
                     const std::map<std::string, std::string>& known, std::vector<std::string>& ids) {
    if (cell.empty()) return {};
    for (const std::string& id : split(cell, ' ')) {
        if (id.empty()) return column + " has an empty id (one space between ids, none around them)";
        if (!known.count(id)) return "unknown document id '" + id + "' in " + column;
        if (std::find(ids.begin(), ids.end(), id) != ids.end()) return "'" + id + "' twice in " + column;
        ids.push_back(id);
    }
    return {};
}

// Checks one row's cells; fills `q` and returns "" when the row is good, else the problem.
std::string read_row(const std::vector<std::string>& cells, const std::map<std::string, std::string>& known,
                     GoldenQuery& q) {
    if (cells.size() != k_columns.size())
        return "expected " + std::to_string(k_columns.size()) + " tab-separated cells, found " +
               std::to_string(cells.size());
    q.qid = cells[0], q.who = cells[1], q.role = cells[2], q.query = cells[3];
    if (!is_name(q.qid) || (q.qid.rfind("fr_", 0) != 0 && q.qid.rfind("en_", 0) != 0))
        return "qid must be letters, digits and '_' starting with fr_ or en_, found '" + q.qid + "'";
    if (q.who != "partner" && q.who != "researcher" && q.who != "staff")
        return "who must be partner, researcher or staff, found '" + q.who + "'";
    if (q.role != "public" && q.role != "partners")
        return "role must be public or partners, found '" + q.role + "'";
    if (q.query.empty() || trim(q.query) != q.query) return "query is empty or has spaces around it";
    if (cells[4] != "3" && cells[4] != "10") return "depth must be 3 or 10, found '" + cells[4] + "'";
    q.depth = cells[4] == "3" ? 3 : 10;
    if (cells[5].empty()) return "expected names no document";
    if (auto problem = read_ids(cells[5], "expected", known, q.expected); !problem.empty()) return problem;
    if (auto problem = read_ids(cells[6], "absent", known, q.absent); !problem.empty()) return problem;
    for (const std::string& id : q.expected) {
        const std::string& visibility = known.at(id);
        if (k_visibility_rank.at(visibility) > k_visibility_rank.at(q.role))
            return "expected '" + id + "' is " + visibility + ", which role " + q.role + " may not see";
        if (std::find(q.absent.begin(), q.absent.end(), id) != q.absent.end())
            return "'" + id + "' is both expected and absent";
    }
    return {};
}

// Parses the golden query table strictly: '#' comment lines and blank lines are skipped, the
// first other line must be the header of k_columns, every other line a good row. `known` maps
// each document id to its visibility. A malformed row is left out and named in `errors`.
GoldenFile parse_golden_queries(const std::string& name, const std::string& text,
                                const std::map<std::string, std::string>& known) {
    GoldenFile out;
    std::map<std::string, int> first_line;  // qid -> line
    bool header = false;
    std::istringstream in(text);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        const auto cells = split(line, '\t');
        const std::string where = name + ":" + std::to_string(number) + ": ";
        if (!header) {
            header = true;
            if (cells != k_columns)
                out.errors.push_back(where + "the header must be: qid who role query depth expected absent");
            continue;
        }
        GoldenQuery q;
        q.line = number;
        if (auto problem = read_row(cells, known, q); !problem.empty()) {
            out.errors.push_back(where + problem);
            continue;
        }
        if (auto [it, inserted] = first_line.emplace(q.qid, number); !inserted) {
            out.errors.push_back(where + "duplicate qid '" + q.qid + "' (first on line " +
                                 std::to_string(it->second) + ")");
            continue;
        }
        out.queries.push_back(std::move(q));
    }
    if (!header) out.errors.push_back(name + ": no header row");
    return out;
}

// Every bundled document's id and visibility, read the way the indexer reads them.
const std::map<std::string, std::string>& bundled_visibility() {
    static const std::map<std::string, std::string> v = [] {
        std::map<std::string, std::string> out;
        DiagnosticSink sink;
        for (const auto& e : std::filesystem::recursive_directory_iterator(test::source_dir() / "content")) {
            if (e.path().extension() != ".md") continue;
            if (auto d = read_markdown_document(read_file(e.path()), e.path().string(),
                                                test::bundled_vocabularies(), sink))
                out[d->id] = d->effective_visibility();
        }
        return out;
    }();
    return v;
}

const GoldenFile& golden_file() {
    static const GoldenFile f = [] {
        const auto path = test::source_dir() / "tests" / "core" / "golden_queries.tsv";
        try {
            return parse_golden_queries(path.string(), read_file(path), bundled_visibility());
        } catch (const std::exception& e) {  // unreadable file or content: reported by the file test
            GoldenFile none;
            none.errors.push_back(e.what());
            return none;
        }
    }();
    return f;
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
    return out.empty() ? "(none)" : out;
}

// ---------------------------------------------------------------------------------------------
// The table itself, and its parser.

TEST(GoldenQueriesFileTest, EveryRowIsWellFormed) {
    EXPECT_TRUE(golden_file().errors.empty()) << join(golden_file().errors);
    EXPECT_GE(golden_file().queries.size(), 36u);
}

TEST(GoldenQueriesFileTest, BothRolesAndEveryKindOfAskerAreJudged) {
    std::map<std::string, int> count;
    for (const GoldenQuery& q : golden_file().queries) {
        ++count[q.role];
        ++count[q.who];
        ++count[q.qid.substr(0, 3)];
    }
    for (const char* key : {"public", "partners", "partner", "researcher", "staff", "fr_", "en_"})
        EXPECT_GE(count[key], 5) << key;
}

TEST(GoldenQueriesParserTest, NamesTheLineOfEachMalformedRow) {
    const std::map<std::string, std::string> known = {
        {"pr-a", "public"}, {"le-b", "partners"}, {"rp-c", "internal"}};
    const std::string text =
        "# comment\n"
        "qid\twho\trole\tquery\tdepth\texpected\tabsent\n"
        "fr_good\tstaff\tpartners\tlatrines\t10\tpr-a le-b\trp-c\n"
        "fr_short\tstaff\tpublic\tlatrines\t3\tpr-a\n"
        "fr_depth\tstaff\tpublic\tlatrines\t5\tpr-a\t\n"
        "fr_unknown\tstaff\tpublic\tlatrines\t3\tpr-z\t\n"
        "fr_leak\tstaff\tpublic\tlatrines\t3\tle-b\t\n"
        "fr_good\tstaff\tpublic\tlatrines\t3\tpr-a\tle-b\n"
        "de_lang\tstaff\tpublic\tlatrines\t3\tpr-a\t\n"
        "en_who\tdonor\tpublic\tlatrines\t3\tpr-a\t\n"
        "en_spaces\tstaff\tpublic\tlatrines\t3\tpr-a  le-b\t\n"
        "en_none\tstaff\tpublic\tlatrines\t3\t\trp-c\n";
    const GoldenFile f = parse_golden_queries("g.tsv", text, known);
    ASSERT_EQ(f.queries.size(), 1u);
    EXPECT_EQ(f.queries[0].line, 3);
    EXPECT_EQ(f.queries[0].expected, (std::vector<std::string>{"pr-a", "le-b"}));
    EXPECT_EQ(f.queries[0].absent, (std::vector<std::string>{"rp-c"}));
    EXPECT_EQ(f.errors,
              (std::vector<std::string>{
                  "g.tsv:4: expected 7 tab-separated cells, found 6",
                  "g.tsv:5: depth must be 3 or 10, found '5'",
                  "g.tsv:6: unknown document id 'pr-z' in expected",
                  "g.tsv:7: expected 'le-b' is partners, which role public may not see",
                  "g.tsv:8: duplicate qid 'fr_good' (first on line 3)",
                  "g.tsv:9: qid must be letters, digits and '_' starting with fr_ or en_, found 'de_lang'",
                  "g.tsv:10: who must be partner, researcher or staff, found 'donor'",
                  "g.tsv:11: expected has an empty id (one space between ids, none around them)",
                  "g.tsv:12: expected names no document",
              }));
}

TEST(GoldenQueriesParserTest, RejectsAWrongHeader) {
    const GoldenFile f = parse_golden_queries("g.tsv", "qid\trole\tquery\n", {});
    EXPECT_EQ(
        f.errors,
        (std::vector<std::string>{"g.tsv:1: the header must be: qid who role query depth expected absent"}));
}

// ---------------------------------------------------------------------------------------------
// One test per query, over one index of content/ built for the whole suite.

class GoldenQueryTest : public ::testing::TestWithParam<GoldenQuery> {
  protected:
    static void SetUpTestSuite() {
        s_dir = new test::TempDir();
        IndexOptions opt;
        opt.inputs = {test::source_dir() / "content"};
        opt.db = s_dir->path() / "db";
        opt.vocabularies = test::source_dir() / "content" / "vocabularies";
        DiagnosticSink sink;
        const IndexReport report = run_indexer(opt, sink);
        for (const auto& d : sink.take()) s_index_messages += d.str() + "\n";
        if (report.errors == 0) s_searcher = new Searcher(opt.db);
    }
    static void TearDownTestSuite() {
        delete s_searcher;
        delete s_dir;
        s_searcher = nullptr;
        s_dir = nullptr;
    }

    static test::TempDir* s_dir;
    static Searcher* s_searcher;
    static std::string s_index_messages;
};

test::TempDir* GoldenQueryTest::s_dir = nullptr;
Searcher* GoldenQueryTest::s_searcher = nullptr;
std::string GoldenQueryTest::s_index_messages;

TEST_P(GoldenQueryTest, FindsTheExpectedDocumentsAndNoneOfTheAbsentOnes) {
    const GoldenQuery& q = GetParam();
    ASSERT_NE(s_searcher, nullptr) << "content/ did not index:\n" << s_index_messages;

    SearchRequest request;
    request.query = q.query;
    request.role = q.role;
    request.limit = q.depth;
    SearchResult top;
    SearchResult all;
    try {
        top = s_searcher->search(request);
        request.limit = 1000;  // absent ids must not be found at any rank
        all = s_searcher->search(request);
    } catch (const std::exception& e) {
        FAIL() << "golden_queries.tsv:" << q.line << " [" << q.qid << "] query \"" << q.query << "\" as "
               << q.role << " threw: " << e.what();
    }

    std::vector<std::string> shown, shown_ids, missing, leaked;
    for (const SearchHit& h : top.hits) {
        shown.push_back(h.id + "." + h.lang);
        shown_ids.push_back(h.id);
    }
    for (const std::string& id : q.expected)
        if (std::find(shown_ids.begin(), shown_ids.end(), id) == shown_ids.end()) missing.push_back(id);
    for (std::size_t rank = 0; rank < all.hits.size(); ++rank)
        if (std::find(q.absent.begin(), q.absent.end(), all.hits[rank].id) != q.absent.end())
            leaked.push_back(all.hits[rank].id + "." + all.hits[rank].lang + "@" + std::to_string(rank + 1));

    EXPECT_TRUE(missing.empty() && leaked.empty())
        << "golden_queries.tsv:" << q.line << " [" << q.qid << ", " << q.who << "] query \"" << q.query
        << "\" as " << q.role << ", top " << q.depth << "\n"
        << "  expected: " << join(q.expected) << "\n"
        << "  missing:  " << join(missing) << "\n"
        << "  absent:   " << join(q.absent) << "\n"
        << "  leaked:   " << join(leaked) << "\n"
        << "  returned: " << join(shown) << "  (" << all.total << " matching"
        << (top.relaxed ? ", relaxed to any word" : "")
        << (top.suggestion ? ", suggestion \"" + *top.suggestion + "\"" : std::string()) << ")";
}

// The lowercase prefix is what `ctest -R golden` selects.
INSTANTIATE_TEST_SUITE_P(golden, GoldenQueryTest, ::testing::ValuesIn(golden_file().queries),
                         [](const ::testing::TestParamInfo<GoldenQuery>& info) { return info.param.qid; });

}  // namespace
}  // namespace passerelle
