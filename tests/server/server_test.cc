// End-to-end tests of dossierd: the real binary over TCP on a free port,
// every response validated against its schema in schemas/ (and against the
// served OpenAPI document), search results compared with the CLI's, errors,
// limits, auth, CORS, readiness, live ingest and shutdown.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <xapian.h>

#include "server/server_process.h"
#include "src/allocator_tuning.h"
#include "support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CommandResult;
using testing::MakePdf;
using testing::ReadFile;
using testing::RunDossier;
using testing::SchemaErrors;
using testing::ServerProcess;
using testing::TempDir;
using testing::WriteFile;
using Clock = std::chrono::steady_clock;

// Three small documents with entities, recommendations, dates, two types and two sources.
void MakeArchive(const std::string& dir) {
  fs::create_directories(dir);
  MakePdf(dir + "/eval.pdf",
          "Evaluation of the Rural Water Programme\n"
          "The International Organization for Migration (IOM) supported wells in the northern region.\f"
          "Recommendations\n"
          "Recommendation 1: IOM should pursue decentralization of the water committees by 31 December 2020.\n"
          "Recommendation 2: The Ministry of Water should publish the well inventory by June 2021.",
          {.title = "Rural Water Programme Evaluation", .author = "Evaluation Office", .date = "2019-07-16"});
  MakePdf(dir + "/review.pdf",
          "Review of the Local Services Programme\n"
          "The United Nations Children's Fund (UNICEF) and IOM coordinated the review of decentralization in 2022.\f"
          "Recommendation 1: UNICEF should strengthen district planning by March 2023.",
          {.title = "Local Services Review", .author = "Review Team", .date = "2022-05-02"});
  WriteFile(dir + "/memo.txt", "Memo on decentralization and staffing of the district offices.");
}

std::string Get(httplib::Client& client, const std::string& target, int expected_status) {
  auto res = client.Get(target.c_str());
  EXPECT_TRUE(res) << target << ": no response";
  if (!res) return "";
  EXPECT_EQ(res->status, expected_status) << target << ": " << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8") << target;
  return res->body;
}

// One data folder and one server for the read-only tests of this suite.
class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir;
    data_ = *tmp_ / "data";
    MakeArchive(*tmp_ / "in");
    CommandResult ingest = RunDossier(data_, {"ingest", "-q", *tmp_ / "in"});
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
    server_ = new ServerProcess(data_);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete tmp_;
  }
  void SetUp() override {
    ASSERT_TRUE(server_->started());
    client_ = server_->Client();
  }
  // Validates `body` against schemas/`schema` and against the served OpenAPI
  // document's component `component`.
  void ExpectValid(const std::string& schema, const std::string& component, const std::string& body) {
    static int n = 0;
    const std::string file = *tmp_ / ("response-" + std::to_string(++n) + ".json");
    WriteFile(file, body);
    EXPECT_EQ(SchemaErrors(schema, file), "") << body.substr(0, 2000);
    if (openapi_file_.empty()) {
      openapi_file_ = *tmp_ / "openapi.json";
      WriteFile(openapi_file_, Get(*client_, "/openapi.json", 200));
    }
    CommandResult r = testing::Run({DOSSIER_NODE, std::string(DOSSIER_SOURCE_DIR) + "/tests/schema/validate_openapi.js",
                           openapi_file_, component, file});
    EXPECT_EQ(r.exit_code, 0) << r.err << r.out << body.substr(0, 2000);
  }
  void ExpectError(const std::string& target, int status, const std::string& code, const std::string& message_part) {
    const std::string body = Get(*client_, target, status);
    ExpectValid("error.schema.json", "Error", body);
    json error = json::parse(body, nullptr, false);
    EXPECT_EQ(error["error"]["code"], code) << target << ": " << body;
    EXPECT_NE(error["error"].value("message", "").find(message_part), std::string::npos) << target << ": " << body;
  }

  static TempDir* tmp_;
  static std::string data_;
  static ServerProcess* server_;
  static std::string openapi_file_;
  std::unique_ptr<httplib::Client> client_;
};
TempDir* ServerTest::tmp_ = nullptr;
std::string ServerTest::data_;
ServerProcess* ServerTest::server_ = nullptr;
std::string ServerTest::openapi_file_;

