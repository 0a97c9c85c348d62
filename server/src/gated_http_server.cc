// GatedHttpServer (see gated_http_server.h).
#include "gated_http_server.h"

#include "futex.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace dossier::server {

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kReadChunk = 4096;
// The gate looks at up to this much of what a client sent; a head longer than
// this is answered 431 by the gate (a worker would wait for its end).
constexpr size_t kMaxHeadPeek = 16384;
constexpr auto kSweepInterval = std::chrono::milliseconds(100);
// A lingering close (Connection::draining) lasts at most this long, or this much input.
constexpr auto kMaxLinger = std::chrono::milliseconds(2000);
constexpr size_t kMaxDrainBytes = size_t{1} << 20;

// Runs each task at once on the caller's thread: httplib's accept loop hands
// each accepted socket to GatedHttpServer::process_and_close_socket, which
// only registers it with the gate and returns.
class InlineTaskQueue : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override {}
};

void SocketAddress(int fd, bool peer, std::string* ip, int* port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  ip->clear();
  *port = 0;
  const int rc = peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len)
                      : ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  if (rc != 0) return;
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&addr);
    ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    *port = ntohs(in->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    *port = ntohs(in6->sin6_port);
  }
  *ip = text;
}

int MillisUntil(Clock::time_point when) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(when - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, INT_MAX));
}

// True when `fd` is ready for `events` within `timeout_ms` (a hang-up or error counts: the next call reports it).
bool WaitFor(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int rc = ::poll(&p, 1, timeout_ms);
    if (rc < 0 && errno == EINTR) continue;
    return rc > 0;
  }
}

// Makes `thread` (a worker) SCHED_BATCH: woken, it waits for a
// free core or the scheduler's next tick instead of preempting the thread
// running there. Under load that thread is computing a query
// (query_admission.h), and a worker woken to read a request or to send an
// answer cut into it: 2.4 involuntary context switches a request, 0.6 with
// this; 5-10 % less CPU a search with 32 clients on the real PDFs, 7-8 % on
// the generated documents, and 7-13 % more requests a second, at the same p99
// (docs/BENCHMARKS.md, "Stop 64"). An answer that needs no computing (the
// cache, /health) waits a little longer under such load: p99 of /health
// 4 -> 5 ms. On an idle core a woken worker runs at once, as before. (The
// gate thread stays as it was: making it SCHED_BATCH too changed nothing.)
// Best effort: where the policy is refused, the thread stays as it was.
void YieldToComputingOnWakeUp(std::thread& thread) {
  sched_param param{};
  param.sched_priority = 0;
  (void)::pthread_setschedparam(thread.native_handle(), SCHED_BATCH, &param);
}

void CloseSocket(int fd) {
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

}  // namespace

// One client connection, between requests or while one is answered.
struct Connection {
  int fd = -1;
  std::string client_ip;
  int client_port = 0;
  std::string local_ip;
  int local_port = 0;
  size_t requests_left = 0;
  // Read from the socket but not yet taken by httplib (a pipelined next request).
  std::string buffered;
  size_t buffered_offset = 0;
  // When the gate gives up on it: the request timeout (from the connection, or
  // from the first byte of a kept-alive connection's next request) or the idle timeout.
  Clock::time_point deadline;
  bool request_started = false;  // some bytes of the next request have arrived
  // Answered and shut for writing: what the client still sends (a body never
  // read, the rest of a refused head) is read and dropped until it closes
  // its side or `deadline`, so closing does not reset the connection under
  // the answer it has not read yet (a lingering close). Holds no worker.
  bool draining = false;
  size_t drained = 0;

  std::string_view Unread() const { return std::string_view(buffered).substr(buffered_offset); }
};

namespace {

// The httplib::Stream a worker answers one request through: buffered reads
// that all end by one deadline; writes gathered and sent together at Flush
// (a write that would make kWriteBatch bytes or more goes out at once, with
// what waits before it), each send having to progress within the write
// timeout. A socket is only polled when it is not ready:
// the gate hands a worker a connection whose request head has arrived, and
// an answer of a few KiB fits the socket's buffer, so a request is one
// receive and one send (it was also three polls and a second send, for the
// head and the body: docs/BENCHMARKS.md, "Stop 64").
class ConnectionStream : public httplib::Stream {
 public:
  ConnectionStream(Connection& connection, Clock::time_point read_deadline, std::chrono::milliseconds write_timeout)
      : c_(connection), read_deadline_(read_deadline), write_timeout_ms_(static_cast<int>(write_timeout.count())) {}

