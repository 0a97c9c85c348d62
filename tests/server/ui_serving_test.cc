// The staff web page dossierd serves under /ui/ (server/src/ui_assets.h):
// the redirect from /, the assets embedded from ui/ with their content types
// and ETags, deep links to views answered with index.html, unknown files as
// the API's JSON 404, and the token rule (the page's files need none; /v1
// still does). In process through HttpApi, then through the real binary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/server_process.h"
#include "src/http_api.h"
#include "src/ui_assets.h"
#include "support/test_support.h"

namespace dossier::server {
namespace {

using nlohmann::json;

std::string Header(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

class UiServingTest : public ::testing::Test {
 protected:
  static HttpApi MakeApi(std::optional<std::string> token, bool with_ui = true) {
    ApiOptions options;
    options.token = std::move(token);
    if (with_ui) options.ui = std::make_shared<const UiAssets>(EmbeddedUiFiles());
    return HttpApi([] { return Result<std::shared_ptr<const QueryService>>(Status::Unavailable("not open yet")); },
                   options, "{}");
  }
  static HttpResponse Get(const HttpApi& api, const std::string& path, const std::string& authorization = "",
                          const std::string& if_none_match = "", const std::string& method = "GET") {
    HttpRequest request;
    request.method = method;
    request.path = path;
    request.authorization = authorization;
    request.if_none_match = if_none_match;
    return api.Handle(request);
  }
};

TEST_F(UiServingTest, TheFilesOfUiAreEmbedded) {
  const auto& files = EmbeddedUiFiles();
  for (const char* name : {"index.html", "style.css", "js/app.js", "js/api.js", "js/dom.js", "js/views.js"}) {
    ASSERT_TRUE(files.count(name)) << name;
    EXPECT_EQ(files.at(name), testing::ReadFile(std::string(DOSSIER_SOURCE_DIR) + "/ui/" + name)) << name;
  }
}

TEST_F(UiServingTest, RootAndUiRedirectToTheIndex) {
  HttpApi api = MakeApi(std::nullopt);
  for (const char* path : {"/", "/ui"}) {
    HttpResponse r = Get(api, path);
    EXPECT_EQ(r.status, 302) << path;
    EXPECT_EQ(Header(r, "Location"), "/ui/") << path;
  }
}

TEST_F(UiServingTest, AssetsHaveTheirContentTypeAndAnETag) {
  HttpApi api = MakeApi(std::nullopt);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/ui/", "text/html; charset=utf-8"},
      {"/ui/index.html", "text/html; charset=utf-8"},
      {"/ui/style.css", "text/css; charset=utf-8"},
      {"/ui/js/app.js", "text/javascript; charset=utf-8"},
      {"/ui/icon.svg", "image/svg+xml"},
  };
  for (const auto& [path, type] : cases) {
    HttpResponse r = Get(api, path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.content_type, type) << path;
    EXPECT_FALSE(r.body.empty()) << path;
    const std::string etag = Header(r, "ETag");
    EXPECT_EQ(etag.size(), 18u) << path << ": " << etag;
    EXPECT_EQ(Header(r, "Cache-Control"), "no-cache") << path;
    EXPECT_NE(Header(r, "Content-Security-Policy").find("script-src 'self'"), std::string::npos) << path;
    // The same ETag again: 304, no body.
    HttpResponse again = Get(api, path, "", etag);
    EXPECT_EQ(again.status, 304) << path;
    EXPECT_TRUE(again.body.empty()) << path;
    EXPECT_EQ(Get(api, path, "", "\"0000000000000000\"").status, 200) << path;
  }
  EXPECT_NE(Get(api, "/ui/").body.find("<script type=\"module\" src=\"/ui/js/app.js\">"), std::string::npos);
  EXPECT_NE(Get(api, "/ui/style.css").body.find(":focus-visible"), std::string::npos);
}

TEST_F(UiServingTest, DeepLinksToViewsAnswerTheIndex) {
  HttpApi api = MakeApi(std::nullopt);
  const std::string index = Get(api, "/ui/").body;
  for (const char* path : {"/ui/search", "/ui/documents/0123456789abcdef", "/ui/recommendations", "/ui/actions",
                           "/ui/followup", "/ui/entities/O:0123456789abcdef", "/ui/entities/U.N. Office"}) {
    HttpResponse r = Get(api, path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << path;
    EXPECT_EQ(r.body, index) << path;
  }
}

TEST_F(UiServingTest, UnknownFilesAreTheApisJson404) {
  HttpApi api = MakeApi(std::nullopt);
  for (const char* path : {"/ui/nothing.js", "/ui/js/nothing.js", "/ui/unknown-view", "/ui/../server/main.cc",
                           "/ui/js/../index.html", "/ui//index.html"}) {
    HttpResponse r = Get(api, path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.content_type, "application/json; charset=utf-8") << path;
    json body = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << r.body;
    EXPECT_EQ(body["error"]["code"], "not_found") << path;
  }
  EXPECT_EQ(Get(api, "/ui/", "", "", "POST").status, 405);
  EXPECT_EQ(Get(api, "/ui/", "", "", "HEAD").status, 200);
  // Built without the page: /ui/ is a 404 too, and / no longer redirects anywhere.
  HttpApi bare = MakeApi(std::nullopt, /*with_ui=*/false);
  EXPECT_EQ(Get(bare, "/ui/").status, 404);
  EXPECT_EQ(Get(bare, "/").status, 404);
}

TEST_F(UiServingTest, ThePageNeedsNoTokenButTheApiStillDoes) {
  HttpApi api = MakeApi(std::string("s3cret"));
  EXPECT_EQ(Get(api, "/").status, 302);
  EXPECT_EQ(Get(api, "/ui/").status, 200);
  EXPECT_EQ(Get(api, "/ui/search").status, 200);
  EXPECT_EQ(Get(api, "/ui/js/api.js").status, 200);
  EXPECT_EQ(Get(api, "/ui/nothing.js").status, 404) << "a 404, not a 401: the page's files are public";
  for (const char* path : {"/v1/stats", "/v1/search", "/ready", "/openapi.json", "/uix", "/v1/ui/"}) {
    EXPECT_EQ(Get(api, path).status, 401) << path;
    EXPECT_EQ(Get(api, path, "Bearer wrong").status, 401) << path;
  }
  EXPECT_EQ(Get(api, "/v1/stats", "Bearer s3cret").status, 503) << "past the token: the data folder is not open";
}

// Through the real binary and cpp-httplib: headers as sent on the wire.
TEST(UiServerTest, ServedByDossierdWithHeadersAndTheTokenRule) {
  testing::TempDir tmp;
  testing::WriteFile(tmp / "in/memo.txt", "Memo on decentralization.");
  ASSERT_EQ(testing::RunDossier(tmp / "data", {"ingest", "-q", tmp / "in"}).exit_code, 0);
  testing::WriteFile(tmp / "token", "s3cret-token\n");
  testing::ServerProcess server(tmp / "data", {"--token-file", tmp / "token"});
  ASSERT_TRUE(server.started());
  auto client = server.Client();
  auto root = client->Get("/");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->status, 302);
  EXPECT_EQ(root->get_header_value("Location"), "/ui/");
  auto index = client->Get("/ui/documents/0123456789abcdef");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index->get_header_value("Cache-Control"), "no-cache");
  const std::string etag = index->get_header_value("ETag");
  EXPECT_FALSE(etag.empty());
  auto again = client->Get("/ui/", {{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  auto script = client->Get("/ui/js/app.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
  EXPECT_EQ(script->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  auto missing = client->Get("/ui/missing.css");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(json::parse(missing->body)["error"]["code"], "not_found");
  auto api = client->Get("/v1/stats");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 401);
  EXPECT_EQ(api->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(client->Get("/v1/stats", {{"Authorization", "Bearer s3cret-token"}})->status, 200);
}

}  // namespace
}  // namespace dossier::server
