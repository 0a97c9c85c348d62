// dossierd: the HTTP JSON API over a data folder (see README.md, "HTTP API").
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "dossier/paths.h"
#include "src/allocator_tuning.h"
#include "src/mapped_index_reads.h"
#include "src/server.h"

namespace {

using namespace dossier;

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitEnvironment = 3;

int Fail(const Status& status, int code) {
  std::cerr << "dossierd: error: " << status.message() << "\n";
  return code;
}

// "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:0" (any free port).
Status ParseListen(const std::string& text, std::string* host, int* port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return Status::InvalidArgument("--listen: expected HOST:PORT, got '" + text + "'");
  }
  *host = text.substr(0, colon);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') *host = host->substr(1, host->size() - 2);
  const std::string digits = text.substr(colon + 1);
  if (digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos || std::stoi(digits) > 65535) {
    return Status::InvalidArgument("--listen: port must be 0-65535, got '" + digits + "'");
  }
  *port = std::stoi(digits);
  return Status::Ok();
}

Result<std::string> ReadToken(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::PermissionDenied("--token-file: cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front()))) token.erase(0, 1);
  if (token.empty()) return Status::InvalidArgument("--token-file: " + path + " is empty");
  if (token.find_first_of(" \t\r\n") != std::string::npos) {
    return Status::InvalidArgument("--token-file: " + path + ": the token must be one line without spaces");
  }
  return token;
}

// Each connection is a file descriptor; the stores need some too. Raises the
// soft limit towards the hard one when --max-connections needs it, and warns
// when even the hard limit is too low.
void RaiseOpenFileLimit(size_t max_connections) {
  constexpr rlim_t kForStores = 512;
  const rlim_t wanted = static_cast<rlim_t>(max_connections) + kForStores;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= wanted) return;
  const rlim_t raised = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
  if (raised > limit.rlim_cur) {
    limit.rlim_cur = raised;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
  if (raised < wanted) {
    std::fprintf(stderr,
                 "dossierd: warning: --max-connections %zu needs about %llu open files, but the limit is %llu "
                 "(ulimit -n): connections beyond it wait to be accepted\n",
                 max_connections, static_cast<unsigned long long>(wanted), static_cast<unsigned long long>(raised));
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Before anything else (no thread, no file, no output yet): a new start
  // with glibc's thread caches sized for searches (src/allocator_tuning.h).
  server::RestartWithAllocatorTuning(argv);
  // Started again through /proc/self/exe, the process is named "exe": its
  // own name back, for ps, top and pgrep.
  ::prctl(PR_SET_NAME, "dossierd", 0, 0, 0);
  CLI::App app{"dossierd: the Dossier HTTP JSON API (GET /openapi.json describes it)"};
  std::string data_dir = DefaultDataDir(), listen = "127.0.0.1:8080", token_file, cors_origin;
  bool quiet = false;
  uint64_t map_index_mb = 512;
  size_t threads = 0;
  uint32_t refresh_ms = 1000;
  size_t cache_mb = server::kDefaultCacheBytes >> 20;
  uint32_t read_timeout_ms = server::kDefaultReadTimeoutMs, idle_timeout_ms = server::kDefaultIdleTimeoutMs;
  size_t max_connections = server::kDefaultMaxConnections;
  size_t max_client_connections = server::kDefaultMaxClientConnections;
  server::AdmissionLimits options_admission;
  uint32_t queue_wait_ms = static_cast<uint32_t>(options_admission.max_wait.count());
  std::string remote_index;
  uint32_t remote_timeout_ms = static_cast<uint32_t>(kDefaultRemoteTimeout.count());
  app.add_option("--data", data_dir, "Data folder (default: $DOSSIER_DATA, else $XDG_DATA_HOME/dossier)")
      ->capture_default_str();
  app.add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)")->capture_default_str();
  app.add_option("--token-file", token_file, "Require 'Authorization: Bearer TOKEN' (TOKEN read from FILE) except on /health");
  app.add_option("--cors-origin", cors_origin, "Allow browser requests from this origin (e.g. https://app.example.org, or *)");
  app.add_flag("-q,--quiet", quiet, "No access log on stderr");
  app.add_option("--threads", threads,
                 "Worker threads: requests answered at once (default: max(64, 16 x cores); connections waiting for "
                 "a request hold none)");
  app.add_option("--read-timeout-ms", read_timeout_ms,
                 "A client must send its whole request within this many milliseconds of its first byte, however "
                 "slowly the bytes come, or it is answered 408 and its connection closed (no request body is read: "
                 "a request with one is answered from its head and its connection closed)")
      ->check(CLI::Range(100u, 600000u))
      ->capture_default_str();
  app.add_option("--idle-timeout-ms", idle_timeout_ms,
                 "A kept-alive connection with no new request is closed after this many milliseconds")
      ->check(CLI::Range(100u, 600000u))
      ->capture_default_str();
  app.add_option("--max-connections", max_connections,
                 "Connections open at once, all clients together; one more is answered 503 and closed")
      ->check(CLI::Range(size_t{1}, size_t{100000}))
      ->capture_default_str();
  app.add_option("--max-client-connections", max_client_connections,
                 "Connections open at once from one client address; one more is answered 503 and closed")
      ->check(CLI::Range(size_t{1}, size_t{100000}))
      ->capture_default_str();
  app.add_option("--max-active-queries", options_admission.max_active,
                 "Queries computed at once (answers from the cache do not count); 0: the number of cores")
      ->check(CLI::Range(size_t{0}, size_t{4096}))
      ->capture_default_str();
  app.add_option("--max-queued-queries", options_admission.max_waiting,
                 "Queries waiting for a turn beyond those; one more is answered 503 with Retry-After")
      ->check(CLI::Range(size_t{0}, size_t{100000}))
      ->capture_default_str();
  app.add_option("--queue-wait-ms", queue_wait_ms,
                 "How long a query may wait for a turn before it is answered 503 with Retry-After")
      ->check(CLI::Range(1u, 600000u))
      ->capture_default_str();
  app.add_option("--cache-mb", cache_mb,
                 "Memory for answers to repeated requests, dropped when an ingest commits (0: no cache)")
      ->check(CLI::Range(size_t{0}, size_t{65536}))
      ->capture_default_str();
  app.add_option("--refresh-ms", refresh_ms, "How often to look for what an ingest added (milliseconds)")
      ->check(CLI::Range(100u, 60000u))
      ->capture_default_str();
  app.add_option("--remote-index", remote_index,
                 "HOST:PORT[,HOST:PORT...]: search the page index on these xapian-tcpsrv shards (one per shard data "
                 "folder's xapian/) as one database, instead of the data folder's own; documents, pages, facts, "
                 "graph and item search still come from --data. A shard that does not answer makes searches and "
                 "/ready answer 503 naming it");
  app.add_option("--remote-timeout-ms", remote_timeout_ms,
                 "With --remote-index: a connection to a shard, and each exchange with it, must complete within "
                 "this many milliseconds, or the shard counts as down")
      ->check(CLI::Range(100u, 600000u))
      ->capture_default_str();
  app.add_option("--map-index-mb", map_index_mb,
                 "Read the index's files from read-only mappings of at most this many MiB in all, instead of with "
                 "a system call for each 8 KB block (docs/HTTP_API.md, \"Index reads\"); 0: no mappings")
      ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 30))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }

  server::ServerOptions options;
  options.data_dir = AbsolutePath(data_dir);
  if (!remote_index.empty() || app.count("--remote-index") > 0) {
    Result<std::vector<RemoteShard>> shards = ParseRemoteShards(remote_index);
    if (!shards.ok()) return Fail(shards.status(), kExitUsage);
    options.remote_index = RemoteIndex{*shards, std::chrono::milliseconds(remote_timeout_ms)};
  }
  if (Status s = ParseListen(listen, &options.host, &options.port); !s.ok()) return Fail(s, kExitUsage);
  if (!token_file.empty()) {
    Result<std::string> token = ReadToken(token_file);
    if (!token.ok()) return Fail(token.status(), kExitEnvironment);
    options.token = *token;
  }
  if (!cors_origin.empty()) options.cors_origin = cors_origin;
  options.access_log = !quiet;
  options.threads = threads;
  options.cache_bytes = cache_mb << 20;
  options.admission = options_admission;
  options.admission.max_wait = std::chrono::milliseconds(queue_wait_ms);
  options.refresh_interval = std::chrono::milliseconds(refresh_ms);
  options.read_timeout = std::chrono::milliseconds(read_timeout_ms);
  options.idle_timeout = std::chrono::milliseconds(idle_timeout_ms);
  options.max_connections = max_connections;
  options.max_client_connections = max_client_connections;
  RaiseOpenFileLimit(max_connections);
  if (map_index_mb > 0) {
    // The data folder's indexes (xapian/, xapian-items/, and those a
    // compaction swaps in) are read from mappings (src/mapped_index_reads.h).
    std::string why;
    if (!server::EnableMappedIndexReads({options.data_dir}, map_index_mb << 20, &why)) {
      std::fprintf(stderr, "dossierd: warning: the index is read without mappings: %s\n", why.c_str());
    }
  }

  // SIGINT/SIGTERM are taken by one thread (sigwait), which stops the server;
  // every other thread inherits the blocked mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  server::Server server(options);
  if (Status s = server.Bind(); !s.ok()) return Fail(s, kExitEnvironment);

  std::atomic<bool> done{false};
  std::thread signal_thread([&] {
    const timespec tick = {0, 200 * 1000 * 1000};
    while (!done) {
      siginfo_t info;
      int sig = sigtimedwait(&stop_signals, &info, &tick);
      if (sig == SIGINT || sig == SIGTERM) {
        std::fprintf(stderr, "dossierd: %s: shutting down\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
        server.Stop();
        return;
      }
    }
  });
  Status run = server.Run();
  done = true;
  signal_thread.join();
  if (!run.ok()) return Fail(run, kExitEnvironment);
  std::fprintf(stderr, "dossierd: stopped\n");
  return kExitOk;
}