TEST_F(ServerTest, EveryEndpointAnswersJsonMatchingItsSchema) {
  ExpectValid("health.schema.json", "Health", Get(*client_, "/health", 200));
  ExpectValid("health.schema.json", "Health", Get(*client_, "/ready", 200));
  ExpectValid("stats.schema.json", "Stats", Get(*client_, "/v1/stats", 200));

  const std::string search = Get(*client_, "/v1/search?q=decentralization&limit=5", 200);
  ExpectValid("search-response.schema.json", "SearchResponse", search);
  const json hits = json::parse(search)["hits"];
  ASSERT_EQ(hits.size(), 3u) << search;
  EXPECT_NE(hits[0].value("snippet_html", "").find("<mark>"), std::string::npos) << search;
  EXPECT_GE(hits[0].value("page", 0), 1);
  EXPECT_FALSE(json::parse(search)["facets"]["year"].empty()) << search;
  // facet_values: the same counts, largest first, then by value, and how many values there are.
  for (const auto& [facet, counted] : json::parse(search)["facet_values"].items()) {
    const json& values = counted["values"];
    EXPECT_EQ(values.size(), json::parse(search)["facets"][facet].size()) << facet;
    EXPECT_GE(counted["total_values"].get<size_t>(), values.size()) << facet;
    for (size_t i = 1; i < values.size(); ++i) {
      const auto a = values[i - 1]["count"].get<uint64_t>(), b = values[i]["count"].get<uint64_t>();
      EXPECT_TRUE(a > b || (a == b && values[i - 1]["value"] < values[i]["value"])) << search;
    }
  }
  EXPECT_FALSE(json::parse(search)["facet_values"]["year"]["values"].empty()) << search;
  // facets=false: the same hits, no facet counts.
  const std::string no_facets = Get(*client_, "/v1/search?q=decentralization&limit=5&facets=false", 200);
  ExpectValid("search-response.schema.json", "SearchResponse", no_facets);
  EXPECT_TRUE(json::parse(no_facets)["facets"].empty()) << no_facets;
  EXPECT_TRUE(json::parse(no_facets)["facet_values"].empty()) << no_facets;
  EXPECT_EQ(json::parse(no_facets)["hits"], hits);

  const std::string documents = Get(*client_, "/v1/documents?limit=10", 200);
  ExpectValid("documents.schema.json", "DocumentList", documents);
  ASSERT_EQ(json::parse(documents)["documents"].size(), 3u);
  EXPECT_EQ(json::parse(documents)["total"], 3);
  const json second_document = json::parse(Get(*client_, "/v1/documents?limit=1&offset=1", 200));
  EXPECT_EQ(second_document["total"], 3);
  ASSERT_EQ(second_document["documents"].size(), 1u);
  EXPECT_EQ(second_document["documents"][0]["id"], json::parse(documents)["documents"][1]["id"]);
  std::string pdf_id;
  const json document_list = json::parse(documents);
  for (const auto& d : document_list["documents"]) {
    if (d["title"] == "Rural Water Programme Evaluation") pdf_id = d["id"];
  }
  ASSERT_FALSE(pdf_id.empty()) << documents;

  const std::string detail = Get(*client_, "/v1/documents/" + pdf_id, 200);
  ExpectValid("document-detail.schema.json", "DocumentDetail", detail);
  EXPECT_EQ(json::parse(detail)["pages"].size(), 2u);
  const std::string page = Get(*client_, "/v1/documents/" + pdf_id + "/pages/2", 200);
  ExpectValid("page.schema.json", "Page", page);
  EXPECT_NE(json::parse(page).value("text", "").find("Recommendation 1"), std::string::npos) << page;

  const std::string entities = Get(*client_, "/v1/entities?type=organisation", 200);
  ExpectValid("entities.schema.json", "Entities", entities);
  ExpectValid("entities.schema.json", "Entities", Get(*client_, "/v1/entities?doc=" + pdf_id + "&limit=5", 200));
  std::string iom_id;
  const json entity_list = json::parse(entities);
  for (const auto& e : entity_list["entities"]) {
    if (e["name"] == "International Organization for Migration") iom_id = e["id"];
  }
  ASSERT_FALSE(iom_id.empty()) << entities;
  // Paging walks one order (name, then id) and keeps the total: the pages of
  // one entity each put together are the whole list.
  const uint64_t entity_total = entity_list["total"];
  EXPECT_EQ(entity_total, entity_list["entities"].size());
  ASSERT_GE(entity_total, 3u);
  json paged = json::array();
  for (uint64_t offset = 0; offset < entity_total; ++offset) {
    const json one = json::parse(Get(*client_, "/v1/entities?type=organisation&limit=1&offset=" + std::to_string(offset), 200));
    EXPECT_EQ(one["total"], entity_total);
    ASSERT_EQ(one["entities"].size(), 1u);
    paged.push_back(one["entities"][0]["id"]);
  }
  for (size_t i = 0; i < entity_total; ++i) EXPECT_EQ(paged[i], entity_list["entities"][i]["id"]) << i;
  const std::string entity = Get(*client_, "/v1/entities/" + iom_id, 200);
  ExpectValid("entity.schema.json", "Entity", entity);
  EXPECT_EQ(json::parse(entity)["mentions_total"], json::parse(entity)["mentioned_in"].size()) << entity;
  // Mentions come a page at a time.
  const std::string first = Get(*client_, "/v1/entities/" + iom_id + "?mentions_limit=1", 200);
  ExpectValid("entity.schema.json", "Entity", first);
  EXPECT_EQ(json::parse(first)["mentioned_in"].size(), 1u) << first;
  EXPECT_EQ(json::parse(first)["mentions_total"], json::parse(entity)["mentions_total"]);
  EXPECT_EQ(json::parse(first)["mentioned_in"][0], json::parse(entity)["mentioned_in"][0]);
  EXPECT_TRUE(json::parse(Get(*client_, "/v1/entities/" + iom_id + "?mentions_offset=1000", 200))["mentioned_in"].empty());
  // By alias, percent-encoded.
  EXPECT_EQ(json::parse(Get(*client_, "/v1/entities/IOM", 200))["id"], iom_id);
  EXPECT_EQ(json::parse(Get(*client_, "/v1/entities/International%20Organization%20for%20Migration", 200))["id"], iom_id);

  const std::string recommendations = Get(*client_, "/v1/recommendations?responsible=IOM", 200);
  ExpectValid("recommendations.schema.json", "Recommendations", recommendations);
  EXPECT_EQ(json::parse(recommendations)["recommendations"].size(), 1u) << recommendations;
  ExpectValid("recommendations.schema.json", "Recommendations",
              Get(*client_, "/v1/recommendations?doc=" + pdf_id + "&due_before=2030-01-01&overdue_as_of=2025-01-01", 200));
  EXPECT_EQ(json::parse(Get(*client_, "/v1/recommendations?doc=" + pdf_id, 200))["recommendations"].size(), 2u);
  EXPECT_EQ(json::parse(Get(*client_, "/v1/recommendations?responsible=Nobody%20Known", 200))["recommendations"].size(), 0u);
  EXPECT_EQ(json::parse(Get(*client_, "/v1/recommendations", 200))["recommendations"].size(), 3u);
  EXPECT_EQ(json::parse(Get(*client_, "/v1/recommendations?recurring=true", 200))["recommendations"].size(), 0u);
  // Paged: `total` counts every match, the list holds `limit` of them from `offset`.
  const std::string second = Get(*client_, "/v1/recommendations?limit=1&offset=1", 200);
  ExpectValid("recommendations.schema.json", "Recommendations", second);
  EXPECT_EQ(json::parse(second)["total"], 3);
  EXPECT_EQ(json::parse(second)["offset"], 1);
  ASSERT_EQ(json::parse(second)["recommendations"].size(), 1u);
  EXPECT_EQ(json::parse(second)["recommendations"][0]["id"],
            json::parse(Get(*client_, "/v1/recommendations", 200))["recommendations"][1]["id"]);
  EXPECT_TRUE(json::parse(Get(*client_, "/v1/recommendations?offset=3", 200))["recommendations"].empty());
  // Ranked by a query through the item index, and items of every type.
  const std::string ranked = Get(*client_, "/v1/recommendations?q=decentralization", 200);
  ExpectValid("recommendations.schema.json", "Recommendations", ranked);
  ASSERT_EQ(json::parse(ranked)["recommendations"].size(), 1u) << ranked;
  const json ranked_first = json::parse(ranked)["recommendations"][0];
  EXPECT_EQ(ranked_first["rank"], 1);
  EXPECT_NE(ranked_first["snippet"].get<std::string>().find("<mark>decentralization</mark>"), std::string::npos);
  EXPECT_EQ(json::parse(ranked)["facets"]["responsible"]["values"][0]["value"], "International Organization for Migration");
  const std::string items = Get(*client_, "/v1/items?q=publish%20OR%20planning&type=recommendation", 200);
  ExpectValid("items.schema.json", "Items", items);
  EXPECT_EQ(json::parse(items)["total"], 2) << items;
  const std::string similar = Get(*client_, "/v1/recommendations/" + ranked_first["id"].get<std::string>() + "/similar", 200);
  ExpectValid("recommendations.schema.json", "Recommendations", similar);
  for (const json& r : json::parse(similar)["recommendations"]) EXPECT_NE(r["document"], ranked_first["document"]);
  Get(*client_, "/v1/recommendations/R:0000000000000000/similar", 404);
  Get(*client_, "/v1/items?q=water&action_status=sleeping", 400);
  ExpectValid("actions.schema.json", "Actions", Get(*client_, "/v1/actions?q=wells", 200));
  EXPECT_EQ(json::parse(Get(*client_, "/v1/actions?limit=5", 200))["total"], 0);
  // Follow-up (this archive has no management response: empty but well-formed).
  const std::string actions = Get(*client_, "/v1/actions?as_of=2026-01-01&status=initiated", 200);
  ExpectValid("actions.schema.json", "Actions", actions);
  EXPECT_EQ(json::parse(actions)["as_of"], "2026-01-01");
  ExpectValid("followup.schema.json", "FollowUp", Get(*client_, "/v1/followup?as_of=2026-01-01", 200));
  // Near-duplicates: this archive has none (well-formed and empty); dossier duplicates shares the query.
  const std::string duplicates = Get(*client_, "/v1/duplicates?limit=10", 200);
  ExpectValid("duplicates.schema.json", "Duplicates", duplicates);
  EXPECT_EQ(json::parse(duplicates)["total"], 0) << duplicates;

  const std::string neighbors = Get(*client_, "/v1/graph/neighbors/" + iom_id + "?depth=2", 200);
  ExpectValid("neighbors.schema.json", "Neighbors", neighbors);
  EXPECT_GT(json::parse(neighbors)["edges"].size(), 0u);
  ExpectValid("neighbors.schema.json", "Neighbors",
              Get(*client_, "/v1/graph/neighbors/D:" + pdf_id + "?edge=mentions", 200));

  // Never compressed (a large body would cost seconds of CPU in brotli).
  auto compressed = client_->Get("/v1/stats", {{"Accept-Encoding", "br, gzip"}});
  ASSERT_TRUE(compressed);
  EXPECT_FALSE(compressed->has_header("Content-Encoding"));
  EXPECT_NO_THROW(json::parse(compressed->body));

  // HEAD: the same status and headers, no body.
  auto head = client_->Head("/v1/stats");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
}

