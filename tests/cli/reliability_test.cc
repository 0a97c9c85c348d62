// End-to-end reliability tests of the dossier command: text of any script
// never aborts an export, and a damaged data folder is an error (exit 3)
// naming the folder and the cause, never an empty answer given as success.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <rocksdb/db.h>
#include <xapian.h>

#include "support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::RunDossier;
using testing::SchemaErrors;
using testing::TempDir;
using testing::WriteFile;

// Recommendations whose text has multi-byte characters (é, €, an emoji, CJK)
// all around byte 80, shifted by 0-3 bytes so that, whatever the character's
// width, byte 80 falls inside one of them in several recommendations.
std::string MultiByteReport() {
  std::string text = "Evaluation of the Water Programme\n\nRECOMMENDATIONS\n";
  int number = 0;
  for (const std::string glyph : {"\u00e9", "\u20ac", "\U0001F30A", "\u6c34"}) {
    for (int shift = 0; shift < 4; ++shift) {
      std::string run;
      for (int i = 0; i < 40; ++i) run += glyph;
      text += "Recommendation " + std::to_string(++number) + ". The Water Office should fund the wells " +
              std::string(shift, 'x') + " " + run + " before the end of 2026.\n";
    }
  }
  return text;
}

TEST(CliReliabilityTest, ExportOfMultiByteTextNeverAborts) {
  TempDir tmp, in;
  const std::string data = tmp / "data";
  WriteFile(in / "report.txt", MultiByteReport());
  auto ingest = RunDossier(data, {"ingest", in.path()});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;

  auto jsonld = RunDossier(data, {"export", "--format", "jsonld"});
  ASSERT_EQ(jsonld.exit_code, 0) << jsonld.err;
  EXPECT_EQ(jsonld.err.find("terminate"), std::string::npos) << jsonld.err;
  const nlohmann::json graph = nlohmann::json::parse(jsonld.out);  // throws on invalid UTF-8
  // The test covers the bug: some recommendation's text has byte 80 inside a character,
  // and its label is cut before that character.
  int split_at_80 = 0, cut_labels = 0;
  for (const nlohmann::json& node : graph["@graph"]) {
    if (node.value("@type", "") != "Recommendation") continue;
    const std::string text = node.value("text", "");
    if (text.size() > 80 && (static_cast<unsigned char>(text[80]) & 0xC0) == 0x80) ++split_at_80;
    const std::string label = node.value("label", "");
    if (label.size() >= 3 && label.compare(label.size() - 3, 3, "\u2026") == 0) ++cut_labels;
  }
  EXPECT_GE(split_at_80, 1) << jsonld.out.substr(0, 3000);
  EXPECT_GE(cut_labels, split_at_80);

  // The other outputs of the same text.
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"export", "--format", "graphml"}, {"export"}, {"recommendations"}, {"recommendations", "--json"}}) {
    auto run = RunDossier(data, args);
    EXPECT_EQ(run.exit_code, 0) << args[0] << ": " << run.err;
  }
}

// A small data folder, and copies of it damaged in one way each.
class DamagedDataFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = tmp_ / "data";
    WriteFile(in_ / "report.txt",
              "Evaluation of the Child Protection Programme\n\n"
              "The United Nations Children's Fund (UNICEF) supported the districts.\n\nRECOMMENDATIONS\n"
              "Recommendation 1. UNICEF should train the district wardens in case management by 2026.\n"
              "Recommendation 2. UNICEF should publish the caseload every quarter.\n");
    WriteFile(in_ / "memo.txt", "Memo on wardens, caseloads and the district budget.\n");
    auto ingest = RunDossier(data_, {"ingest", in_.path()});
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
    auto show = RunDossier(data_, {"show", "--json", in_ / "report.txt"});
    ASSERT_EQ(show.exit_code, 0) << show.err;
    id_ = nlohmann::json::parse(show.out)["document"]["id"];
    // The writer flushed its memtables on close: the data is in SST files.
    for (const auto& entry : fs::directory_iterator(fs::path(data_) / "rocksdb")) {
      if (entry.path().extension() == ".sst") ssts_.push_back(entry.path().filename().string());
    }
    std::sort(ssts_.begin(), ssts_.end());
    ASSERT_FALSE(ssts_.empty());
  }

  // A copy of the data folder; `damage` is applied to the copy's SST files.
  std::string Copy(const std::string& name) {
    const std::string copy = tmp_ / name;
    fs::copy(data_, copy, fs::copy_options::recursive);
    return copy;
  }
  // The SST file holding most (the page texts), in `data`.
  fs::path LargestSst(const std::string& data) {
    fs::path largest;
    for (const std::string& name : ssts_) {
      fs::path p = fs::path(data) / "rocksdb" / name;
      if (largest.empty() || fs::file_size(p) > fs::file_size(largest)) largest = p;
    }
    return largest;
  }

  // Every query command refuses the folder: exit 3, naming the folder and the cause.
  void ExpectRefused(const std::string& data, const std::string& cause) {
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"show", "--text", id_}, {"recommendations"}, {"search", "wardens"}, {"entity", "UNICEF"},
             {"stats"}, {"export", "--format", "jsonld"}}) {
      auto run = RunDossier(data, args);
      EXPECT_EQ(run.exit_code, 3) << args[0] << ": " << run.out << run.err;
      EXPECT_NE(run.err.find("dossier: error: " + data + ": the data folder is damaged"), std::string::npos)
          << args[0] << ": " << run.err;
      EXPECT_NE(run.err.find(cause), std::string::npos) << args[0] << ": " << run.err;
    }
  }

  TempDir tmp_, in_;
  std::string data_, id_;
  std::vector<std::string> ssts_;
};

