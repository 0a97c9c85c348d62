// `dossier show DOC --structure`: the section tree with roles, topics and
// pages and the labelled blocks marked taken or not; --json against
// schemas/structure.schema.json; unknown documents and documents stored
// without a structure.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunDossier;
using testing::SchemaErrors;
using testing::TempDir;
using testing::WriteFile;

// Three pages (form feeds) with a running header and page numbers, a
// recommendations section over pages 2-3 and an annex with a numbered list.
const char kReport[] =
    "Coastal Fisheries Evaluation 2024\nEvaluation of the Coastal Fisheries Programme\nIndependent Evaluation Office\n\n"
    "1. INTRODUCTION\nThis evaluation covers the programme from 2019 to 2023 in four provinces.\n\n1\n\f"
    "Coastal Fisheries Evaluation 2024\n2. FINDINGS\nThe programme reached most cooperatives, but catch records stayed "
    "incomplete.\n\n3. RECOMMENDATIONS\n1. The Ministry of Fisheries should publish catch data every quarter.\n"
    "2. The programme should train cooperative leaders in record keeping.\n\n2\n\f"
    "Coastal Fisheries Evaluation 2024\n3. The Evaluation Office should review the monitoring plan by June 2025.\n\n"
    "ANNEX 1. TERMS OF REFERENCE\n1. Assess the relevance of the programme design.\n"
    "2. Review the monitoring system and its data.\n\n3\n";

class StructureCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = tmp_ / "data";
    WriteFile(in_ / "report.txt", kReport);
    auto ingest = RunDossier(data_, {"ingest", "-q", in_.path()});
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  }
  void ExpectValid(const std::string& schema, const std::string& text) {
    static int n = 0;
    const std::string file = tmp_ / ("out-" + std::to_string(++n) + ".json");
    WriteFile(file, text);
    EXPECT_EQ(SchemaErrors(schema, file), "") << text.substr(0, 3000);
  }
  static bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
  TempDir tmp_, in_;
  std::string data_;
};

TEST_F(StructureCliTest, TreeShowsSectionsWithRoleTopicPagesAndWhatWasTaken) {
  auto tree = RunDossier(data_, {"show", "--structure", in_ / "report.txt"});
  ASSERT_EQ(tree.exit_code, 0) << tree.err;
  const std::string& out = tree.out;
  EXPECT_TRUE(Has(out, "removed:  3 running header lines, 0 running footer lines, 3 page numbers")) << out;
  EXPECT_TRUE(Has(out, "3  RECOMMENDATIONS  (body, recommendations)  pages 2-3  1 heading, 3 list items\n")) << out;
  EXPECT_TRUE(Has(out, "- list_item 1.  p.2  The Ministry of Fisheries should publish catch data every quarter."
                       "  [taken: recommendation 1]\n"))
      << out;
  EXPECT_TRUE(Has(out, "- list_item 3.  p.3  The Evaluation Office should review the monitoring plan by June 2025."
                       "  [taken: recommendation 3]\n"))
      << out;
  EXPECT_TRUE(Has(out, "ANNEX 1. TERMS OF REFERENCE  (annex, terms of reference)  page 3")) << out;
  EXPECT_TRUE(Has(out, "- list_item 1.  p.3  Assess the relevance of the programme design.  [not taken]\n")) << out;
  // Sub-sections are indented under their parent.
  const size_t recs = out.find("3  RECOMMENDATIONS");
  ASSERT_NE(recs, std::string::npos);
  const size_t line_start = out.rfind('\n', recs) + 1;
  const size_t annex = out.find("ANNEX 1. TERMS OF REFERENCE");
  ASSERT_NE(annex, std::string::npos);
  const size_t annex_start = out.rfind('\n', annex) + 1;
  EXPECT_GE(annex - annex_start, recs - line_start) << out;  // not above its earlier siblings' level
}

