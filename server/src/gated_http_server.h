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
//    arrived; only then does a worker read and answer the request: the one
//    that went idle last, so the few workers a load needs stay warm. After
//    the answer a keep-alive connection goes back to the gate.
//  - A request must arrive in full within `request_timeout` of its first
//    byte (of the connection, for a new one), however slowly it trickles in;
//    one that has not is answered 408 (JSON error) and closed. A head longer
//    than 16 KiB is answered 431 by the gate. A kept-alive connection with
//    no new request is closed after `idle_timeout`.
//  - At most `max_connections_per_client` connections per client address and
//    `max_connections` in all are open; one more is answered 503 (JSON error
//    naming the limit and the option that sets it) and closed.
//
// No request body is read (dossierd's API takes none: server.cc answers a
// request with a body from its head, 405, 404, 401 or 413); its connection
// then ends with a lingering close in the gate: shut for writing, what the
// client still sends dropped, closed when the client closes or after 2 s at
// most. So a worker never waits for a client's bytes: it is given a request
// whose head is all here, and (as a last guard) reads it by the request's
// deadline. Only writing the answer can wait on the client: each write must
// progress within `write_timeout`.
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
  std::chrono::milliseconds request_timeout{5000};  // a request must arrive in full within this of its first byte
  std::chrono::milliseconds idle_timeout{5000};     // a kept-alive connection without a request closes after this
  std::chrono::milliseconds write_timeout{5000};    // each write of the answer must progress within this
  size_t max_requests_per_connection = 100;
};

// What the gate holds now (for tests and the log).
struct ConnectionCounts {
  size_t open = 0;     // connections open (waiting, queued or being answered)
  size_t waiting = 0;  // in the gate: no complete request head yet, or idle between requests
  size_t refused = 0;  // refused since start for a connection limit
  size_t timed_out = 0;  // answered 408 since start: a request not in full within request_timeout
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
