#include "server/config.h"

#include <gtest/gtest.h>

#include "core/diagnostics.h"
#include "core/hash.h"
#include "support/temp_dir.h"

namespace passerelle {
namespace {

TEST(ServerConfigTest, DefaultsThenFile) {
    test::TempDir dir;
    ServerConfig c;
    EXPECT_EQ(c.port, 8080);
    EXPECT_EQ(c.bind, "127.0.0.1");
    const std::string hash = content_hash("secret");
    load_server_config(dir.write("p.yaml", "# comment\nport: 9090\nthreads: 4\ntokens:\n  - {name: ugb, role: partners, sha256: " +
                                               hash + "}\n"),
                       c);
    EXPECT_EQ(c.port, 9090);
    EXPECT_EQ(c.threads, 4);
    EXPECT_EQ(c.bind, "127.0.0.1");  // not in the file: default kept
    ASSERT_EQ(c.tokens.size(), 1u);
    EXPECT_EQ(c.tokens[0].role, "partners");
}

TEST(ServerConfigTest, TheCommentedExampleLoads) {
    ServerConfig c;
    load_server_config(test::source_dir() / "docs" / "passerelle.example.yaml", c);
    EXPECT_EQ(c.guides_dir, "");
    EXPECT_EQ(c.reload_seconds, 0.5);
    EXPECT_EQ(c.keepalive_timeout_seconds, 15);
    EXPECT_EQ(c.guide_builds, 2);
    EXPECT_EQ(c.guide_queue, 4);
    test::TempDir dir;
    load_server_config(dir.write("g.yaml", "guides_dir: /srv/guides\n"), c);
    EXPECT_EQ(c.guides_dir, "/srv/guides");
}

TEST(ServerConfigTest, GuideBuildsAndKeepAliveAreSettings) {
    test::TempDir dir;
    ServerConfig c;
    EXPECT_EQ(c.guide_builds, 2);
    EXPECT_EQ(c.guide_queue, 4);
    EXPECT_EQ(c.keepalive_timeout_seconds, 15);
    load_server_config(dir.write("g.yaml", "guide_builds: 3\nguide_queue: 0\nkeepalive_timeout_seconds: 2.5\n"), c);
    EXPECT_EQ(c.guide_builds, 3);
    EXPECT_EQ(c.guide_queue, 0);
    EXPECT_EQ(c.keepalive_timeout_seconds, 2.5);
    EXPECT_THROW(load_server_config(dir.write("a.yaml", "guide_builds: 0\n"), c), Error);
    EXPECT_THROW(load_server_config(dir.write("b.yaml", "guide_queue: -1\n"), c), Error);
    EXPECT_THROW(load_server_config(dir.write("c.yaml", "keepalive_timeout_seconds: 0\n"), c), Error);
}

TEST(ServerConfigTest, SessionsAndTlsAreSettings) {
    test::TempDir dir;
    ServerConfig c;
    EXPECT_EQ(c.session_idle_minutes, 120);
    EXPECT_FALSE(c.tls);
    load_server_config(dir.write("s.yaml", "session_idle_minutes: 30\ntls: true\n"), c);
    EXPECT_EQ(c.session_idle_minutes, 30);
    EXPECT_TRUE(c.tls);
    EXPECT_THROW(load_server_config(dir.write("a.yaml", "session_idle_minutes: 0\n"), c), Error);
    try {
        load_server_config(dir.write("b.yaml", "port: 1\ntls: yes\n"), c);
        FAIL() << "tls: yes was taken";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("b.yaml:2"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("'tls' must be true or false"), std::string::npos) << e.what();
    }
}

TEST(ServerConfigTest, UnknownKeyNamesFileAndLine) {
    test::TempDir dir;
    ServerConfig c;
    const auto path = dir.write("p.yaml", "port: 9090\nprot: 1\n");
    try {
        load_server_config(path, c);
        FAIL() << "accepted an unknown key";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), path.string() + ":2:7: error: unknown configuration key 'prot'");
    }
}

TEST(ServerConfigTest, BadValuesAreErrors) {
    test::TempDir dir;
    ServerConfig c;
    EXPECT_THROW(load_server_config(dir.write("a.yaml", "port: 99999\n"), c), Error);
    EXPECT_THROW(load_server_config(dir.write("b.yaml", "tokens:\n  - {name: x, role: admin, sha256: abc}\n"), c), Error);
    EXPECT_THROW(load_server_config(dir.write("c.yaml", "tokens:\n  - {name: x, role: partners, sha256: abc}\n"), c), Error);
}

}  // namespace
}  // namespace passerelle

namespace passerelle {
namespace {

TEST(ServerDbFlagsTest, OneFolderIsTheIndexAndSeveralAFederationWithAHome) {
    ServerConfig one;
    apply_db_flags(one, {"/srv/lille"});
    EXPECT_EQ(one.db, "/srv/lille");
    EXPECT_TRUE(one.shards.empty());

    ServerConfig named;  // a named remote shard first: the home is the first local folder
    apply_db_flags(named, {"safi=tcp://10.0.0.4:8431", "lille=/srv/lille", "tcp://10.0.0.5:8431"});
    EXPECT_EQ(named.db, "/srv/lille");
    EXPECT_EQ(named.shards.size(), 3u);

    ServerConfig lexicon;
    lexicon.lexicon = "/srv/lexicon";
    apply_db_flags(lexicon, {"safi=tcp://10.0.0.4:8431", "labe=tcp://10.0.0.5:8431"});
    EXPECT_EQ(lexicon.db, "/srv/lexicon");

    ServerConfig alone;
    try {
        apply_db_flags(alone, {"safi=tcp://10.0.0.4:8431"});
        ADD_FAILURE() << "a remote shard alone was accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("--lexicon"), std::string::npos) << e.what();
    }
    ServerConfig untouched;
    apply_db_flags(untouched, {});
    EXPECT_EQ(untouched.db, "data");
}

}  // namespace
}  // namespace passerelle
