// dossierd's server (see server.h).
#include "server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "api_handlers.h"
#include "embedded_schemas.h"
#include "gated_http_server.h"
#include "ui_assets.h"

namespace dossier::server {

size_t DefaultThreads() {
  return std::max<size_t>(64, 16 * std::max(1u, std::thread::hardware_concurrency()));
}

Result<std::string> ServedOpenApi() {
  const std::map<std::string, std::string>& files = EmbeddedSchemas();
  auto openapi = files.find("openapi.json");
  if (openapi == files.end()) return Status::Internal("openapi.json was not embedded at build time");
  return BundleOpenApi(openapi->second, files);
}

struct Server::Impl {
  ServerOptions options;
  std::unique_ptr<GatedHttpServer> http_server;  // created with the options' connection limits
  std::unique_ptr<HttpApi> api;
  int listen_fd = -1;
  int port = -1;

  // The data folder: null until it opens.
  mutable std::mutex service_mutex;
  std::shared_ptr<const QueryService> service;
  Status open_error = Status::Unavailable("the data folder has not been opened yet");

  std::mutex stop_mutex;
  std::condition_variable stop_cv;
  bool stopping = false;
  std::thread store_thread;
  std::atomic<bool> listening{false};  // inside listen_after_bind
  std::mutex log_mutex;

  Result<std::shared_ptr<const QueryService>> CurrentService() const {
    std::lock_guard<std::mutex> lock(service_mutex);
    if (service) return service;
    return open_error;
  }

  void Log(const std::string& line) {
    std::lock_guard<std::mutex> lock(log_mutex);
    std::fprintf(stderr, "dossierd: %s\n", line.c_str());
    std::fflush(stderr);
  }

  // Opens the data folder when it can; true when open.
  bool TryOpen(std::string* last_error) {
    Result<std::unique_ptr<QueryService>> opened = QueryService::Open(options.data_dir, options.remote_index);
    if (opened.ok()) {
      // What the first searches would make while their users wait (the
      // facet columns: 24 ms at 10,000 entries) is made before the service
      // answers. A failure is only logged: the searches meet it themselves.
      const auto warm_start = std::chrono::steady_clock::now();
      if (Status warmed = (*opened)->Warm(); !warmed.ok()) {
        Log("warning: preparing the first searches: " + warmed.message());
      } else {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - warm_start);
        Log("prepared the first searches in " + std::to_string(ms.count()) + " ms");
      }
      std::lock_guard<std::mutex> guard(service_mutex);
      service = std::shared_ptr<const QueryService>(std::move(opened).value());
      if (!options.remote_index) {
        Log("ready: data folder " + options.data_dir + " is open");
        if (service->SearchIndexIsOlder()) {
          Log("note: the search index of " + options.data_dir +
              " was made by an older version of dossier; it answers as that version did until the next "
              "'dossier ingest', 'remove' or 'compact' on the folder re-indexes it");
        }
      } else if (Status shards = service->SearchIndexHealth(); shards.ok()) {
        Log("ready: data folder " + options.data_dir + " is open, searching " +
            std::to_string(options.remote_index->shards.size()) + " remote index shards");
      } else {
        // Documents, pages and the graph answer; searches and /ready wait for the shard.
        Log("data folder " + options.data_dir + " is open; not ready: " + shards.message() + " (retrying)");
        *last_error = shards.message();
        return true;
      }
      last_error->clear();
      return true;
    }
    Status waiting = Status::Unavailable("not ready: cannot open data folder " + options.data_dir + " yet: " +
                                         opened.status().message());
    {
      std::lock_guard<std::mutex> guard(service_mutex);
      open_error = waiting;
    }
    if (waiting.message() != *last_error) Log(waiting.message() + " (retrying)");
    *last_error = waiting.message();
    return false;
  }