// The CLI's `search --json` and the server's /v1/search give the same JSON
// for the same query, options and data.
TEST_F(ServerTest, SearchGivesTheSameResultsAsTheCli) {
  struct Case {
    std::vector<std::string> cli;
    std::string http;
  };
  const std::vector<Case> cases = {
      {{"decentralization"}, "q=decentralization"},
      {{"wells OR staffing", "--limit", "1", "--offset", "1"}, "q=wells%20OR%20staffing&limit=1&offset=1"},
      {{"decentralization", "--type", "application/pdf"}, "q=decentralization&type=application%2Fpdf"},
      {{"decentralization", "--source", "plain_text"}, "q=decentralization&source=plain_text"},
      {{"decentralization", "--lang", "en"}, "q=decentralization&lang=en"},
      {{"decentralization", "--year", "2019..2020"}, "q=decentralization&year_from=2019&year_to=2020"},
      {{"decentralization", "--org", "IOM"}, "q=decentralization&org=IOM"},
      {{"\"water committees\""}, "q=%22water%20committees%22"},
      {{"nothingmatchesthis"}, "q=nothingmatchesthis"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"search", "--json"};
    args.insert(args.end(), c.cli.begin(), c.cli.end());
    CommandResult cli = RunDossier(data_, args);
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    const json from_cli = json::parse(cli.out);
    const json from_http = json::parse(Get(*client_, "/v1/search?" + c.http, 200));
    EXPECT_EQ(from_http, from_cli) << c.http;
  }
  // The filters did filter.
  EXPECT_EQ(json::parse(Get(*client_, "/v1/search?q=decentralization&source=plain_text", 200))["total"], 1);
  EXPECT_EQ(json::parse(Get(*client_, "/v1/search?q=decentralization&type=application/pdf", 200))["total"], 2);
  EXPECT_EQ(json::parse(Get(*client_, "/v1/search?q=decentralization&year_from=2022", 200))["total"], 1);
}

// QueryService checks ranges, dates, date ranges and values and names the
// request field; the 400 starts with the query parameter's name.
TEST_F(ServerTest, ErrorsStartWithTheParameterName) {
  for (const auto& [target, parameter] : std::vector<std::pair<std::string, std::string>>{
           {"/v1/actions?offset=100001", "offset"},
           {"/v1/documents?offset=100001", "offset"},
           {"/v1/actions?due_before=2023-02-29", "due_before"},
           {"/v1/actions?status=finished", "status"},
           {"/v1/items?q=water&year_from=2022&year_to=2020", "year_to"},
           {"/v1/items?q=water&type=memo", "type"},
           {"/v1/followup?as_of=", "as_of"}}) {
    const json error = json::parse(Get(*client_, target, 400), nullptr, false);
    EXPECT_EQ(error["error"].value("message", "").rfind(parameter + ": ", 0), 0u) << target << ": " << error;
  }
}

