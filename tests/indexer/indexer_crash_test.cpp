// Crash safety of the indexer: the real program is killed with SIGKILL at random moments of a
// large import, twenty times. After each kill the index and the catalogue open, pass their own
// integrity checks, agree with each other, and hold every document either as it was before the
// run or as the run was writing it, never a mix; then the next run completes.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <random>
#include <thread>

#include "core/catalogue.h"
#include "core/search.h"
#include "indexer/index_layout.h"
#include "support/command.h"
#include "support/temp_dir.h"

namespace passerelle {
namespace {

namespace fs = std::filesystem;

constexpr int k_documents = 3000;  // over the 2,000 from which a build from empty runs in parallel

// Two versions of one corpus. Version A holds k0 .. k2999; version B drops the first tenth,
// rewrites the rest and adds a tenth. Each version's title and words say which it is.
enum class Version { absent, a, b };

const char* name(Version v) { return v == Version::a ? "A" : v == Version::b ? "B" : "absent"; }

Version in_version(int i, Version corpus) {
    if (corpus == Version::a) return i < k_documents ? Version::a : Version::absent;
    return i >= k_documents / 10 ? Version::b : Version::absent;
}

constexpr int k_universe = k_documents + k_documents / 10;

// `count` bounds the ids written, for a small import.
void write_corpus(const fs::path& file, Version v, int count = k_universe) {
    static const char* const words[] = {"forage", "latrines", "comité", "gestion", "école", "village", "maintenance",
                                        "pompe", "eau", "assainissement", "formation", "mairie", "cotisation",
                                        "hygiène", "savon", "réservoir", "panneau", "solaire", "mangrove", "brique"};
    const std::string mark = v == Version::a ? "alphaetat" : "betaetat";
    std::ofstream out(file, std::ios::trunc);
    for (int i = 0; i < count; ++i) {
        if (in_version(i, v) == Version::absent) continue;
        std::string body = "Rapport " + mark + " du site " + std::to_string(i) + ".";
        for (int w = 0; w < 60; ++w) body += std::string(" ") + words[(i * 7 + w * 3 + (v == Version::b ? 5 : 0)) % 20];
        out << R"({"id": "k)" << i << R"(", "lang": "fr", "kind": "report", "title": ")" << (v == Version::a ? "Alpha " : "Beta ")
            << i << R"(", "body": ")" << body << R"(", "visibility": "public", "year": )" << 2000 + i % 20 << "}\n";
    }
}

Version version_of_title(const std::string& title) {
    if (title.rfind("Alpha ", 0) == 0) return Version::a;
    if (title.rfind("Beta ", 0) == 0) return Version::b;
    return Version::absent;
}

const std::string& program() {
    static const std::string exe = std::string(PASSERELLE_TEST_BINARY_DIR) + "/cli/passerelle";
    return exe;
}

pid_t start_indexer(const fs::path& input, const fs::path& db, const std::string& batch) {
    const pid_t pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);  // the summary line; errors still reach the test's log
        execl(program().c_str(), program().c_str(), "index", input.c_str(), "--db", db.c_str(), "--batch-size", batch.c_str(), "-q",
              static_cast<char*>(nullptr));
        _exit(127);
    }
    return pid;
}

