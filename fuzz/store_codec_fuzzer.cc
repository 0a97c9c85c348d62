// libFuzzer target: the RocksDB key and value decoders, on bytes as they
// could be read from a damaged or hand-edited data folder. The first byte
// picks the decoder (keys.h: schema version, document, page, source, pending
// and edge keys and values, node-key text; document_record.h: the document
// record; facts.h: a stored fact); the rest is the key or value.
//
// Checks that what decodes encodes back to what was read (for the binary
// layouts, byte for byte; for the JSON values, to a value that decodes to
// the same thing).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "document_record.h"
#include "dossier/facts.h"
#include "dossier/keys.h"

namespace k = dossier::keys;

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

bool SameSummary(const dossier::DocumentSummary& a, const dossier::DocumentSummary& b) {
  if (a.sources.size() != b.sources.size()) return false;
  for (size_t i = 0; i < a.sources.size(); ++i) {
    if (a.sources[i].path != b.sources[i].path || a.sources[i].size != b.sources[i].size ||
        a.sources[i].mtime_ns != b.sources[i].mtime_ns) {
      return false;
    }
  }
  const auto& m = a.metadata;
  const auto& n = b.metadata;
  return a.id == b.id && a.mime_type == b.mime_type && a.size_bytes == b.size_bytes && m.title == n.title &&
         m.author == n.author && m.subject == n.subject && m.keywords == n.keywords && m.creator == n.creator &&
         m.producer == n.producer && m.created == n.created && m.modified == n.modified && a.title == b.title &&
         a.language == b.language && a.extracted_by == b.extracted_by && a.ingested_at_ms == b.ingested_at_ms &&
         a.page_count == b.page_count && a.ocr_page_count == b.ocr_page_count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 12) {
    case 0:
      if (auto v = k::DecodeSchemaVersion(in)) Require(k::EncodeSchemaVersion(*v) == in);
      break;
    case 1:
      if (auto id = k::ParseDocumentKey(in)) Require(k::DocumentKey(*id) == in);
      break;
    case 2: {
      dossier::DocumentId id;
      uint32_t page = 0;
      if (k::ParsePageKey(in, &id, &page)) Require(k::PageKey(id, page) == in);
      break;
    }
    case 3: {
      dossier::PageText page;
      if (k::DecodePageValue(in, &page)) {
        // Confidences above 100 are clamped on the way back; the text and source are kept.
        dossier::PageText again;
        Require(k::DecodePageValue(k::EncodePageValue(page), &again));
        Require(again.text == page.text && again.source == page.source);
        Require(page.ocr_confidence == -1.0f || (page.ocr_confidence >= 0 && page.ocr_confidence <= 655.35f));
      }
      break;
    }
    case 4: {
      dossier::DocumentId id;
      uint64_t bytes = 0;
      int64_t mtime = 0;
      if (k::DecodeSourceValue(in, &id, &bytes, &mtime)) Require(k::EncodeSourceValue(id, bytes, mtime) == in);
      break;
    }
    case 5:
      if (auto op = k::DecodePendingValue(in)) Require(k::EncodePendingValue(*op) == in);
      break;
    case 6: {
      k::EdgeParts e;
      if (k::ParseEdgeKey(in, &e)) Require(k::EdgeKey(e.src, e.type, e.dst, e.doc) == in);
      break;
    }
    case 7: {
      k::EdgeParts e;
      if (k::ParseEdgeInKey(in, &e)) Require(k::EdgeInKey(e.dst, e.type, e.src, e.doc) == in);
      break;
    }
    case 8: {
      k::EdgeParts e;
      if (k::ParseDocEdgeKey(in, &e)) Require(k::DocEdgeKey(e.doc, e.src, e.type, e.dst) == in);
      break;
    }
    case 9: {
      // Node keys as users type them ("O:1a2b…", API paths) and as stored.
      if (auto node = k::NodeKeyFromText(in)) {
        Require(node->size() == k::kNodeKeySize);
        Require(k::NodeKeyFromText(k::NodeKeyToText(*node)) == node);
      }
      (void)k::NodeKeyToText(in);
      if (auto type = k::EdgeTypeFromName(in)) Require(k::EdgeTypeName(*type) == in);
      break;
    }
    case 10: {
      const dossier::DocumentId id = dossier::DocumentId::FromBytes("\x01\x02\x03\x04\x05\x06\x07\x08");
      dossier::DocumentSummary summary;
      uint64_t text_bytes = 0;
      const bool decoded = dossier::DecodeDocumentRecord(id, in, &summary, &text_bytes);
      // The hit's reader accepts only what the whole decoder accepts, with
      // the same fields (it may refuse a key given twice: the caller then
      // falls back to the whole decoder).
      dossier::HitFields hit;
      if (dossier::DecodeHitFields(in, &hit)) {
        Require(decoded);
        std::vector<std::string> paths;
        for (const dossier::SourceFile& source : summary.sources) paths.push_back(source.path);
        Require(hit.title == summary.title && hit.language == summary.language &&
                hit.mime_type == summary.mime_type && hit.page_count == summary.page_count && hit.source_paths == paths);
      }
      if (decoded) {
        dossier::DocumentSummary again;
        uint64_t again_bytes = 0;
        Require(dossier::DecodeDocumentRecord(id, dossier::EncodeDocumentRecord(summary, text_bytes), &again, &again_bytes));
        Require(SameSummary(summary, again) && again_bytes == text_bytes);
      }
      break;
    }
    case 11: {
      dossier::Result<dossier::Fact> fact = dossier::DecodeFact(in);
      if (fact.ok()) {
        dossier::Result<dossier::Fact> again = dossier::DecodeFact(dossier::EncodeFact(*fact));
        Require(again.ok() && *again == *fact);
      }
      break;
    }
  }
  return 0;
}
