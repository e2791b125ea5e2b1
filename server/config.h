// The server's settings: one struct with a documented default per field, loaded in layers
// (defaults, then the configuration file, then command-line flags). docs/server.md and
// docs/passerelle.example.yaml document every key.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace passerelle {

struct TokenEntry {
    std::string name;    // who holds it, for logs
    std::string role;    // partners or internal
    std::string sha256;  // hex SHA-256 of the token; the token itself is never stored
};

struct ServerConfig {
    std::string db = "data";             // index folder: documents, projects, OAI-PMH, and searches
    // A federation (see docs/scaling.md): the index folders and tcp://HOST:PORT remote shards
    // searched as one instead of `db` alone; `db` is then the home folder (its catalogue serves
    // documents, and its spelling and synonyms serve the searches unless `lexicon` is set).
    std::vector<std::string> shards;
    std::string lexicon;                 // folder made by `passerelle lexicon` ("" = `db`)
    int shard_timeout_ms = 2000;         // a remote shard that takes longer is left out of a search
    std::string bind = "127.0.0.1";      // address to listen on
    int port = 8080;                     // 0 picks a free port
    int threads = 2;                     // request threads
    std::size_t max_request_bytes = 65536;  // a request's body (addresses and headers have their own limits)
    // A client that has not sent a request's whole headers (body) this long after it began is
    // answered 408 and cut off, so slow clients cannot hold connections.
    double header_timeout_seconds = 10, body_timeout_seconds = 30;
    // A kept-alive connection with no request for this long is closed.
    double keepalive_timeout_seconds = 15;
    // PDF guides built for requests (GET /guides/NAME.pdf, POST /api/guides): this many at a time
    // on worker threads of their own, at most `guide_queue` more waiting; a request that finds
    // both full gets 503 with Retry-After at once.
    int guide_builds = 2;
    int guide_queue = 4;
    std::string access_log = "-";        // "-" standard error, "" none, or a file
    double reload_seconds = 0.5;         // how often to look for a newer index generation
    std::string base_url;                // absolute prefix of document URLs ("" gives relative URLs)
    std::string guides_dir;              // guide definitions ("" is the bundled templates/guides)
    // OAI-PMH (/oai): how the repository names itself, and records per page of a list.
    std::string oai_repository_name = "Passerelle: Le Partenariat's capitalisation archive";
    std::string oai_admin_email = "archive@example.org";
    std::string oai_repository_id = "passerelle.example.org";  // the middle of oai:<id>:<document>
    int oai_page_size = 100;
    std::vector<TokenEntry> tokens;
    // Signing in from a browser (server/session_gate.h): accounts sit beside `db`. A session ends
    // after this long without a request. Cookies are marked Secure when `tls` is set, or
    // `base_url` is https://.
    int session_idle_minutes = 120;
    bool tls = false;
    // Reverse proxies in front of the server (their addresses, as the server sees them): for a
    // request from one, the client is the last address of its X-Forwarded-For (failed sign-ins
    // are counted per client address).
    std::vector<std::string> trusted_proxies;
    // The names (host, or host:port) the site answers to, as Django's ALLOWED_HOSTS: a request
    // whose Host is not one gets 400, so that a forged Host never reaches a page, a citation, a
    // guide or a cache. Empty: any Host (absolute addresses then use base_url, else the Host).
    std::vector<std::string> allowed_hosts;
    // The licence the archive's documents are published under, named on the about page and in
    // the footer; empty: the about page says that none is declared and whom to ask.
    std::string licence_name, licence_url;
    // Writing in the browser (docs/authoring.md): the content folder notes are written to, and
    // indexed from into `db`. "" leaves the site read-only. Not with `shards`: in a federation
    // each office writes to its own content and index.
    std::string content;
    // An attachment's largest size. Only a signed-in author's request to the upload address may
    // have a body this large; every other body is limited by `max_request_bytes`.
    std::size_t attachment_max_bytes = std::size_t{20} << 20;
};

// Applies the keys of the YAML file `path` over `config`. Throws Error naming file, line and key
// for an unknown key or a bad value.
void load_server_config(const std::filesystem::path& path, ServerConfig& config);

// Applies the `--db` values of the command line (none: the configuration stands). One local
// folder is the index; several, or a remote shard, are a federation (`shards`) whose home `db`
// is the lexicon when there is one, else the first local folder. Throws Error when remote
// shards have neither a lexicon nor a local folder beside them.
void apply_db_flags(ServerConfig& config, const std::vector<std::string>& dbs);

}  // namespace passerelle
