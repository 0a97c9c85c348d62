// Titles and dates from the document itself, end to end: PDFs written at
// test time (scripts/make_layout_pdf.py) with a document symbol, a caption,
// a large title and a cover date, ingested by the real binary; `show --json`,
// the export and the year filter read the choice; the JSON matches its schemas.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace dossier {
namespace {

using nlohmann::json;
using testing::RunDossier;
using testing::SchemaErrors;
using testing::TempDir;
using testing::WriteFile;

// A cover: a document symbol in large type above a photo caption, the title
// in the largest type, a date line; the file's metadata names a Word file and
// a creation date years later.
const char kCover[] = R"({"title": "Microsoft Word - final_v3.docx", "date": "2031-11-24",
 "pages": [[{"heading": "E/XYZ/2031/7", "size": 24},
            {"heading": "Photo: Pupils at a rural school in 2019", "size": 9},
            {"heading": "Evaluation of the Rural", "size": 30},
            {"heading": "Schools Programme", "size": 30},
            {"heading": "March 2024", "size": 14},
            {"columns": 1, "paragraphs": ["The programme built schools in three provinces and trained their teachers over five years, from 2018 to 2023, with the support of the ministry."]}],
           [{"heading": "Contents"}, {"columns": 1, "paragraphs": ["The evaluation team visited forty schools and met the teachers, the parents and the district officers."]}]]})";

// No date printed anywhere; a masthead naming the body above the title, and
// a metadata creation date whose year the text never names.
const char kUndated[] = R"({"date": "2031-05-02",
 "pages": [[{"heading": "OFFICE OF THE AUDITOR GENERAL", "size": 14},
            {"heading": "Revue du programme national de semences", "size": 26},
            {"columns": 1, "paragraphs": ["La revue couvre les années 2016 et 2017 dans quatre régions du pays et les semences distribuées aux coopératives."]}]]})";

class TitleDateCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = tmp_ / "data";
    MakePdf(kCover, in_ / "cover.pdf");
    MakePdf(kUndated, in_ / "undated.pdf");
    auto ingest = RunDossier(data_, {"ingest", "-q", in_.path()});
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  }
  void MakePdf(const char* spec, const std::string& pdf) {
    const std::string spec_file = pdf + ".json";
    WriteFile(spec_file, spec);
    auto made = ::dossier::testing::Run({DOSSIER_PYTHON, std::string(DOSSIER_SOURCE_DIR) + "/scripts/make_layout_pdf.py", spec_file, pdf});
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }
  json Show(const std::string& file) {
    auto shown = RunDossier(data_, {"show", "--json", in_ / file});
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    const std::string out = tmp_ / (file + ".show.json");
    WriteFile(out, shown.out);
    EXPECT_EQ(SchemaErrors("document.schema.json", out), "") << shown.out;
    return json::parse(shown.out)["document"];
  }
  TempDir tmp_, in_;
  std::string data_;
};

TEST_F(TitleDateCliTest, TheLargestHeadingIsTheTitleAndTheCoverDateTheDate) {
  json doc = Show("cover.pdf");
  EXPECT_EQ(doc["title"], "Evaluation of the Rural Schools Programme");
  EXPECT_EQ(doc["title_source"], "heading");
  EXPECT_EQ(doc["date"], "2024-03");
  EXPECT_EQ(doc["date_source"], "cover");
  auto text = RunDossier(data_, {"show", in_ / "cover.pdf"});
  EXPECT_NE(text.out.find("title:      Evaluation of the Rural Schools Programme (from the largest heading)\n"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("date:       2024-03 (printed on the cover)\n"), std::string::npos) << text.out;
}

TEST_F(TitleDateCliTest, AMastheadIsSkippedAndAMetadataDateTheTextNeverNamesIsNotTaken) {
  json doc = Show("undated.pdf");
  EXPECT_EQ(doc["title"], "Revue du programme national de semences");
  EXPECT_TRUE(doc["date"].is_null()) << doc.dump();
  EXPECT_TRUE(doc["date_source"].is_null()) << doc.dump();
}

TEST_F(TitleDateCliTest, TheExportAndTheYearFilterUseTheChosenDate) {
  auto exported = RunDossier(data_, {"export", "--format", "jsonl"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  int seen = 0;
  size_t start = 0;
  while (start < exported.out.size()) {
    size_t end = exported.out.find('\n', start);
    if (end == std::string::npos) end = exported.out.size();
    const std::string line = exported.out.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    const std::string file = tmp_ / ("record-" + std::to_string(seen) + ".json");
    WriteFile(file, line);
    EXPECT_EQ(SchemaErrors("export-record.schema.json", file), "") << line;
    json record = json::parse(line);
    ++seen;
    if (record["source"].get<std::string>().find("cover.pdf") != std::string::npos) {
      EXPECT_EQ(record["date"], "2024-03");
      EXPECT_EQ(record["date_source"], "cover");
      EXPECT_EQ(record["title_source"], "heading");
    } else {
      EXPECT_TRUE(record["date"].is_null()) << line;
    }
  }
  EXPECT_EQ(seen, 2);
  auto in_2024 = RunDossier(data_, {"search", "year:2024", "--json"});
  ASSERT_EQ(in_2024.exit_code, 0) << in_2024.err;
  EXPECT_EQ(json::parse(in_2024.out)["total"], 1) << in_2024.out;
  auto in_2031 = RunDossier(data_, {"search", "year:2031", "--json"});
  ASSERT_EQ(in_2031.exit_code, 0) << in_2031.err;
  EXPECT_EQ(json::parse(in_2031.out)["total"], 0) << in_2031.out;
}

}  // namespace
}  // namespace dossier
