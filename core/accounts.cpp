#include "core/accounts.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>

#include "core/diagnostics.h"
#include "core/password_hash.h"

namespace passerelle {

namespace {

constexpr const char* k_schema = R"sql(
CREATE TABLE IF NOT EXISTS accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    email TEXT UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('partners', 'internal')),
    rights TEXT NOT NULL,
    password TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    password_changed TEXT NOT NULL
);
)sql";

constexpr std::array<std::string_view, 3> k_rights = {"author", "reviewer", "admin"};

std::string now_utc() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char out[32];
    std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return out;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

void check_name(const std::string& name) {
    if (name.empty()) throw AccountError("name", "the name is empty");
    if (name.size() > account_limits::k_name)
        throw AccountError("name", "the name is longer than " + std::to_string(account_limits::k_name) + " characters");
    if (!std::isalnum(static_cast<unsigned char>(name[0])))
        throw AccountError("name", "the name must begin with a letter or a digit");
    for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
            throw AccountError("name", "the name may hold only ASCII letters, digits, '.', '_' and '-'");
}

void check_email(const std::string& email) {
    if (email.empty()) return;
    if (email.size() > account_limits::k_email) throw AccountError("email", "the email is longer than 254 characters");
    const auto at = email.find('@');
    if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos ||
        email.find('.', at) == std::string::npos || email.back() == '.')
        throw AccountError("email", "'" + email + "' is not an email address");
    for (char c : email)
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) throw AccountError("email", "the email holds a space or a control character");
}

void check_password(std::string_view password) {
    if (password.size() < account_limits::k_password_min)
        throw AccountError("password", "the password is shorter than " + std::to_string(account_limits::k_password_min) + " characters");
    if (password.size() > account_limits::k_password_max)
        throw AccountError("password", "the password is longer than " + std::to_string(account_limits::k_password_max) + " bytes");
}

std::string joined_rights(const std::vector<std::string>& rights) {
    std::string out;
    for (const std::string_view known : k_rights)
        if (std::find(rights.begin(), rights.end(), known) != rights.end()) out += (out.empty() ? "" : ",") + std::string(known);
    for (const std::string& r : rights)
        if (std::find(k_rights.begin(), k_rights.end(), r) == k_rights.end())
            throw AccountError("rights", "unknown right '" + r + "' (expected author, reviewer or admin)");
    return out;
}

std::vector<std::string> split_rights(const std::string& joined) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < joined.size()) {
        const std::size_t j = std::min(joined.find(',', i), joined.size());
        if (j > i) out.push_back(joined.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

Account read_account(SQLite::Statement& s) {
    Account a;
    a.id = s.getColumn(0).getInt64();
    a.name = s.getColumn(1).getString();
    a.email = s.getColumn(2).isNull() ? "" : s.getColumn(2).getString();
    a.role = s.getColumn(3).getString();
    a.rights = split_rights(s.getColumn(4).getString());
    a.disabled = s.getColumn(5).getInt() != 0;
    a.created = s.getColumn(6).getString();
    return a;
}

constexpr const char* k_columns = "id, name, email, role, rights, disabled, created";

}  // namespace

bool Account::has_right(std::string_view right) const { return std::find(rights.begin(), rights.end(), right) != rights.end(); }

Accounts::Accounts(const std::filesystem::path& db) {
    const auto file = file_in(db);
    try {
        std::filesystem::create_directories(db);
        const bool existed = std::filesystem::exists(file);
        m_db = std::make_unique<SQLite::Database>(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 5000);
        if (!existed) ::chmod(file.c_str(), 0600);  // password hashes: the owner's alone
        m_db->exec("PRAGMA journal_mode=WAL");
        m_db->exec("PRAGMA synchronous=FULL");
        m_db->exec(k_schema);
    } catch (const std::exception& e) {
        throw Error(file.string() + ": cannot open the accounts: " + e.what());
    }
}

Accounts::~Accounts() = default;

Account Accounts::add(const std::string& name, const std::string& email_in, const std::string& role,
                      const std::vector<std::string>& rights, std::string_view password) {
    const std::string email = lower(email_in);
    check_name(name);
    check_email(email);
    if (role != "partners" && role != "internal")
        throw AccountError("role", "unknown role '" + role + "' (expected partners or internal)");
    const std::string joined = joined_rights(rights);
    check_password(password);
    if (find(name)) throw AccountError("name", "an account named '" + name + "' exists already");
    if (!email.empty() && find(email)) throw AccountError("email", "an account with the email '" + email + "' exists already");
    const std::string hash = hash_password(password);
    const std::string now = now_utc();
    SQLite::Statement s(*m_db,
                        "INSERT INTO accounts (name, email, role, rights, password, created, password_changed) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, name);
    if (email.empty()) s.bind(2);
    else s.bind(2, email);
    s.bind(3, role);
    s.bind(4, joined);
    s.bind(5, hash);
    s.bind(6, now);
    s.bind(7, now);
    s.exec();
    return *find(name);
}

std::vector<Account> Accounts::list() {
    SQLite::Statement s(*m_db, std::string("SELECT ") + k_columns + " FROM accounts ORDER BY name");
    std::vector<Account> out;
    while (s.executeStep()) out.push_back(read_account(s));
    return out;
}

std::optional<Account> Accounts::find(const std::string& name_or_email) {
    SQLite::Statement s(*m_db, std::string("SELECT ") + k_columns + " FROM accounts WHERE name = ? OR email = ?");
    s.bind(1, name_or_email);
    s.bind(2, lower(name_or_email));
    if (!s.executeStep()) return std::nullopt;
    return read_account(s);
}

std::optional<Account> Accounts::get(std::int64_t id) {
    SQLite::Statement s(*m_db, std::string("SELECT ") + k_columns + " FROM accounts WHERE id = ?");
    s.bind(1, static_cast<std::int64_t>(id));
    if (!s.executeStep()) return std::nullopt;
    return read_account(s);
}

void Accounts::disable(const std::string& name) {
    SQLite::Statement s(*m_db, "UPDATE accounts SET disabled = 1 WHERE name = ?");
    s.bind(1, name);
    if (s.exec() == 0) throw AccountError("name", "no account is named '" + name + "'");
}

void Accounts::set_password(const std::string& name, std::string_view password) {
    check_password(password);
    if (!find(name)) throw AccountError("name", "no account is named '" + name + "'");
    SQLite::Statement s(*m_db, "UPDATE accounts SET password = ?, password_changed = ? WHERE name = ?");
    s.bind(1, hash_password(password));
    s.bind(2, now_utc());
    s.bind(3, name);
    s.exec();
}

std::optional<Account> Accounts::authenticate(const std::string& name_or_email, std::string_view password) {
    SQLite::Statement s(*m_db, std::string("SELECT ") + k_columns + ", password FROM accounts WHERE name = ? OR email = ?");
    s.bind(1, name_or_email);
    s.bind(2, lower(name_or_email));
    if (!s.executeStep()) {
        // As long as a wrong password: an unknown name is not told apart by time.
        static const std::string dummy = hash_password("passerelle-no-such-account");
        verify_password(dummy, password);
        return std::nullopt;
    }
    Account a = read_account(s);
    const std::string hash = s.getColumn(7).getString();
    if (!verify_password(hash, password) || a.disabled) return std::nullopt;
    return a;
}

}  // namespace passerelle
