// dossierd --remote-index: the page index searched on three shards that
// xapian-tcpsrv serves (each made by `dossier ingest --partition K/3`) gives
// the same hits, totals and facets as the folder `dossier merge` made of them;
// a shard that stops answering makes searches and /ready 503 naming it, and
// searches work again once it is back. Needs xapian-tcpsrv (package
// xapian-tools, installed by scripts/install-deps.sh --test): without it the
// tests fail, saying so.
#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "server/server_process.h"
#include "support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CommandResult;
using testing::MakePdf;
using testing::RunDossier;
using testing::SchemaErrors;
using testing::ServerProcess;
using testing::TempDir;
using testing::WriteFile;
using Clock = std::chrono::steady_clock;

constexpr int kShards = 3;

// The xapian-tcpsrv binary, or "" when it is not installed.
std::string TcpServerBinary() {
  for (const char* dir : {"/usr/bin", "/usr/local/bin", "/bin"}) {
    const std::string path = std::string(dir) + "/xapian-tcpsrv";
    if (::access(path.c_str(), X_OK) == 0) return path;
  }
  return "";
}

// A TCP port nothing listens on now (the kernel's choice of a free one).
int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t size = sizeof addr;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

bool Accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return connected;
}

// Whether process `pid` holds the socket listening on `port` (IPv4): a
// port FreePort gave out can be taken by another test's server in the
// meantime (ctest runs two at once), and that one accepts connections too.
bool ListensOn(pid_t pid, int port) {
  std::set<std::string> sockets;  // "socket:[inode]" of the listeners on the port
  std::ifstream tcp("/proc/net/tcp");
  std::string line;
  std::getline(tcp, line);  // the header
  while (std::getline(tcp, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
    fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode;
    const size_t colon = local.find(':');
    if (state != "0A" || colon == std::string::npos) continue;  // 0A: LISTEN
    if (std::stoi(local.substr(colon + 1), nullptr, 16) == port) sockets.insert("socket:[" + inode + "]");
  }
  if (sockets.empty()) return false;
  std::error_code error;
  for (const auto& fd : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", error)) {
    const fs::path target = fs::read_symlink(fd.path(), error);
    if (!error && sockets.count(target.string())) return true;
  }
  return false;
}

// xapian-tcpsrv serving one shard's page index on a port. It forks a child
// per connection, so it runs in a process group of its own, and Kill() ends
// the whole group: the shard is then down for every connection, as when its
// machine stops.
class TcpServer {
 public:
  TcpServer(std::string database, int port) : database_(std::move(database)), port_(port) {}
  ~TcpServer() { Kill(); }
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  // Starts it and waits until it listens on its port. At its first start,
  // when it cannot bind the port (another process took it since FreePort
  // gave it out), on another port; started again (a shard back), on the
  // same one.
  ::testing::AssertionResult Start() {
    for (int attempt = 0;; ++attempt) {
      ::testing::AssertionResult started = StartOnPort();
      if (started) started_once_ = true;
      if (started || started_once_ || pid_ > 0 || attempt == 4) return started;
      port_ = FreePort();
    }
  }

  // SIGSTOP / SIGCONT to the whole group: a shard that hangs (connections
  // are still accepted by the kernel, nothing answers).
  void Signal(int signal) const {
    if (pid_ > 0) ::kill(-pid_, signal);
  }

  void Kill() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
    // The forked children of the group are not ours to reap; wait for the port to close.
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < deadline && Accepts(port_)) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }

 private:
  // Starts it on port_ and waits until it listens there (pid_ is -1 when it
  // exited, as it does when the port is taken).
  ::testing::AssertionResult StartOnPort() {
    const std::string binary = TcpServerBinary();
    if (binary.empty()) {
      return ::testing::AssertionFailure() << "xapian-tcpsrv is not installed: install the package xapian-tools "
                                              "(scripts/install-deps.sh --test does)";
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);
      const int null = ::open("/dev/null", O_RDWR);
      ::dup2(null, 0);
      ::dup2(null, 1);
      ::dup2(null, 2);  // "Got exception NetworkError" whenever a client goes away
      const std::string port = std::to_string(port_);
      ::execl(binary.c_str(), binary.c_str(), "--interface", "127.0.0.1", "--port", port.c_str(), "--quiet",
              database_.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::setpgid(pid_, pid_);  // also here: whichever of the two runs first
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline) {
      if (ListensOn(pid_, port_)) return ::testing::AssertionSuccess();
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return ::testing::AssertionFailure() << "xapian-tcpsrv on port " << port_ << " exited at start";
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return ::testing::AssertionFailure() << "xapian-tcpsrv did not listen on port " << port_ << " within 10 s";
  }

  bool started_once_ = false;
  std::string database_;
  int port_;
  pid_t pid_ = -1;
};