TEST_F(ServerTest, ErrorsAreJsonWithTheRightStatus) {
  ExpectError("/v1/search?q=water&limit=abc", 400, "invalid_argument", "limit");
  ExpectError("/v1/search?q=water&limit=0", 400, "invalid_argument", "limit");
  ExpectError("/v1/search?q=water&limit=1001", 400, "invalid_argument", "limit");
  ExpectError("/v1/search?q=water&offset=-1", 400, "invalid_argument", "offset");
  ExpectError("/v1/search", 400, "invalid_argument", "q");
  ExpectError("/v1/search?q=", 400, "invalid_argument", "q");
  ExpectError("/v1/search?q=" + std::string(4097, 'a'), 400, "invalid_argument", "q");
  ExpectError("/v1/search?q=water&q=wells", 400, "invalid_argument", "q");
  ExpectError("/v1/search?q=water&lmit=5", 400, "invalid_argument", "lmit");
  ExpectError("/v1/search?q=%FF%FE", 400, "invalid_argument", "UTF-8");
  ExpectError("/v1/search?q=water&source=scanned", 400, "invalid_argument", "source");
  ExpectError("/v1/search?q=water&year_from=20x", 400, "invalid_argument", "year_from");
  ExpectError("/v1/search?q=water&year_from=2022&year_to=2020", 400, "invalid_argument", "year_to");
  ExpectError("/v1/search?q=water&lang=English", 400, "invalid_argument", "lang");
  ExpectError("/v1/documents?limit=x", 400, "invalid_argument", "limit");
  ExpectError("/v1/documents/not-an-id", 400, "invalid_argument", "id");
  ExpectError("/v1/documents/0123456789abcdef", 404, "not_found", "0123456789abcdef");
  ExpectError("/v1/documents/0123456789abcdef/pages/1", 404, "not_found", "0123456789abcdef");
  ExpectError("/v1/documents/0123456789abcdef/pages/x", 404, "not_found", "0123456789abcdef");
  ExpectError("/v1/entities?type=person", 400, "invalid_argument", "type");
  ExpectError("/v1/entities/Nobody%20At%20All", 404, "not_found", "Nobody At All");
  ExpectError("/v1/entities/IOM?mentions_limit=0", 400, "invalid_argument", "mentions_limit");
  ExpectError("/v1/entities/IOM?mentions_limit=1001", 400, "invalid_argument", "mentions_limit");
  ExpectError("/v1/entities/IOM?mentions_offset=x", 400, "invalid_argument", "mentions_offset");
  ExpectError("/v1/search?q=water&facets=yes", 400, "invalid_argument", "facets");
  ExpectError("/v1/recommendations?due_before=June", 400, "invalid_argument", "due_before");
  ExpectError("/v1/actions?status=finished", 400, "invalid_argument", "status");
  ExpectError("/v1/recommendations?limit=0", 400, "invalid_argument", "limit");
  ExpectError("/v1/actions?offset=-1", 400, "invalid_argument", "offset");
  ExpectError("/v1/followup?as_of=tomorrow", 400, "invalid_argument", "as_of");
  ExpectError("/v1/duplicates?limit=1001", 400, "invalid_argument", "limit");
  ExpectError("/v1/recommendations?overdue_as_of=2020-1-1", 400, "invalid_argument", "overdue_as_of");
  // Dates are real calendar days.
  ExpectError("/v1/recommendations?due_before=2023-02-29", 400, "invalid_argument", "due_before");
  ExpectError("/v1/actions?overdue_as_of=2024-13-01", 400, "invalid_argument", "overdue_as_of");
  ExpectError("/v1/followup?as_of=2024-04-31", 400, "invalid_argument", "as_of");
  EXPECT_EQ(json::parse(Get(*client_, "/v1/actions?as_of=2024-02-29", 200))["as_of"], "2024-02-29");
  ExpectError("/v1/graph/neighbors/O:0123456789abcdef?depth=0", 400, "invalid_argument", "depth");
  ExpectError("/v1/graph/neighbors/O:0123456789abcdef?depth=4", 400, "invalid_argument", "depth");
  ExpectError("/v1/graph/neighbors/O:0123456789abcdef", 404, "not_found", "O:0123456789abcdef");
  ExpectError("/v1/graph/neighbors/nonsense", 400, "invalid_argument", "node");
  ExpectError("/v1/stats?verbose=1", 400, "invalid_argument", "verbose");
  ExpectError("/v1/nothing", 404, "not_found", "/v1/nothing");
  ExpectError("/v1/search/", 404, "not_found", "/v1/search/");
  ExpectError("/nothing", 404, "not_found", "no route");  // "/" redirects to the web page (ui_serving_test.cc)

  // A query Xapian cannot parse is not an error (it is taken as words), and never a crash.
  for (const char* q : {"%22unclosed", "((((", "title%3A", "*", "org%3A%22", "year%3A99999999999"}) {
    Get(*client_, std::string("/v1/search?q=") + q, 200);
  }
  ExpectError("/v1/search?q=AND%20OR%20NOT", 400, "invalid_argument", "query");

  auto post = client_->Post("/v1/search", "q=water", "application/x-www-form-urlencoded");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "GET, HEAD, OPTIONS");
  ExpectValid("error.schema.json", "Error", post->body);
  auto del = client_->Delete("/v1/documents");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);

  auto big = client_->Post("/v1/search", std::string(200 * 1024, 'x'), "text/plain");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  ExpectValid("error.schema.json", "Error", big->body);

  auto long_uri = client_->Get(("/v1/search?q=" + std::string(10000, 'a')).c_str());
  ASSERT_TRUE(long_uri);
  EXPECT_EQ(long_uri->status, 414);
  ExpectValid("error.schema.json", "Error", long_uri->body);
}

// Garbage on the socket gets a 4xx (or a closed connection), never a crash or a 5xx.
TEST_F(ServerTest, HostileRequestsDoNotCrashIt) {
  const int port = server_->port();
  const std::vector<std::string> requests = {
      "GARBAGE\r\n\r\n",
      "GET\r\n\r\n",
      "GET /v1/search?q=%%%%%%% HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /v1/search?q=a%00b HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /v1/entities/%2F%2F%2E%2E%2F HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /v1/search?q=water HTTP/1.1\r\nRange: bytes=999999-9999999\r\n\r\n",
      "GET /v1/search?q=water HTTP/1.1\r\nRange: bytes=0-1,3-4,5-6\r\n\r\n",
      "GET /v1/search?q=water HTTP/1.1\r\nRange: bytes=99999999999999999999999-\r\n\r\n",
      "GET /v1/stats HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
      "POST /v1/stats HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
      "POST /v1/stats HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n",
      "GET /v1/stats HTTP/1.1\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n",
      "GET /v1/stats HTTP/1.1\r\n" + std::string(5000, '\n'),
      "GET /v1/stats HTTP/9.9\r\n\r\n",
      "GET http://evil.example/v1/stats HTTP/1.1\r\n\r\n",
      "BREW /v1/stats HTTP/1.1\r\n\r\n",
      "GET /v1/stats HTTP/1.1\r\nAuthorization: Bearer\r\nOrigin: \x01\x02\r\n\r\n",
      std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11),
  };
  for (const std::string& request : requests) {
    const std::string response = testing::RawExchange(port, request);
    if (response.size() >= 12) {
      const int status = std::atoi(response.substr(9, 3).c_str());
      EXPECT_LT(status, 500) << request.substr(0, 80) << " -> " << response.substr(0, 300);
    }
    auto health = client_->Get("/health");
    ASSERT_TRUE(health) << "no answer after " << request.substr(0, 80);
    ASSERT_EQ(health->status, 200);
  }
}

