// End-to-end tests of the dossier command: exit codes, messages, output
// formats, and JSON checked against the schemas in schemas/.
#include <gtest/gtest.h>

#include <map>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include "support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::MakePdf;
using testing::ReadFile;
using testing::RunDossier;
using testing::SchemaErrors;
using testing::TempDir;
using testing::WriteFile;

size_t CountLines(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = 0; (pos = text.find(needle, pos)) != std::string::npos; pos += needle.size()) ++n;
  return n;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = tmp_ / "data";
    MakePdf(in_ / "eval.pdf",
            "Evaluation of the Rural Water Programme\nFindings on wells.\f"
            "Recommendation 1: the office should pursue decentralization by 31 December 2020.",
            {.title = "Rural Water Programme Evaluation", .author = "Evaluation Office", .date = "2019-07-16"});
    WriteFile(in_ / "memo.txt", "Memo on decentralization and staffing.");
  }
  // Writes `text` to a file and validates it against `schema`.
  void ExpectValid(const std::string& schema, const std::string& text) {
    const std::string file = tmp_ / (schema + ".out.json");
    WriteFile(file, text);
    EXPECT_EQ(SchemaErrors(schema, file), "") << text.substr(0, 2000);
  }
  TempDir tmp_, in_;
  std::string data_;
};