// Twenty-four documents: PDFs with a date (the year facet) and text files,
// naming organisations (the entity facet), sharing words so that queries
// match across every shard, some with equal weights (ties). And three
// handbooks of 20 pages, whose best pages a remote index without the data
// folder's page index reads from its shards' position lists (a short
// document's are chosen from its text): the query words on late pages,
// more often than on the early ones.
void MakeCorpus(const std::string& dir) {
  fs::create_directories(dir);
  const char* topics[] = {"water", "health", "education", "decentralization"};
  const char* bodies[] = {"UNICEF", "the International Organization for Migration (IOM)", "UNHCR"};
  for (int i = 0; i < 24; ++i) {
    const std::string topic = topics[i % 4];
    const std::string body = bodies[i % 3];
    std::string text = "Evaluation report " + std::to_string(i) + " on " + topic + " services\n" + body +
                       " supported the " + topic + " programme in district " + std::to_string(i % 5) + ".\n";
    for (int k = 0; k <= i % 4; ++k) text += "The " + topic + " committees met in the northern region.\n";
    if (i % 2 == 0) {
      text += "Date: March " + std::to_string(2015 + i % 6) + "\n";
      text += "\fRecommendations\nRecommendation 1: " + body + " should strengthen district planning by 2023.";
      MakePdf(dir + "/report-" + std::to_string(i) + ".pdf", text,
              {.title = "Report " + std::to_string(i) + " on " + topic, .author = "Evaluation Office",
               .date = std::to_string(2015 + i % 6) + "-03-01"});
    } else {
      WriteFile(dir + "/note-" + std::to_string(i) + ".txt", text);
    }
  }
  for (int h = 0; h < 3; ++h) {
    std::string text;
    for (int page = 1; page <= 20; ++page) {
      if (page > 1) text += "\f";
      text += "Handbook " + std::to_string(h) + ", page " + std::to_string(page) + ": procedures for the offices.\n";
      if (page == 3) text += "The water supply is described later.\n";
      if (page == 15 + h) text += "Water, water and water again: the water committees and education services.\n";
      if (page == 18) text += "District planning in the northern region; district planning again.\n";
    }
    WriteFile(dir + "/handbook-" + std::to_string(h) + ".txt", text);
  }
  // A manual where "the", a function word every document holds, and
  // "district", a word every document holds, crowd page 2 beside two
  // "water", and page 5 has "water" three times.
  std::string manual;
  for (int page = 1; page <= 20; ++page) {
    if (page > 1) manual += "\f";
    manual += "Manual, page " + std::to_string(page) + ": the procedures.\n";
    if (page == 2) {
      manual += "The list, the form, the date, the name, the place, the time, the end, the water.\n";
      manual += "District list, district form, district water.\n";
    }
    if (page == 5) manual += "Water meters, water pipes and water tanks.\n";
  }
  WriteFile(dir + "/manual.txt", manual);
}

