#include "server/auth.h"

#include <gtest/gtest.h>

#include "core/hash.h"
#include "server/errors.h"

namespace passerelle::http {
namespace {

Request with_auth(const std::string& value) {
    Request r;
    r.headers["authorization"] = value;
    return r;
}

TEST(AuthTest, RolesComeFromHashedTokens) {
    const Authenticator auth({{"ugb", "partners", content_hash("tok-partner")}, {"staff", "internal", content_hash("tok-staff")}});
    EXPECT_EQ(auth.role_for(Request{}), "public");
    EXPECT_EQ(auth.role_for(with_auth("Bearer tok-partner")), "partners");
    EXPECT_EQ(auth.role_for(with_auth("Bearer tok-staff")), "internal");
}

TEST(AuthTest, BadOrUnknownTokensAre401) {
    const Authenticator auth({{"ugb", "partners", content_hash("tok-partner")}});
    for (const char* h : {"Bearer wrong", "Basic dXNlcjpwYXNz", "Bearer ", "tok-partner"}) {
        try {
            auth.role_for(with_auth(h));
            FAIL() << h;
        } catch (const ApiError& e) {
            EXPECT_EQ(e.status(), 401) << h;
        }
    }
}

TEST(AuthTest, ConstantTimeComparisonStillCompares) {
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "abcd"));
    EXPECT_EQ(random_hex(32).size(), 64u);
    EXPECT_NE(random_hex(16), random_hex(16));
}

}  // namespace
}  // namespace passerelle::http
