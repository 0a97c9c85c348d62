// The gated server's workers (gated_http_server.h), in process: a request
// goes to the worker that went idle last, so a server with many workers
// answers one client's requests on one warm thread rather than on each
// worker in turn; the threads are named, and the workers yield to the
// computing threads on waking; an answer is gathered and sent whole, to a
// client that reads it late too, and one that never reads it frees its
// worker at the write timeout.
#include "src/gated_http_server.h"
#include "server_process.h"

#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>

namespace dossier::server {
namespace {

TEST(GatedHttpServerTest, RequestsOneAfterAnotherGoToTheWorkerThatWentIdleLast) {
  ConnectionLimits limits;
  limits.workers = 8;
  GatedHttpServer server(limits, [](const std::string&) {});
  server.Get("/who", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id())), "text/plain");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  std::thread listener([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::set<std::string> threads;
  for (int i = 0; i < 24; ++i) {
    httplib::Client client("127.0.0.1", port);  // a new connection each time, as well
    httplib::Result answer = client.Get("/who");
    ASSERT_TRUE(answer) << "request " << i;
    ASSERT_EQ(answer->status, 200);
    threads.insert(answer->body);
    // The worker goes idle just after its answer is sent: let it.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // Waking the worker idle longest (first in, first out) used all eight.
  EXPECT_LE(threads.size(), 2u) << "24 requests, one at a time, on " << threads.size() << " of the 8 workers";
  server.stop();
  listener.join();
  server.ShutdownConnections();
}

// A server on a port of its own, listening on a thread of its own.
class RunningServer {
 public:
  RunningServer(ConnectionLimits limits, const std::function<void(GatedHttpServer&)>& routes)
      : server_(limits, [](const std::string&) {}) {
    routes(server_);
    port_ = server_.bind_to_any_port("127.0.0.1");
    listener_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~RunningServer() {
    server_.stop();
    listener_.join();
    server_.ShutdownConnections();
  }
  int port() const { return port_; }

 private:
  GatedHttpServer server_;
  int port_ = 0;
  std::thread listener_;
};

using testing::ConnectToLoopback;

// Routes for the large-answer tests: /big answers `big`, /ok answers "ok".
void BigAndOkRoutes(GatedHttpServer& s, const std::string& big) {
  s.Get("/big", [&big](const httplib::Request&, httplib::Response& res) { res.set_content(big, "text/plain"); });
  s.Get("/ok", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
}

// Reads one answer (head and Content-Length bytes of body) from `fd`; its body, or "" on a short read.
std::string ReadAnswerBody(int fd) {
  std::string got;
  char chunk[65536];
  size_t head_end = std::string::npos, length = 0;
  for (;;) {
    if (head_end == std::string::npos && (head_end = got.find("\r\n\r\n")) != std::string::npos) {
      const size_t at = got.find("Content-Length: ");
      if (at == std::string::npos || at > head_end) return "";
      length = std::stoul(got.substr(at + 16));
      head_end += 4;
    }
    if (head_end != std::string::npos && got.size() >= head_end + length) return got.substr(head_end, length);
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return "";
    got.append(chunk, static_cast<size_t>(n));
  }
}

// The names and scheduling policies of this process's threads: name -> policies seen.
std::map<std::string, std::multiset<int>> ThreadsByName() {
  std::map<std::string, std::multiset<int>> threads;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    std::getline(comm, name);
    const int policy = ::sched_getscheduler(static_cast<pid_t>(std::stoi(task.path().filename().string())));
    threads[name].insert(policy);
  }
  return threads;
}

// The workers and the gate are named for top -H and perf; the workers are
// SCHED_BATCH (a woken worker does not preempt a thread computing a
// query), the gate is not.
TEST(GatedHttpServerTest, TheThreadsAreNamedAndTheWorkersYieldOnWakingUp) {
  ConnectionLimits limits;
  limits.workers = 6;
  RunningServer server(limits, [](GatedHttpServer& s) {
    s.Get("/ok", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
  });
  httplib::Client client("127.0.0.1", server.port());
  ASSERT_TRUE(client.Get("/ok"));
  const auto threads = ThreadsByName();
  ASSERT_TRUE(threads.count("dossierd-http"));
  ASSERT_TRUE(threads.count("dossierd-gate"));
  EXPECT_EQ(threads.at("dossierd-http").size(), 6u);
  EXPECT_EQ(threads.at("dossierd-http").count(SCHED_BATCH), 6u) << "every worker is SCHED_BATCH";
  EXPECT_EQ(threads.at("dossierd-gate"), std::multiset<int>{SCHED_OTHER});
}

// An answer larger than the socket takes at once, to a client that reads
// it only later: gathered, sent in parts as the socket drains, whole; the
// connection then answers its next request.
TEST(GatedHttpServerTest, ALargeAnswerArrivesWholeToAClientThatReadsItLate) {
  std::string big(6 << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + (i * 7 + i / 4093) % 26);
  ConnectionLimits limits;
  limits.workers = 2;
  RunningServer server(limits, [&big](GatedHttpServer& s) { BigAndOkRoutes(s, big); });
  const int fd = ConnectToLoopback(server.port());
  ASSERT_GE(fd, 0);
  const std::string request = "GET /big HTTP/1.1\r\nHost: test\r\n\r\n";
  ASSERT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the server fills the socket and waits
  const std::string body = ReadAnswerBody(fd);
  EXPECT_EQ(body.size(), big.size());
  EXPECT_TRUE(body == big) << "the answer's bytes differ";
  const std::string next = "GET /ok HTTP/1.1\r\nHost: test\r\n\r\n";
  ASSERT_EQ(::send(fd, next.data(), next.size(), 0), static_cast<ssize_t>(next.size()));
  EXPECT_EQ(ReadAnswerBody(fd), "ok");
  ::close(fd);
}

// A client that never reads a large answer holds its worker no longer than
// the write timeout: the one worker then answers another client.
TEST(GatedHttpServerTest, AClientThatNeverReadsFreesTheWorkerAtTheWriteTimeout) {
  const std::string big(64 << 20, 'x');
  ConnectionLimits limits;
  limits.workers = 1;
  limits.write_timeout = std::chrono::milliseconds(300);
  RunningServer server(limits, [&big](GatedHttpServer& s) { BigAndOkRoutes(s, big); });
  const int stuck = ConnectToLoopback(server.port());
  ASSERT_GE(stuck, 0);
  const std::string request = "GET /big HTTP/1.1\r\nHost: test\r\n\r\n";
  ASSERT_EQ(::send(stuck, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the worker is sending to it
  const auto start = std::chrono::steady_clock::now();
  httplib::Client other("127.0.0.1", server.port());
  other.set_read_timeout(10, 0);
  httplib::Result answer = other.Get("/ok");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->body, "ok");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5))
      << "the worker was held past its write timeout";
  ::close(stuck);
}

}  // namespace
}  // namespace dossier::server
