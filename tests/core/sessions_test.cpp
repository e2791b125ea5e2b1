#include "core/sessions.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "core/accounts.h"
#include "support/temp_dir.h"

namespace passerelle {
namespace {

TEST(SessionsTest, ASessionIsUsableUntilIdleAndItsIdIsStoredOnlyHashed) {
    test::TempDir dir;
    Sessions sessions(dir / "db", 1800);
    const Session s = sessions.open(7, 1000);
    EXPECT_EQ(s.id.size(), 64u);  // 256 bits
    EXPECT_EQ(s.csrf.size(), 64u);
    EXPECT_NE(s.id, s.csrf);
    const auto used = sessions.use(s.id, 2000);
    ASSERT_TRUE(used);
    EXPECT_EQ(used->account, 7);
    EXPECT_EQ(used->csrf, s.csrf);
    EXPECT_TRUE(sessions.use(s.id, 3700));   // 1,700 s after its last use
    EXPECT_FALSE(sessions.use(s.id, 5600));  // 1,900 s idle: ended
    EXPECT_FALSE(sessions.use(s.id, 5601));  // and gone
    std::ifstream in(Accounts::file_in(dir / "db"), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find(s.id), std::string::npos);
}

TEST(SessionsTest, EachSignInGetsANewIdAndClosingEndsIt) {
    test::TempDir dir;
    Sessions sessions(dir / "db", 1800);
    const Session a = sessions.open(7, 0), b = sessions.open(7, 0);
    EXPECT_NE(a.id, b.id);
    EXPECT_NE(a.csrf, b.csrf);
    sessions.close(a.id);
    EXPECT_FALSE(sessions.use(a.id, 1));
    EXPECT_TRUE(sessions.use(b.id, 1));
    sessions.close_all(7);
    EXPECT_FALSE(sessions.use(b.id, 2));
    EXPECT_FALSE(sessions.use("", 2));
    EXPECT_FALSE(sessions.use(std::string(64, '0'), 2));
}

TEST(SessionsTest, FailedSignInsAreSlowedPerAccountAndPerAddress) {
    test::TempDir dir;
    Sessions sessions(dir / "db", 1800);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(sessions.wait_before_sign_in("awa", "10.0.0.1", 100), 0) << i;
        sessions.failed_sign_in("awa", "10.0.0.1", 100);
    }
    EXPECT_EQ(sessions.wait_before_sign_in("awa", "10.0.0.1", 100), 1);
    EXPECT_EQ(sessions.wait_before_sign_in("awa", "10.0.0.9", 100), 1);  // the account, from anywhere
    EXPECT_EQ(sessions.wait_before_sign_in("bob", "10.0.0.1", 100), 1);  // the address, for any account
    EXPECT_EQ(sessions.wait_before_sign_in("bob", "10.0.0.9", 100), 0);
    for (int i = 0; i < 5; ++i) sessions.failed_sign_in("awa", "10.0.0.1", 200);
    EXPECT_EQ(sessions.wait_before_sign_in("awa", "10.0.0.1", 200), 32);
    EXPECT_EQ(sessions.wait_before_sign_in("awa", "10.0.0.1", 220), 12);
    for (int i = 0; i < 20; ++i) sessions.failed_sign_in("awa", "10.0.0.1", 300);
    EXPECT_EQ(sessions.wait_before_sign_in("awa", "10.0.0.1", 300), 300);  // at most 5 minutes
    sessions.signed_in("awa", "10.0.0.1");
    EXPECT_EQ(sessions.wait_before_sign_in("awa", "10.0.0.1", 300), 0);
}

TEST(SessionsTest, ASessionEndsThirtyDaysAfterSignInAndPurgingForgetsWhatEnded) {
    test::TempDir dir;
    Sessions sessions(dir / "db", 3600);
    const std::int64_t day = 24 * 3600;
    const Session s = sessions.open(7, 0);
    for (std::int64_t t = 0; t < 30 * day; t += 1800) ASSERT_TRUE(sessions.use(s.id, t)) << t;  // used every half hour
    EXPECT_FALSE(sessions.use(s.id, 30 * day + 1));
    // Purging: ended sessions and old failures go; the rest stays.
    const Session idle = sessions.open(8, 100), fresh = sessions.open(9, 5000);
    sessions.failed_sign_in("old", "10.0.0.2", 100);
    for (int i = 0; i < 3; ++i) sessions.failed_sign_in("new", "10.0.0.3", day + 4000);
    sessions.purge(day + 5000);
    EXPECT_FALSE(sessions.use(idle.id, day + 5000));
    EXPECT_EQ(sessions.wait_before_sign_in("new", "10.0.0.3", day + 4000), 1);
    for (int i = 0; i < 2; ++i) sessions.failed_sign_in("old", "10.0.0.4", day + 5000);
    EXPECT_EQ(sessions.wait_before_sign_in("old", "10.0.0.4", day + 5000), 0);  // the old failure was forgotten
    (void)fresh;
}

}  // namespace
}  // namespace passerelle
