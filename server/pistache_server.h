// The HTTP server: Pistache on the given address, every request converted to a plain Request,
// answered by the Api, then compressed (gzip when accepted), logged and counted. The only file
// that uses Pistache. A watcher thread looks for newer index generations (live reload).
#pragma once

#include <cstdint>
#include <memory>

#include "server/config.h"

namespace passerelle {

class HttpServer {
  public:
    // Opens the index and binds the port; throws Error when either fails.
    explicit HttpServer(ServerConfig config);
    ~HttpServer();
    std::uint16_t port() const;  // the port bound (useful with port 0)
    long open_connections() const;  // client connections the server holds now
    // Serves until stop() (or SIGINT/SIGTERM in wait_for_signal()); requests in flight finish.
    void start();
    void stop();
    // Blocks SIGINT, SIGTERM and SIGPIPE in this thread and those it creates; call before
    // constructing the server, then wait_for_signal() after start().
    static void block_signals();
    static int wait_for_signal();

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace passerelle
