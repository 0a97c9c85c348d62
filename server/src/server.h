// dossierd's server: cpp-httplib around HttpApi, a connection gate and
// worker pool (gated_http_server.h), limits and timeouts, the access log, and
// a background thread that opens the data folder (retrying until it can) and
// then refreshes it so documents an ingest adds become visible without a
// restart.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "dossier/remote_index.h"
#include "dossier/status.h"
#include "http_api.h"

namespace dossier::server {

// Default size of the response cache (ResponseCache): 16 MiB, so that
// dossierd with every cache full stays under 300 MB on the benchmark
// archives (docs/HTTP_API.md, "Memory besides").
inline constexpr size_t kDefaultCacheBytes = size_t{16} << 20;
// Default connection limits (dossierd --read-timeout-ms, --idle-timeout-ms,
// --max-connections, --max-client-connections).
inline constexpr int kDefaultReadTimeoutMs = 5000;
inline constexpr int kDefaultIdleTimeoutMs = 5000;
inline constexpr size_t kDefaultMaxConnections = 512;
inline constexpr size_t kDefaultMaxClientConnections = 64;

struct ServerOptions {
  std::string data_dir;
  // Search the page index on these xapian-tcpsrv shards instead of the data
  // folder's own (dossierd --remote-index); none: the folder's.
  std::optional<RemoteIndex> remote_index;
  std::string host = "127.0.0.1";
  int port = 8080;                          // 0: any free port (see Server::port())
  std::optional<std::string> token;         // bearer token; none: no authentication
  std::optional<std::string> cors_origin;   // none: no CORS headers
  bool access_log = true;                   // one line per request on stderr
  size_t threads = 0;                       // 0: DefaultThreads()
  size_t cache_bytes = kDefaultCacheBytes;  // answers kept for repeated requests; 0: none
  std::chrono::milliseconds refresh_interval{1000};
  // Connections (see gated_http_server.h): a request must arrive in full
  // within read_timeout of its first byte (else 408; no body is read); a
  // kept-alive connection without a new request closes after idle_timeout;
  // each write of an answer must progress within write_timeout.
  std::chrono::milliseconds read_timeout{kDefaultReadTimeoutMs};
  std::chrono::milliseconds idle_timeout{kDefaultIdleTimeoutMs};
  std::chrono::milliseconds write_timeout{5000};
  size_t keep_alive_max_requests = 100;
  size_t max_connections = kDefaultMaxConnections;                 // open at once, all clients
  size_t max_client_connections = kDefaultMaxClientConnections;    // open at once from one address
  // Queries computed at once (0: the number of cores), waiting for a turn,
  // and how long one may wait; beyond, 503 with Retry-After (query_admission.h).
  AdmissionLimits admission;
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; InvalidArgument/Unavailable naming the address when it cannot.
  Status Bind();
  int port() const;
  // Serves until Stop() (also starts the data folder thread); joins everything before returning.
  Status Run();
  // Thread-safe; makes Run() return after the requests in progress finish.
  void Stop();
  // True once the data folder's stores are open.
  bool ready() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Worker threads when not given: max(64, 16 x cores). A worker is held only
// while a request whose head has arrived is read and answered (connections
// waiting for their request, or idle between requests, wait in the gate: see
// gated_http_server.h), so this bounds how many requests are answered at
// once; CPU-heavy work is bounded separately (searches by the text index's
// reader pool, one handle per core).
size_t DefaultThreads();

// The bundled OpenAPI document dossierd serves (schemas embedded at build time).
Result<std::string> ServedOpenApi();

}  // namespace dossier::server