// Runs the indexer to its end; returns its exit status (-1 when it did not exit).
int run_indexer_to_end(const fs::path& input, const fs::path& db, const std::string& batch) {
    const pid_t pid = start_indexer(input, db, batch);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

double seconds_to_index(const fs::path& input, const fs::path& db) {
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(run_indexer_to_end(input, db, "100000"), 0);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Xapian's and SQLite's own consistency checks, on every database the index is made of.
void expect_intact(const fs::path& db) {
    std::vector<fs::path> databases = index_is_sharded(db) ? index_shards(db) : std::vector<fs::path>{db / "xapian"};
    for (const auto& d : databases) {
        const auto check = test::run_command("xapian-check '" + d.string() + "' 2>&1");
        EXPECT_EQ(check.status, 0) << d << ": " << check.out.substr(0, 2000);
    }
    const auto sql = test::run_command("sqlite3 '" + (db / "catalogue.sqlite").string() + "' 'PRAGMA integrity_check' 2>&1");
    EXPECT_EQ(sql.status, 0);
    EXPECT_EQ(sql.out, "ok\n");
}

// What the index holds for each document (by the words and stored title Xapian returns) and
// what the catalogue holds (at the generation the index was committed with); they must agree.
std::vector<Version> observed_state(const fs::path& db) {
    std::vector<Version> state(k_universe, Version::absent);
    if (!fs::exists(db / "xapian")) {  // killed before the first commit: nothing is visible
        if (fs::exists(db / "catalogue.sqlite")) {
            Catalogue c(db / "catalogue.sqlite", Catalogue::Mode::read_only);
            EXPECT_EQ(c.document_count(0), 0);
        }
        return state;
    }
    expect_intact(db);
    Searcher s(db);
    Catalogue c(db / "catalogue.sqlite", Catalogue::Mode::read_only);
    const int g = s.generation();
    EXPECT_EQ(static_cast<int>(s.document_count()), c.document_count(g)) << "generation " << g;

    std::vector<Version> in_index(k_universe, Version::absent);
    for (const Version v : {Version::a, Version::b}) {
        SearchRequest q;
        q.query = v == Version::a ? "alphaetat" : "betaetat";
        q.role = "internal";
        q.limit = k_universe;
        q.snippet_length = 0;
        const SearchResult r = s.search(q);
        EXPECT_EQ(r.total, r.hits.size());
        for (const auto& h : r.hits) {
            const int i = std::stoi(h.id.substr(1));
            EXPECT_EQ(version_of_title(h.title), v) << h.id << ": its words and its stored title are of different versions";
            EXPECT_EQ(in_index[static_cast<std::size_t>(i)], Version::absent) << h.id << " is in the index twice";
            in_index[static_cast<std::size_t>(i)] = v;
        }
    }
    for (int i = 0; i < k_universe; ++i) {
        const std::string id = "k" + std::to_string(i);
        EXPECT_LE(c.versions(id, g, {"public"}).size(), 1u) << id;
        const auto stored = c.document(id, "fr", g, {"public"});
        const Version in_catalogue = stored ? version_of_title(stored->title) : Version::absent;
        if (stored) {
            EXPECT_NE(stored->body.find(in_catalogue == Version::a ? "alphaetat" : "betaetat"), std::string::npos)
                << id << ": its title and body in the catalogue are of different versions";
        }
        EXPECT_EQ(in_index[static_cast<std::size_t>(i)], in_catalogue) << "k" << i << ": index and catalogue disagree";
        state[static_cast<std::size_t>(i)] = in_catalogue;
    }
    return state;
}

TEST(IndexerCrashTest, TwentyKillsLeaveEveryDocumentOldOrNewAndTheNextRunCompletes) {
    test::TempDir dir;
    const fs::path input = dir / "import.jsonl";
    const fs::path db = dir / "db";

    // How long a build from empty and an update take here, so that the kills fall inside them.
    write_corpus(input, Version::a);
    const double build_seconds = seconds_to_index(input, dir / "timing");
    write_corpus(input, Version::b);
    const double update_seconds = seconds_to_index(input, dir / "timing");
    fs::remove_all(dir / "timing");

    const unsigned seed = std::random_device{}();
    SCOPED_TRACE("seed " + std::to_string(seed) + ", build " + std::to_string(build_seconds) + " s, update " +
                 std::to_string(update_seconds) + " s");
    std::mt19937 rng(seed);
    std::vector<Version> before(k_universe, Version::absent);
    Version corpus = Version::b;
    int landed = 0;
    double shrink = 1;  // a run that ended before its kill makes the next waits shorter
    const char* const batches[] = {"100000", "700", "1500"};
    // Twenty kills that land inside a run; a run that ends before its kill is checked all the
    // same, and does not count. Bounded: at most forty runs.
    for (int attempt = 0; landed < 20 && attempt < 40 && !HasFailure(); ++attempt) {
        SCOPED_TRACE("kill " + std::to_string(landed) + ", attempt " + std::to_string(attempt));
        const bool from_empty = landed % 5 == 0;
        if (from_empty) {
            fs::remove_all(db);
            before.assign(k_universe, Version::absent);
        }
        corpus = corpus == Version::a ? Version::b : Version::a;
        write_corpus(input, corpus);

        const double span = (from_empty ? build_seconds : update_seconds) * shrink;
        const char* batch = batches[landed % 3];
        const pid_t pid = start_indexer(input, db, batch);
        ASSERT_GT(pid, 0);
        std::this_thread::sleep_for(std::chrono::duration<double>(std::uniform_real_distribution<double>(0.02, 0.98)(rng) * span));
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        const bool killed = WIFSIGNALED(status);

        const std::vector<Version> after = observed_state(db);
        for (int i = 0; i < k_universe; ++i) {
            const auto k = static_cast<std::size_t>(i);
            const Version wanted = in_version(i, corpus);
            EXPECT_TRUE(after[k] == before[k] || after[k] == wanted)
                << "k" << i << " is " << name(after[k]) << ", neither its old state (" << name(before[k]) << ") nor its new one ("
                << name(wanted) << ")";
            if (!killed) {
                EXPECT_EQ(after[k], wanted) << "k" << i << " after a run that ended by itself";
            }
        }
        if (!killed) {
            shrink *= 0.6;
            before = after;
            continue;
        }
        ++landed;

        // The next run completes and leaves every document in its new state.
        ASSERT_EQ(run_indexer_to_end(input, db, batch), 0);
        const std::vector<Version> done = observed_state(db);
        for (int i = 0; i < k_universe; ++i) {
            EXPECT_EQ(done[static_cast<std::size_t>(i)], in_version(i, corpus)) << "k" << i << " after the run that followed the kill";
            before[static_cast<std::size_t>(i)] = in_version(i, corpus);
        }
    }
    EXPECT_EQ(landed, 20) << "the kills must fall inside runs, or the test shows nothing";
}

// The first moments of a new index: the folder, the catalogue and the first database are
// created. Kills that land there leave either no index or one that opens and agrees with its
// catalogue (a catalogue without index, if any, opens and is empty); the next run completes and
// leaves nothing of the killed one behind.
TEST(IndexerCrashTest, KillsWhileANewIndexIsCreatedLeaveNoneOrOneThatOpens) {
    test::TempDir dir;
    const fs::path input = dir / "small.jsonl";
    const fs::path db = dir / "db";
    constexpr int k_small = 10;
    write_corpus(input, Version::a, k_small);
    // The shortest of three runs after one that warms the caches (a fresh clone's first run
    // reads the program from disk): a kill drawn within it lands inside nearly every run.
    fs::remove_all(db);
    seconds_to_index(input, db);
    double run_seconds = 1e9;
    for (int i = 0; i < 3; ++i) {
        fs::remove_all(db);
        run_seconds = std::min(run_seconds, seconds_to_index(input, db));
    }

    const unsigned seed = std::random_device{}();
    SCOPED_TRACE("seed " + std::to_string(seed) + ", run " + std::to_string(run_seconds) + " s");
    std::mt19937 rng(seed);
    int landed = 0, before_link = 0;
    for (int attempt = 0; landed < 30 && attempt < 60 && !HasFailure(); ++attempt) {
        SCOPED_TRACE("attempt " + std::to_string(attempt));
        fs::remove_all(db);
        const pid_t pid = start_indexer(input, db, "100000");
        ASSERT_GT(pid, 0);
        std::this_thread::sleep_for(std::chrono::duration<double>(std::uniform_real_distribution<double>(0, 1)(rng) * run_seconds));
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        if (WIFSIGNALED(status)) ++landed;
        if (!fs::exists(fs::symlink_status(db / "xapian"))) ++before_link;

        const std::vector<Version> after = observed_state(db);
        for (int i = 0; i < k_small; ++i) {
            const Version v = after[static_cast<std::size_t>(i)];
            EXPECT_TRUE(v == Version::absent || v == Version::a) << "k" << i << " is " << name(v);
        }
        ASSERT_EQ(run_indexer_to_end(input, db, "100000"), 0);
        const std::vector<Version> done = observed_state(db);
        for (int i = 0; i < k_small; ++i) EXPECT_EQ(done[static_cast<std::size_t>(i)], Version::a) << "k" << i;
        const std::string live = fs::read_symlink(db / "xapian").string();
        for (const auto& e : fs::directory_iterator(db)) {
            const std::string n = e.path().filename().string();
            EXPECT_TRUE(n == "xapian" || n == live || n.rfind("catalogue.sqlite", 0) == 0) << n << " is left over";
            EXPECT_EQ(n.find(".new-"), std::string::npos) << n << " is left over";
        }
    }
    EXPECT_EQ(landed, 30) << "the kills must fall inside runs, or the test shows nothing";
    EXPECT_GT(before_link, 0) << "no kill fell before the index was linked";
}

}  // namespace
}  // namespace passerelle