TEST_F(DamagedDataFolderTest, AnIntactCopyAnswers) {
  const std::string copy = Copy("intact");
  auto text = RunDossier(copy, {"show", "--text", id_});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("district wardens"), std::string::npos);
  auto recs = RunDossier(copy, {"recommendations"});
  EXPECT_EQ(recs.exit_code, 0) << recs.err;
  EXPECT_NE(recs.out.find("Recommendation 2"), std::string::npos) << recs.out;
  auto search = RunDossier(copy, {"search", "wardens"});
  EXPECT_EQ(search.exit_code, 0) << search.err;
  EXPECT_NE(search.out.find("**wardens**"), std::string::npos) << search.out;
}

TEST_F(DamagedDataFolderTest, ATruncatedSstFileIsDetected) {
  const std::string copy = Copy("truncated");
  const fs::path victim = LargestSst(copy);
  fs::resize_file(victim, fs::file_size(victim) / 2);
  ExpectRefused(copy, victim.filename().string());
  // The writer refuses it too, before writing anything.
  WriteFile(in_ / "more.txt", "Another memo.\n");
  auto ingest = RunDossier(copy, {"ingest", in_ / "more.txt"});
  EXPECT_EQ(ingest.exit_code, 3) << ingest.err;
  EXPECT_NE(ingest.err.find(copy), std::string::npos) << ingest.err;
}

TEST_F(DamagedDataFolderTest, ADeletedSstFileIsDetected) {
  const std::string copy = Copy("deleted");
  const fs::path victim = LargestSst(copy);
  fs::remove(victim);
  ExpectRefused(copy, victim.stem().string());  // RocksDB names the file it looked for last (.ldb)
  auto ingest = RunDossier(copy, {"ingest", in_.path()});
  EXPECT_EQ(ingest.exit_code, 3) << ingest.err;
  EXPECT_NE(ingest.err.find(copy), std::string::npos) << ingest.err;
}

TEST_F(DamagedDataFolderTest, AFlippedBitIsCaughtByTheBlockChecksum) {
  // Same sizes, so the open-time check passes; the first data block of every
  // SST file has one byte changed, which the checksum verified on each read catches.
  const std::string copy = Copy("flipped");
  for (const std::string& name : ssts_) {
    std::fstream f(fs::path(copy) / "rocksdb" / name, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(20);
    char c = 0;
    f.read(&c, 1);
    f.seekp(20);
    c = static_cast<char>(c ^ 0x10);
    f.write(&c, 1);
  }
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"show", "--text", id_}, {"recommendations"}, {"search", "wardens"}}) {
    auto run = RunDossier(copy, args);
    EXPECT_EQ(run.exit_code, 3) << args[0] << ": " << run.out << run.err;
    EXPECT_NE(run.err.find(copy + ": the data folder is damaged"), std::string::npos) << args[0] << ": " << run.err;
    EXPECT_NE(run.err.find("Corruption"), std::string::npos) << args[0] << ": " << run.err;
  }
}

// ---- dossier check [--repair] ----

