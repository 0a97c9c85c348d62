// ServerProcess: dossierd as a child process for tests (see server_process.h).
#include "server/server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <thread>

#include "support/test_support.h"

namespace dossier::testing {

namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

ServerProcess::ServerProcess(const std::string& data_dir, const std::vector<std::string>& extra_args) {
  char tmpl[] = "/tmp/dossierd-test-XXXXXX";
  dir_ = ::mkdtemp(tmpl);
  log_path_ = dir_ + "/stderr.log";
  std::vector<std::string> argv = {DOSSIER_SERVER, "--data", data_dir, "--listen", "127.0.0.1:0", "--refresh-ms", "250"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  pid_ = ::fork();
  if (pid_ == 0) {
    int err = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(err, 2);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  // The port, from "listening on http://127.0.0.1:PORT".
  static const std::regex listening("listening on http://127\\.0\\.0\\.1:(\\d+)");
  const auto deadline = Clock::now() + std::chrono::seconds(15);
  while (Clock::now() < deadline && port_ < 0) {
    std::smatch m;
    const std::string log = Log();
    if (std::regex_search(log, m, listening)) port_ = std::stoi(m[1]);
    else std::this_thread::sleep_for(std::chrono::milliseconds(20));
    int status = 0;
    if (port_ < 0 && ::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      ADD_FAILURE() << "dossierd exited at start: " << Log();
      return;
    }
  }
  if (port_ < 0) {
    ADD_FAILURE() << "dossierd did not report its port within 15 s: " << Log();
    return;
  }
  auto client = Client();
  while (Clock::now() < deadline) {
    if (auto res = client->Get("/health"); res && res->status == 200) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "dossierd did not answer /health within 15 s: " << Log();
  port_ = -1;
}

namespace {

bool IsCrashSignal(int signal) {
  return signal == SIGSEGV || signal == SIGABRT || signal == SIGBUS || signal == SIGILL || signal == SIGFPE;
}

}  // namespace

ServerProcess::~ServerProcess() {
  // A server that died of a crash, before the test stopped it or while it
  // stopped, fails the test saying so (a request to it only sees "no
  // response").
  auto report = [this](int signal, const char* when) {
    const std::string log = Log();
    ADD_FAILURE() << "dossierd crashed (signal " << signal << ", " << ::strsignal(signal) << ") " << when
                  << "; the end of its log:\n"
                  << log.substr(log.size() > 4000 ? log.size() - 4000 : 0);
  };
  int status = 0;
  if (pid_ > 0 && ::waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    if (WIFSIGNALED(status) && IsCrashSignal(WTERMSIG(status))) report(WTERMSIG(status), "before the test stopped it");
  }
  if (pid_ > 0) {
    const int code = StopWith(SIGTERM, 10000);
    if (code > 128 && IsCrashSignal(code - 128)) report(code - 128, "while it stopped");
  }
  if (pid_ > 0) StopWith(SIGKILL, 10000);
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::unique_ptr<httplib::Client> ServerProcess::Client() const {
  auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
  client->set_connection_timeout(10, 0);
  client->set_read_timeout(10, 0);
  client->set_write_timeout(10, 0);
  return client;
}

std::string ServerProcess::Log() const { return ReadFile(log_path_); }

int ServerProcess::StopWith(int signal, int timeout_ms) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (Clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

int ConnectToLoopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string RawExchange(int port, const std::string& bytes, int timeout_ms) {
  const int fd = ConnectToLoopback(port);
  if (fd < 0) return "";
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  std::string out;
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  char buf[4096];
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (Clock::now() < deadline) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

}  // namespace dossier::testing
