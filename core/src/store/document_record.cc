// The document record codec (see document_record.h).
#include "document_record.h"

#include <nlohmann/json.hpp>

namespace dossier {

using nlohmann::json;

namespace {

json SourcesToJson(const std::vector<SourceFile>& sources) {
  json out = json::array();
  for (const SourceFile& s : sources) out.push_back({{"path", s.path}, {"size", s.size}, {"mtime_ns", s.mtime_ns}});
  return out;
}

}  // namespace

std::string EncodeDocumentRecord(const DocumentSummary& s, uint64_t text_bytes) {
  const DocumentMetadata& m = s.metadata;
  json j = {{"mime_type", s.mime_type},
            {"size_bytes", s.size_bytes},
            {"sources", SourcesToJson(s.sources)},
            {"metadata",
             {{"title", m.title},
              {"author", m.author},
              {"subject", m.subject},
              {"keywords", m.keywords},
              {"creator", m.creator},
              {"producer", m.producer},
              {"created", m.created},
              {"modified", m.modified}}},
            {"title", s.title},
            {"language", s.language},
            {"extracted_by", s.extracted_by},
            {"ingested_at_ms", s.ingested_at_ms},
            {"page_count", s.page_count},
            {"ocr_page_count", s.ocr_page_count},
            {"text_bytes", text_bytes}};
  return j.dump();
}

bool DecodeDocumentRecord(const DocumentId& id, std::string_view value, DocumentSummary* s, uint64_t* text_bytes) {
  json j = json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return false;
  try {
    s->id = id;
    s->mime_type = j.value("mime_type", "");
    s->size_bytes = j.value("size_bytes", uint64_t{0});
    s->sources.clear();
    for (const json& src : j.value("sources", json::array())) {
      s->sources.push_back({src.value("path", ""), src.value("size", uint64_t{0}), src.value("mtime_ns", int64_t{0})});
    }
    const json& m = j.at("metadata");
    s->metadata = {m.value("title", ""),   m.value("author", ""),   m.value("subject", ""), m.value("keywords", ""),
                   m.value("creator", ""), m.value("producer", ""), m.value("created", ""), m.value("modified", "")};
    s->title = j.value("title", "");
    s->language = j.value("language", "und");
    s->extracted_by = j.value("extracted_by", "");
    s->ingested_at_ms = j.value("ingested_at_ms", int64_t{0});
    s->page_count = j.value("page_count", 0u);
    s->ocr_page_count = j.value("ocr_page_count", 0u);
    if (text_bytes) *text_bytes = j.value("text_bytes", uint64_t{0});
  } catch (const json::exception&) {
    return false;
  }
  return true;
}

}  // namespace dossier