TEST_F(ServerTest, AccessLogHasMethodPathStatusAndLatency) {
  Get(*client_, "/v1/stats", 200);
  Get(*client_, "/v1/nothing-here", 404);
  // Each line is written once its response is sent, by the thread that sent
  // it, so the two may come in either order and late on a loaded machine:
  // wait (up to 5 s) for both.
  std::string log;
  auto both = [&] {
    log = server_->Log();
    return log.find("GET /v1/stats 200 ") != std::string::npos && log.find("GET /v1/nothing-here 404 ") != std::string::npos;
  };
  for (int i = 0; i < 500 && !both(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_NE(log.find("GET /v1/stats 200 "), std::string::npos) << log;
  EXPECT_NE(log.find("GET /v1/nothing-here 404 "), std::string::npos) << log;
  EXPECT_NE(log.find(" ms\n"), std::string::npos) << log;
}

// ---- servers of their own ----

TEST(ServerAuthTest, BearerTokenIsRequiredExceptOnHealth) {
  TempDir tmp;
  MakeArchive(tmp / "in");
  ASSERT_EQ(RunDossier(tmp / "data", {"ingest", "-q", tmp / "in"}).exit_code, 0);
  WriteFile(tmp / "token", "s3cret-token\n");
  ServerProcess server(tmp / "data", {"--token-file", tmp / "token"});
  ASSERT_TRUE(server.started());
  auto client = server.Client();
  EXPECT_EQ(client->Get("/health")->status, 200);
  for (const char* target : {"/v1/stats", "/ready", "/openapi.json", "/v1/nothing"}) {
    auto res = client->Get(target);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << target;
    EXPECT_EQ(res->get_header_value("WWW-Authenticate"), "Bearer realm=\"dossier\"");
    EXPECT_EQ(json::parse(res->body)["error"]["code"], "unauthenticated") << res->body;
  }
  EXPECT_EQ(client->Get("/v1/stats", {{"Authorization", "Bearer wrong"}})->status, 401);
  EXPECT_EQ(client->Get("/v1/stats", {{"Authorization", "Bearer s3cret-token-and-more"}})->status, 401);
  EXPECT_EQ(client->Get("/v1/stats", {{"Authorization", "Basic s3cret-token"}})->status, 401);
  EXPECT_EQ(client->Get("/v1/stats", {{"Authorization", "Bearer s3cret-token"}})->status, 200);
  EXPECT_EQ(client->Get("/v1/nothing", {{"Authorization", "Bearer s3cret-token"}})->status, 404);
}

TEST(ServerCorsTest, OffByDefaultOnWithAnOrigin) {
  TempDir tmp;
  MakeArchive(tmp / "in");
  ASSERT_EQ(RunDossier(tmp / "data", {"ingest", "-q", tmp / "in"}).exit_code, 0);
  {
    ServerProcess server(tmp / "data");
    ASSERT_TRUE(server.started());
    auto res = server.Client()->Get("/v1/stats", {{"Origin", "https://app.example.org"}});
    ASSERT_TRUE(res);
    EXPECT_FALSE(res->has_header("Access-Control-Allow-Origin"));
  }
  ServerProcess server(tmp / "data", {"--cors-origin", "https://app.example.org"});
  ASSERT_TRUE(server.started());
  auto client = server.Client();
  auto res = client->Get("/v1/stats", {{"Origin", "https://app.example.org"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Access-Control-Allow-Origin"), "https://app.example.org");
  auto other = client->Get("/v1/stats", {{"Origin", "https://evil.example"}});
  EXPECT_FALSE(other->has_header("Access-Control-Allow-Origin"));
  auto preflight = client->Options("/v1/search", {{"Origin", "https://app.example.org"},
                                                  {"Access-Control-Request-Method", "GET"},
                                                  {"Access-Control-Request-Headers", "authorization"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);
  EXPECT_EQ(preflight->get_header_value("Access-Control-Allow-Origin"), "https://app.example.org");
  EXPECT_NE(preflight->get_header_value("Access-Control-Allow-Headers").find("Authorization"), std::string::npos);
}

// Started before the data folder exists: alive, not ready (503), then ready
// once an ingest created it, without a restart.
TEST(ServerLifecycleTest, NotReadyUntilTheDataFolderExists) {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  ASSERT_TRUE(server.started());
  auto client = server.Client();
  EXPECT_EQ(client->Get("/health")->status, 200);
  auto ready = client->Get("/ready");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 503);
  WriteFile(tmp / "error.json", ready->body);
  EXPECT_EQ(SchemaErrors("error.schema.json", tmp / "error.json"), "") << ready->body;
  EXPECT_EQ(json::parse(ready->body)["error"]["code"], "unavailable");
  EXPECT_EQ(client->Get("/v1/search?q=water")->status, 503);

  MakeArchive(tmp / "in");
  ASSERT_EQ(RunDossier(tmp / "data", {"ingest", "-q", tmp / "in"}).exit_code, 0);
  // Ready, and (the folder may have been opened mid-ingest) caught up. The
  // bound is generous: on a loaded 2-core CI machine 5 s was once too short.
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  int status = 0;
  json found;
  while (Clock::now() < deadline) {
    status = client->Get("/ready")->status;
    if (status == 200) {
      found = json::parse(client->Get("/v1/search?q=decentralization")->body);
      if (found["total"] == 3) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(status, 200) << server.Log();
  EXPECT_EQ(found["total"], 3) << found.dump() << server.Log();
}

// The largest SST file of a data folder (the page texts, in these tests).
fs::path LargestSst(const std::string& data) {
  fs::path largest;
  for (const auto& entry : fs::directory_iterator(fs::path(data) / "rocksdb")) {
    if (entry.path().extension() != ".sst") continue;
    if (largest.empty() || entry.file_size() > fs::file_size(largest)) largest = entry.path();
  }
  return largest;
}

// A search index an older version made (text format 5 here) is served as
// it is, and the log says that the next writing command re-indexes it.
TEST(ServerLifecycleTest, SaysWhenTheSearchIndexIsOfAnOlderVersion) {
  TempDir tmp;
  MakeArchive(tmp / "in");
  ASSERT_EQ(RunDossier(tmp / "data", {"ingest", "-q", tmp / "in"}).exit_code, 0);
  const std::string note = "was made by an older version of dossier";
  // The log once it holds `text` (or after 10 s).
  auto log_with = [](ServerProcess& server, const std::string& text) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (server.Log().find(text) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return server.Log();
  };
  {
    ServerProcess server(tmp / "data");
    ASSERT_TRUE(server.started());
    const std::string log = log_with(server, "ready: data folder");
    EXPECT_NE(log.find("ready: data folder"), std::string::npos) << log;
    // What the first searches need is made before dossierd says it is ready.
    EXPECT_LT(log.find("prepared the first searches in "), log.find("ready: data folder")) << log;
    EXPECT_EQ(server.Client()->Get("/ready")->status, 200);
    // The note would have been written right after "ready", by the same thread.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(server.Log().find(note), std::string::npos) << server.Log();
  }
  {
    Xapian::WritableDatabase index(tmp / "data/xapian", Xapian::DB_OPEN);
    index.set_metadata("dossier.text_format", "5");
    index.commit();
  }
  ServerProcess server(tmp / "data");
  ASSERT_TRUE(server.started());
  const std::string log = log_with(server, note);
  EXPECT_NE(log.find("note: the search index of " + (tmp / "data") + " " + note), std::string::npos) << log;
  EXPECT_NE(log.find("'dossier ingest', 'remove' or 'compact'"), std::string::npos) << log;
  EXPECT_EQ(server.Client()->Get("/v1/search?q=decentralization")->status, 200);
}

// A truncated SST file: found when the folder is opened; /ready and every
// query answer 503 with the reason, and the process goes on.
TEST(ServerLifecycleTest, ADamagedDataFolderIsNotReady) {
  TempDir tmp;
  MakeArchive(tmp / "in");
  ASSERT_EQ(RunDossier(tmp / "data", {"ingest", "-q", tmp / "in"}).exit_code, 0);
  const fs::path victim = LargestSst(tmp / "data");
  ASSERT_FALSE(victim.empty());
  fs::resize_file(victim, fs::file_size(victim) / 2);
  ServerProcess server(tmp / "data");
  ASSERT_TRUE(server.started());
  auto client = server.Client();
  EXPECT_EQ(client->Get("/health")->status, 200);
  for (const char* target : {"/ready", "/v1/search?q=decentralization", "/v1/recommendations", "/v1/stats"}) {
    auto res = client->Get(target);
    ASSERT_TRUE(res) << target;
    EXPECT_EQ(res->status, 503) << target << ": " << res->body;
    const json error = json::parse(res->body, nullptr, false);
    const std::string message = error["error"].value("message", "");
    EXPECT_NE(message.find("the data folder is damaged"), std::string::npos) << target << ": " << res->body;
    EXPECT_NE(message.find(victim.filename().string()), std::string::npos) << target << ": " << res->body;
  }
  WriteFile(tmp / "error.json", client->Get("/ready")->body);
  EXPECT_EQ(SchemaErrors("error.schema.json", tmp / "error.json"), "");
}

// Damage met by a read (a flipped bit: the file sizes are right, the block
// checksum is not): that request answers 503 data_loss, and from then on
// /ready and every query say so.
TEST(ServerLifecycleTest, DamageMetByAReadMakesItNotReady) {
  TempDir tmp;
  MakeArchive(tmp / "in");
  ASSERT_EQ(RunDossier(tmp / "data", {"ingest", "-q", tmp / "in"}).exit_code, 0);
  // The largest table file (not one the open reads), in its first data block.
  const fs::path victim = LargestSst(tmp / "data");
  ASSERT_FALSE(victim.empty());
  {
    std::fstream f(victim, std::ios::in | std::ios::out | std::ios::binary);
    char c = 0;
    f.seekg(20);
    f.read(&c, 1);
    c = static_cast<char>(c ^ 0x10);
    f.seekp(20);
    f.write(&c, 1);
  }
  ServerProcess server(tmp / "data");
  ASSERT_TRUE(server.started());
  auto client = server.Client();
  ASSERT_EQ(client->Get("/ready")->status, 200) << server.Log();
  // Answers that do not read the damaged block are right; the first that does fails.
  // (The largest file may hold the documents' structures: each is asked for too.)
  std::string damaged;
  std::vector<std::string> targets = {"/v1/search?q=decentralization", "/v1/recommendations", "/v1/entities",
                                      "/v1/stats", "/v1/documents"};
  for (size_t i = 0; i < targets.size(); ++i) {
    const std::string target = targets[i];  // a copy: targets grows below
    auto res = client->Get(target.c_str());
    ASSERT_TRUE(res) << target;
    if (res->status == 200 && target == "/v1/documents") {
      const json listed = json::parse(res->body);
      for (const json& doc : listed["documents"]) {
        targets.push_back("/v1/documents/" + doc["id"].get<std::string>() + "/structure");
      }
    }
    if (res->status == 200) continue;
    EXPECT_EQ(res->status, 503) << target << ": " << res->body;
    EXPECT_EQ(json::parse(res->body)["error"]["code"], "data_loss") << res->body;
    EXPECT_NE(res->body.find("Corruption"), std::string::npos) << res->body;
    damaged = target;
    break;
  }
  ASSERT_FALSE(damaged.empty()) << "no request read the damaged block";
  auto ready = client->Get("/ready");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 503) << ready->body;
  EXPECT_EQ(json::parse(ready->body)["error"]["code"], "data_loss") << ready->body;
  EXPECT_EQ(client->Get("/v1/stats")->status, 503);
  EXPECT_EQ(client->Get("/health")->status, 200);
  EXPECT_NE(server.Log().find("the data folder is damaged"), std::string::npos) << server.Log();
}

// An ingest into the data folder the server reads: the new document is found
// within 5 s, and searches during the ingest all succeed.
TEST(ServerLifecycleTest, DocumentsIngestedWhileRunningAppearWithinFiveSeconds) {
  TempDir tmp;
  MakeArchive(tmp / "in");
  ASSERT_EQ(RunDossier(tmp / "data", {"ingest", "-q", tmp / "in"}).exit_code, 0);
  ServerProcess server(tmp / "data");
  ASSERT_TRUE(server.started());
  auto client = server.Client();
  EXPECT_EQ(json::parse(client->Get("/v1/search?q=aquifer")->body)["total"], 0);
  // Repeated, it comes from the response cache, which the ingest below must not leave stale.
  auto repeated = client->Get("/v1/search?q=aquifer");
  ASSERT_TRUE(repeated);
  EXPECT_EQ(repeated->get_header_value("X-Dossier-Cache"), "hit");
  EXPECT_EQ(json::parse(repeated->body)["total"], 0);

  std::atomic<bool> stop{false};
  std::atomic<int> failures{0}, requests{0};
  std::thread searcher([&] {
    // One kept-alive connection at a client's pace: a new connection per
    // request as fast as cached answers come would use up the machine's
    // ephemeral ports (TIME_WAIT) while other tests run.
    auto c = server.Client();
    c->set_keep_alive(true);
    while (!stop) {
      auto res = c->Get("/v1/search?q=decentralization&limit=3");
      ++requests;
      if (!res || res->status != 200) ++failures;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  fs::create_directories(tmp / "more");
  for (int i = 0; i < 5; ++i) {
    MakePdf(tmp / ("more/extra" + std::to_string(i) + ".pdf"), "Filler report " + std::to_string(i) + " on staffing.");
  }
  MakePdf(tmp / "more/new.pdf", "Hydrogeology note\nThe aquifer beneath the district is recharging slowly.",
          {.title = "Aquifer Note", .date = "2024-01-10"});
  CommandResult ingest = RunDossier(tmp / "data", {"ingest", "-q", tmp / "more"});
  const auto ingested = Clock::now();
  EXPECT_EQ(ingest.exit_code, 0) << ingest.err;
  json found;
  while (ingest.exit_code == 0 && Clock::now() - ingested < std::chrono::seconds(5)) {
    auto res = client->Get("/v1/search?q=aquifer");
    if (!res) {
      ADD_FAILURE() << "no answer: " << httplib::to_string(res.error()) << server.Log();
      break;
    }
    found = json::parse(res->body);
    if (found["total"] == 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop = true;
  searcher.join();
  EXPECT_EQ(found["total"], 1) << found.dump() << server.Log();
  if (found["total"] == 1) {
    EXPECT_EQ(found["hits"][0]["title"], "Aquifer Note");
    const std::string id = found["hits"][0]["id"];
    EXPECT_EQ(client->Get(("/v1/documents/" + id).c_str())->status, 200);
  }
  EXPECT_EQ(failures, 0) << "of " << requests << " searches during the ingest";
  EXPECT_EQ(server.Log().find("lock"), std::string::npos) << server.Log();
}

// The lines of /proc/PID/maps that map an index table file (read-only,
// shared: src/mapped_index_reads.h), of the live files and of deleted ones
// (a compaction's old files end in ".glass (deleted)").
std::vector<std::string> IndexMappings(pid_t pid) {
  std::vector<std::string> lines;
  std::istringstream maps(ReadFile("/proc/" + std::to_string(pid) + "/maps"));
  for (std::string line; std::getline(maps, line);) {
    if (line.find(" r--s ") != std::string::npos && line.find(".glass") != std::string::npos) lines.push_back(line);
  }
  return lines;
}

// dossierd reads the index's table files from mappings (src/mapped_index_reads.h):
// after a search its address space holds read-only shared mappings of
// xapian/'s files, and the answer is the one a server reading them with
// pread() gives (--map-index-mb 0, which maps nothing).
TEST(ServerLifecycleTest, SearchesReadTheIndexFromMappingsUnlessTurnedOff) {
  TempDir tmp;
  MakeArchive(tmp / "in");
  ASSERT_EQ(RunDossier(tmp / "data", {"ingest", "-q", tmp / "in"}).exit_code, 0);
  std::string answers[2];
  for (int off = 0; off < 2; ++off) {
    ServerProcess server(tmp / "data", off ? std::vector<std::string>{"--cache-mb", "0", "--map-index-mb", "0"}
                                           : std::vector<std::string>{"--cache-mb", "0"});
    ASSERT_TRUE(server.started());
    auto c = server.Client();
    for (const char* query : {"decentralization", "rural%20water", "%22water%20programme%22"}) {
      auto res = c->Get(std::string("/v1/search?q=") + query);
      ASSERT_TRUE(res && res->status == 200) << query;
      answers[off] += res->body + "\n";
    }
    std::string tables;
    for (const std::string& line : IndexMappings(server.pid())) tables += line.substr(line.rfind('/') + 1) + " ";
    if (off) {
      EXPECT_EQ(tables, "") << "--map-index-mb 0 maps nothing";
    } else {
      EXPECT_NE(tables.find("postlist.glass"), std::string::npos) << tables;
      EXPECT_NE(tables.find("position.glass"), std::string::npos) << tables;
    }
  }
  EXPECT_NE(answers[0].find("Rural Water"), std::string::npos) << answers[0];
  EXPECT_EQ(answers[0], answers[1]);
}

// A compaction swaps a new xapian/ in under a server reading the old one from
// mappings: every search is answered, with the same hits, and once the
// server has moved to the new index no mapping of the old files is left.
TEST(ServerLifecycleTest, ACompactionUnderTheMappedIndexKeepsEveryAnswer) {
  TempDir tmp;
  MakeArchive(tmp / "in");
  ASSERT_EQ(RunDossier(tmp / "data", {"ingest", "-q", tmp / "in"}).exit_code, 0);
  ServerProcess server(tmp / "data", {"--cache-mb", "0"});
  ASSERT_TRUE(server.started());
  auto c = server.Client();
  auto hits = [&c]() -> std::string {
    auto res = c->Get("/v1/search?q=rural%20water");
    if (!res || res->status != 200) return res ? "status " + std::to_string(res->status) : "no answer";
    return json::parse(res->body)["hits"].dump();
  };
  const std::string before = hits();
  ASSERT_NE(before.find("Rural Water"), std::string::npos) << before;
  auto deleted_mappings = [&server] {
    const std::vector<std::string> lines = IndexMappings(server.pid());
    return std::count_if(lines.begin(), lines.end(),
                         [](const std::string& line) { return line.find("(deleted)") != std::string::npos; });
  };
  std::atomic<bool> stop{false};
  std::atomic<int> answered{0}, wrong{0};
  std::string first_wrong;  // what the first wrong answer was (the reader's only)
  std::thread reader([&] {
    auto own = server.Client();
    while (!stop) {
      auto res = own->Get("/v1/search?q=rural%20water");
      std::string hits_now;
      if (res && res->status == 200) hits_now = json::parse(res->body)["hits"].dump();
      if (!res || res->status != 200 || hits_now != before) {
        if (wrong++ == 0) {
          first_wrong = !res ? "no answer: " + httplib::to_string(res.error())
                             : "status " + std::to_string(res->status) + ": " + res->body.substr(0, 2000);
        }
      }
      ++answered;
    }
  });
  const CommandResult compact = RunDossier(tmp / "data", {"compact"});
  EXPECT_EQ(compact.exit_code, 0) << compact.err;
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (deleted_mappings() > 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop = true;
  reader.join();
  EXPECT_GT(answered.load(), 0);
  EXPECT_EQ(wrong.load(), 0) << "of " << answered.load() << "; the first: " << first_wrong << "\nexpected hits: " << before
                             << "\n" << server.Log();
  EXPECT_EQ(hits(), before);
  EXPECT_EQ(deleted_mappings(), 0) << ReadFile("/proc/" + std::to_string(server.pid()) + "/maps");
}

// A writer that fails (its files cannot grow: a full disk) does not stop the
// server: every request during and after the failed ingest is answered, the
// folder stays ready, and what the next ingest finishes shows up.
TEST(ServerLifecycleTest, ReadsGoOnWhileAWriterFailsForLackOfSpace) {
  TempDir tmp;
  MakeArchive(tmp / "in");
  ASSERT_EQ(RunDossier(tmp / "data", {"ingest", "-q", tmp / "in"}).exit_code, 0);
  ServerProcess server(tmp / "data", {"--cache-mb", "0"});
  ASSERT_TRUE(server.started());
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0}, requests{0};
  std::string first_failure;
  std::mutex failure_mutex;
  std::thread reader([&] {
    auto c = server.Client();
    c->set_keep_alive(true);
    int i = 0;
    while (!stop) {
      const char* path = (++i % 3 == 0) ? "/ready" : (i % 3 == 1) ? "/v1/search?q=decentralization" : "/v1/recommendations";
      auto res = c->Get(path);
      ++requests;
      if (!res || res->status != 200) {
        if (failures++ == 0) {
          std::lock_guard<std::mutex> lock(failure_mutex);
          first_failure = std::string(path) + ": " + (res ? std::to_string(res->status) + " " + res->body : "no answer");
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  fs::create_directories(tmp / "more");
  for (int i = 0; i < 40; ++i) {
    std::string text = "Aquifer report " + std::to_string(i) + "\n\n";
    for (int w = 0; w < 1500; ++w) text += "aquifer" + std::to_string((i * 7919 + w * 104729) % 100003) + (w % 12 == 11 ? ".\n" : " ");
    WriteFile(tmp / ("more/r" + std::to_string(i) + ".txt"), text);
  }
  // Every file dossier writes is limited to 160 KiB, SIGXFSZ ignored: writes past it fail (EFBIG).
  CommandResult failed = testing::Run({"/bin/sh", "-c", "trap '' XFSZ; exec prlimit --fsize=163840 \"$@\"", "sh",
                                       DOSSIER_CLI, "--data", tmp / "data", "--plugin-dir", DOSSIER_PLUGIN_DIR, "ingest",
                                       "-q", tmp / "more"});
  EXPECT_EQ(failed.exit_code, 1) << failed.err;
  EXPECT_NE(failed.err.find("cannot write to the data folder"), std::string::npos) << failed.err;
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // several refreshes after the failure
  auto client = server.Client();
  EXPECT_EQ(client->Get("/ready")->status, 200) << server.Log();
  EXPECT_EQ(json::parse(client->Get("/v1/search?q=decentralization")->body)["total"], 3);  // the archive's three

  // The next ingest, with room, finishes the work; the server sees it.
  CommandResult rerun = RunDossier(tmp / "data", {"ingest", "-q", tmp / "more"});
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  json found;
  for (const auto start = Clock::now(); Clock::now() - start < std::chrono::seconds(10);) {
    found = json::parse(client->Get("/v1/search?q=aquifer&limit=1")->body);
    if (found["total"] == 40) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stop = true;
  reader.join();
  EXPECT_EQ(found["total"], 40) << found.dump();
  EXPECT_EQ(failures, 0) << "of " << requests << " requests; the first: " << first_failure << server.Log();
  EXPECT_GT(requests, 20);
}

TEST(ServerLifecycleTest, CacheMbZeroAnswersEveryRequestAfresh) {
  TempDir tmp;
  MakeArchive(tmp / "in");
  ASSERT_EQ(RunDossier(tmp / "data", {"ingest", "-q", tmp / "in"}).exit_code, 0);
  ServerProcess server(tmp / "data", {"--cache-mb", "0"});
  ASSERT_TRUE(server.started());
  auto client = server.Client();
  auto first = client->Get("/v1/search?q=decentralization");
  auto second = client->Get("/v1/search?q=decentralization");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->body, second->body);
  EXPECT_FALSE(second->has_header("X-Dossier-Cache"));
  EXPECT_NE(server.Log().find("no response cache"), std::string::npos) << server.Log();
}

TEST(ServerLifecycleTest, SigtermStopsItCleanly) {
  TempDir tmp;
  ServerProcess server(tmp / "data", {"--quiet"});
  ASSERT_TRUE(server.started());
  auto client = server.Client();
  EXPECT_EQ(client->Get("/health")->status, 200);
  EXPECT_EQ(server.StopWith(SIGTERM, 10000), 0) << server.Log();
  const std::string log = server.Log();
  EXPECT_NE(log.find("stopped"), std::string::npos) << log;
  EXPECT_EQ(log.find("GET /health"), std::string::npos) << "--quiet still logs requests: " << log;
}

// The environment of process `pid`, each NAME=VALUE after a line break.
std::string EnvironmentOf(pid_t pid) {
  std::string environ = "\n" + ReadFile("/proc/" + std::to_string(pid) + "/environ");
  std::replace(environ.begin(), environ.end(), '\0', '\n');
  return environ;
}

// Sets GLIBC_TUNABLES (or unsets it, for nullopt) in this process, whose
// children inherit it, until destroyed.
class TunablesForChildren {
 public:
  explicit TunablesForChildren(const std::optional<std::string>& value) {
    if (const char* before = std::getenv("GLIBC_TUNABLES")) before_ = before;
    value ? ::setenv("GLIBC_TUNABLES", value->c_str(), 1) : ::unsetenv("GLIBC_TUNABLES");
  }
  ~TunablesForChildren() { before_ ? ::setenv("GLIBC_TUNABLES", before_->c_str(), 1) : ::unsetenv("GLIBC_TUNABLES"); }

 private:
  std::optional<std::string> before_;
};

// docs/HTTP_API.md, "Memory allocation": dossierd runs with glibc's thread
// caches holding kMallocTcacheCount (128) blocks a size, set by a new start
// of itself (the same process, program and arguments) when its environment
// does not say.
TEST(ServerLifecycleTest, RunsWithGlibcThreadCachesSizedForSearches) {
  if (std::getenv("LD_PRELOAD")) GTEST_SKIP() << "LD_PRELOAD is set: dossierd then keeps glibc's default, by design";
  TunablesForChildren unset(std::nullopt);
  TempDir tmp;
  ServerProcess server(tmp / "data", {"--quiet"});
  ASSERT_TRUE(server.started());
  const std::string tuned = "GLIBC_TUNABLES=glibc.malloc.tcache_count=" + std::to_string(server::kMallocTcacheCount) +
                            "\nglibc.malloc.arena_max=" + std::to_string(server::MallocArenaMax());
  // (glibc 2.36's loader leaves a 0 byte for each ':': a line break here.)
  std::string environ = EnvironmentOf(server.pid());
  std::replace(environ.begin(), environ.end(), ':', '\n');
  EXPECT_NE(environ.find("\n" + tuned + "\n"), std::string::npos) << environ;
  EXPECT_EQ(ReadFile("/proc/" + std::to_string(server.pid()) + "/comm"), "dossierd\n")
      << "named as itself, not \"exe\", after starting again";
  std::string cmdline = ReadFile("/proc/" + std::to_string(server.pid()) + "/cmdline");
  EXPECT_NE(cmdline.find(std::string("--listen") + '\0' + "127.0.0.1:0"), std::string::npos) << "the same arguments";
  EXPECT_EQ(server.Client()->Get("/health")->status, 200);
}

TEST(ServerLifecycleTest, KeepsTheThreadCachesAnOperatorSet) {
  if (std::getenv("LD_PRELOAD")) GTEST_SKIP() << "LD_PRELOAD is set: dossierd then keeps glibc's default, by design";
  TunablesForChildren own(std::string("glibc.malloc.arena_max=2:glibc.malloc.tcache_count=7"));
  TempDir tmp;
  ServerProcess server(tmp / "data", {"--quiet"});
  ASSERT_TRUE(server.started());
  // (glibc 2.36's loader, parsing the variable, leaves a 0 byte for each
  // ':' in the memory /proc shows: both read as line breaks here.)
  std::string environ = EnvironmentOf(server.pid());
  std::replace(environ.begin(), environ.end(), ':', '\n');
  EXPECT_NE(environ.find("\nGLIBC_TUNABLES=glibc.malloc.arena_max=2\nglibc.malloc.tcache_count=7\n"), std::string::npos)
      << environ;
  EXPECT_EQ(environ.find("tcache_count=" + std::to_string(server::kMallocTcacheCount)), std::string::npos) << environ;
}

TEST(ServerLifecycleTest, RefusesAPortInUse) {
  TempDir tmp;
  ServerProcess first(tmp / "data");
  ASSERT_TRUE(first.started());
  CommandResult second = testing::Run({DOSSIER_SERVER, "--data", tmp / "data", "--listen",
                              "127.0.0.1:" + std::to_string(first.port())});
  EXPECT_EQ(second.exit_code, 3) << second.err;
  EXPECT_NE(second.err.find("cannot listen"), std::string::npos) << second.err;
}

}  // namespace
}  // namespace dossier