  bool is_readable() const override {
    return c_.buffered_offset < c_.buffered.size() || WaitFor(c_.fd, POLLIN, MillisUntil(read_deadline_));
  }
  // What is written is gathered (write): it can go on unless sending failed.
  bool is_writable() const override { return !write_failed_; }

  ssize_t read(char* ptr, size_t size) override {
    if (c_.buffered_offset >= c_.buffered.size()) {
      c_.buffered.clear();
      c_.buffered_offset = 0;
      if (size >= kReadChunk) return Receive(ptr, size);
      c_.buffered.resize(kReadChunk);
      const ssize_t n = Receive(c_.buffered.data(), kReadChunk);
      c_.buffered.resize(n > 0 ? static_cast<size_t>(n) : 0);
      if (n <= 0) return n;
    }
    const size_t n = std::min(size, c_.buffered.size() - c_.buffered_offset);
    std::memcpy(ptr, c_.buffered.data() + c_.buffered_offset, n);
    c_.buffered_offset += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (write_failed_) return -1;
    if (out_.size() + size < kWriteBatch) {
      out_.append(ptr, size);
      return static_cast<ssize_t>(size);
    }
    // A large write goes out at once, after what waits (one send for both, not copied).
    return Send(ptr, size) ? static_cast<ssize_t>(size) : -1;
  }

  // Sends what was written and not yet sent; false when the connection
  // failed or a send made no progress within the write timeout.
  bool Flush() { return write_failed_ || out_.empty() ? !write_failed_ : Send(nullptr, 0); }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.client_ip;
    port = c_.client_port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.local_ip;
    port = c_.local_port;
  }
  socket_t socket() const override { return c_.fd; }

 private:
  // Receives what has arrived, waiting for some until the read deadline
  // when nothing has.
  ssize_t Receive(char* ptr, size_t size) {
    for (;;) {
      const ssize_t n = ::recv(c_.fd, ptr, size, MSG_DONTWAIT);
      if (n >= 0) return n;
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return n;
      if (!WaitFor(c_.fd, POLLIN, MillisUntil(read_deadline_))) return -1;
    }
  }

  // Sends `out_`, then `size` bytes at `more`, each send taking as much of
  // both as the socket does, waiting for room up to the write timeout each time.
  bool Send(const char* more, size_t size) {
    size_t sent = 0;
    const size_t total = out_.size() + size;
    while (!write_failed_ && sent < total) {
      iovec parts[2];
      int count = 0;
      if (sent < out_.size()) parts[count++] = {out_.data() + sent, out_.size() - sent};
      const size_t more_sent = sent > out_.size() ? sent - out_.size() : 0;
      if (size > more_sent) parts[count++] = {const_cast<char*>(more) + more_sent, size - more_sent};
      msghdr message{};
      message.msg_iov = parts;
      message.msg_iovlen = static_cast<size_t>(count);
      const ssize_t n = ::sendmsg(c_.fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        write_failed_ = !WaitFor(c_.fd, POLLOUT, write_timeout_ms_);
      } else {
        write_failed_ = true;
      }
    }
    out_.clear();
    return !write_failed_;
  }

  // Written bytes are sent once this many wait (or at Flush).
  static constexpr size_t kWriteBatch = size_t{64} << 10;
  Connection& c_;
  Clock::time_point read_deadline_;
  int write_timeout_ms_;
  std::string out_;
  bool write_failed_ = false;
};

}  // namespace

struct GatedHttpServer::Gate {
  GatedHttpServer* server = nullptr;
  ConnectionLimits limits;
  std::function<void(const std::string&)> log;
  int epoll_fd = -1;
  int wake_fd = -1;

  mutable std::mutex mutex;
  std::unordered_map<int, std::unique_ptr<Connection>> waiting;  // registered with epoll
  std::deque<std::unique_ptr<Connection>> ready;                 // a complete head arrived: for a worker
  // The idle workers, each asleep on its own futex (`woken`), the most
  // recently idle last: a connection wakes the worker that ran last (its
  // stack and caches warm), not the one idle longest, and only one. The
  // connection is handed to it (`given`) under the lock, and it is woken
  // after the lock is released (NotifyWoken): it takes the connection
  // without the lock, which the gate thread or a worker parking a
  // connection often held then (the unlock had a waiter to wake about once
  // a request under load: docs/BENCHMARKS.md, "Stop 64"). Each worker's is
  // the gate's (`worker_slots`, one a worker, as long as the gate), so a
  // wake-up may come after its worker saw `woken` and went on: it then
  // finds `woken` 0 and sleeps again.
  struct IdleWorker {
    std::atomic<uint32_t> woken{0};  // 1: `given` is its (none: stopping)
    std::unique_ptr<Connection> given;
    bool given_closing = false;  // handed over while the server stopped
  };
  std::vector<std::unique_ptr<IdleWorker>> worker_slots;
  std::vector<IdleWorker*> idle_workers;
  std::unordered_map<std::string, size_t> open_per_client;
  size_t open = 0;
  size_t refused = 0;
  size_t timed_out = 0;
  bool stopping = false;
  Clock::time_point last_refusal_log{};

