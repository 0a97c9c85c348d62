// GatedHttpServer: cpp-httplib's Server with a connection model that slow or
// idle clients cannot starve.
//
// cpp-httplib (0.11, as Debian ships it) gives every accepted connection a
// worker thread for its whole life: a client that opens a connection and
// sends half a request (or nothing, or idles between keep-alive requests)
// holds a worker until the read timeout, and 80 such connections were enough
// to delay /health by seconds. Here instead:
//
//  - Accepted connections wait in one epoll thread (the gate), which costs
//    no worker, until a complete request head (up to the blank line) has
//    arrived; only then does a worker read and answer the request. After the
//    answer a keep-alive connection goes back to the gate.
//  - A request head must arrive in full within `request_timeout` of the
//    connection (or of its first byte, on a kept-alive connection), however
//    slowly it trickles in; a kept-alive connection with no new request is
//    closed after `idle_timeout`.
//  - At most `max_connections_per_client` connections per client address and
//    `max_connections` in all are open; one more is answered 503 (JSON error
//    naming the limit and the option that sets it) and closed.
//
// Workers read the request (headers and any body) with one deadline, so a
// body that trickles in cannot hold a worker past `request_timeout` either.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace dossier::server {

struct ConnectionLimits {
  size_t workers = 64;                      // threads answering requests whose head has arrived
  size_t max_connections = 512;             // open connections, all clients together
  size_t max_connections_per_client = 64;   // open connections from one client address
  std::chrono::milliseconds request_timeout{5000};  // a request head must arrive within this
  std::chrono::milliseconds idle_timeout{5000};     // a kept-alive connection without a request closes after this
  std::chrono::milliseconds write_timeout{5000};    // each write of the answer must progress within this
  size_t max_requests_per_connection = 100;
};

// What the gate holds now (for tests and the log).
struct ConnectionCounts {
  size_t open = 0;     // connections open (waiting, queued or being answered)
  size_t waiting = 0;  // in the gate: no complete request head yet, or idle between requests
  size_t refused = 0;  // refused since start for a connection limit
  size_t timed_out = 0;  // closed since start by request_timeout or idle_timeout
};

class GatedHttpServer : public httplib::Server {
 public:
  // `log` receives one line when a connection is refused for a limit (at most once a second per reason).
  GatedHttpServer(ConnectionLimits limits, std::function<void(const std::string&)> log);
  ~GatedHttpServer() override;
  GatedHttpServer(const GatedHttpServer&) = delete;
  GatedHttpServer& operator=(const GatedHttpServer&) = delete;

  // Closes the connections waiting in the gate, lets the workers finish the
  // requests they have (answered with Connection: close) and joins every
  // thread. Call after listen_after_bind() has returned; idempotent.
  void ShutdownConnections();

  ConnectionCounts counts() const;

 private:
  // Called by httplib's accept loop (through an inline task queue) for each
  // accepted socket: admits it to the gate or refuses it; never blocks.
  bool process_and_close_socket(socket_t sock) override;

  struct Gate;
  std::unique_ptr<Gate> gate_;
};

}  // namespace dossier::server
