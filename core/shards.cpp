#include "core/shards.h"

#include <algorithm>
#include <cctype>
#include <future>
#include <map>
#include <mutex>
#include <optional>

#include "core/diagnostics.h"
#include "core/match_all.h"

namespace passerelle {

ShardAddress parse_shard(const std::string& given, const std::string& parameter) {
    ShardAddress a;
    a.text = given;
    std::string text = given;
    // "lille=tcp://10.0.0.5:8431": a name for messages and responses, instead of the address.
    const auto eq = given.find('=');
    if (eq != std::string::npos && eq > 0 &&
        std::all_of(given.begin(), given.begin() + static_cast<long>(eq), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; })) {
        a.text = given.substr(0, eq);
        text = given.substr(eq + 1);
    }
    constexpr std::string_view k_scheme = "tcp://";
    if (text.compare(0, k_scheme.size(), k_scheme) != 0) {
        if (text.empty()) throw Error(parameter + ": an empty index folder name");
        a.dir = text;
        return a;
    }
    const std::string rest = text.substr(k_scheme.size());
    const auto colon = rest.rfind(':');
    const auto bad = [&](const std::string& why) {
        return Error(parameter + ": '" + text + "' is not a remote shard (" + why + "; expected tcp://HOST:PORT)");
    };
    if (colon == std::string::npos || colon == 0) throw bad("no host and port");
    std::string host = rest.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::string port = rest.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) throw bad("bad port");
    const unsigned long n = std::stoul(port);
    if (n == 0 || n > 65535) throw bad("port out of range");
    a.remote = true;
    a.host = host;
    a.port = static_cast<unsigned>(n);
    return a;
}

namespace {

Xapian::Database open_local(const ShardAddress& a) {
    try {
        return Xapian::Database((a.dir / "xapian").string());
    } catch (const Xapian::Error& e) {
        throw Error(a.text + ": cannot open the index (run 'passerelle index' first?): " + e.get_description());
    }
}

Xapian::Database open_remote(const ShardAddress& a, int timeout_ms) {
    const auto t = static_cast<useconds_t>(std::max(1, timeout_ms));
    return Xapian::Remote::open(a.host, a.port, t, t);
}

}  // namespace

OpenShards open_shards(const std::vector<ShardAddress>& shards, int timeout_ms, const std::vector<std::size_t>& skip) {
    // Remote shards connect at the same time, so that several slow ones cost one timeout.
    std::vector<std::future<Xapian::Database>> remote(shards.size());
    for (std::size_t i = 0; i < shards.size(); ++i)
        if (shards[i].remote && std::find(skip.begin(), skip.end(), i) == skip.end())
            remote[i] = std::async(std::launch::async, [&a = shards[i], timeout_ms] { return open_remote(a, timeout_ms); });
    OpenShards out;
    for (std::size_t i = 0; i < shards.size(); ++i) {
        std::optional<Xapian::Database> db;
        if (!shards[i].remote) {
            db = open_local(shards[i]);
        } else if (remote[i].valid()) {
            try {
                db = remote[i].get();
                note_shard_answered(shards[i].text);
            } catch (const Xapian::Error&) {
                note_shard_failed(shards[i].text);
            }
        }  // else left out: it failed a moment ago
        if (!db) {
            out.missing.push_back(i);
            continue;
        }
        out.combined.add_database(*db);
        out.open.push_back(i);
    }
    return out;
}

namespace {
std::mutex g_failures_mutex;
std::map<std::string, ShardClock::time_point> g_failures;  // shard -> when it last failed
}  // namespace

void note_shard_failed(const std::string& shard) {
    std::lock_guard lock(g_failures_mutex);
    g_failures[shard] = ShardClock::now();
}

void note_shard_answered(const std::string& shard) {
    std::lock_guard lock(g_failures_mutex);
    g_failures.erase(shard);
}

std::vector<std::size_t> recently_failed(const std::vector<ShardAddress>& shards, int seconds) {
    std::lock_guard lock(g_failures_mutex);
    std::vector<std::size_t> out;
    const auto now = ShardClock::now();
    for (std::size_t i = 0; i < shards.size(); ++i) {
        const auto it = g_failures.find(shards[i].text);
        if (it != g_failures.end() && now - it->second < std::chrono::seconds(seconds)) out.push_back(i);
    }
    return out;
}

bool failed_since(const std::string& shard, ShardClock::time_point when) {
    std::lock_guard lock(g_failures_mutex);
    const auto it = g_failures.find(shard);
    return it != g_failures.end() && it->second > when;
}

bool shard_answers(const ShardAddress& address, int timeout_ms) {
    try {
        Xapian::Database db = open_remote(address, timeout_ms);
        Xapian::Enquire e(db);
        e.set_query(match_all());
        e.get_mset(0, 1);
        return true;
    } catch (const Xapian::Error&) {
        return false;
    }
}

}  // namespace passerelle
