// The gated server's workers (gated_http_server.h), in process: a request
// goes to the worker that went idle last, so a server with many workers
// answers one client's requests on one warm thread rather than on each
// worker in turn.
#include "src/gated_http_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <functional>
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

}  // namespace
}  // namespace dossier::server