// `dossier check [--repair] --json` on `data`: the exit code it must give, and
// the report, validated against schemas/check.schema.json.
nlohmann::json CheckJson(const std::string& data, bool repair, int expected_exit) {
  std::vector<std::string> args = {"check", "--json"};
  if (repair) args.push_back("--repair");
  auto run = RunDossier(data, args);
  EXPECT_EQ(run.exit_code, expected_exit) << run.out << run.err;
  const std::string file = data + ".check.json";
  WriteFile(file, run.out);
  EXPECT_EQ(SchemaErrors("check.schema.json", file), "");
  nlohmann::json report = nlohmann::json::parse(run.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_TRUE(report.is_object()) << run.out << run.err;
  return report.is_object() ? report : nlohmann::json::object();
}

// The checks a report's findings name.
std::vector<std::string> Checks(const nlohmann::json& report) {
  std::vector<std::string> out;
  for (const nlohmann::json& f : report.value("findings", nlohmann::json::array())) out.push_back(f["check"]);
  return out;
}

TEST_F(DamagedDataFolderTest, CheckFindsAnIntactCopyClean) {
  const std::string copy = Copy("intact");
  auto text = RunDossier(copy, {"check"});
  EXPECT_EQ(text.exit_code, 0) << text.out << text.err;
  EXPECT_NE(text.out.find("Checked " + copy + ": 2 documents"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("clean"), std::string::npos) << text.out;
  const nlohmann::json report = CheckJson(copy, false, 0);
  EXPECT_EQ(report["clean"], true);
  EXPECT_EQ(report["counts"]["documents"], 2);
  EXPECT_EQ(report["counts"]["index_entries"], 2);
  EXPECT_GT(report["counts"]["graph_edges"], 0);
  EXPECT_TRUE(report["repair"].is_null());
  // --repair on a sound folder changes nothing.
  EXPECT_EQ(CheckJson(copy, true, 0)["repair"], nullptr);
}

// A copy with a RocksDB table file damaged: check finds it (exit 3), --repair
// makes the folder sound again (exit 0) from what it still holds and lists the
// files to ingest again, and an ingest of the same folder then restores it all.
class CheckRepairTest : public DamagedDataFolderTest {
 protected:
  void ExpectFoundAndRepaired(const std::string& copy, const std::string& check, const std::string& cause) {
    auto text = RunDossier(copy, {"check"});
    EXPECT_EQ(text.exit_code, 3) << text.out << text.err;
    EXPECT_NE(text.out.find("DAMAGED"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find(cause), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("dossier check --repair"), std::string::npos) << text.out;
    const nlohmann::json found = CheckJson(copy, false, 3);
    EXPECT_EQ(found["clean"], false);
    EXPECT_EQ(Checks(found), std::vector<std::string>{check}) << found.dump(2);

    const nlohmann::json repaired = CheckJson(copy, true, 0);
    ASSERT_TRUE(repaired["repair"].is_object()) << repaired.dump(2);
    EXPECT_FALSE(repaired["repair"]["salvage"].empty()) << repaired.dump(2);  // RocksDB's repair ran
    EXPECT_EQ(repaired["repair"]["after"]["clean"], true) << repaired.dump(2);
    auto again = RunDossier(copy, {"check"});
    EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
    // Every query answers again (what was lost is simply not there yet).
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"recommendations"}, {"search", "wardens"}, {"stats"}, {"export", "--format", "jsonld"}}) {
      auto run = RunDossier(copy, args);
      EXPECT_EQ(run.exit_code, 0) << args[0] << ": " << run.err;
    }
    // An ingest of the same folder reads what was lost again.
    auto ingest = RunDossier(copy, {"ingest", "-q", in_.path()});
    EXPECT_EQ(ingest.exit_code, 0) << ingest.err;
    auto show = RunDossier(copy, {"show", "--text", id_});
    EXPECT_EQ(show.exit_code, 0) << show.err;
    EXPECT_NE(show.out.find("district wardens"), std::string::npos) << show.out;
    auto recs = RunDossier(copy, {"recommendations"});
    EXPECT_NE(recs.out.find("Recommendation 2"), std::string::npos) << recs.out;
    EXPECT_EQ(CheckJson(copy, false, 0)["counts"]["documents"], 2);
  }
};

TEST_F(CheckRepairTest, ATruncatedSstFile) {
  const std::string copy = Copy("truncated");
  const fs::path victim = LargestSst(copy);
  fs::resize_file(victim, fs::file_size(victim) / 2);
  ExpectFoundAndRepaired(copy, "open", victim.filename().string());
}

TEST_F(CheckRepairTest, ADeletedSstFile) {
  const std::string copy = Copy("deleted");
  const fs::path victim = LargestSst(copy);
  fs::remove(victim);
  ExpectFoundAndRepaired(copy, "open", victim.stem().string());
}

