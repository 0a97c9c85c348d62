// In-process tests of the HTTP API (no socket): schemas/openapi.json against
// the routes, the bundled document, routing, parameters and errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sched.h>
#include <nlohmann/json.hpp>
#include <mutex>
#include <set>
#include <stdexcept>
#include <vector>
#include <thread>
#include <atomic>
#include <chrono>

#include "dossier/json.h"
#include "src/embedded_schemas.h"
#include "dossier/query_service.h"
#include "dossier/store.h"
#include "src/http_api.h"
#include "src/query_admission.h"
#include "src/response_cache.h"
#include "src/server.h"
#include "support/test_support.h"

namespace dossier::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ReadFile;

const std::string kSchemaDir = std::string(DOSSIER_SOURCE_DIR) + "/schemas";

json Committed() { return json::parse(ReadFile(kSchemaDir + "/openapi.json")); }

// Every "$ref" string under `node`.
void CollectRefs(const json& node, std::vector<std::string>* out) {
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it.key() == "$ref" && it->is_string()) out->push_back(*it);
      else CollectRefs(*it, out);
    }
  } else if (node.is_array()) {
    for (const json& item : node) CollectRefs(item, out);
  }
}

TEST(OpenApiTest, IsOpenApi31AndDocumentsExactlyTheRoutes) {
  const json doc = Committed();
  EXPECT_EQ(doc.value("openapi", ""), "3.1.0");
  ASSERT_TRUE(doc.contains("info") && doc["info"].contains("title") && doc["info"].contains("version"));
  std::set<std::string> documented;
  for (auto it = doc["paths"].begin(); it != doc["paths"].end(); ++it) documented.insert(it.key());
  std::set<std::string> routed;
  for (const std::string& path : HttpApi::RouteTemplates()) routed.insert(path);
  EXPECT_EQ(documented, routed);
  for (auto it = doc["paths"].begin(); it != doc["paths"].end(); ++it) {
    ASSERT_TRUE(it->contains("get")) << it.key();
    EXPECT_EQ(it->size(), 1u) << it.key() << ": only GET is served (HEAD and OPTIONS come with it)";
    const json& get = (*it)["get"];
    EXPECT_TRUE(get.contains("operationId")) << it.key();
    EXPECT_TRUE(get["responses"].contains("200")) << it.key();
    EXPECT_TRUE(get["responses"].contains("default")) << it.key();
    // Path parameters are declared.
    const std::string path = it.key();
    for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1)) {
      const std::string name = path.substr(open + 1, path.find('}', open) - open - 1);
      bool declared = false;
      for (const json& p : get.value("parameters", json::array())) {
        declared |= p.value("name", "") == name && p.value("in", "") == "path" && p.value("required", false);
      }
      EXPECT_TRUE(declared) << path << ": path parameter " << name;
    }
  }
}

// Each reference resolves: to a schema file in schemas/ (and a pointer in it),
// or to a place in the document; every schema file is listed.
TEST(OpenApiTest, EveryReferenceResolvesAndEverySchemaIsListed) {
  const json doc = Committed();
  std::vector<std::string> refs;
  CollectRefs(doc, &refs);
  ASSERT_FALSE(refs.empty());
  for (const std::string& ref : refs) {
    const size_t hash = ref.find('#');
    const std::string file = ref.substr(0, hash);
    const std::string pointer = hash == std::string::npos ? "" : ref.substr(hash + 1);
    const json target = file.empty() ? doc : json::parse(ReadFile(kSchemaDir + "/" + file), nullptr, false);
    ASSERT_FALSE(target.is_discarded() || target.is_null()) << ref;
    EXPECT_TRUE(pointer.empty() || target.contains(json::json_pointer(pointer))) << ref;
  }
  std::set<std::string> listed;
  for (const json& s : doc["components"]["schemas"]) listed.insert(s.value("$ref", ""));
  for (const auto& entry : fs::directory_iterator(kSchemaDir)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".schema.json") && name != "plugin-manifest.schema.json" && name != "plugins.schema.json" &&
        name != "ingest-report.schema.json" && name != "export-record.schema.json" && name != "document.schema.json" &&
        name != "check.schema.json" && name != "merge-report.schema.json") {  // CLI-only outputs
      EXPECT_TRUE(listed.count(name)) << name << " is a response schema but not under components.schemas";
    }
  }
}