// What a search answer must agree on: the total, the facets, and the hits
// with their page, snippet and weight. Hits of equal weight (a tie) come in
// docid order, and docids differ between one folder and combined shards, so
// the hits are compared sorted, and their weights in rank order. On a page
// that does not hold every match, the hits tied with the page's last weight
// (and, past the first page, its first) may be other documents of that
// weight: those are compared by weight only.
// A wildcard is expanded by each shard on its own (Xapian's remote backend),
// which weighs the expansion differently: there only the matches (ids),
// totals and facets must agree.
json Comparable(const json& answer, bool wildcard) {
  json hits = json::array();
  json percents = json::array();
  const bool paged = answer["offset"].get<size_t>() > 0;
  const bool whole = !paged && answer["hits"].size() >= answer["total"].get<size_t>();
  const int first = answer["hits"].empty() ? -1 : answer["hits"].front()["percent"].get<int>();
  const int last = answer["hits"].empty() ? -1 : answer["hits"].back()["percent"].get<int>();
  for (const json& hit : answer["hits"]) {
    if (!wildcard) percents.push_back(hit["percent"]);
    const int percent = hit["percent"].get<int>();
    if (!whole && (percent == last || (paged && percent == first))) continue;
    if (wildcard) {
      hits.push_back({hit["id"], hit["all_words"], hit["title"]});
    } else {
      hits.push_back({hit["id"], hit["page"], hit["snippet_html"], hit["all_words"], hit["percent"], hit["title"]});
    }
  }
  std::sort(hits.begin(), hits.end());
  return {{"total", answer["total"]},
          {"total_exact", answer["total_exact"]},
          {"facets", answer.value("facets", json())},
          {"facet_values", answer.value("facet_values", json())},
          {"facets_exact", answer.value("facets_exact", json())},
          {"hits", hits},
          {"percents_in_rank_order", percents}};
}
json Comparable(const json& answer) { return Comparable(answer, false); }

class RemoteIndexTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir;
    MakeCorpus(*tmp_ / "in");
    std::vector<std::string> merge = {"merge", "-q"};
    for (int k = 0; k < kShards; ++k) {
      const std::string shard = *tmp_ / ("shard" + std::to_string(k));
      CommandResult part = RunDossier(shard, {"ingest", "-q", "--partition", std::to_string(k) + "/3", *tmp_ / "in"});
      ASSERT_EQ(part.exit_code, 0) << part.err;
      merge.push_back(shard);
    }
    // "all": the shards merged (dossier merge), as in real use; its local
    // index is what the remote shards must answer as.
    merge.insert(merge.end(), {"--into", *tmp_ / "all"});
    CommandResult all = RunDossier(*tmp_ / "all", merge);
    ASSERT_EQ(all.exit_code, 0) << all.err;
  }
  static void TearDownTestSuite() { delete tmp_; }

  // Starts a xapian-tcpsrv on each shard's page index.
  void StartShards() {
    for (int k = 0; k < kShards; ++k) {
      shards_.push_back(std::make_unique<TcpServer>(*tmp_ / ("shard" + std::to_string(k) + "/xapian"), FreePort()));
      ASSERT_TRUE(shards_.back()->Start());
    }
  }
  std::string ShardList() const {
    std::string list;
    for (const auto& shard : shards_) list += (list.empty() ? "" : ",") + shard->address();
    return list;
  }

  static std::string Get(httplib::Client& client, const std::string& target, int expected_status) {
    auto res = client.Get(target.c_str());
    EXPECT_TRUE(res) << target << ": no response";
    if (!res) return "";
    EXPECT_EQ(res->status, expected_status) << target << ": " << res->body;
    return res->body;
  }
  static void ExpectValid(const std::string& schema, const std::string& body) {
    static int n = 0;
    const std::string file = *tmp_ / ("response-" + std::to_string(++n) + ".json");
    WriteFile(file, body);
    EXPECT_EQ(SchemaErrors(schema, file), "") << body.substr(0, 2000);
  }
  // Polls `target` until it answers `status` (up to 10 s); returns the last body.
  static std::string WaitFor(httplib::Client& client, const std::string& target, int status) {
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    std::string body;
    while (Clock::now() < deadline) {
      auto res = client.Get(target.c_str());
      if (res && res->status == status) return res->body;
      if (res) body = res->body;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << target << " did not answer " << status << " within 10 s: " << body;
    return body;
  }

  static TempDir* tmp_;
  std::vector<std::unique_ptr<TcpServer>> shards_;
};
TempDir* RemoteIndexTest::tmp_ = nullptr;

