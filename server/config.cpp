#include "server/config.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>

#include "core/diagnostics.h"
#include "core/fold.h"
#include "core/front_matter.h"
#include "core/shards.h"
#include "core/tsv.h"

namespace passerelle {

namespace {

long number(const FieldValue& v, const std::string& key, long min, long max) {
    const std::string s = scalar_text(v, key);
    long n = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || end != s.data() + s.size() || n < min || n > max)
        fail_at(v, "'" + key + "' must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return n;
}

double decimal(const FieldValue& v, const std::string& key, double min, double max) {
    const std::string s = scalar_text(v, key);
    double d = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec != std::errc() || end != s.data() + s.size() || d < min || d > max)
        fail_at(v, "'" + key + "' must be a number of seconds from " + std::to_string(static_cast<int>(min)) + " to " +
                       std::to_string(static_cast<int>(max)));
    return d;
}

TokenEntry token(const FieldValue& v) {
    if (v.type != FieldValue::Type::map) fail_at(v, "each token must be a mapping {name, role, sha256}");
    TokenEntry t;
    for (const auto& [k, f] : v.fields) {
        if (k == "name") t.name = scalar_text(f, k);
        else if (k == "role") t.role = scalar_text(f, k);
        else if (k == "sha256") t.sha256 = scalar_text(f, k);
        else fail_at(f, "unknown token key '" + k + "' (expected name, role, sha256)");
    }
    if (t.role != "partners" && t.role != "internal") fail_at(v, "a token's role must be partners or internal");
    if (t.sha256.size() != 64 || t.sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
        fail_at(v, "a token's sha256 must be 64 lower-case hex digits (see 'passerelle token')");
    return t;
}

}  // namespace

void load_server_config(const std::filesystem::path& path, ServerConfig& c) {
    DiagnosticSink sink;
    const auto root = parse_yaml(read_file(path), path.string(), sink);
    if (!root) throw Error(sink.take().at(0).str());
    if (root->type == FieldValue::Type::null) return;
    if (root->type != FieldValue::Type::map) fail_at(*root, "a configuration file is a mapping of 'key: value' lines");
    using Setter = std::function<void(const FieldValue&)>;
    const std::map<std::string, Setter> keys = {
        {"db", [&](const FieldValue& v) { c.db = scalar_text(v, "db"); }},
        {"bind", [&](const FieldValue& v) { c.bind = scalar_text(v, "bind"); }},
        {"port", [&](const FieldValue& v) { c.port = static_cast<int>(number(v, "port", 0, 65535)); }},
        {"threads", [&](const FieldValue& v) { c.threads = static_cast<int>(number(v, "threads", 1, 256)); }},
        {"max_request_bytes", [&](const FieldValue& v) { c.max_request_bytes = static_cast<std::size_t>(number(v, "max_request_bytes", 1024, 64 << 20)); }},
        {"header_timeout_seconds", [&](const FieldValue& v) { c.header_timeout_seconds = decimal(v, "header_timeout_seconds", 0.1, 3600); }},
        {"body_timeout_seconds", [&](const FieldValue& v) { c.body_timeout_seconds = decimal(v, "body_timeout_seconds", 0.1, 3600); }},
        {"keepalive_timeout_seconds", [&](const FieldValue& v) { c.keepalive_timeout_seconds = decimal(v, "keepalive_timeout_seconds", 0.1, 3600); }},
        {"guide_builds", [&](const FieldValue& v) { c.guide_builds = static_cast<int>(number(v, "guide_builds", 1, 64)); }},
        {"guide_queue", [&](const FieldValue& v) { c.guide_queue = static_cast<int>(number(v, "guide_queue", 0, 1024)); }},
        {"access_log", [&](const FieldValue& v) { c.access_log = v.type == FieldValue::Type::null ? "" : scalar_text(v, "access_log"); }},
        {"reload_seconds", [&](const FieldValue& v) { c.reload_seconds = decimal(v, "reload_seconds", 0, 3600); }},
        {"base_url", [&](const FieldValue& v) { c.base_url = scalar_text(v, "base_url"); }},
        {"guides_dir", [&](const FieldValue& v) { c.guides_dir = scalar_text(v, "guides_dir"); }},
        {"oai_repository_name", [&](const FieldValue& v) { c.oai_repository_name = scalar_text(v, "oai_repository_name"); }},
        {"oai_admin_email", [&](const FieldValue& v) { c.oai_admin_email = scalar_text(v, "oai_admin_email"); }},
        {"oai_repository_id", [&](const FieldValue& v) { c.oai_repository_id = scalar_text(v, "oai_repository_id"); }},
        {"oai_page_size", [&](const FieldValue& v) { c.oai_page_size = static_cast<int>(number(v, "oai_page_size", 1, 10000)); }},
        {"shards", [&](const FieldValue& v) {
             if (v.type != FieldValue::Type::list) fail_at(v, "'shards' must be a list of index folders and tcp://HOST:PORT");
             c.shards.clear();
             for (const FieldValue& s : v.items) c.shards.push_back(scalar_text(s, "shards"));
         }},
        {"lexicon", [&](const FieldValue& v) { c.lexicon = scalar_text(v, "lexicon"); }},
        {"shard_timeout_ms", [&](const FieldValue& v) { c.shard_timeout_ms = static_cast<int>(number(v, "shard_timeout_ms", 1, 600000)); }},
        {"session_idle_minutes", [&](const FieldValue& v) { c.session_idle_minutes = static_cast<int>(number(v, "session_idle_minutes", 1, 43200)); }},
        {"tls", [&](const FieldValue& v) {
             const std::string b = scalar_text(v, "tls");
             if (b != "true" && b != "false") fail_at(v, "'tls' must be true or false");
             c.tls = b == "true";
         }},
        {"attachment_max_bytes", [&](const FieldValue& v) { c.attachment_max_bytes = static_cast<std::size_t>(number(v, "attachment_max_bytes", 1024, 1L << 30)); }},
        {"trusted_proxies", [&](const FieldValue& v) {
             if (v.type == FieldValue::Type::null) return;
             if (v.type != FieldValue::Type::list) fail_at(v, "'trusted_proxies' must be a list of addresses");
             c.trusted_proxies.clear();
             for (const FieldValue& a : v.items) c.trusted_proxies.push_back(scalar_text(a, "trusted_proxies"));
         }},
        {"allowed_hosts", [&](const FieldValue& v) {
             if (v.type == FieldValue::Type::null) return;
             if (v.type != FieldValue::Type::list) fail_at(v, "'allowed_hosts' must be a list of host names");
             c.allowed_hosts.clear();
             for (const FieldValue& a : v.items) c.allowed_hosts.push_back(lower_ascii(scalar_text(a, "allowed_hosts")));
         }},
        {"licence_name", [&](const FieldValue& v) { c.licence_name = v.type == FieldValue::Type::null ? "" : scalar_text(v, "licence_name"); }},
        {"licence_url", [&](const FieldValue& v) { c.licence_url = v.type == FieldValue::Type::null ? "" : scalar_text(v, "licence_url"); }},
        {"content", [&](const FieldValue& v) { c.content = v.type == FieldValue::Type::null ? "" : scalar_text(v, "content"); }},
        {"tokens", [&](const FieldValue& v) {
             if (v.type == FieldValue::Type::null) return;
             if (v.type != FieldValue::Type::list) fail_at(v, "'tokens' must be a list");
             for (const FieldValue& t : v.items) c.tokens.push_back(token(t));
         }},
    };
    for (const auto& [k, v] : root->fields) {
        const auto it = keys.find(k);
        if (it == keys.end()) fail_at(v, "unknown configuration key '" + k + "'");
        it->second(v);
    }
}

void apply_db_flags(ServerConfig& c, const std::vector<std::string>& dbs) {
    if (!dbs.empty()) {
        std::vector<ShardAddress> shards;
        for (const std::string& d : dbs) shards.push_back(parse_shard(d));
        const bool remote = std::any_of(shards.begin(), shards.end(), [](const ShardAddress& a) { return a.remote; });
        c.shards.clear();
        if (shards.size() == 1 && !remote) {
            c.db = shards[0].dir.string();
        } else {
            c.shards = dbs;
            const auto local = std::find_if(shards.begin(), shards.end(), [](const ShardAddress& a) { return !a.remote; });
            if (local != shards.end()) c.db = local->dir.string();
        }
    }
    if (c.shards.empty()) return;
    if (!c.lexicon.empty()) {
        c.db = c.lexicon;
        return;
    }
    if (std::none_of(c.shards.begin(), c.shards.end(), [](const std::string& d) { return !parse_shard(d, "shards").remote; }))
        throw Error("--lexicon: remote shards serve no spelling, synonyms or documents; name a folder made by "
                    "'passerelle lexicon'");
}

}  // namespace passerelle
