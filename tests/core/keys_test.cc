// Tests of the RocksDB key and value encodings: round trips, ordering, truncation;
// and of the document record codec (core/src/store/document_record.h).
#include "dossier/keys.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "document_record.h"

namespace dossier::keys {
namespace {

DocumentId Id(uint8_t first) {
  std::array<uint8_t, DocumentId::kSize> bytes{};
  bytes[0] = first;
  bytes[7] = 0xAB;
  return DocumentId(bytes);
}

TEST(KeysTest, FixedIntegersRoundTripAtBoundaries) {
  for (uint64_t v : {0ull, 1ull, 255ull, 256ull, 0xFFFFFFFFull, 0xFFFFFFFFFFFFFFFFull}) {
    std::string buf;
    PutFixed64(&buf, v);
    ASSERT_EQ(buf.size(), 8u);
    std::string_view in = buf;
    uint64_t out = 1;
    ASSERT_TRUE(GetFixed64(&in, &out));
    EXPECT_EQ(out, v);
    EXPECT_TRUE(in.empty());
  }
  std::string buf;
  PutFixed32(&buf, 0x01020304);
  EXPECT_EQ(buf, std::string("\x01\x02\x03\x04", 4));  // big-endian
  std::string_view short_input = std::string_view(buf).substr(0, 3);
  uint32_t v;
  EXPECT_FALSE(GetFixed32(&short_input, &v));
  EXPECT_EQ(short_input.size(), 3u);  // nothing consumed on failure
}

TEST(KeysTest, PageKeysSortByDocumentThenPageNumber) {
  EXPECT_LT(PageKey(Id(1), 2), PageKey(Id(1), 10));
  EXPECT_LT(PageKey(Id(1), 255), PageKey(Id(1), 256));
  EXPECT_LT(PageKey(Id(1), 0xFFFFFFFF), PageKey(Id(2), 1));
  EXPECT_EQ(PageKey(Id(3), 7).substr(0, 8), PagePrefix(Id(3)));
  DocumentId id;
  uint32_t page = 0;
  ASSERT_TRUE(ParsePageKey(PageKey(Id(3), 7), &id, &page));
  EXPECT_EQ(id, Id(3));
  EXPECT_EQ(page, 7u);
  EXPECT_FALSE(ParsePageKey(PageKey(Id(3), 7).substr(0, 11), &id, &page));
}

TEST(KeysTest, PageValuesRoundTrip) {
  PageText ocr{4, "Texto reconocido", TextSource::kOcr, 87.25f};
  PageText decoded;
  ASSERT_TRUE(DecodePageValue(EncodePageValue(ocr), &decoded));
  EXPECT_EQ(decoded.text, ocr.text);
  EXPECT_EQ(decoded.source, TextSource::kOcr);
  EXPECT_FLOAT_EQ(decoded.ocr_confidence, 87.25f);

  PageText layer{1, "", TextSource::kTextLayer, -1};
  ASSERT_TRUE(DecodePageValue(EncodePageValue(layer), &decoded));
  EXPECT_EQ(decoded.text, "");
  EXPECT_EQ(decoded.ocr_confidence, -1.0f);

  EXPECT_FALSE(DecodePageValue("", &decoded));
  EXPECT_FALSE(DecodePageValue(std::string("\x01\xFF", 2), &decoded));       // truncated header
  EXPECT_FALSE(DecodePageValue(std::string("\x09\xFF\xFFtext", 7), &decoded));  // unknown source tag
}

TEST(KeysTest, SourceAndPendingValuesRoundTrip) {
  std::string value = EncodeSourceValue(Id(9), 123456789, -5);
  DocumentId id;
  uint64_t size;
  int64_t mtime;
  ASSERT_TRUE(DecodeSourceValue(value, &id, &size, &mtime));
  EXPECT_EQ(id, Id(9));
  EXPECT_EQ(size, 123456789u);
  EXPECT_EQ(mtime, -5);
  EXPECT_FALSE(DecodeSourceValue(value.substr(0, value.size() - 1), &id, &size, &mtime));

  EXPECT_EQ(DecodePendingValue(EncodePendingValue(PendingOp::kIndex)), PendingOp::kIndex);
  EXPECT_EQ(DecodePendingValue(EncodePendingValue(PendingOp::kRemove)), PendingOp::kRemove);
  EXPECT_FALSE(DecodePendingValue(std::string(1, '\x07')).has_value());
  EXPECT_FALSE(DecodePendingValue("").has_value());
  EXPECT_EQ(DecodeSchemaVersion(EncodeSchemaVersion(kSchemaVersion)), kSchemaVersion);
  EXPECT_FALSE(DecodeSchemaVersion("abc").has_value());
}

TEST(DocumentIdTest, HexRoundTripAndRejectsBadInput) {
  Result<DocumentId> id = DocumentId::FromHex("00ab12cd34ef5678");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->ToHex(), "00ab12cd34ef5678");
  EXPECT_TRUE(DocumentId::FromHex("00AB12CD34EF5678").ok());
  EXPECT_FALSE(DocumentId::FromHex("00ab12cd34ef567").ok());
  EXPECT_FALSE(DocumentId::FromHex("00ab12cd34ef567g").ok());
  EXPECT_EQ(ParseDocumentKey(DocumentKey(*id)), *id);
  EXPECT_FALSE(ParseDocumentKey("short").has_value());
}

// The document record (documents column family) as the store_codec_fuzzer
// met it: numbers that are fractions, negative or too large for their field
// make the record damaged (a DataLoss error for the reader), where a float
// such as 1e300 was converted to an integer (undefined behaviour).
TEST(DocumentRecordTest, NumbersThatAreNotIntegersOfTheirFieldsRangeMakeTheRecordDamaged) {
  DocumentSummary summary;
  summary.mime_type = "application/pdf";
  summary.size_bytes = 0xFFFFFFFFFFFFull;
  summary.sources = {{"/a/report.pdf", 1234, -5}};
  summary.metadata.title = "Évaluation";
  summary.title = "Évaluation";
  summary.language = "fr";
  summary.ingested_at_ms = 1700000000000;
  summary.page_count = 0xFFFFFFFFu;
  summary.ocr_page_count = 3;
  const std::string encoded = EncodeDocumentRecord(summary, 4567);
  DocumentSummary decoded;
  uint64_t text_bytes = 0;
  ASSERT_TRUE(DecodeDocumentRecord(Id(1), encoded, &decoded, &text_bytes));
  EXPECT_EQ(decoded.size_bytes, summary.size_bytes);
  ASSERT_EQ(decoded.sources.size(), 1u);
  EXPECT_EQ(decoded.sources[0].mtime_ns, -5);
  EXPECT_EQ(decoded.page_count, 0xFFFFFFFFu);
  EXPECT_EQ(decoded.title, "Évaluation");
  EXPECT_EQ(text_bytes, 4567u);

  // Absent numbers are 0.
  ASSERT_TRUE(DecodeDocumentRecord(Id(1), R"({"metadata":{}})", &decoded, &text_bytes));
  EXPECT_EQ(decoded.size_bytes, 0u);
  EXPECT_EQ(text_bytes, 0u);

  for (const char* damaged : {
           R"({"metadata":{},"size_bytes":1e300})",  // the fuzz input
           R"({"metadata":{},"size_bytes":12.5})",
           R"({"metadata":{},"page_count":-1})",
           R"({"metadata":{},"page_count":4294967296})",
           R"({"metadata":{},"ocr_page_count":"3"})",
           R"({"metadata":{},"ingested_at_ms":18446744073709551615})",
           R"({"metadata":{},"text_bytes":-2})",
           R"({"metadata":{},"sources":[{"path":"/a","size":1e300}]})",
           R"({"metadata":{},"sources":[{"path":"/a","mtime_ns":-1e300}]})",
           R"({"metadata":{},"sources":["/a"]})",
           R"({"metadata":{},"sources":{"path":"/a"}})",
       }) {
    EXPECT_FALSE(DecodeDocumentRecord(Id(1), damaged, &decoded, &text_bytes)) << damaged;
  }
}

// A search reads the hit's fields of each hit's record in one pass
// (DecodeHitFields): the same fields as the whole decoder, and a record the
// whole decoder refuses is refused, whichever field is damaged.
TEST(DocumentRecordTest, TheHitsFieldsAreReadAsTheWholeDecoderReadsThemAndDamageIsRefusedAlike) {
  DocumentSummary summary;
  summary.mime_type = "application/pdf";
  summary.size_bytes = 1234;
  summary.sources = {{"/a/report.pdf", 1234, -5}, {"/b/copy of report.pdf", 1234, 7}};
  summary.metadata.title = "Metadata title";
  summary.title = "Évaluation finale";
  summary.language = "fr";
  summary.page_count = 42;
  const std::string encoded = EncodeDocumentRecord(summary, 4567);
  HitFields hit;
  ASSERT_TRUE(DecodeHitFields(encoded, &hit));
  EXPECT_EQ(hit.title, "Évaluation finale");
  EXPECT_EQ(hit.language, "fr");
  EXPECT_EQ(hit.mime_type, "application/pdf");
  EXPECT_EQ(hit.page_count, 42u);
  EXPECT_EQ(hit.source_paths, (std::vector<std::string>{"/a/report.pdf", "/b/copy of report.pdf"}));
  ASSERT_TRUE(DecodeHitFields(R"({"metadata":{},"sources":[{"size":1}],"extra":{"title":5,"sources":7}})", &hit));
  EXPECT_EQ(hit.language, "und") << "an absent language is und, as DecodeDocumentRecord reads it";
  EXPECT_EQ(hit.source_paths, (std::vector<std::string>{""}));
  EXPECT_EQ(hit.title, "") << "a title inside another field is not the record's";

  // Each field of the record, given a value of each wrong kind, in turn:
  // both decoders accept it or both refuse it.
  const nlohmann::json record = nlohmann::json::parse(encoded);
  std::vector<std::string> variants;
  const std::vector<nlohmann::json> values = {nullptr, true, -1, 4294967296ull, 18446744073709551615ull, 1.5,
                                              "text", nlohmann::json::array(), nlohmann::json::object(),
                                              nlohmann::json::array({nlohmann::json::object()})};
  for (const auto& [field, original] : record.items()) {
    for (const nlohmann::json& value : values) {
      nlohmann::json changed = record;
      changed[field] = value;
      variants.push_back(changed.dump());
    }
    nlohmann::json without = record;
    without.erase(field);
    variants.push_back(without.dump());
  }
  for (const char* field : {"path", "size", "mtime_ns"}) {
    for (const nlohmann::json& value : values) {
      nlohmann::json changed = record;
      changed["sources"][1][field] = value;
      variants.push_back(changed.dump());
    }
  }
  for (const char* field : {"title", "author", "modified"}) {
    for (const nlohmann::json& value : values) {
      nlohmann::json changed = record;
      changed["metadata"][field] = value;
      variants.push_back(changed.dump());
    }
  }
  for (const char* other : {"[]", "\"text\"", "{", "{\"metadata\":{}} x", "null"}) variants.push_back(other);
  size_t refused = 0;
  for (const std::string& variant : variants) {
    DocumentSummary whole;
    const bool accepted = DecodeDocumentRecord(Id(1), variant, &whole, nullptr);
    EXPECT_EQ(DecodeHitFields(variant, &hit), accepted) << variant;
    if (!accepted) {
      ++refused;
      continue;
    }
    EXPECT_EQ(hit.title, whole.title) << variant;
    EXPECT_EQ(hit.language, whole.language) << variant;
    EXPECT_EQ(hit.page_count, whole.page_count) << variant;
    EXPECT_EQ(hit.source_paths.size(), whole.sources.size()) << variant;
  }
  EXPECT_GT(refused, variants.size() / 2) << "most of the variants are damaged records";
}

}  // namespace
}  // namespace dossier::keys