const std::vector<std::string> kQueries = {
    "/v1/search?q=water&limit=100",
    "/v1/search?q=decentralization&limit=5",
    "/v1/search?q=evaluation&limit=100",
    "/v1/search?q=evaluation&limit=7&offset=3",
    "/v1/search?q=district%20planning&limit=100",
    "/v1/search?q=%22northern%20region%22&limit=100",
    "/v1/search?q=health%20OR%20education&limit=100",
    "/v1/search?q=committees%20NOT%20water&limit=100",
    "/v1/search?q=educat*&limit=100",
    "/v1/search?q=committees&limit=100&year_from=2016&year_to=2019",
    "/v1/search?q=title:report&limit=100",
    "/v1/search?q=programme&limit=100&org=UNICEF",
    "/v1/search?q=services&limit=100&source=plain_text",
    "/v1/search?q=water%20health&limit=100",  // no document has both: documents with some of the words
    "/v1/search?q=nothingmatchesthis&limit=10",
};

TEST_F(RemoteIndexTest, ShardsAnswerAsTheFolderHoldingEveryDocument) {
  StartShards();
  ServerProcess local(*tmp_ / "all");
  ServerProcess remote(*tmp_ / "all", {"--remote-index", ShardList()});
  ASSERT_TRUE(local.started());
  ASSERT_TRUE(remote.started());
  auto local_client = local.Client();
  auto remote_client = remote.Client();
  ExpectValid("health.schema.json", WaitFor(*remote_client, "/ready", 200));
  for (int k = 0; k < kShards; ++k) {
    // Every shard holds some of the documents (else the test would prove little).
    CommandResult stats = RunDossier(*tmp_ / ("shard" + std::to_string(k)), {"stats", "--json"});
    ASSERT_EQ(stats.exit_code, 0) << stats.err;
    EXPECT_GT(json::parse(stats.out)["documents"].get<int>(), 0) << "shard " << k;
  }
  for (const std::string& target : kQueries) {
    const std::string expected = Get(*local_client, target, 200);
    const std::string got = Get(*remote_client, target, 200);
    ExpectValid("search-response.schema.json", got);
    const json want = json::parse(expected), have = json::parse(got);
    const bool wildcard = target.find('*') != std::string::npos;
    EXPECT_EQ(Comparable(have, wildcard), Comparable(want, wildcard)) << target;
    if (target.find("nothingmatches") == std::string::npos) {
      EXPECT_FALSE(want["hits"].empty()) << target;
    }
  }
  // The rest comes from the data folder as before.
  EXPECT_EQ(Get(*remote_client, "/v1/documents?limit=100", 200), Get(*local_client, "/v1/documents?limit=100", 200));
  EXPECT_EQ(json::parse(Get(*remote_client, "/v1/items?q=planning&limit=50", 200)),
            json::parse(Get(*local_client, "/v1/items?q=planning&limit=50", 200)));
  // The CLI's search too.
  CommandResult local_cli = RunDossier(*tmp_ / "all", {"search", "--json", "--limit", "100", "water"});
  CommandResult remote_cli =
      RunDossier(*tmp_ / "all", {"--remote-index", ShardList(), "search", "--json", "--limit", "100", "water"});
  ASSERT_EQ(local_cli.exit_code, 0) << local_cli.err;
  ASSERT_EQ(remote_cli.exit_code, 0) << remote_cli.err;
  EXPECT_EQ(Comparable(json::parse(remote_cli.out)), Comparable(json::parse(local_cli.out)));
}