  std::thread gate_thread;
  std::vector<std::thread> workers;

  // Closes a connection the gate admitted and forgets it in the counts.
  void Close(std::unique_ptr<Connection> connection) {
    CloseSocket(connection->fd);
    std::lock_guard<std::mutex> lock(mutex);
    ReleaseLocked(connection->client_ip);
  }

  void ReleaseLocked(const std::string& client) {
    if (open > 0) --open;
    auto it = open_per_client.find(client);
    if (it != open_per_client.end() && --it->second == 0) open_per_client.erase(it);
  }

  // A complete HTTP answer carrying the JSON error {"error": {"code", "message"}}, with Connection: close.
  static std::string ErrorAnswer(const char* status_line, const char* code, const std::string& message,
                                 bool retry_after) {
    nlohmann::json error = {{"error", {{"code", code}, {"message", message}}}};
    const std::string body = error.dump();
    return std::string("HTTP/1.1 ") + status_line + "\r\n" +
           "Content-Type: application/json; charset=utf-8\r\n" + (retry_after ? "Retry-After: 1\r\n" : "") +
           "Connection: close\r\n"
           "Content-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  }

  // Answers 503 without waiting for the request and closes the socket.
  void Refuse(int fd, const std::string& message) {
    const std::string response = ErrorAnswer("503 Service Unavailable", "unavailable", message, true);
    (void)::send(fd, response.data(), response.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    ::shutdown(fd, SHUT_WR);
    ::close(fd);
  }

  // Sends `answer` (without blocking: it is small, and a client that does not
  // take it loses it) and shuts the connection for writing; the caller then
  // drains and closes it (Linger).
  static void SendFinal(const Connection& connection, const std::string& answer) {
    (void)::send(connection.fd, answer.data(), answer.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    ::shutdown(connection.fd, SHUT_WR);
  }

  // Under `mutex`, or for a connection no other thread can see: turns it into
  // a lingering close (see Connection::draining) ending by `until` at the latest.
  void StartLingerLocked(Connection& connection, Clock::time_point until) {
    connection.draining = true;
    connection.drained = 0;
    connection.buffered.clear();
    connection.buffered_offset = 0;
    connection.deadline = std::min(until, Clock::now() + kMaxLinger);
  }

  // Reads and drops what the client sent; true when the connection is done
  // (the client closed its side, an error, or enough was dropped).
  static bool Drain(Connection& connection, std::vector<char>& scratch) {
    for (;;) {
      ssize_t got;
      do {
        got = ::recv(connection.fd, scratch.data(), scratch.size(), MSG_DONTWAIT);
      } while (got < 0 && errno == EINTR);
      if (got < 0) return !(errno == EAGAIN || errno == EWOULDBLOCK);
      if (got == 0) return true;
      connection.drained += static_cast<size_t>(got);
      if (connection.drained > kMaxDrainBytes) return true;
    }
  }

  // Takes a new socket from the accept loop: admits it, or refuses it for a limit.
  void Admit(int fd) {
    auto connection = std::make_unique<Connection>();
    connection->fd = fd;
    SocketAddress(fd, true, &connection->client_ip, &connection->client_port);
    std::string refusal;
    bool log_refusal = false;
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (stopping) {
        ::close(fd);
        return;
      }
      size_t& from_client = open_per_client[connection->client_ip];
      if (from_client >= limits.max_connections_per_client) {
        refusal = "too many connections from " + connection->client_ip + ": at most " +
                  std::to_string(limits.max_connections_per_client) +
                  " open at once from one address (dossierd --max-client-connections)";
      } else if (open >= limits.max_connections) {
        refusal = "too many connections: at most " + std::to_string(limits.max_connections) +
                  " open at once (dossierd --max-connections)";
      }
      if (!refusal.empty()) {
        if (from_client == 0) open_per_client.erase(connection->client_ip);
        ++refused;
        const Clock::time_point now = Clock::now();
        if (now - last_refusal_log >= std::chrono::seconds(1)) {
          last_refusal_log = now;
          log_refusal = true;
        }
      } else {
        ++from_client;
        ++open;
      }
    }
    if (!refusal.empty()) {
      if (log_refusal && log) log("refused a connection: " + refusal + " (" + std::to_string(refused) + " so far)");
      Refuse(fd, refusal);
      return;
    }
    SocketAddress(fd, false, &connection->local_ip, &connection->local_port);
    connection->requests_left = std::max<size_t>(1, limits.max_requests_per_connection);
    connection->request_started = true;  // a new connection's request is due within the request timeout
    connection->deadline = Clock::now() + limits.request_timeout;
    Park(std::move(connection));
  }

  // Puts a connection in the gate until its next request head has arrived (or
  // straight to the workers when it is already here).
  void Park(std::unique_ptr<Connection> connection) {
    if (!connection->draining && connection->Unread().find("\r\n\r\n") != std::string_view::npos) {
      Dispatch(std::move(connection));
      return;
    }
    std::unique_lock<std::mutex> lock(mutex);
    if (stopping) {
      lock.unlock();
      Close(std::move(connection));
      return;
    }
    const int fd = connection->fd;
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
    event.data.fd = fd;
    waiting[fd] = std::move(connection);
    if (::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) != 0) {
      std::unique_ptr<Connection> failed = std::move(waiting[fd]);
      waiting.erase(fd);
      lock.unlock();
      Close(std::move(failed));
    }
  }

  void Dispatch(std::unique_ptr<Connection> connection) {
    std::vector<IdleWorker*> woken;
    {
      std::lock_guard<std::mutex> lock(mutex);
      ready.push_back(std::move(connection));
      HandOverLocked(&woken);
    }
    NotifyWoken(woken);
  }

  // Under `mutex`: hands the ready connections, first come first, to the
  // idle workers, the most recently idle first, and adds those to `woken`,
  // to be woken once the lock is released (NotifyWoken). What is left waits
  // in `ready` for a worker to finish.
  void HandOverLocked(std::vector<IdleWorker*>* woken) {
    while (!ready.empty() && !idle_workers.empty()) {
      IdleWorker* worker = idle_workers.back();
      idle_workers.pop_back();
      worker->given = std::move(ready.front());
      ready.pop_front();
      worker->given_closing = stopping;
      worker->woken.store(1, std::memory_order_release);
      woken->push_back(worker);
    }
  }
  static void NotifyWoken(const std::vector<IdleWorker*>& woken) {
    for (IdleWorker* worker : woken) FutexWakeOne(&worker->woken);
  }

  // Under `mutex`: takes `fd` out of the gate.
  std::unique_ptr<Connection> TakeLocked(int fd) {
    auto it = waiting.find(fd);
    if (it == waiting.end()) return nullptr;
    std::unique_ptr<Connection> connection = std::move(it->second);
    waiting.erase(it);
    ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
    return connection;
  }

  // The gate thread: moves connections whose request head is complete to the
  // workers; answers 408 to those whose request is not complete by its
  // deadline and 431 to a head too long to be one; closes those that hang up,
  // idle too long or finish a lingering close.
  void GateLoop() {
    std::vector<epoll_event> events(256);
    std::vector<char> peek(kMaxHeadPeek);
    Clock::time_point last_sweep = Clock::now();
    std::vector<IdleWorker*> woken;
    for (;;) {
      const int n = ::epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()),
                                 static_cast<int>(kSweepInterval.count()));
      std::vector<std::unique_ptr<Connection>> to_close;
      size_t dispatched = 0;
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (stopping) return;
        const Clock::time_point now = Clock::now();
        for (int i = 0; i < n; ++i) {
          const int fd = events[i].data.fd;
          if (fd == wake_fd) continue;
          auto it = waiting.find(fd);
          if (it == waiting.end()) continue;
          Connection& c = *it->second;
          if (c.draining) {
            if (Drain(c, peek)) to_close.push_back(TakeLocked(fd));
            continue;
          }
          ssize_t got;
          do {
            got = ::recv(fd, peek.data(), peek.size(), MSG_PEEK | MSG_DONTWAIT);
          } while (got < 0 && errno == EINTR);
          if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) continue;
          if (got <= 0) {  // the client went away (or the socket failed)
            to_close.push_back(TakeLocked(fd));
            continue;
          }
          if (!c.request_started) {  // the first byte of a kept-alive connection's next request
            c.request_started = true;
            c.deadline = now + limits.request_timeout;
          }
          std::string head(c.Unread());
          head.append(peek.data(), static_cast<size_t>(got));
          const bool complete = head.find("\r\n\r\n") != std::string::npos;
          if (!complete && static_cast<size_t>(got) >= peek.size()) {
            // No head is this long (httplib takes lines of up to 8 KiB): a
            // worker would only wait for the rest of it. Refused here.
            SendFinal(c, ErrorAnswer("431 Request Header Fields Too Large", "resource_exhausted",
                                     "request head too large (the limit is " + std::to_string(kMaxHeadPeek) +
                                         " bytes up to the blank line)",
                                     false));
            StartLingerLocked(c, now + kMaxLinger);
            if (Drain(c, peek)) to_close.push_back(TakeLocked(fd));
            continue;
          }
          // A client that will send no more (it shut its side) gets httplib's
          // answer to what it did send (400 for half a request), as before.
          if (complete || (events[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))) {
            ready.push_back(TakeLocked(fd));
            ++dispatched;
          }
        }
        if (now - last_sweep >= kSweepInterval) {
          last_sweep = now;
          std::vector<int> expired;
          for (const auto& [fd, connection] : waiting) {
            if (now >= connection->deadline) expired.push_back(fd);
          }
          for (int fd : expired) {
            Connection& c = *waiting[fd];
            if (c.draining || !c.request_started) {  // a lingering close ends; an idle connection closes
              to_close.push_back(TakeLocked(fd));
              continue;
            }
            // A request (head) still incomplete at its deadline, however slowly its bytes came.
            ++timed_out;
            SendFinal(c, ErrorAnswer("408 Request Timeout", "deadline_exceeded",
                                     "the request did not arrive in full within " +
                                         std::to_string(limits.request_timeout.count()) +
                                         " ms (dossierd --read-timeout-ms)",
                                     false));
            StartLingerLocked(c, now + kMaxLinger);
            if (Drain(c, peek)) to_close.push_back(TakeLocked(fd));
          }
        }
        woken.clear();
        if (dispatched > 0) HandOverLocked(&woken);  // a worker for each connection dispatched, if idle
      }
      NotifyWoken(woken);
      for (auto& connection : to_close) Close(std::move(connection));
    }
  }

  void WorkerLoop(IdleWorker& self) {
    for (;;) {
      std::unique_ptr<Connection> connection;
      bool closing;
      {
        std::unique_lock<std::mutex> lock(mutex);
        if (ready.empty() && !stopping) {
          self.woken.store(0, std::memory_order_relaxed);
          idle_workers.push_back(&self);
          lock.unlock();
          while (self.woken.load(std::memory_order_acquire) == 0) FutexWait(&self.woken, 0);
          if (!self.given) continue;  // woken to stop: looks at `ready` and `stopping` again
          connection = std::move(self.given);
          closing = self.given_closing;
        } else {
          if (ready.empty()) return;  // stopping, and nothing left to answer
          connection = std::move(ready.front());
          ready.pop_front();
          closing = stopping;
        }
      }
      Serve(std::move(connection), closing);
    }
  }

  // Answers the one request whose head has arrived, then parks or closes the connection.
  void Serve(std::unique_ptr<Connection> connection, bool closing) {
    // The request's own deadline (set in the gate from its first byte): the
    // head is all here already, and no body is read (see server.cc), so a
    // worker does not wait on a client's bytes; should it, not past this.
    ConnectionStream stream(*connection, connection->deadline, limits.write_timeout);
    const bool last = closing || connection->requests_left <= 1;
    bool client_closes = false;
    bool unread_body = false;
    // No request body is read (the API takes none; server.cc answers such a
    // request from its head): what follows the head is not a request, so the
    // connection ends here, with a lingering close.
    const auto note_request = [&unread_body](httplib::Request& req) {
      unread_body = req.has_header("Transfer-Encoding") ||
                    (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0");
    };
    bool answered = false;
    try {
      answered = server->process_request(stream, last, client_closes, note_request);
    } catch (...) {
      answered = false;  // httplib's own handlers catch what routes throw; this is a last resort
    }
    // (Also what an unanswered request wrote: httplib's 400 for a bad head.)
    if (!stream.Flush()) answered = false;
    --connection->requests_left;
    bool stop_now;
    {
      std::lock_guard<std::mutex> lock(mutex);
      stop_now = stopping;
    }
    if (answered && unread_body && !stop_now) {
      // Answered without reading the body: drop it in the gate until the
      // client stops sending, so closing does not reset the connection under
      // the answer (the client may still be writing the body it announced).
      ::shutdown(connection->fd, SHUT_WR);
      StartLingerLocked(*connection, Clock::now() + kMaxLinger);
      Park(std::move(connection));
      return;
    }
    if (!answered || last || client_closes || unread_body || stop_now) {
      Close(std::move(connection));
      return;
    }
    // Kept alive: drop what was consumed, wait for the next request in the gate.
    connection->buffered.erase(0, connection->buffered_offset);
    connection->buffered_offset = 0;
    connection->request_started = !connection->buffered.empty();
    connection->deadline = Clock::now() + (connection->request_started ? limits.request_timeout : limits.idle_timeout);
    Park(std::move(connection));
  }
};