// The served document embeds the schemas and resolves inside itself.
TEST(OpenApiTest, ServedDocumentIsSelfContained) {
  Result<std::string> served = ServedOpenApi();
  ASSERT_TRUE(served.ok()) << served.status().ToString();
  const json doc = json::parse(*served);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_EQ(doc["paths"], Committed()["paths"]);
  std::vector<std::string> refs;
  CollectRefs(doc, &refs);
  for (const std::string& ref : refs) {
    ASSERT_EQ(ref.rfind("#/", 0), 0u) << ref;
    EXPECT_TRUE(doc.contains(json::json_pointer(ref.substr(1)))) << ref;
  }
  EXPECT_EQ(doc["components"]["schemas"]["Error"]["required"], json({"error"}));
  // The embedded copies are the files of this source tree.
  EXPECT_EQ(EmbeddedSchemas().at("openapi.json"), ReadFile(kSchemaDir + "/openapi.json"));
}

TEST(OpenApiTest, BundlingRejectsUnknownSchemaFiles) {
  EXPECT_FALSE(BundleOpenApi(R"({"components":{"schemas":{"A":{"$ref":"missing.schema.json"}}}})", {}).ok());
  EXPECT_FALSE(BundleOpenApi("not json", {}).ok());
  auto bundled = BundleOpenApi(R"({"paths":{"/x":{"$ref":"a.schema.json#/definitions/b"}},
                                   "components":{"schemas":{"A":{"$ref":"a.schema.json"}}}})",
                               {{"a.schema.json", R"({"$id":"x","definitions":{"b":{"$ref":"#/definitions/c"},"c":{}}})"}});
  ASSERT_TRUE(bundled.ok()) << bundled.status().ToString();
  const json doc = json::parse(*bundled);
  EXPECT_EQ(doc["paths"]["/x"]["$ref"], "#/components/schemas/A/definitions/b");
  EXPECT_EQ(doc["components"]["schemas"]["A"]["definitions"]["b"]["$ref"], "#/components/schemas/A/definitions/c");
  EXPECT_FALSE(doc["components"]["schemas"]["A"].contains("$id"));
}

// ---- the router without a data folder ----

class HttpApiTest : public ::testing::Test {
 protected:
  HttpResponse Call(const std::string& method, const std::string& path,
                    std::multimap<std::string, std::string> params = {}, const std::string& auth = "") {
    HttpRequest request{method, path, std::move(params), auth, ""};
    return api_.Handle(request);
  }
  static json Body(const HttpResponse& r) { return json::parse(r.body); }

  ApiOptions options_;
  HttpApi api_{[] { return Result<std::shared_ptr<const QueryService>>(Status::Unavailable("not open yet")); },
               options_, "{\"openapi\":\"3.1.0\"}"};
};

TEST_F(HttpApiTest, RoutesMethodsAndReadiness) {
  EXPECT_EQ(Call("GET", "/health").status, 200);
  EXPECT_EQ(Call("HEAD", "/health").status, 200);
  EXPECT_EQ(Call("GET", "/openapi.json").body, "{\"openapi\":\"3.1.0\"}");
  HttpResponse ready = Call("GET", "/ready");
  EXPECT_EQ(ready.status, 503);
  EXPECT_EQ(Body(ready)["error"]["code"], "unavailable");
  EXPECT_EQ(Body(ready)["error"]["message"], "not open yet");
  EXPECT_EQ(Call("GET", "/v1/search", {{"q", "x"}}).status, 503);
  EXPECT_EQ(Call("GET", "/v1/documents/0123456789abcdef/pages/3").status, 503);
  EXPECT_EQ(Call("GET", "/v1/entities/a/b/c").status, 503);  // names may hold a slash
  EXPECT_EQ(Call("GET", "/v1/documents/0123456789abcdef/pages").status, 404);
  EXPECT_EQ(Call("GET", "/v1/searchx").status, 404);
  EXPECT_EQ(Call("GET", "/v1//search").status, 404);
  EXPECT_EQ(Call("GET", "").status, 404);
  HttpResponse post = Call("POST", "/v1/stats");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(Body(post)["error"]["code"], "unimplemented");
  EXPECT_EQ(Call("PATCH", "/nowhere").status, 404);
  HttpResponse options = Call("OPTIONS", "/v1/stats");
  EXPECT_EQ(options.status, 204);
  EXPECT_TRUE(options.body.empty());
  EXPECT_EQ(Call("GET", "/health", {{"x", "1"}}).status, 400);
}

TEST_F(HttpApiTest, StatusCodesMapToHttp) {
  EXPECT_EQ(HttpApi::HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpApi::HttpStatusFor(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpApi::HttpStatusFor(StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpApi::HttpStatusFor(StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpApi::HttpStatusFor(StatusCode::kDataLoss), 503);  // a damaged data folder
  for (int status : {400, 404, 413, 414, 416, 500, 503, 418}) {
    HttpResponse r = HttpApi::ErrorForLibraryStatus(status);
    EXPECT_EQ(r.status, status);
    EXPECT_TRUE(Body(r)["error"].contains("code"));
    EXPECT_FALSE(Body(r)["error"].value("message", "").empty());
  }
  // Invalid UTF-8 never makes serialisation throw.
  EXPECT_NO_THROW(DumpJson(json{{"q", std::string("\xff\xfe")}}));
}

TEST(HttpApiAuthTest, TokenComparison) {
  ApiOptions options;
  options.token = "abc";
  HttpApi api([] { return Result<std::shared_ptr<const QueryService>>(Status::Unavailable("no")); }, options, "{}");
  auto call = [&](const std::string& path, const std::string& auth) {
    return api.Handle(HttpRequest{"GET", path, {}, auth, ""}).status;
  };
  EXPECT_EQ(call("/health", ""), 200);
  EXPECT_EQ(call("/openapi.json", ""), 401);
  EXPECT_EQ(call("/openapi.json", "Bearer ab"), 401);
  EXPECT_EQ(call("/openapi.json", "Bearer abcd"), 401);
  EXPECT_EQ(call("/openapi.json", "Bearer "), 401);
  EXPECT_EQ(call("/openapi.json", "Bearer abc"), 200);
  EXPECT_EQ(call("/openapi.json", "bearer abc"), 200);
}

// ---- the response cache ----

std::shared_ptr<const std::string> Body(size_t bytes, char fill = 'x') {
  return std::make_shared<const std::string>(bytes, fill);
}

// ---- queries computed at once, and the line for a turn ----

TEST(QueryAdmissionTest, AFullLineIsRefusedAtOnceAndAFreedTurnGoesToTheNext) {
  QueryAdmission admission({1, 0, std::chrono::milliseconds(1000)});
  QueryAdmission::Refusal refusal;
  QueryAdmission::Turn first = admission.Enter(&refusal);
  ASSERT_TRUE(first.admitted());
  QueryAdmission::Turn second = admission.Enter(&refusal);
  EXPECT_FALSE(second.admitted());
  EXPECT_EQ(refusal, QueryAdmission::Refusal::kQueueFull) << "no room to wait";
  first = QueryAdmission::Turn();  // given back
  QueryAdmission::Turn third = admission.Enter(&refusal);
  EXPECT_TRUE(third.admitted());
  EXPECT_EQ(admission.counters().admitted, 2u);
  EXPECT_EQ(admission.counters().refused_queue_full, 1u);
}

TEST(QueryAdmissionTest, AWaitingQueryGetsTheNextTurnOrIsRefusedAfterItsWait) {
  QueryAdmission admission({1, 4, std::chrono::milliseconds(300)});
  QueryAdmission::Refusal refusal;
  QueryAdmission::Turn held = admission.Enter(&refusal);
  ASSERT_TRUE(held.admitted());
  // Nobody gives the turn back: the waiting query is refused after its wait.
  const auto start = std::chrono::steady_clock::now();
  QueryAdmission::Turn late = admission.Enter(&refusal);
  EXPECT_FALSE(late.admitted());
  EXPECT_EQ(refusal, QueryAdmission::Refusal::kWaitedTooLong);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
  // The turn is given back while another waits: it gets it.
  std::atomic<bool> admitted{false};
  std::thread waiter([&] {
    QueryAdmission::Refusal r;
    QueryAdmission::Turn turn = admission.Enter(&r);
    admitted = turn.admitted();
  });
  while (admission.counters().waiting == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  held = QueryAdmission::Turn();
  waiter.join();
  EXPECT_TRUE(admitted);
  EXPECT_EQ(admission.counters().active, 0u);
  EXPECT_EQ(admission.counters().refused_waited_too_long, 1u);
}

// A freed turn is handed to the head of the line alone: the waiting
// queries are admitted in the order they came, one at a time; one that
// waited too long leaves the line without holding up those behind it.
TEST(QueryAdmissionTest, WaitingQueriesAreAdmittedInTheOrderTheyCame) {
  QueryAdmission admission({1, 16, std::chrono::milliseconds(5000)});
  QueryAdmission::Refusal refusal;
  QueryAdmission::Turn held = admission.Enter(&refusal);
  ASSERT_TRUE(held.admitted());
  std::mutex order_mutex;
  std::vector<int> order;
  std::atomic<int> at_once{0}, most_at_once{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < 8; ++i) {
    waiters.emplace_back([&, i] {
      QueryAdmission::Refusal r;
      QueryAdmission::Turn turn = admission.Enter(&r);
      if (!turn.admitted()) return;
      const int now = ++at_once;
      most_at_once = std::max(most_at_once.load(), now);
      {
        std::lock_guard<std::mutex> lock(order_mutex);
        order.push_back(i);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      --at_once;
    });
    // The next comes once this one waits in line.
    while (admission.counters().waiting < static_cast<size_t>(i + 1)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // In another line: one that waits too long is refused and leaves the
  // line; the one behind it, which came 200 ms later, gets the next turn.
  QueryAdmission other({1, 16, std::chrono::milliseconds(400)});
  QueryAdmission::Turn other_held = other.Enter(&refusal);
  ASSERT_TRUE(other_held.admitted());
  std::thread impatient([&] {
    QueryAdmission::Refusal r;
    EXPECT_FALSE(other.Enter(&r).admitted());
    EXPECT_EQ(r, QueryAdmission::Refusal::kWaitedTooLong);
  });
  while (other.counters().waiting < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::atomic<bool> behind_admitted{false};
  std::thread behind([&] {
    QueryAdmission::Refusal r;
    QueryAdmission::Turn turn = other.Enter(&r);
    behind_admitted = turn.admitted();
  });
  impatient.join();
  EXPECT_EQ(other.counters().waiting, 1u) << "the impatient one left the line";
  other_held = QueryAdmission::Turn();
  behind.join();
  EXPECT_TRUE(behind_admitted);
  EXPECT_EQ(other.counters().refused_waited_too_long, 1u);

  held = QueryAdmission::Turn();  // the eight go, one after another
  for (std::thread& t : waiters) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(most_at_once.load(), 1) << "one turn, one query at a time";
  const QueryAdmission::Counters counters = admission.counters();
  EXPECT_EQ(counters.admitted, 9u);
  EXPECT_EQ(counters.active, 0u);
  EXPECT_EQ(counters.waiting, 0u);
}

// Many threads taking and giving back turns at once, some waiting so briefly
// that a turn is handed to them as their wait ends: never more queries at
// once than the limit, every query either admitted or refused (none lost,
// none left counted active), and a waiter handed a turn after it stopped
// waiting still gets it (Leave notifies after it releases the lock).
TEST(QueryAdmissionTest, TurnsTakenAndGivenBackByManyThreadsStayWithinTheLimit) {
  constexpr size_t kActive = 2;
  constexpr int kThreads = 12, kRounds = 300;
  QueryAdmission admission({kActive, 64, std::chrono::milliseconds(1)});
  std::atomic<int> at_once{0}, most_at_once{0}, admitted{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        QueryAdmission::Refusal refusal;
        QueryAdmission::Turn turn = admission.Enter(&refusal);
        if (!turn.admitted()) {
          EXPECT_NE(refusal, QueryAdmission::Refusal::kNone);
          ++refused;
          continue;
        }
        ++admitted;
        const int now = ++at_once;
        int most = most_at_once.load();
        while (now > most && !most_at_once.compare_exchange_weak(most, now)) {
        }
        if ((round + t) % 3 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
        --at_once;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_LE(most_at_once.load(), static_cast<int>(kActive));
  EXPECT_EQ(admitted + refused, kThreads * kRounds);
  EXPECT_GT(admitted.load(), 0);
  const QueryAdmission::Counters counters = admission.counters();
  EXPECT_EQ(counters.admitted, static_cast<uint64_t>(admitted.load()));
  EXPECT_EQ(counters.refused_queue_full + counters.refused_waited_too_long, static_cast<uint64_t>(refused.load()));
  EXPECT_EQ(counters.active, 0u);
  EXPECT_EQ(counters.waiting, 0u);
}

// The computing threads, one a turn, are named for top -H and perf, and
// stay SCHED_OTHER (the HTTP workers yield to them: gated_http_server.cc).
TEST(QueryAdmissionTest, TheComputingThreadsAreNamedOneATurn) {
  auto computing = [] {
    std::multiset<int> policies;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
      std::ifstream comm(task.path() / "comm");
      std::string name;
      std::getline(comm, name);
      if (name == "dossierd-query") {
        policies.insert(::sched_getscheduler(static_cast<pid_t>(std::stoi(task.path().filename().string()))));
      }
    }
    return policies;
  };
  const size_t before = computing().size();
  {
    QueryAdmission admission({3, 16, std::chrono::milliseconds(100)});
    EXPECT_EQ(computing().size(), before + 3);
    EXPECT_EQ(computing().count(SCHED_OTHER), before + 3);
  }
  EXPECT_EQ(computing().size(), before) << "the threads end with the admission";
}

// Run: a query runs at once on the calling thread while a turn is free
// and nobody waits; otherwise it waits in the line and, when its turn
// comes, runs on one of the admission's own computing threads, the caller
// waiting until it has run. Queued queries run in the order they came, one
// computing thread after another taking them (with one turn, one thread
// computes them all), never more at once than the turns.
TEST(QueryAdmissionTest, AQueuedQueryRunsOnAComputingThreadInOrderAndTheCallerWaitsForIt) {
  QueryAdmission admission({1, 16, std::chrono::milliseconds(5000)});
  QueryAdmission::Refusal refusal;
  std::thread::id ran_on;
  ASSERT_TRUE(admission.Run([&] { ran_on = std::this_thread::get_id(); }, &refusal));
  EXPECT_EQ(ran_on, std::this_thread::get_id()) << "a free turn: computed where it was asked";
  EXPECT_EQ(refusal, QueryAdmission::Refusal::kNone);

  QueryAdmission::Turn held = admission.Enter(&refusal);  // the one turn taken
  ASSERT_TRUE(held.admitted());
  std::mutex mutex;
  std::vector<int> order;
  std::set<std::thread::id> computed_on, asked_on;
  std::atomic<int> at_once{0}, most_at_once{0}, returned{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 6; ++i) {
    callers.emplace_back([&, i] {
      {
        std::lock_guard<std::mutex> lock(mutex);
        asked_on.insert(std::this_thread::get_id());
      }
      bool ran = false;
      QueryAdmission::Refusal r;
      const bool admitted = admission.Run(
          [&] {
            const int now = ++at_once;
            most_at_once = std::max(most_at_once.load(), now);
            {
              std::lock_guard<std::mutex> lock(mutex);
              order.push_back(i);
              computed_on.insert(std::this_thread::get_id());
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(3));
            --at_once;
            ran = true;
          },
          &r);
      EXPECT_TRUE(admitted);
      EXPECT_TRUE(ran) << "Run returns once its query has run";
      ++returned;
    });
    while (admission.counters().waiting < static_cast<size_t>(i + 1)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(returned.load(), 0) << "nothing runs while the turn is held";
  held = QueryAdmission::Turn();
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(most_at_once.load(), 1);
  ASSERT_EQ(computed_on.size(), 1u) << "one turn: one computing thread took each query after the last";
  EXPECT_EQ(asked_on.count(*computed_on.begin()), 0u) << "not on a caller's thread";
  const QueryAdmission::Counters counters = admission.counters();
  EXPECT_EQ(counters.admitted, 8u);
  EXPECT_EQ(counters.active, 0u);
  EXPECT_EQ(counters.waiting, 0u);
}

// A queued query that throws has its exception thrown to its caller; one
// refused (the line full, or no turn within its wait) never runs; one whose
// turn came runs to its end however long past the wait it takes.
TEST(QueryAdmissionTest, ARunQueryThrowsToItsCallerIsRefusedUnrunOrRunsPastItsWait) {
  // (A wait long enough that a loaded machine hands the turn over within it.)
  QueryAdmission admission({1, 1, std::chrono::milliseconds(1000)});
  QueryAdmission::Refusal refusal;
  QueryAdmission::Turn held = admission.Enter(&refusal);
  ASSERT_TRUE(held.admitted());
  std::atomic<bool> thrown{false};
  std::thread thrower([&] {
    QueryAdmission::Refusal r;
    try {
      admission.Run([] { throw std::runtime_error("query failed"); }, &r);
    } catch (const std::runtime_error& e) {
      thrown = std::string(e.what()) == "query failed";
    }
  });
  while (admission.counters().waiting < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  bool ran = false;
  EXPECT_FALSE(admission.Run([&] { ran = true; }, &refusal));
  EXPECT_EQ(refusal, QueryAdmission::Refusal::kQueueFull);
  held = QueryAdmission::Turn();
  thrower.join();
  EXPECT_TRUE(thrown);
  EXPECT_EQ(admission.counters().active, 0u) << "the turn came back after the throw";

  held = admission.Enter(&refusal);
  ASSERT_TRUE(held.admitted());
  EXPECT_FALSE(admission.Run([&] { ran = true; }, &refusal));
  EXPECT_EQ(refusal, QueryAdmission::Refusal::kWaitedTooLong);
  EXPECT_FALSE(ran) << "refused: never run";
  // Its turn comes within the wait, then it computes for longer than the wait.
  std::atomic<bool> long_admitted{false}, long_ran{false};
  std::thread slow([&] {
    QueryAdmission::Refusal r;
    long_admitted = admission.Run(
        [&] {
          std::this_thread::sleep_for(std::chrono::milliseconds(1500));
          long_ran = true;
        },
        &r);
  });
  while (admission.counters().waiting < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  held = QueryAdmission::Turn();
  slow.join();
  EXPECT_TRUE(long_admitted);
  EXPECT_TRUE(long_ran);
  EXPECT_EQ(admission.counters().refused_waited_too_long, 1u);
  EXPECT_EQ(admission.counters().refused_queue_full, 1u);
}

// Many threads running queries at once, with Enter's turns among them:
// never more at once than the turns, every query run or refused, none left
// counted, and the computing threads no more than the turns.
TEST(QueryAdmissionTest, QueriesRunByManyThreadsStayWithinTheTurns) {
  constexpr size_t kActive = 2;
  constexpr int kThreads = 12, kRounds = 200;
  QueryAdmission admission({kActive, 64, std::chrono::milliseconds(2)});
  std::atomic<int> at_once{0}, most_at_once{0}, ran{0}, refused{0};
  std::mutex mutex;
  std::set<std::thread::id> callers, computed_on;
  auto work = [&](int round) {
    const int now = ++at_once;
    int most = most_at_once.load();
    while (now > most && !most_at_once.compare_exchange_weak(most, now)) {
    }
    if (round % 3 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
    --at_once;
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      {
        std::lock_guard<std::mutex> lock(mutex);
        callers.insert(std::this_thread::get_id());
      }
      for (int round = 0; round < kRounds; ++round) {
        QueryAdmission::Refusal refusal;
        if (t % 4 == 0) {  // a turn taken by Enter, computed by its taker
          QueryAdmission::Turn turn = admission.Enter(&refusal);
          if (!turn.admitted()) {
            ++refused;
            continue;
          }
          work(round);
          ++ran;
          continue;
        }
        const bool admitted = admission.Run(
            [&] {
              {
                std::lock_guard<std::mutex> lock(mutex);
                computed_on.insert(std::this_thread::get_id());
              }
              work(round);
              ++ran;
            },
            &refusal);
        if (!admitted) {
          EXPECT_NE(refusal, QueryAdmission::Refusal::kNone);
          ++refused;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_LE(most_at_once.load(), static_cast<int>(kActive));
  EXPECT_EQ(ran + refused, kThreads * kRounds);
  EXPECT_GT(ran.load(), 0);
  size_t computing = 0;
  for (const std::thread::id& id : computed_on) computing += callers.count(id) == 0;
  EXPECT_GT(computing, 0u) << "some queries waited and ran on the computing threads";
  EXPECT_LE(computing, kActive);
  const QueryAdmission::Counters counters = admission.counters();
  EXPECT_EQ(counters.admitted, static_cast<uint64_t>(ran.load()));
  EXPECT_EQ(counters.active, 0u);
  EXPECT_EQ(counters.waiting, 0u);
}

TEST(QueryAdmissionTest, ABusyServerAnswers503WithRetryAfterAndStillAnswersHealth) {
  testing::TempDir dir;
  { ASSERT_TRUE(Store::Open(dir.path(), StoreMode::kReadWrite).ok()); }
  Result<std::unique_ptr<QueryService>> opened = QueryService::Open(dir.path());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::shared_ptr<const QueryService> service = std::move(opened).value();
  ApiOptions options;
  options.admission = std::make_shared<QueryAdmission>(AdmissionLimits{1, 0, std::chrono::milliseconds(100)});
  HttpApi api([service] { return Result<std::shared_ptr<const QueryService>>(service); }, options, "{}");
  auto call = [&](const std::string& path) { return api.Handle(HttpRequest{"GET", path, {}, "", ""}); };
  EXPECT_EQ(call("/v1/stats").status, 200);
  QueryAdmission::Refusal refusal;
  QueryAdmission::Turn held = options.admission->Enter(&refusal);  // every turn taken
  ASSERT_TRUE(held.admitted());
  HttpResponse busy = call("/v1/stats");
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(json::parse(busy.body)["error"]["code"], "unavailable");
  EXPECT_NE(json::parse(busy.body)["error"]["message"].get<std::string>().find("--max-queued-queries"), std::string::npos);
  bool retry_after = false;
  for (const auto& [name, value] : busy.headers) retry_after |= name == "Retry-After" && value == "1";
  EXPECT_TRUE(retry_after);
  EXPECT_EQ(call("/health").status, 200) << "not a query";
  held = QueryAdmission::Turn();
  EXPECT_EQ(call("/v1/stats").status, 200);
}

TEST(ResponseCacheTest, AnswersARepeatedKeyAtTheSameVersionOnly) {
  ResponseCache cache(1 << 20, 4);
  EXPECT_EQ(cache.Get("search q=a", 1), nullptr);
  cache.Put("search q=a", 1, Body(10, 'a'));
  ASSERT_NE(cache.Get("search q=a", 1), nullptr);
  EXPECT_EQ(*cache.Get("search q=a", 1), std::string(10, 'a'));
  EXPECT_EQ(cache.Get("search q=b", 1), nullptr);
  // A commit became visible: the old answer is gone, and stays gone.
  EXPECT_EQ(cache.Get("search q=a", 2), nullptr);
  EXPECT_EQ(cache.Get("search q=a", 1), nullptr);
  // An answer computed on the old data is not kept once a newer version was seen.
  cache.Put("search q=c", 1, Body(10));
  EXPECT_EQ(cache.Get("search q=c", 2), nullptr);
  const ResponseCache::Counters c = cache.counters();
  EXPECT_EQ(c.hits, 2u);
  EXPECT_EQ(c.misses, 5u);
}

TEST(ResponseCacheTest, StaysWithinItsBytesDroppingTheLeastRecentlyUsed) {
  const size_t shard_bytes = 64 * 1024;
  ResponseCache cache(shard_bytes, 1);
  const size_t body = 1000;  // under an eighth of the shard
  cache.Put("k0", 7, Body(body));
  EXPECT_EQ(cache.counters().bytes, body + 2 * 2 + ResponseCache::kEntryOverheadBytes)
      << "an entry is charged its body, its key twice (list and map) and the fixed overhead";
  for (int i = 0; i < 200; ++i) {
    cache.Put("k" + std::to_string(i), 7, Body(body));
    ASSERT_NE(cache.Get("k0", 7), nullptr) << "k0 is used after every insert, so it stays (i = " << i << ")";
  }
  const ResponseCache::Counters c = cache.counters();
  EXPECT_LE(c.bytes, shard_bytes);
  EXPECT_GT(c.entries, 30u);
  EXPECT_LT(c.entries, 200u);
  EXPECT_EQ(cache.Get("k1", 7), nullptr) << "the oldest unused entries went first";
  EXPECT_NE(cache.Get("k199", 7), nullptr);
  // One answer larger than an eighth of a shard is not kept at all.
  cache.Put("huge", 7, Body(shard_bytes / 4));
  EXPECT_EQ(cache.Get("huge", 7), nullptr);
  EXPECT_NE(cache.Get("k199", 7), nullptr);
}

TEST(ResponseCacheTest, ManyThreadsAtOnce) {
  ResponseCache cache(1 << 20, 8);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string key = "k" + std::to_string(i % 50);
        const uint64_t version = 1 + i / 500;
        if (auto body = cache.Get(key, version); body && *body != key + "@" + std::to_string(version)) ++wrong;
        cache.Put(key, version, std::make_shared<const std::string>(key + "@" + std::to_string(version)));
      }
      (void)t;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong, 0) << "an answer was served under the wrong key or version";
}

}  // namespace
}  // namespace dossier::server