// The page of "manual.txt" among `answer`'s hits (0: not among them).
int ManualPage(const json& answer) {
  for (const json& hit : answer["hits"]) {
    if (hit["source_paths"][0].get<std::string>().ends_with("/manual.txt")) return hit["page"].get<int>();
  }
  return 0;
}

// The data folder's own page index (dossier merge makes it) chooses the
// hits' best pages, as a local search does: with all the query's words but
// its function words ("the"), even one that most documents hold
// ("district").
TEST_F(RemoteIndexTest, BestPagesAreChosenInTheDataFoldersPageIndex) {
  StartShards();
  ServerProcess local(*tmp_ / "all");
  ServerProcess remote(*tmp_ / "all", {"--remote-index", ShardList()});
  ASSERT_TRUE(local.started());
  ASSERT_TRUE(remote.started());
  auto local_client = local.Client();
  auto remote_client = remote.Client();
  WaitFor(*remote_client, "/ready", 200);
  const json want = json::parse(Get(*local_client, "/v1/search?q=district%20water&limit=100", 200));
  const json have = json::parse(Get(*remote_client, "/v1/search?q=district%20water&limit=100", 200));
  EXPECT_EQ(ManualPage(want), 2) << "local: the page with both words";
  EXPECT_EQ(ManualPage(have), 2) << "remote: the same page";
  EXPECT_EQ(Comparable(have), Comparable(want));
  const json want_the = json::parse(Get(*local_client, "/v1/search?q=the%20water&limit=100", 200));
  EXPECT_EQ(ManualPage(want_the), 5) << "local: the most \"water\", the function word left out";
  EXPECT_EQ(ManualPage(json::parse(Get(*remote_client, "/v1/search?q=the%20water&limit=100", 200))), 5);
}

// A data folder without a page index of its own: the best pages come from
// the shards. A short document's is chosen from its text in the folder; a
// long one's (the handbooks, the manual) from its position lists on its
// shard, each an exchange sent one message per position, so a long
// document's page leaves out a query word that most documents hold
// ("district") when the query has others, where a local search leaves out
// only function words ("the"). The hits and totals are the same.
TEST_F(RemoteIndexTest, WithoutAPageIndexInTheDataFolderPagesComeFromTheShards) {
  const fs::path folder = *tmp_ / "all-without-page-index";
  fs::remove_all(folder);
  fs::copy(*tmp_ / "all", folder, fs::copy_options::recursive);
  ASSERT_TRUE(fs::remove_all(folder / "xapian") > 0);
  StartShards();
  ServerProcess local(*tmp_ / "all");
  ServerProcess remote(folder, {"--remote-index", ShardList()});
  ASSERT_TRUE(local.started());
  ASSERT_TRUE(remote.started());
  auto local_client = local.Client();
  auto remote_client = remote.Client();
  WaitFor(*remote_client, "/ready", 200);
  for (const std::string& target : kQueries) {
    const bool wildcard = target.find('*') != std::string::npos;
    EXPECT_EQ(Comparable(json::parse(Get(*remote_client, target, 200)), wildcard),
              Comparable(json::parse(Get(*local_client, target, 200)), wildcard))
        << target;
  }
  const json want = json::parse(Get(*local_client, "/v1/search?q=district%20water&limit=100", 200));
  const json have = json::parse(Get(*remote_client, "/v1/search?q=district%20water&limit=100", 200));
  EXPECT_EQ(have["total"], want["total"]);
  EXPECT_EQ(ManualPage(want), 2) << "local: the page with both words";
  EXPECT_EQ(ManualPage(have), 5) << "remote: the page with the most of the word not every document holds";
  EXPECT_EQ(ManualPage(json::parse(Get(*remote_client, "/v1/search?q=the%20water&limit=100", 200))),
            ManualPage(json::parse(Get(*local_client, "/v1/search?q=the%20water&limit=100", 200))))
      << "\"the\" left out by both";
  // A query of such words only still reads them.
  EXPECT_EQ(ManualPage(json::parse(Get(*remote_client, "/v1/search?q=the&limit=100", 200))),
            ManualPage(json::parse(Get(*local_client, "/v1/search?q=the&limit=100", 200))));
}

