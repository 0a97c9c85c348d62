// GET /v1/documents/{id}/structure on the real dossierd: the same JSON as
// `dossier show DOC --structure --json`, valid against its schema and the
// served OpenAPI document; errors in the error schema.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <tuple>

#include "server/server_process.h"
#include "support/test_support.h"

namespace dossier {
namespace {

using nlohmann::json;
using testing::CommandResult;
using testing::RunDossier;
using testing::SchemaErrors;
using testing::ServerProcess;
using testing::TempDir;
using testing::WriteFile;

const char kReport[] =
    "Coastal Fisheries Evaluation 2024\nEvaluation of the Coastal Fisheries Programme\n\n"
    "1. INTRODUCTION\nThis evaluation covers the programme from 2019 to 2023 in four provinces.\n\n1\n\f"
    "Coastal Fisheries Evaluation 2024\n2. RECOMMENDATIONS\n1. The Ministry of Fisheries should publish catch data every quarter.\n"
    "2. The programme should train cooperative leaders in record keeping.\n\n2\n\f"
    "Coastal Fisheries Evaluation 2024\nANNEX 1. TERMS OF REFERENCE\n1. Assess the relevance of the programme design.\n"
    "2. Review the monitoring system and its data.\n\n3\n";

TEST(StructureHttpTest, TheEndpointAnswersAsTheCliDoes) {
  TempDir tmp;
  const std::string data = tmp / "data";
  WriteFile(tmp / "report.txt", kReport);
  CommandResult ingest = RunDossier(data, {"ingest", "-q", tmp / "report.txt"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  CommandResult cli = RunDossier(data, {"show", "--structure", "--json", tmp / "report.txt"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  const json from_cli = json::parse(cli.out);
  const std::string id = from_cli["document"]["id"];

  // A document stored without a structure (no entities extractor, as before Dossier kept one).
  TempDir plugins;
  for (const char* name : {"text.plugin.json", "dossier_text.so"}) {
    std::filesystem::create_symlink(std::string(DOSSIER_PLUGIN_DIR) + "/" + name, plugins / name);
  }
  WriteFile(tmp / "memo.txt", "Memo on the staffing of the district offices.");
  CommandResult plain = testing::Run({DOSSIER_CLI, "--data", data, "--plugin-dir", plugins.path(), "ingest", "-q",
                                      "--json", tmp / "memo.txt"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const std::string memo_id = json::parse(plain.out)["files_report"][0]["id"];

  ServerProcess server(data);
  ASSERT_TRUE(server.started());
  auto client = server.Client();
  auto get = [&](const std::string& target, int status) {
    auto res = client->Get(target.c_str());
    EXPECT_TRUE(res) << target;
    if (!res) return std::string();
    EXPECT_EQ(res->status, status) << target << ": " << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8");
    return res->body;
  };
  const std::string openapi = tmp / "openapi.json";
  WriteFile(openapi, get("/openapi.json", 200));
  auto expect_valid = [&](const std::string& schema, const std::string& component, const std::string& body) {
    static int n = 0;
    const std::string file = tmp / ("body-" + std::to_string(++n) + ".json");
    WriteFile(file, body);
    EXPECT_EQ(SchemaErrors(schema, file), "") << body.substr(0, 3000);
    CommandResult r = testing::Run({DOSSIER_NODE, std::string(DOSSIER_SOURCE_DIR) + "/tests/schema/validate_openapi.js",
                                    openapi, component, file});
    EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  };

  const std::string body = get("/v1/documents/" + id + "/structure", 200);
  expect_valid("structure.schema.json", "DocumentStructure", body);
  const json from_http = json::parse(body);
  EXPECT_EQ(from_http, from_cli);
  bool found = false;
  for (const json& section : from_http["sections"]) {
    if (section["title"] != "RECOMMENDATIONS") continue;
    found = true;
    EXPECT_EQ(section["topic"], "recommendations");
    ASSERT_EQ(section["labelled"].size(), 2u);
    EXPECT_EQ(section["labelled"][1]["taken"]["as"], "recommendation");
    EXPECT_EQ(section["labelled"][1]["taken"]["number"], "2");
  }
  EXPECT_TRUE(found) << body;

  // Errors: an unknown document, a malformed id, an unknown parameter.
  for (const auto& [target, status, code, part] :
       std::vector<std::tuple<std::string, int, std::string, std::string>>{
           {"/v1/documents/0123456789abcdef/structure", 404, "not_found", "no document with id 0123456789abcdef"},
           {"/v1/documents/" + memo_id + "/structure", 404, "not_found", "has no stored structure"},
           {"/v1/documents/xyz/structure", 400, "invalid_argument", "id: expected a document id"},
           {"/v1/documents/" + id + "/structure?depth=2", 400, "invalid_argument", "depth"}}) {
    const std::string error = get(target, status);
    expect_valid("error.schema.json", "Error", error);
    const json parsed = json::parse(error, nullptr, false);
    EXPECT_EQ(parsed["error"]["code"], code) << target << ": " << error;
    EXPECT_NE(parsed["error"].value("message", "").find(part), std::string::npos) << target << ": " << error;
  }
}

}  // namespace
}  // namespace dossier
