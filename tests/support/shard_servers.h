// A federation for tests: the bundled content and part of the real corpus, indexed once as one
// index and once as four office shards (documents dealt round-robin, so that the French and
// English versions of a document often live in different shards), each served by a real
// xapian-tcpsrv on a loopback port, plus the lexicon of the four.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace passerelle::test {

// A server program run for a test, in its own process group (a test stops or kills the whole
// group, children too, as an outage would), killed with the test if the test dies, its output
// discarded.
class LoopbackProcess {
  public:
    // `argv[0]` is looked up on PATH; the program is to listen on 127.0.0.1:`port`.
    LoopbackProcess(std::vector<std::string> argv, unsigned port);
    ~LoopbackProcess();
    LoopbackProcess(const LoopbackProcess&) = delete;
    LoopbackProcess& operator=(const LoopbackProcess&) = delete;

    void start();   // returns once it accepts connections (bounded wait: 10 s); throws if it does not
    void stop();    // SIGSTOP: connections are accepted by the kernel and never answered
    void resume();  // SIGCONT
    void kill();    // SIGKILL, and reaped
    unsigned port() const { return m_port; }

  private:
    std::vector<std::string> m_argv;
    unsigned m_port;
    pid_t m_pid = -1;
};

// One xapian-tcpsrv (it forks a child per connection).
class TcpShardServer : public LoopbackProcess {
  public:
    TcpShardServer(const std::filesystem::path& db, unsigned port);
    std::string address() const { return "tcp://127.0.0.1:" + std::to_string(port()); }
};

// A port nobody listens on now (the kernel's choice for an ephemeral bind).
unsigned free_loopback_port();

struct Federation {
    TempDir dir;
    std::filesystem::path one;                 // one index of every document
    std::vector<std::filesystem::path> shards;  // four index folders
    std::filesystem::path lexicon;             // their lexicon
    std::vector<std::unique_ptr<TcpShardServer>> servers;  // one per shard, started
    std::size_t documents = 0;                 // in `one`

    // `jsonl_lines`: how many lines of the real corpus to add to the bundled content.
    explicit Federation(std::size_t jsonl_lines = 1200);
    std::vector<std::string> addresses() const;  // the servers' tcp:// addresses
    std::filesystem::path office(std::size_t k) const;  // shard k's sources
    void reindex(std::size_t k) const;                  // `passerelle index` of shard k, as its office runs it
};

}  // namespace passerelle::test
