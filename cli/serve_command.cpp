#include <CLI/CLI.hpp>

#include <csignal>
#include <filesystem>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "core/diagnostics.h"
#include "core/hash.h"
#include "server/config.h"
#include "server/pistache_server.h"

namespace passerelle::cli {

namespace {

struct ServeArgs {
    std::string config_file;
    ServerConfig flags;
    std::vector<std::string> dbs;
    CLI::Option *lexicon = nullptr, *timeout = nullptr, *port = nullptr, *bind = nullptr, *threads = nullptr, *base_url = nullptr, *log = nullptr, *content = nullptr;
};

int serve(const ServeArgs& a) {
    ServerConfig c;  // defaults, then the file, then the flags given
    try {
        if (!a.config_file.empty()) load_server_config(a.config_file, c);
        if (a.lexicon->count()) c.lexicon = a.flags.lexicon;
        apply_db_flags(c, a.dbs);
    } catch (const Error& e) {
        std::cerr << "passerelle: error: " << e.what() << '\n';
        return 2;
    }
    if (a.timeout->count()) c.shard_timeout_ms = a.flags.shard_timeout_ms;
    if (a.port->count()) c.port = a.flags.port;
    if (a.bind->count()) c.bind = a.flags.bind;
    if (a.threads->count()) c.threads = a.flags.threads;
    if (a.base_url->count()) c.base_url = a.flags.base_url;
    if (a.log->count()) c.access_log = a.flags.access_log;
    if (a.content->count()) c.content = a.flags.content;
    if (!c.content.empty() && !c.shards.empty()) {
        std::cerr << "passerelle: error: --content: a federation is read-only; each office writes to its own content and index\n";
        return 2;
    }
    if (!c.content.empty() && !std::filesystem::is_directory(c.content)) {
        std::cerr << "passerelle: error: --content: '" << c.content << "' is not a folder\n";
        return 2;
    }
    HttpServer::block_signals();
    try {
        HttpServer server(c);
        server.start();
        std::string what = c.db;
        if (!c.shards.empty()) what = std::to_string(c.shards.size()) + " shards (home " + c.db + ")";
        std::printf("passerelle: serving %s on http://%s:%u/ (%d threads%s); SIGINT or SIGTERM stops\n", what.c_str(),
                    c.bind.c_str(), server.port(), c.threads, c.content.empty() ? "" : ", writing to the content folder");
        std::fflush(stdout);
        const int sig = HttpServer::wait_for_signal();
        server.stop();
        std::printf("passerelle: stopped on %s\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
        return 0;
    } catch (const Error& e) {
        std::cerr << "passerelle: error: " << e.what() << '\n';
        return 2;
    }
}

}  // namespace

void add_serve_commands(CLI::App& app, int& exit_code) {
    auto a = std::make_shared<ServeArgs>();
    CLI::App* cmd = app.add_subcommand("serve", "Serve the JSON API over an index");
    cmd->add_option("--config", a->config_file, "Configuration file (YAML; see docs/server.md)");
    cmd->add_option("--db", a->dbs, "Index folder (default: data); repeat, or tcp://HOST:PORT, for a federation of shards")
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    a->lexicon = cmd->add_option("--lexicon", a->flags.lexicon, "Federation: folder made by 'passerelle lexicon'");
    a->timeout = cmd->add_option("--shard-timeout", a->flags.shard_timeout_ms, "Milliseconds a remote shard has to answer")
                     ->check(CLI::Range(1, 600000));
    a->port = cmd->add_option("--port", a->flags.port, "Port (default 8080; 0 picks a free one)")->check(CLI::Range(0, 65535));
    a->bind = cmd->add_option("--bind", a->flags.bind, "Address to listen on (default 127.0.0.1)");
    a->threads = cmd->add_option("--threads", a->flags.threads, "Request threads (default 2)")->check(CLI::Range(1, 256));
    a->base_url = cmd->add_option("--base-url", a->flags.base_url, "Absolute prefix of document URLs");
    a->content = cmd->add_option("--content", a->flags.content, "Content folder: turns writing in the browser on (docs/authoring.md)");
    a->log = cmd->add_option("--access-log", a->flags.access_log, "'-' for standard error (default), '' for none, or a file");
    cmd->callback([a, &exit_code] { exit_code = serve(*a); });

    auto role = std::make_shared<std::string>("partners");
    auto name = std::make_shared<std::string>();
    CLI::App* token = app.add_subcommand("token", "Create an API token and print the line for the configuration file");
    token->add_option("--role", *role, "partners or internal")->check(CLI::IsMember({"partners", "internal"}))->capture_default_str();
    token->add_option("--name", *name, "Who the token is for (shown in the configuration)")->required();
    token->callback([role, name, &exit_code] {
        const std::string secret = random_hex(32);
        std::printf("token (give it to %s; it is stored nowhere):\n  %s\n\nadd under 'tokens:' in the configuration:\n"
                    "  - {name: \"%s\", role: %s, sha256: %s}\n",
                    name->c_str(), secret.c_str(), name->c_str(), role->c_str(), content_hash(secret).c_str());
        exit_code = 0;
    });
}

}  // namespace passerelle::cli