GatedHttpServer::GatedHttpServer(ConnectionLimits limits, std::function<void(const std::string&)> log)
    : gate_(std::make_unique<Gate>()) {
  Gate& g = *gate_;
  g.server = this;
  g.limits = limits;
  g.limits.workers = std::max<size_t>(1, g.limits.workers);
  g.log = std::move(log);
  g.epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  g.wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (g.epoll_fd >= 0 && g.wake_fd >= 0) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = g.wake_fd;
    ::epoll_ctl(g.epoll_fd, EPOLL_CTL_ADD, g.wake_fd, &event);
  }
  new_task_queue = [] { return new InlineTaskQueue; };
  set_read_timeout(std::chrono::duration_cast<std::chrono::seconds>(limits.request_timeout).count(),
                   (limits.request_timeout.count() % 1000) * 1000);
  set_write_timeout(std::chrono::duration_cast<std::chrono::seconds>(limits.write_timeout).count(),
                    (limits.write_timeout.count() % 1000) * 1000);
  for (size_t i = 0; i < g.limits.workers; ++i) g.worker_slots.push_back(std::make_unique<Gate::IdleWorker>());
  // (Named for top -H, perf and gdb: "dossierd-gate", "dossierd-http".)
  g.gate_thread = std::thread([&g] { g.GateLoop(); });
  ::pthread_setname_np(g.gate_thread.native_handle(), "dossierd-gate");
  for (size_t i = 0; i < g.limits.workers; ++i) {
    std::thread& worker = g.workers.emplace_back([&g, &self = *g.worker_slots[i]] { g.WorkerLoop(self); });
    ::pthread_setname_np(worker.native_handle(), "dossierd-http");
    YieldToComputingOnWakeUp(worker);
  }
}

