// A storm of guide requests for bench/run-guides-load: CLIENTS connections at once, each asking
// in turn for a named guide (GET /guides/NAME.pdf) and for a guide from a definition (POST
// /api/guides, with TOKEN), every request with its own date so that no answer comes from the
// cache. A client that gets 503 waits a second (less than the Retry-After it is sent: harsher
// than a polite client) and asks again. Runs for SECONDS; prints one JSON line of counts. FIRST
// numbers the first request (default 0): the dates follow from it. With STORM_DEBUG set, each
// request that got no answer is printed with its local port (to find it in a server trace).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "guarded_main.h"

namespace {

struct Counts {
    std::atomic<long> requests{0}, built{0}, busy{0}, other{0}, failed{0};
    std::atomic<long long> bytes{0};
};

const char* const k_guides[] = {"energie", "eau-ecoles", "methode", "voute-nubienne"};
const std::string k_definition =
    R"({"title": {"fr": "Latrines", "en": "Latrines"}, "introduction": {"fr": "Tout sur les latrines.", "en": "All about latrines."},)"
    R"( "selection": {"query": "latrines", "kinds": ["good_practice", "lesson"]}})";

// A valid date of its own for request `n`.
std::string date_of(long n) {
    char out[16];
    std::snprintf(out, sizeof out, "%04ld-%02ld-%02ld", 2001 + (n / 336) % 98, 1 + (n / 28) % 12, 1 + n % 28);
    return out;
}

std::string request_for(long n, const std::string& token) {
    if (n % 2 == 0)
        return "GET /guides/" + std::string(k_guides[(n / 2) % 4]) + ".pdf?date=" + date_of(n) + " HTTP/1.1\r\nHost: bench\r\n\r\n";
    return "POST /api/guides?date=" + date_of(n) + " HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer " + token +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(k_definition.size()) + "\r\n\r\n" + k_definition;
}

// One request on a new connection; the status (0 on failure) and the body's size.
int exchange(int port, const std::string& request, long long& bytes) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return 0;
    timeval timeout{60, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string reply;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
        char buf[65536];
        for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) {  // the server closes after a guide
            reply.append(buf, static_cast<std::size_t>(n));
            const auto head = reply.find("\r\n\r\n");
            const auto length = reply.find("Content-Length: ");
            if (head != std::string::npos && length != std::string::npos && length < head &&
                reply.size() >= head + 4 + std::stoul(reply.substr(length + 16)))
                break;
        }
    }
    int status = 0;
    if (std::sscanf(reply.c_str(), "HTTP/1.%*d %d", &status) != 1) {
        if (std::getenv("STORM_DEBUG")) {
            sockaddr_in local{};
            socklen_t len = sizeof local;
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
            std::fprintf(stderr, "failed: port %d errno %d, %zu bytes: %.40s\n", ntohs(local.sin_port), errno, reply.size(), request.c_str());
        }
        ::close(fd);
        return 0;
    }
    ::close(fd);
    const auto head = reply.find("\r\n\r\n");
    bytes = head == std::string::npos ? 0 : static_cast<long long>(reply.size() - head - 4);
    return status;
}

int run(int argc, char** argv) {
    if (argc != 5 && argc != 6) {
        std::fprintf(stderr, "usage: %s PORT CLIENTS SECONDS TOKEN [FIRST]\n", argv[0]);
        return 2;
    }
    const int port = std::stoi(argv[1]), clients = std::stoi(argv[2]);
    const double seconds = std::stod(argv[3]);
    const std::string token = argv[4];
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    Counts counts;
    std::atomic<long> next{argc == 6 ? std::stol(argv[5]) : 0};  // runs that start apart ask for other dates
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&] {
            while (std::chrono::steady_clock::now() < until) {
                long long bytes = 0;
                const int status = exchange(port, request_for(next++, token), bytes);
                ++counts.requests;
                if (status == 200) {
                    ++counts.built;
                    counts.bytes += bytes;
                } else if (status == 503) {
                    ++counts.busy;
                    std::this_thread::sleep_for(std::chrono::seconds(1));
                } else {
                    ++(status == 0 ? counts.failed : counts.other);
                }
            }
        });
    for (auto& t : threads) t.join();
    std::printf("{\"clients\": %d, \"seconds\": %.1f, \"requests\": %ld, \"guides_200\": %ld, \"busy_503\": %ld, \"other_status\": %ld, "
                "\"failed\": %ld, \"pdf_megabytes\": %.1f}\n",
                clients, seconds, counts.requests.load(), counts.built.load(), counts.busy.load(), counts.other.load(),
                counts.failed.load(), static_cast<double>(counts.bytes.load()) / 1e6);
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return passerelle::bench::guarded_main(argc, argv, run); }