// Searches from several clients at once, each counting its facets on the
// shards on a thread of its own while it ranks: every answer is 200 and the
// server stays up. (Before the counting thread got its query serialised, it
// shared subqueries with the ranking thread, whose reference counts are not
// atomic, and dossierd crashed: in 5 of 5 runs of this test, within 2 s.)
TEST_F(RemoteIndexTest, SearchesFromManyClientsAtOnceLeaveTheServerUp) {
  StartShards();
  ServerProcess remote(*tmp_ / "all", {"--remote-index", ShardList(), "--cache-mb", "0"});
  ASSERT_TRUE(remote.started());
  auto client = remote.Client();
  WaitFor(*client, "/ready", 200);
  constexpr int kClients = 8, kSearchesEach = 200;
  std::atomic<int> answered{0};
  std::vector<std::string> failures(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      auto own = remote.Client();
      for (int i = 0; i < kSearchesEach; ++i) {
        const std::string& target = kQueries[(c + i) % kQueries.size()];
        auto res = own->Get(target.c_str());
        if (!res || res->status != 200) {
          failures[c] = target + ": " + (res ? std::to_string(res->status) + " " + res->body : "no response");
          return;
        }
        ++answered;
      }
    });
  }
  for (std::thread& t : clients) t.join();
  for (const std::string& failure : failures) EXPECT_EQ(failure, "");
  EXPECT_EQ(answered.load(), kClients * kSearchesEach);
  EXPECT_TRUE(client->Get("/health")) << "dossierd is down: " << remote.Log().substr(0, 2000);
}

TEST_F(RemoteIndexTest, AShardDownIs503NamingItAndSearchesWorkWhenItIsBack) {
  StartShards();
  ServerProcess local(*tmp_ / "all");
  ServerProcess remote(*tmp_ / "all", {"--remote-index", ShardList(), "--remote-timeout-ms", "2000"});
  ASSERT_TRUE(local.started());
  ASSERT_TRUE(remote.started());
  auto client = remote.Client();
  WaitFor(*client, "/ready", 200);
  Get(*client, "/v1/search?q=water", 200);  // every handle used has live connections to every shard

  TcpServer& down = *shards_[1];
  down.Kill();
  // A query not answered before (no cached answer): 503, the error naming the shard.
  for (const std::string& target : {std::string("/v1/search?q=health"), std::string("/v1/search?q=water&limit=3")}) {
    const std::string body = Get(*client, target, 503);
    ExpectValid("error.schema.json", body);
    const json error = json::parse(body, nullptr, false);
    EXPECT_EQ(error["error"]["code"], "unavailable") << body;
    EXPECT_NE(error["error"].value("message", "").find(down.address()), std::string::npos) << body;
  }
  const std::string not_ready = WaitFor(*client, "/ready", 503);
  EXPECT_NE(not_ready.find(down.address()), std::string::npos) << not_ready;
  ExpectValid("error.schema.json", not_ready);
  // What comes from the data folder still answers.
  Get(*client, "/v1/documents?limit=5", 200);
  // The CLI fails naming the shard, exit 3.
  CommandResult cli = RunDossier(*tmp_ / "all", {"--remote-index", ShardList(), "search", "water"});
  EXPECT_EQ(cli.exit_code, 3) << cli.out << cli.err;
  EXPECT_NE(cli.err.find(down.address()), std::string::npos) << cli.err;

  // Back on the same port: the next search connects again and answers as before.
  ASSERT_TRUE(down.Start());
  const std::string target = "/v1/search?q=health&limit=100";
  const std::string got = Get(*client, target, 200);
  ExpectValid("search-response.schema.json", got);
  auto local_client = local.Client();
  EXPECT_EQ(Comparable(json::parse(got)), Comparable(json::parse(Get(*local_client, target, 200))));
  WaitFor(*client, "/ready", 200);
  EXPECT_NE(remote.Log().find(down.address()), std::string::npos) << "the log names the shard that went down";
}

