#include "core/accounts.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include "support/temp_dir.h"

namespace passerelle {
namespace {

TEST(AccountsTest, AnAccountSignsInWithItsNameOrEmailAndItsPassword) {
    test::TempDir dir;
    Accounts accounts(dir / "db");
    const Account a = accounts.add("awa", "Awa.Diop@Example.org", "partners", {"reviewer", "author"}, "correct horse battery");
    EXPECT_EQ(a.email, "awa.diop@example.org");
    EXPECT_EQ(a.rights, (std::vector<std::string>{"author", "reviewer"}));
    EXPECT_TRUE(a.has_right("reviewer"));
    EXPECT_FALSE(a.has_right("admin"));
    ASSERT_TRUE(accounts.authenticate("awa", "correct horse battery"));
    ASSERT_TRUE(accounts.authenticate("AWA.DIOP@example.org", "correct horse battery"));
    EXPECT_EQ(accounts.authenticate("awa", "correct horse battery")->role, "partners");
    EXPECT_FALSE(accounts.authenticate("awa", "wrong horse battery"));
    EXPECT_FALSE(accounts.authenticate("nobody", "correct horse battery"));
}

TEST(AccountsTest, TheFileKeepsOnlyHashesAndOnlyItsOwnerReadsIt) {
    test::TempDir dir;
    {
        Accounts accounts(dir / "db");
        accounts.add("awa", "", "internal", {}, "correct horse battery");
    }
    const auto file = Accounts::file_in(dir / "db");
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find("correct horse battery"), std::string::npos);
    EXPECT_NE(bytes.find("$argon2id$"), std::string::npos);
    Accounts reopened(dir / "db");  // what was added stays
    EXPECT_TRUE(reopened.authenticate("awa", "correct horse battery"));
}

TEST(AccountsTest, ADisabledAccountCannotSignInAndAPasswordCanChange) {
    test::TempDir dir;
    Accounts accounts(dir / "db");
    accounts.add("awa", "awa@example.org", "partners", {"author"}, "correct horse battery");
    accounts.set_password("awa", "another long password");
    EXPECT_FALSE(accounts.authenticate("awa", "correct horse battery"));
    EXPECT_TRUE(accounts.authenticate("awa", "another long password"));
    accounts.disable("awa");
    EXPECT_FALSE(accounts.authenticate("awa", "another long password"));
    ASSERT_EQ(accounts.list().size(), 1u);
    EXPECT_TRUE(accounts.list()[0].disabled);
}

TEST(AccountsTest, BadInputIsRefusedNamingItsField) {
    test::TempDir dir;
    Accounts accounts(dir / "db");
    accounts.add("awa", "awa@example.org", "partners", {}, "correct horse battery");
    const auto field_of = [&](const std::string& name, const std::string& email, const std::string& role,
                              const std::vector<std::string>& rights, const std::string& password) -> std::string {
        try {
            accounts.add(name, email, role, rights, password);
        } catch (const AccountError& e) {
            return e.field();
        }
        return "accepted";
    };
    EXPECT_EQ(field_of("", "", "partners", {}, "long enough pw"), "name");
    EXPECT_EQ(field_of("../etc", "", "partners", {}, "long enough pw"), "name");
    EXPECT_EQ(field_of("a b", "", "partners", {}, "long enough pw"), "name");
    EXPECT_EQ(field_of("<script>", "", "partners", {}, "long enough pw"), "name");
    EXPECT_EQ(field_of(std::string(65, 'a'), "", "partners", {}, "long enough pw"), "name");
    EXPECT_EQ(field_of("awa", "", "partners", {}, "long enough pw"), "name");  // taken
    EXPECT_EQ(field_of("bob", "bob", "partners", {}, "long enough pw"), "email");
    EXPECT_EQ(field_of("bob", "b ob@example.org", "partners", {}, "long enough pw"), "email");
    EXPECT_EQ(field_of("bob", "AWA@example.org", "partners", {}, "long enough pw"), "email");  // taken
    EXPECT_EQ(field_of("bob", "", "public", {}, "long enough pw"), "role");
    EXPECT_EQ(field_of("bob", "", "partners", {"root"}, "long enough pw"), "rights");
    EXPECT_EQ(field_of("bob", "", "partners", {}, "short"), "password");
    EXPECT_EQ(field_of("bob", "", "partners", {}, std::string(1025, 'x')), "password");
    EXPECT_EQ(field_of("bob", "", "partners", {}, "long enough pw"), "accepted");
    EXPECT_THROW(accounts.disable("nobody"), AccountError);
    EXPECT_THROW(accounts.set_password("awa", "short"), AccountError);
}

}  // namespace
}  // namespace passerelle