TEST_F(StructureCliTest, JsonMatchesTheSchemaAndHoldsTheTakenItems) {
  auto shown = RunDossier(data_, {"show", "--json", in_ / "report.txt"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const std::string id = json::parse(shown.out)["document"]["id"];

  auto structure = RunDossier(data_, {"show", "--structure", "--json", id});
  ASSERT_EQ(structure.exit_code, 0) << structure.err;
  ExpectValid("structure.schema.json", structure.out);
  const json s = json::parse(structure.out);
  EXPECT_EQ(s["document"]["id"], id);
  EXPECT_EQ(s["document"]["page_count"], 3);
  std::vector<std::string> taken;
  std::string recommendations_topic, annex_role;
  for (const json& section : s["sections"]) {
    if (section["title"] == "RECOMMENDATIONS") recommendations_topic = section["topic"];
    if (section["title"] == "ANNEX 1. TERMS OF REFERENCE") annex_role = section["role"];
    for (const json& b : section["labelled"]) {
      if (b["taken"].is_object()) taken.push_back(b["taken"]["as"].get<std::string>() + " " + b["taken"]["number"].get<std::string>());
    }
  }
  EXPECT_EQ(recommendations_topic, "recommendations");
  EXPECT_EQ(annex_role, "annex");
  EXPECT_EQ(taken, (std::vector<std::string>{"recommendation 1", "recommendation 2", "recommendation 3"}));

  // The schema is strict enough to catch a wrong answer.
  json broken = s;
  broken["sections"][0]["role"] = "appendix";
  const std::string file = tmp_ / "broken.json";
  WriteFile(file, broken.dump());
  EXPECT_NE(SchemaErrors("structure.schema.json", file), "");
}

TEST_F(StructureCliTest, UnknownDocumentsAndUsageErrors) {
  auto unknown = RunDossier(data_, {"show", "--structure", "--json", "0123456789abcdef"});
  EXPECT_EQ(unknown.exit_code, 1);
  ExpectValid("error.schema.json", unknown.out);
  EXPECT_EQ(json::parse(unknown.out)["error"]["code"], "not_found");
  EXPECT_TRUE(Has(unknown.err, "no document with id or path '0123456789abcdef'")) << unknown.err;
  auto text_too = RunDossier(data_, {"show", "--structure", "--text", in_ / "report.txt"});
  EXPECT_EQ(text_too.exit_code, 2) << text_too.err;
}

TEST_F(StructureCliTest, ADocumentStoredWithoutAStructureSaysHowToIngestItAgain) {
  // A plugin folder without the entities extractor: documents are stored
  // without a structure, as they were before Dossier kept one.
  TempDir plugins;
  for (const char* name : {"text.plugin.json", "dossier_text.so"}) {
    fs::create_symlink(std::string(DOSSIER_PLUGIN_DIR) + "/" + name, plugins / name);
  }
  const std::string old_data = tmp_ / "old-data";
  auto ingest = testing::Run({DOSSIER_CLI, "--data", old_data, "--plugin-dir", plugins.path(), "ingest", "-q", in_ / "report.txt"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  auto missing = RunDossier(old_data, {"show", "--structure", in_ / "report.txt"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(Has(missing.err, "has no stored structure")) << missing.err;
  const std::string hint = "dossier remove ";
  ASSERT_TRUE(Has(missing.err, hint)) << missing.err;

  // Following the advice gives the structure.
  std::string id = missing.err.substr(missing.err.find(hint) + hint.size(), 16);
  auto removed = RunDossier(old_data, {"remove", id});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  ASSERT_EQ(RunDossier(old_data, {"ingest", "-q", in_ / "report.txt"}).exit_code, 0);
  auto now = RunDossier(old_data, {"show", "--structure", in_ / "report.txt"});
  EXPECT_EQ(now.exit_code, 0) << now.err;
  EXPECT_TRUE(Has(now.out, "[taken: recommendation 1]")) << now.out;
}

TEST_F(StructureCliTest, ReingestingAChangedFileReplacesItsStructure) {
  std::string changed = kReport;
  changed.replace(changed.find("every quarter"), 13, "every month");
  WriteFile(in_ / "report.txt", changed);
  // A later modification time, so the rerun reads the file.
  fs::last_write_time(in_ / "report.txt", fs::last_write_time(in_ / "report.txt") + std::chrono::seconds(5));
  auto ingest = RunDossier(data_, {"ingest", "-q", in_.path()});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  auto tree = RunDossier(data_, {"show", "--structure", in_ / "report.txt"});
  ASSERT_EQ(tree.exit_code, 0) << tree.err;
  EXPECT_TRUE(Has(tree.out, "publish catch data every month.  [taken: recommendation 1]")) << tree.out;
  EXPECT_FALSE(Has(tree.out, "every quarter")) << tree.out;
}

}  // namespace
}  // namespace dossier
