// Runs the real dossierd binary for tests: on a free port (--listen
// 127.0.0.1:0, the port read from its log), waits for /health, and stops it
// (SIGTERM, then SIGKILL) when destroyed.
#pragma once

#include <httplib.h>

#include <memory>
#include <string>
#include <vector>

namespace dossier::testing {

class ServerProcess {
 public:
  // Starts `dossierd --data DATA --listen 127.0.0.1:0 EXTRA...` with stderr
  // (the access log) going to a file; fails the current test when it does
  // not answer /health within 15 s.
  ServerProcess(const std::string& data_dir, const std::vector<std::string>& extra_args = {});
  ~ServerProcess();

  bool started() const { return port_ > 0; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // A client for this server (10 s timeouts).
  std::unique_ptr<httplib::Client> Client() const;
  // What the server wrote on stderr so far.
  std::string Log() const;
  // Sends `signal` and waits up to `timeout_ms` for the exit; returns the exit
  // status as the shell shows it (128+signal when killed), or -1 on timeout.
  int StopWith(int signal, int timeout_ms = 10000);

 private:
  pid_t pid_ = -1;
  int port_ = -1;
  std::string log_path_;
  std::string dir_;
};

// A socket connected to 127.0.0.1:port, or -1 when the connection failed.
int ConnectToLoopback(int port);

// Sends raw bytes to 127.0.0.1:port and returns what comes back until the
// server closes the connection or `timeout_ms` passes.
std::string RawExchange(int port, const std::string& bytes, int timeout_ms = 3000);

}  // namespace dossier::testing
