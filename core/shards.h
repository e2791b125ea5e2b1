// The shards a search reads: index folders on this machine, and remote databases served by
// Xapian's own xapian-tcpsrv ("tcp://HOST:PORT"). This file is the one place that opens them;
// Xapian combines them into one database whose statistics, and so whose weights, are those of
// one index holding every document.
#pragma once

#include <xapian.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace passerelle {

struct ShardAddress {
    std::string text;  // its name ("lille" of "lille=tcp://…"), else as given: how messages and responses name it
    bool remote = false;
    std::string host;  // remote
    unsigned port = 0;
    std::filesystem::path dir;  // local: the index folder
};

// Reads "tcp://HOST:PORT" or an index folder, either after an optional "NAME=" (letters, digits,
// '-' and '_'). Throws Error naming `parameter` for a bad address.
ShardAddress parse_shard(const std::string& text, const std::string& parameter = "--db");

struct OpenShards {
    Xapian::Database combined;         // every shard that answered, in the order given
    std::vector<std::size_t> open;     // index into the addresses of each of them
    std::vector<std::size_t> missing;  // index into the addresses of each shard that did not
};

// Opens every shard, the remote ones in parallel, each within `timeout_ms` (connecting and every
// exchange after). A local shard that cannot be opened throws Error: that is a mistake in the
// command, not an outage. Shards listed in `skip` are left out as missing without a try.
OpenShards open_shards(const std::vector<ShardAddress>& shards, int timeout_ms,
                       const std::vector<std::size_t>& skip = {});

// Which shards failed lately, shared by every reader of the process, so that one thread's
// timeout spares the others theirs.
using ShardClock = std::chrono::steady_clock;
void note_shard_failed(const std::string& shard);
void note_shard_answered(const std::string& shard);
// The indexes of the shards among `shards` that last failed less than `seconds` ago.
std::vector<std::size_t> recently_failed(const std::vector<ShardAddress>& shards, int seconds);
// Whether `shard` was seen failing after `when`.
bool failed_since(const std::string& shard, ShardClock::time_point when);

// Whether the remote shard at `address` answers a one-document search within `timeout_ms`.
bool shard_answers(const ShardAddress& address, int timeout_ms);

}  // namespace passerelle
