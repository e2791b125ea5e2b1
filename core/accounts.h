// The accounts that may sign in, in their own SQLite file beside the index
// (DIR/accounts.sqlite, mode 0600), which indexing, compacting and re-indexing never touch.
// Each account has a name and an optional email (either signs in), a role (partners or
// internal: what it may read), rights (author, reviewer, admin: what it may do), and an
// Argon2id password hash (core/password_hash.h). Not thread-safe: one per thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace SQLite {
class Database;
}

namespace passerelle {

struct Account {
    std::int64_t id = 0;
    std::string name;
    std::string email;  // lower case, or ""
    std::string role;   // partners | internal
    std::vector<std::string> rights;  // of author, reviewer, admin, in that order
    bool disabled = false;
    std::string created;  // UTC, ISO 8601
    bool has_right(std::string_view right) const;
};

// Input an account cannot take; `field` names it (name, email, role, rights, password).
class AccountError : public std::runtime_error {
  public:
    AccountError(std::string field, const std::string& message) : std::runtime_error(message), m_field(std::move(field)) {}
    const std::string& field() const { return m_field; }

  private:
    std::string m_field;
};

namespace account_limits {
constexpr std::size_t k_name = 64;
constexpr std::size_t k_email = 254;
constexpr std::size_t k_password_min = 10;    // bytes
constexpr std::size_t k_password_max = 1024;  // bytes
}  // namespace account_limits

class Accounts {
  public:
    static std::filesystem::path file_in(const std::filesystem::path& db) { return db / "accounts.sqlite"; }
    // Opens DIR/accounts.sqlite, creating it (and DIR) when missing. Throws Error when it
    // cannot be opened.
    explicit Accounts(const std::filesystem::path& db);
    ~Accounts();

    // Throws AccountError for input it cannot take, or a name or email already used.
    Account add(const std::string& name, const std::string& email, const std::string& role,
                const std::vector<std::string>& rights, std::string_view password);
    std::vector<Account> list();
    std::optional<Account> find(const std::string& name_or_email);
    std::optional<Account> get(std::int64_t id);
    // Throw AccountError (field "name") for an unknown account.
    void disable(const std::string& name);
    void set_password(const std::string& name, std::string_view password);
    // The account, when the name or email and the password match and it is not disabled. Takes
    // as long for an unknown account as for a wrong password.
    std::optional<Account> authenticate(const std::string& name_or_email, std::string_view password);

  private:
    std::unique_ptr<SQLite::Database> m_db;
};

}  // namespace passerelle
