#include "support/shard_servers.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "core/diagnostics.h"
#include "indexer/indexer.h"
#include "indexer/lexicon.h"

namespace passerelle::test {

namespace {

bool accepts(unsigned port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

IndexReport index_into(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& db) {
    IndexOptions opt;
    opt.inputs = inputs;
    opt.db = db;
    opt.vocabularies = source_dir() / "content" / "vocabularies";
    DiagnosticSink sink;  // the real corpus's own faults are reported and skipped, as in one index
    return run_indexer(opt, sink);
}

}  // namespace

unsigned free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        ::close(fd);
        throw std::runtime_error("no free loopback port");
    }
    ::close(fd);
    return ntohs(a.sin_port);
}

LoopbackProcess::LoopbackProcess(std::vector<std::string> argv, unsigned port) : m_argv(std::move(argv)), m_port(port) {}

LoopbackProcess::~LoopbackProcess() {
    if (m_pid > 0) kill();
}

void LoopbackProcess::start() {
    std::vector<char*> args;
    for (std::string& a : m_argv) args.push_back(a.data());
    args.push_back(nullptr);
    m_pid = ::fork();
    if (m_pid == 0) {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlives a test that crashed
        const int null = ::open("/dev/null", O_WRONLY);  // servers report each connection, and
        if (null >= 0) {                                 // must not hold the test's output pipe open
            ::dup2(null, STDOUT_FILENO);
            ::dup2(null, STDERR_FILENO);
        }
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    ::setpgid(m_pid, m_pid);  // either side may run first
    for (int i = 0; i < 500; ++i) {  // at most 10 s
        if (accepts(m_port)) return;
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            throw std::runtime_error(m_argv[0] + " exited at once (is it installed?)");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error(m_argv[0] + " does not accept connections on port " + std::to_string(m_port));
}

void LoopbackProcess::stop() { ::kill(-m_pid, SIGSTOP); }
void LoopbackProcess::resume() { ::kill(-m_pid, SIGCONT); }

void LoopbackProcess::kill() {
    if (m_pid <= 0) return;
    ::kill(-m_pid, SIGKILL);
    ::kill(-m_pid, SIGCONT);
    ::waitpid(m_pid, nullptr, 0);
    m_pid = -1;
}

TcpShardServer::TcpShardServer(const std::filesystem::path& db, unsigned port)
    : LoopbackProcess({"xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port", std::to_string(port), (db / "xapian").string()},
                      port) {}

Federation::Federation(std::size_t jsonl_lines) {
    // Every Markdown file of the bundled content, and lines of the real corpus when it is there.
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(source_dir() / "content"))
        if (e.is_regular_file() && e.path().extension() == ".md") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<std::string> lines;
    std::ifstream corpus(source_dir() / ".." / "shared" / "corpus" / "real-20k.jsonl");
    for (std::string line; lines.size() < jsonl_lines && std::getline(corpus, line);) lines.push_back(line);

    const auto all = dir / "all";
    std::vector<std::filesystem::path> office(4);
    for (std::size_t k = 0; k < 4; ++k) office[k] = this->office(k);
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto relative = std::filesystem::relative(files[i], source_dir() / "content");
        for (const auto& target : {all / relative, office[i % 4] / relative}) {
            std::filesystem::create_directories(target.parent_path());
            std::filesystem::copy_file(files[i], target);
        }
    }
    std::ofstream one_file(all / "corpus.jsonl");
    std::vector<std::ofstream> parts;
    for (std::size_t k = 0; k < 4; ++k) parts.emplace_back(office[k] / "corpus.jsonl");
    for (std::size_t i = 0; i < lines.size(); ++i) {
        one_file << lines[i] << '\n';
        parts[i % 4] << lines[i] << '\n';
    }
    one_file.close();
    for (auto& p : parts) p.close();

    one = dir / "one";
    documents = index_into({all, all / "corpus.jsonl"}, one).documents;
    for (std::size_t k = 0; k < 4; ++k) {
        shards.push_back(dir / ("shard-" + std::to_string(k)));
        reindex(k);
    }
    lexicon = dir / "lexicon";
    build_lexicon(shards, lexicon);
    for (const auto& shard : shards) {
        servers.push_back(std::make_unique<TcpShardServer>(shard, free_loopback_port()));
        servers.back()->start();
    }
}

std::filesystem::path Federation::office(std::size_t k) const { return dir / ("office-" + std::to_string(k)); }

void Federation::reindex(std::size_t k) const { index_into({office(k), office(k) / "corpus.jsonl"}, shards.at(k)); }

std::vector<std::string> Federation::addresses() const {
    std::vector<std::string> out;
    for (const auto& s : servers) out.push_back(s->address());
    return out;
}

}  // namespace passerelle::test