  // Opens the data folder until it can, then refreshes it, every refresh_interval.
  void StoreLoop(std::string last_error) {
    std::unique_lock<std::mutex> lock(stop_mutex);
    while (!stopping) {
      lock.unlock();
      std::shared_ptr<const QueryService> current;
      {
        std::lock_guard<std::mutex> guard(service_mutex);
        current = service;
      }
      // An exception here would end the process from this thread: it is logged, and the loop goes on.
      try {
        if (!current) {
          TryOpen(&last_error);
        } else {
          Status refreshed = current->Refresh();
          if (refreshed.code() == StatusCode::kDataLoss) api->ReportDataLoss(refreshed);
          if (!refreshed.ok() && refreshed.message() != last_error) {
            Log("warning: refreshing " + options.data_dir + ": " + refreshed.message());
            last_error = refreshed.message();
          } else if (refreshed.ok()) {
            if (!last_error.empty()) Log("ready again: refreshing " + options.data_dir + " works");
            last_error.clear();
          }
        }
      } catch (const std::exception& e) {
        Log(std::string("error: the store thread: unexpected error: ") + e.what());
      } catch (...) {
        Log("error: the store thread: unexpected error");
      }
      lock.lock();
      stop_cv.wait_for(lock, options.refresh_interval, [this] { return stopping; });
    }
    lock.unlock();
    // httplib's stop() only acts on a running server: wait for listen to have started (or ended).
    while (listening && !http_server->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (listening) http_server->stop();
  }
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.options = std::move(options);
  if (s.options.threads == 0) {
    s.options.threads = DefaultThreads();
  }
  Result<std::string> openapi = ServedOpenApi();
  ApiOptions api_options;
  api_options.token = s.options.token;
  api_options.cors_origin = s.options.cors_origin;
  api_options.data_dir = s.options.data_dir;
  api_options.cache_bytes = s.options.cache_bytes;
  api_options.log = [impl = impl_.get()](const std::string& line) { impl->Log(line); };
  api_options.admission = std::make_shared<QueryAdmission>(s.options.admission);
  api_options.ui = std::make_shared<const UiAssets>(EmbeddedUiFiles());
  s.api = std::make_unique<HttpApi>([impl = impl_.get()] { return impl->CurrentService(); }, api_options,
                                    openapi.ok() ? *openapi : std::string("{}"));
  if (!openapi.ok()) s.Log("warning: " + openapi.status().message());

  ConnectionLimits limits;
  limits.workers = s.options.threads;
  limits.max_connections = s.options.max_connections;
  limits.max_connections_per_client = s.options.max_client_connections;
  limits.request_timeout = s.options.read_timeout;
  limits.idle_timeout = s.options.idle_timeout;
  limits.write_timeout = s.options.write_timeout;
  limits.max_requests_per_connection = s.options.keep_alive_max_requests;
  s.http_server = std::make_unique<GatedHttpServer>(limits, [impl = impl_.get()](const std::string& line) { impl->Log(line); });
  httplib::Server& http = *s.http_server;
  http.set_tcp_nodelay(true);
  // SO_REUSEADDR only (httplib's default SO_REUSEPORT would let a second
  // server share the port silently); remember the socket to raise its backlog.
  http.set_socket_options([impl = impl_.get()](int fd) {
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    impl->listen_fd = fd;
  });

  InstallApiHandlers(http, *s.api, s.options.access_log, [impl = impl_.get()](const std::string& line) { impl->Log(line); });
}

Server::~Server() {
  Stop();
  if (impl_->store_thread.joinable()) impl_->store_thread.join();
  impl_->http_server->ShutdownConnections();  // before the API the workers call goes away
}

Status Server::Bind() {
  Impl& s = *impl_;
  if (s.options.port < 0 || s.options.port > 65535) {
    return Status::InvalidArgument("--listen: port " + std::to_string(s.options.port) + " is out of range");
  }
  if (s.options.port == 0) {
    s.port = s.http_server->bind_to_any_port(s.options.host);
    if (s.port <= 0) return Status::Unavailable("cannot listen on " + s.options.host + " (any port)");
  } else {
    if (!s.http_server->bind_to_port(s.options.host, s.options.port)) {
      return Status::Unavailable("cannot listen on " + s.options.host + ":" + std::to_string(s.options.port) +
                                 " (address in use, or not an address of this machine)");
    }
    s.port = s.options.port;
  }
  // httplib listens with a backlog of 5; a burst of connections needs more.
  if (s.listen_fd >= 0) ::listen(s.listen_fd, SOMAXCONN);
  return Status::Ok();
}

int Server::port() const { return impl_->port; }

bool Server::ready() const { return impl_->CurrentService().ok(); }

Status Server::Run() {
  Impl& s = *impl_;
  if (s.port < 0) DOSSIER_RETURN_IF_ERROR(Bind());
  {
    std::lock_guard<std::mutex> lock(s.stop_mutex);
    if (s.stopping) return Status::Ok();
  }
  // Ready from the first request when the data folder is there already.
  std::string last_error;
  s.TryOpen(&last_error);
  s.listening = true;  // before the store thread starts, so a Stop() from now on stops the listener
  s.store_thread = std::thread([&s, last_error] { s.StoreLoop(last_error); });
  s.Log("listening on http://" + s.options.host + ":" + std::to_string(s.port) + " (data folder " + s.options.data_dir +
        ", " + std::to_string(s.options.threads) + " threads, at most " + std::to_string(s.options.max_connections) +
        " connections (" + std::to_string(s.options.max_client_connections) + " per client), " +
        (s.options.cache_bytes ? std::to_string(s.options.cache_bytes >> 20) + " MiB response cache" : "no response cache") + (s.options.token ? ", bearer token required" : "") + ")");
  const bool listened = s.http_server->listen_after_bind();
  s.listening = false;
  Stop();
  if (s.store_thread.joinable()) s.store_thread.join();
  s.http_server->ShutdownConnections();  // requests being answered finish; waiting connections close
  if (!listened) return Status::Internal("the listening socket failed");
  return Status::Ok();
}

void Server::Stop() {
  Impl& s = *impl_;
  {
    std::lock_guard<std::mutex> lock(s.stop_mutex);
    s.stopping = true;
  }
  s.stop_cv.notify_all();  // the store thread stops the HTTP server
}

}  // namespace dossier::server