TEST_F(CheckRepairTest, AFlippedBit) {
  // Same sizes: the folder opens, and check reads every block against its checksum.
  const std::string copy = Copy("flipped");
  const fs::path victim = LargestSst(copy);
  std::fstream f(victim, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(20);
  char c = 0;
  f.read(&c, 1);
  f.seekp(20);
  c = static_cast<char>(c ^ 0x10);
  f.write(&c, 1);
  f.close();
  ExpectFoundAndRepaired(copy, "rocksdb_checksums", "Corruption");
}

// Removed on purpose: an index entry, and a graph node at the end of edges.
// check names what is missing; --repair rebuilds the index and the graph from
// the stored pages and facts, and the folder answers as before.
TEST_F(CheckRepairTest, AMissingIndexEntryIsFoundAndRebuilt) {
  const std::string copy = Copy("no-entry");
  const std::string before = RunDossier(copy, {"export"}).out;
  {
    Xapian::WritableDatabase index(copy + "/xapian", Xapian::DB_OPEN);
    index.delete_document("Q" + id_);
    index.commit();
  }
  auto search = RunDossier(copy, {"search", "district"});
  EXPECT_EQ(search.out.find(id_), std::string::npos) << search.out;  // the damage is real
  const nlohmann::json found = CheckJson(copy, false, 3);
  EXPECT_EQ(Checks(found), std::vector<std::string>{"index_entries"}) << found.dump(2);
  EXPECT_EQ(found["findings"][0]["examples"], nlohmann::json::array({id_})) << found.dump(2);
  EXPECT_EQ(found["counts"]["index_entries"], 1);

  const nlohmann::json repaired = CheckJson(copy, true, 0);
  EXPECT_EQ(repaired["repair"]["documents_kept"], 2) << repaired.dump(2);
  EXPECT_EQ(repaired["repair"]["documents_dropped"], 0) << repaired.dump(2);
  EXPECT_TRUE(repaired["repair"]["salvage"].empty()) << repaired.dump(2);
  EXPECT_EQ(repaired["repair"]["after"]["counts"]["index_entries"], 2) << repaired.dump(2);
  search = RunDossier(copy, {"search", "district"});
  EXPECT_NE(search.out.find(id_), std::string::npos) << search.out;
  EXPECT_EQ(RunDossier(copy, {"export"}).out, before);
}

TEST_F(CheckRepairTest, AMissingGraphNodeIsFoundAndRebuilt) {
  const std::string copy = Copy("no-node");
  const std::string before = RunDossier(copy, {"export", "--format", "jsonld"}).out;
  const std::string recommendations = RunDossier(copy, {"recommendations"}).out;
  std::string removed;
  {
    // The organisation node at the end of the report's edges goes; its edges stay.
    rocksdb::DBOptions options;
    std::vector<std::string> names;
    ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(options, copy + "/rocksdb", &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const std::string& name : names) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, copy + "/rocksdb", descriptors, &handles, &db).ok());
    rocksdb::ColumnFamilyHandle* nodes = handles[std::find(names.begin(), names.end(), "nodes") - names.begin()];
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), nodes));
    for (it->Seek("O"); it->Valid() && it->key().starts_with("O"); it->Next()) {
      if (nlohmann::json::parse(it->value().ToString()).dump().find("UNICEF") != std::string::npos) {
        removed = it->key().ToString();
        break;
      }
    }
    it.reset();
    if (!removed.empty()) {
      ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(), nodes, removed).ok());
    }
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
  }
  ASSERT_FALSE(removed.empty()) << "no UNICEF node";
  char hex[17];
  for (int i = 0; i < 8; ++i) std::snprintf(hex + 2 * i, 3, "%02x", static_cast<unsigned char>(removed[1 + i]));
  const std::string node_id = "O:" + std::string(hex);

  auto text = RunDossier(copy, {"check"});
  EXPECT_EQ(text.exit_code, 3) << text.out << text.err;
  EXPECT_NE(text.out.find("graph_edges"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("(missing: " + node_id + ")"), std::string::npos) << text.out;
  const nlohmann::json found = CheckJson(copy, false, 3);
  // Its edges lost their end, and its names and aliases point nowhere.
  EXPECT_EQ(Checks(found), (std::vector<std::string>{"graph_edges", "graph_aliases"})) << found.dump(2);
  EXPECT_GE(found["findings"][0]["count"], 1);

  const nlohmann::json repaired = CheckJson(copy, true, 0);
  EXPECT_EQ(repaired["repair"]["documents_dropped"], 0) << repaired.dump(2);
  EXPECT_EQ(repaired["repair"]["after"]["clean"], true) << repaired.dump(2);
  auto entity = RunDossier(copy, {"entity", "UNICEF"});
  EXPECT_EQ(entity.exit_code, 0) << entity.err;
  EXPECT_EQ(RunDossier(copy, {"recommendations"}).out, recommendations);
  EXPECT_EQ(RunDossier(copy, {"export", "--format", "jsonld"}).out, before);
}

}  // namespace
}  // namespace dossier
