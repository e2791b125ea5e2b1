#include "core/password_hash.h"

#include <gtest/gtest.h>

namespace passerelle {
namespace {

TEST(PasswordHashTest, AnArgon2idHashVerifiesItsPasswordAndNoOther) {
    const std::string h = hash_password("correct horse battery");
    EXPECT_EQ(h.rfind("$argon2id$v=19$", 0), 0u) << h;
    EXPECT_EQ(h.find("correct"), std::string::npos);
    EXPECT_TRUE(verify_password(h, "correct horse battery"));
    EXPECT_FALSE(verify_password(h, "correct horse batterY"));
    EXPECT_FALSE(verify_password(h, ""));
    EXPECT_NE(hash_password("correct horse battery"), h);  // a salt of its own each time
}

TEST(PasswordHashTest, AMalformedHashVerifiesNothing) {
    EXPECT_FALSE(verify_password("", "x"));
    EXPECT_FALSE(verify_password("$argon2id$v=19$m=65536,t=2,p=1$broken", "x"));
    EXPECT_FALSE(verify_password(std::string(1000, 'a'), "x"));
}

}  // namespace
}  // namespace passerelle