TEST_F(RemoteIndexTest, AHungShardIs503NamingItWithinTheTimeout) {
  StartShards();
  ServerProcess remote(*tmp_ / "all", {"--remote-index", ShardList(), "--remote-timeout-ms", "1000"});
  ASSERT_TRUE(remote.started());
  auto client = remote.Client();
  WaitFor(*client, "/ready", 200);
  Get(*client, "/v1/search?q=water", 200);
  TcpServer& hung = *shards_[0];
  hung.Signal(SIGSTOP);
  const auto start = Clock::now();
  const std::string body = Get(*client, "/v1/search?q=health", 503);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_NE(body.find(hung.address()), std::string::npos) << body;
  EXPECT_NE(body.find("imeout"), std::string::npos) << body;  // "Timeout expired while trying to read"
  // The search and its one retry on a fresh connection: two timeouts, not more.
  EXPECT_LT(seconds, 5.0) << body;
  hung.Signal(SIGCONT);
  Get(*client, "/v1/search?q=health&limit=3", 200);
}

TEST_F(RemoteIndexTest, StartsWithAShardDownAndIsReadyWhenItAnswers) {
  StartShards();
  TcpServer& late = *shards_[2];
  late.Kill();
  ServerProcess remote(*tmp_ / "all", {"--remote-index", ShardList(), "--remote-timeout-ms", "2000"});
  ASSERT_TRUE(remote.started());
  auto client = remote.Client();
  const std::string not_ready = WaitFor(*client, "/ready", 503);
  EXPECT_NE(not_ready.find(late.address()), std::string::npos) << not_ready;
  const std::string search = Get(*client, "/v1/search?q=water", 503);
  EXPECT_NE(search.find(late.address()), std::string::npos) << search;
  Get(*client, "/v1/documents?limit=5", 200);
  ASSERT_TRUE(late.Start());
  WaitFor(*client, "/ready", 200);
  Get(*client, "/v1/search?q=water", 200);
}

TEST_F(RemoteIndexTest, AMalformedShardListIsAUsageErrorNamingTheElement) {
  for (const auto& [list, named] : std::vector<std::pair<std::string, std::string>>{
           {"127.0.0.1:7001,shard-two", "'shard-two'"},
           {"127.0.0.1:7001,,127.0.0.1:7002", "shard 2 ''"},
           {"127.0.0.1:99999", "'127.0.0.1:99999'"},
           {"127.0.0.1:7001,127.0.0.1:7001", "listed twice"},
           {"", "shard 1 ''"}}) {
    CommandResult r = testing::Run({DOSSIER_SERVER, "--data", *tmp_ / "all", "--listen", "127.0.0.1:0",
                                    "--remote-index", list});
    EXPECT_EQ(r.exit_code, 2) << list << ": " << r.err;
    EXPECT_NE(r.err.find("--remote-index"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(named), std::string::npos) << list << ": " << r.err;
    CommandResult cli = RunDossier(*tmp_ / "all", {"--remote-index", list, "search", "water"});
    EXPECT_EQ(cli.exit_code, 2) << list << ": " << cli.err;
    EXPECT_NE(cli.err.find(named), std::string::npos) << list << ": " << cli.err;
  }
}

}  // namespace
}  // namespace dossier