GatedHttpServer::~GatedHttpServer() {
  ShutdownConnections();
  if (gate_->epoll_fd >= 0) ::close(gate_->epoll_fd);
  if (gate_->wake_fd >= 0) ::close(gate_->wake_fd);
}

void GatedHttpServer::ShutdownConnections() {
  Gate& g = *gate_;
  std::vector<std::unique_ptr<Connection>> parked;
  {
    std::lock_guard<std::mutex> lock(g.mutex);
    if (g.stopping && !g.gate_thread.joinable()) return;
    g.stopping = true;
    std::vector<int> fds;
    for (const auto& [fd, connection] : g.waiting) fds.push_back(fd);
    for (int fd : fds) parked.push_back(g.TakeLocked(fd));
  }
  std::vector<Gate::IdleWorker*> idle;
  {
    std::lock_guard<std::mutex> lock(g.mutex);
    // Each is woken with no connection, and sees `stopping`.
    idle.swap(g.idle_workers);
    for (Gate::IdleWorker* worker : idle) worker->woken.store(1, std::memory_order_release);
  }
  Gate::NotifyWoken(idle);
  const uint64_t one = 1;
  if (g.wake_fd >= 0) (void)::write(g.wake_fd, &one, sizeof one);
  for (auto& connection : parked) g.Close(std::move(connection));
  if (g.gate_thread.joinable()) g.gate_thread.join();
  for (std::thread& worker : g.workers) {
    if (worker.joinable()) worker.join();
  }
  g.workers.clear();
}

ConnectionCounts GatedHttpServer::counts() const {
  std::lock_guard<std::mutex> lock(gate_->mutex);
  return ConnectionCounts{gate_->open, gate_->waiting.size(), gate_->refused, gate_->timed_out};
}

bool GatedHttpServer::process_and_close_socket(socket_t sock) {
  gate_->Admit(sock);
  return true;
}

}  // namespace dossier::server
