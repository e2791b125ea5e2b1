// `passerelle user add|list|disable|passwd --db DIR`: the accounts that may sign in
// (core/accounts.h). Passwords are read from standard input, one line, so that scripts can
// give them and they never show in a process list or a shell history.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/accounts.h"
#include "core/sessions.h"
#include "core/diagnostics.h"

namespace passerelle::cli {

namespace {

struct UserArgs {
    std::string db;
    std::string name;
    std::string email;
    std::string role = "partners";
    std::vector<std::string> rights;
};

// The first line of standard input, without its line ending; "" when there is none.
std::string password_from_stdin() {
    std::string line;
    if (!std::getline(std::cin, line)) return {};
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

// Runs `action`, turning the errors it throws into a message and exit status 1 (2 for input
// an account cannot take, naming its field).
template <typename F>
int guarded(const char* what, F&& action) {
    try {
        action();
        return 0;
    } catch (const AccountError& e) {
        std::fprintf(stderr, "passerelle user %s: %s: %s\n", what, e.field().c_str(), e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "passerelle user %s: %s\n", what, e.what());
        return 1;
    }
}

}  // namespace

void add_user_command(CLI::App& app, int& exit_code) {
    auto a = std::make_shared<UserArgs>();
    CLI::App* user = app.add_subcommand("user", "Manage the accounts that may sign in (in DIR/accounts.sqlite)");
    user->require_subcommand(1);

    CLI::App* add = user->add_subcommand("add", "Add an account; its password is the first line of standard input");
    add->add_option("name", a->name, "Its name (letters, digits, '.', '_', '-'); it signs in with it or its email")->required();
    add->add_option("--db", a->db, "The index folder the accounts sit beside")->required();
    add->add_option("--role", a->role, "What it may read: partners or internal")->required();
    add->add_option("--email", a->email, "Its email, which also signs in");
    add->add_option("--rights", a->rights, "What it may do: author, reviewer, admin (comma-separated)")->delimiter(',');
    add->callback([a, &exit_code] {
        exit_code = guarded("add", [&] {
            const Account made = Accounts(a->db).add(a->name, a->email, a->role, a->rights, password_from_stdin());
            std::printf("added %s (%s)\n", made.name.c_str(), made.role.c_str());
        });
    });

    CLI::App* list = user->add_subcommand("list", "List the accounts");
    list->add_option("--db", a->db, "The index folder the accounts sit beside")->required();
    list->callback([a, &exit_code] {
        exit_code = guarded("list", [&] {
            for (const Account& x : Accounts(a->db).list()) {
                std::string rights;
                for (const std::string& r : x.rights) rights += (rights.empty() ? "" : ",") + r;
                std::printf("%s\t%s\t%s\t%s\t%s\t%s\n", x.name.c_str(), x.email.empty() ? "-" : x.email.c_str(), x.role.c_str(),
                            rights.empty() ? "-" : rights.c_str(), x.disabled ? "disabled" : "active", x.created.c_str());
            }
        });
    });

    CLI::App* disable = user->add_subcommand("disable", "Disable an account: it can no longer sign in, and its sessions end");
    disable->add_option("name", a->name, "The account's name")->required();
    disable->add_option("--db", a->db, "The index folder the accounts sit beside")->required();
    disable->callback([a, &exit_code] {
        exit_code = guarded("disable", [&] {
            Accounts accounts(a->db);
            accounts.disable(a->name);
            Sessions(a->db, 0).close_all(accounts.find(a->name)->id);  // signed out everywhere
            std::printf("disabled %s\n", a->name.c_str());
        });
    });

    CLI::App* passwd = user->add_subcommand("passwd", "Set an account's password from the first line of standard input");
    passwd->add_option("name", a->name, "The account's name")->required();
    passwd->add_option("--db", a->db, "The index folder the accounts sit beside")->required();
    passwd->callback([a, &exit_code] {
        exit_code = guarded("passwd", [&] {
            Accounts accounts(a->db);
            accounts.set_password(a->name, password_from_stdin());
            Sessions(a->db, 0).close_all(accounts.find(a->name)->id);  // the old password's sessions end
            std::printf("password changed for %s\n", a->name.c_str());
        });
    });
}

}  // namespace passerelle::cli