TEST_F(CliTest, IngestSearchShowRoundTrip) {
  auto ingest = RunDossier(data_, {"ingest", in_.path()});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  EXPECT_NE(ingest.err.find("2 file(s): 2 ingested (3 pages)"), std::string::npos) << ingest.err;

  auto search = RunDossier(data_, {"search", "decentralization"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  EXPECT_NE(search.out.find("2 document(s) match"), std::string::npos) << search.out;
  EXPECT_NE(search.out.find("Rural Water Programme Evaluation"), std::string::npos);
  EXPECT_NE(search.out.find("page 2 of 2 (text_layer)"), std::string::npos) << search.out;
  EXPECT_NE(search.out.find("**decentralization**"), std::string::npos) << search.out;

  auto json = RunDossier(data_, {"search", "--json", "--limit", "1", "decentralization"});
  ASSERT_EQ(json.exit_code, 0);
  ExpectValid("search-response.schema.json", json.out);
  auto parsed = nlohmann::json::parse(json.out);
  EXPECT_EQ(parsed["total"], 2);
  EXPECT_EQ(parsed["hits"].size(), 1u);
  const std::string id = parsed["hits"][0]["id"];
  auto every = RunDossier(data_, {"search", "--json", "decentralization"});
  ASSERT_EQ(every.exit_code, 0);
  std::map<std::string, std::pair<int, int>> pages;  // title -> page, page_count
  const nlohmann::json every_parsed = nlohmann::json::parse(every.out);
  for (const auto& hit : every_parsed["hits"]) pages[hit["title"].get<std::string>()] = {hit["page"].get<int>(), hit["page_count"].get<int>()};
  EXPECT_EQ(pages["Memo on decentralization and staffing."], std::make_pair(1, 1));
  EXPECT_EQ(pages["Rural Water Programme Evaluation"], std::make_pair(2, 2)) << every.out;

  auto text = RunDossier(data_, {"show", "--text", in_ / "eval.pdf"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(CountLines(text.out, "\f"), 2u);
  EXPECT_NE(text.out.find("Recommendation 1"), std::string::npos);

  auto show = RunDossier(data_, {"show", "--json", "--text", in_ / "eval.pdf"});
  ASSERT_EQ(show.exit_code, 0);
  ExpectValid("document.schema.json", show.out);
  EXPECT_EQ(nlohmann::json::parse(show.out)["document"]["metadata"]["author"], "Evaluation Office");

  auto human = RunDossier(data_, {"show", nlohmann::json::parse(show.out)["document"]["id"].get<std::string>()});
  ASSERT_EQ(human.exit_code, 0);
  EXPECT_NE(human.out.find("title:      Rural Water Programme Evaluation"), std::string::npos) << human.out;

  auto stats = RunDossier(data_, {"stats", "--json"});
  ASSERT_EQ(stats.exit_code, 0);
  ExpectValid("stats.schema.json", stats.out);
  EXPECT_EQ(nlohmann::json::parse(stats.out)["documents"], 2);

  auto documents = RunDossier(data_, {"documents", "--json", "--limit", "1", "--offset", "1"});
  ASSERT_EQ(documents.exit_code, 0) << documents.err;
  ExpectValid("documents.schema.json", documents.out);
  EXPECT_EQ(nlohmann::json::parse(documents.out)["total"], 2);
  EXPECT_EQ(nlohmann::json::parse(documents.out)["documents"].size(), 1u);
  auto listed = RunDossier(data_, {"documents", "--limit", "1"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(CountLines(listed.out, "\n"), 2u) << listed.out;
  EXPECT_NE(listed.out.find("Showing 1-1 of 2 documents"), std::string::npos) << listed.out;

  auto plugins = RunDossier(data_, {"plugins", "--json"});
  ASSERT_EQ(plugins.exit_code, 0);
  ExpectValid("plugins.schema.json", plugins.out);

  auto again = RunDossier(data_, {"ingest", in_.path()});
  ASSERT_EQ(again.exit_code, 0);
  EXPECT_NE(again.err.find("0 ingested (0 pages), 2 unchanged"), std::string::npos) << again.err;
}

TEST_F(CliTest, CompactRewritesTheIndexesAndSearchAnswersTheSame) {
  ASSERT_EQ(RunDossier(data_, {"ingest", "-q", in_.path()}).exit_code, 0);
  auto before = RunDossier(data_, {"search", "--json", "decentralization"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  auto compact = RunDossier(data_, {"compact"});
  ASSERT_EQ(compact.exit_code, 0) << compact.err;
  EXPECT_NE(compact.out.find("search indexes: "), std::string::npos) << compact.out;
  EXPECT_NE(compact.out.find(" MiB -> "), std::string::npos) << compact.out;
  auto after = RunDossier(data_, {"search", "--json", "decentralization"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(nlohmann::json::parse(after.out)["hits"], nlohmann::json::parse(before.out)["hits"]);
  EXPECT_FALSE(std::filesystem::exists(data_ + "/xapian.compacting"));
}

// A data folder whose search index an older version made (text format 5
// here) is re-indexed at the next writing command's open; compact says so,
// and searches answer the same.
TEST_F(CliTest, CompactSaysItReIndexedAnIndexOfAnOlderVersion) {
  ASSERT_EQ(RunDossier(data_, {"ingest", "-q", in_.path()}).exit_code, 0);
  auto before = RunDossier(data_, {"search", "--json", "decentralization"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  {
    Xapian::WritableDatabase index(data_ + "/xapian", Xapian::DB_OPEN);
    index.set_metadata("dossier.text_format", "5");
    index.commit();
  }
  auto compact = RunDossier(data_, {"compact"});
  ASSERT_EQ(compact.exit_code, 0) << compact.err;
  EXPECT_NE(compact.err.find("dossier: note: the search index was made by an older version; re-indexed 2 document(s)"),
            std::string::npos)
      << compact.err;
  EXPECT_EQ(Xapian::Database(data_ + "/xapian").get_metadata("dossier.text_format"), "6");
  auto after = RunDossier(data_, {"search", "--json", "decentralization"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(nlohmann::json::parse(after.out)["hits"], nlohmann::json::parse(before.out)["hits"]);
  auto again = RunDossier(data_, {"compact"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.err.find("re-indexed"), std::string::npos) << "once only: " << again.err;
}

TEST_F(CliTest, BadFilesGetOneErrorLineEachAndExitOne) {
  std::string whole = ReadFile(in_ / "eval.pdf");
  WriteFile(in_ / "truncated.pdf", whole.substr(0, whole.size() / 2));
  WriteFile(in_ / "empty.pdf", "");
  WriteFile(in_ / "random.pdf", std::string("\x01\x02\x03 random bytes \xFF\xFE", 19));
  auto ingest = RunDossier(data_, {"ingest", "--json", in_.path()});
  EXPECT_EQ(ingest.exit_code, 1) << ingest.err;
  EXPECT_EQ(CountLines(ingest.err, "dossier: error: "), 3u) << ingest.err;
  EXPECT_NE(ingest.err.find("dossier: error: " + (in_ / "truncated.pdf") + ": truncated PDF"), std::string::npos)
      << ingest.err;
  EXPECT_NE(ingest.err.find("dossier: error: " + (in_ / "empty.pdf") + ": empty file (0 bytes)"), std::string::npos);
  EXPECT_NE(ingest.err.find("dossier: error: " + (in_ / "random.pdf") + ": not a valid pdf file"), std::string::npos);
  ExpectValid("ingest-report.schema.json", ingest.out);
  auto report = nlohmann::json::parse(ingest.out);
  EXPECT_EQ(report["ingested"], 2);
  EXPECT_EQ(report["failed"], 3);

  auto search = RunDossier(data_, {"search", "--json", "wells"});
  EXPECT_EQ(nlohmann::json::parse(search.out)["total"], 1);
}

TEST_F(CliTest, ExitCodesAndErrorsForUsersMistakes) {
  auto usage = RunDossier(data_, {"frobnicate"});
  EXPECT_EQ(usage.exit_code, 2);
  auto no_data = RunDossier(tmp_ / "empty-data", {"search", "anything"});
  EXPECT_EQ(no_data.exit_code, 1);
  EXPECT_NE(no_data.err.find("no Dossier data here"), std::string::npos) << no_data.err;

  ASSERT_EQ(RunDossier(data_, {"ingest", in_.path()}).exit_code, 0);
  auto bad_query = RunDossier(data_, {"search", "--json", "water AND ("});
  EXPECT_EQ(bad_query.exit_code, 2);
  ExpectValid("error.schema.json", bad_query.out);
  EXPECT_EQ(nlohmann::json::parse(bad_query.out)["error"]["code"], "invalid_argument");
  auto missing = RunDossier(data_, {"show", "--json", "/no/such/file.pdf"});
  EXPECT_EQ(missing.exit_code, 1);
  ExpectValid("error.schema.json", missing.out);
  auto bad_limit = RunDossier(data_, {"search", "--limit", "0", "water"});
  EXPECT_EQ(bad_limit.exit_code, 2);
  EXPECT_NE(bad_limit.err.find("--limit: must be between 1 and 1000"), std::string::npos) << bad_limit.err;
  // The API's date rule: a real calendar day.
  auto no_such_day = RunDossier(data_, {"actions", "--overdue-as-of", "2023-02-29"});
  EXPECT_EQ(no_such_day.exit_code, 2);
  EXPECT_NE(no_such_day.err.find("--overdue-as-of: expected a date as YYYY-MM-DD, got '2023-02-29' (no such day)"),
            std::string::npos) << no_such_day.err;
  auto far = RunDossier(data_, {"actions", "--offset", "100001"});
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_NE(far.err.find("dossier: error: --offset: must be at most 100000"), std::string::npos) << far.err;
}

// `--data ./data ingest .`: the data folder met in the walk is not read as documents.
TEST_F(CliTest, TheDataFolderInsideAnIngestedFolderIsSkipped) {
  const std::string inside = in_ / "data";
  ASSERT_EQ(RunDossier(inside, {"ingest", "-q", in_ / "memo.txt"}).exit_code, 0);
  auto r = RunDossier(inside, {"ingest", in_.path()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("skipped: " + inside + ": this is the data folder"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("rocksdb"), std::string::npos) << r.err;
  EXPECT_EQ(nlohmann::json::parse(RunDossier(inside, {"stats", "--json"}).out)["documents"], 2);
}

TEST_F(CliTest, GraphCommandsAnswerWhoMustActAndByWhen) {
  MakePdf(in_ / "review.pdf",
          "Review of the School Meals Programme\nThe Agency for Rural Development (ARD) and its Nutrition Unit.\n\n"
          "RECOMMENDATIONS\n1. The ARD Nutrition Unit should publish menus by 30 June 2021.\n"
          "2. ARD should audit suppliers before March 2022.\f",
          {.title = "Review of the School Meals Programme", .date = "2021-01-15"});
  ASSERT_EQ(RunDossier(data_, {"ingest", in_.path()}).exit_code, 0);

  auto entities = RunDossier(data_, {"entities", "--json", "--type", "organisation"});
  ASSERT_EQ(entities.exit_code, 0) << entities.err;
  ExpectValid("entities.schema.json", entities.out);
  EXPECT_NE(entities.out.find("Agency for Rural Development"), std::string::npos);

  auto entity = RunDossier(data_, {"entity", "--json", "ARD"});
  ASSERT_EQ(entity.exit_code, 0) << entity.err;
  ExpectValid("entity.schema.json", entity.out);
  auto detail = nlohmann::json::parse(entity.out);
  EXPECT_EQ(detail["name"], "Agency for Rural Development");
  ASSERT_EQ(detail["units"].size(), 1u);
  EXPECT_EQ(detail["units"][0]["name"], "ARD Nutrition Unit");

  auto overdue = RunDossier(data_, {"recommendations", "--json", "--responsible", "ARD", "--overdue-as-of", "2021-12-31"});
  ASSERT_EQ(overdue.exit_code, 0) << overdue.err;
  ExpectValid("recommendations.schema.json", overdue.out);
  auto recs = nlohmann::json::parse(overdue.out)["recommendations"];
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0]["number"], "1");
  EXPECT_EQ(recs[0]["due"], "2021-06-30");
  EXPECT_EQ(recs[0]["responsible"], nlohmann::json::array({"ARD Nutrition Unit"}));

  auto human = RunDossier(data_, {"recommendations", "--due-before", "2022-12-31"});
  EXPECT_NE(human.out.find("Recommendation 2"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("due:         2022-03"), std::string::npos) << human.out;
  auto paged = RunDossier(data_, {"recommendations", "--limit", "1"});
  ASSERT_EQ(paged.exit_code, 0) << paged.err;
  EXPECT_NE(paged.out.find("Showing 1-1 of "), std::string::npos) << paged.out;
  auto paged_json = RunDossier(data_, {"recommendations", "--json", "--limit", "1", "--offset", "1"});
  ASSERT_EQ(paged_json.exit_code, 0) << paged_json.err;
  ExpectValid("recommendations.schema.json", paged_json.out);
  EXPECT_EQ(nlohmann::json::parse(paged_json.out)["recommendations"].size(), 1u);
  EXPECT_GE(nlohmann::json::parse(paged_json.out)["total"].get<int>(), 2);
  auto bad = RunDossier(data_, {"recommendations", "--due-before", "June 2021"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("dossier: error: --due-before: expected a date as YYYY-MM-DD"), std::string::npos) << bad.err;
  // QueryService names the request field (due_before); the CLI shows the flag, in JSON too.
  auto bad_json = RunDossier(data_, {"actions", "--json", "--due-before", "2023-02-29"});
  EXPECT_EQ(bad_json.exit_code, 2);
  ExpectValid("error.schema.json", bad_json.out);
  EXPECT_EQ(nlohmann::json::parse(bad_json.out)["error"]["message"].get<std::string>().rfind("--due-before: ", 0), 0u)
      << bad_json.out;
  auto reversed = RunDossier(data_, {"search", "--year", "2024..2019", "menus"});
  EXPECT_EQ(reversed.exit_code, 2);
  EXPECT_NE(reversed.err.find("dossier: error: --year: 2019 is before"), std::string::npos) << reversed.err;

  auto neighbors = RunDossier(data_, {"graph", "neighbors", "--json", "--depth", "2", detail["id"].get<std::string>()});
  ASSERT_EQ(neighbors.exit_code, 0) << neighbors.err;
  ExpectValid("neighbors.schema.json", neighbors.out);

  auto exported = RunDossier(data_, {"export", "--format", "jsonl"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  ExpectValid("export-record.schema.json", exported.out.substr(0, exported.out.find('\n')));
  auto unknown = RunDossier(data_, {"entity", "Nobody At All"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no entity named 'Nobody At All'"), std::string::npos);
}

TEST(SchemaTest, ShippedManifestsMatchTheManifestSchema) {
  for (const char* name : {"pdf", "text", "entities"}) {
    std::string manifest = std::string(DOSSIER_SOURCE_DIR) + "/plugins/" + name + "/" + name + ".plugin.json";
    EXPECT_EQ(SchemaErrors("plugin-manifest.schema.json", manifest), "") << manifest;
  }
  TempDir tmp;
  WriteFile(tmp / "bad.json", R"({"name": "x", "version": "1", "abi_version": 0, "kind": "ingest", "library": "x.so"})");
  EXPECT_NE(SchemaErrors("plugin-manifest.schema.json", tmp / "bad.json"), "");  // the validator can fail
}

}  // namespace
}  // namespace dossier
