// The document record codec (see document_record.h).
#include "document_record.h"

#include <limits>
#include <nlohmann/json.hpp>

namespace dossier {

using nlohmann::json;

namespace {

json SourcesToJson(const std::vector<SourceFile>& sources) {
  json out = json::array();
  for (const SourceFile& s : sources) out.push_back({{"path", s.path}, {"size", s.size}, {"mtime_ns", s.mtime_ns}});
  return out;
}

// Reads the integer field `name` of `object` into `out` (0 when absent);
// false for a field that is not an integer (a fraction, a string ...) or
// does not fit `T`. nlohmann's own conversion casts a float such as 1e300
// to an integer type, which is undefined behaviour.
template <typename T>
bool ReadInteger(const json& object, const char* name, T* out) {
  auto it = object.find(name);
  if (it == object.end()) {
    *out = 0;
    return true;
  }
  if (it->is_number_unsigned()) {
    const uint64_t v = it->template get<uint64_t>();
    if (v > static_cast<uint64_t>(std::numeric_limits<T>::max())) return false;
    *out = static_cast<T>(v);
    return true;
  }
  if (it->is_number_integer()) {
    const int64_t v = it->template get<int64_t>();
    if (v < 0 && !std::numeric_limits<T>::is_signed) return false;
    if (v > 0 && static_cast<uint64_t>(v) > static_cast<uint64_t>(std::numeric_limits<T>::max())) return false;
    if (std::numeric_limits<T>::is_signed && v < static_cast<int64_t>(std::numeric_limits<T>::min())) return false;
    *out = static_cast<T>(v);
    return true;
  }
  return false;
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
            {"title_source", s.title_source},
            {"date", s.date},
            {"date_source", s.date_source},
            {"language", s.language},
            {"extracted_by", s.extracted_by},
            {"ocr_settings", s.ocr_settings},
            {"ingested_at_ms", s.ingested_at_ms},
            {"page_count", s.page_count},
            {"ocr_page_count", s.ocr_page_count},
            {"text_bytes", text_bytes}};
  return j.dump();
}

bool DecodeDocumentRecord(const DocumentId& id, std::string_view value, DocumentSummary* s, uint64_t* text_bytes) {
  json j = json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return false;
  uint64_t stored_text_bytes = 0;
  try {
    s->id = id;
    s->mime_type = j.value("mime_type", "");
    if (!ReadInteger(j, "size_bytes", &s->size_bytes)) return false;
    s->sources.clear();
    const json sources = j.value("sources", json::array());
    if (!sources.is_array()) return false;
    for (const json& src : sources) {
      if (!src.is_object()) return false;
      SourceFile file{src.value("path", ""), 0, 0};
      if (!ReadInteger(src, "size", &file.size) || !ReadInteger(src, "mtime_ns", &file.mtime_ns)) return false;
      s->sources.push_back(std::move(file));
    }
    const json& m = j.at("metadata");
    s->metadata = {m.value("title", ""),   m.value("author", ""),   m.value("subject", ""), m.value("keywords", ""),
                   m.value("creator", ""), m.value("producer", ""), m.value("created", ""), m.value("modified", "")};
    s->title = j.value("title", "");
    s->title_source = j.value("title_source", "");
    s->date = j.value("date", "");
    s->date_source = j.value("date_source", "");
    s->language = j.value("language", "und");
    s->extracted_by = j.value("extracted_by", "");
    s->ocr_settings = j.value("ocr_settings", "");
    if (!ReadInteger(j, "ingested_at_ms", &s->ingested_at_ms) || !ReadInteger(j, "page_count", &s->page_count) ||
        !ReadInteger(j, "ocr_page_count", &s->ocr_page_count) || !ReadInteger(j, "text_bytes", &stored_text_bytes)) {
      return false;
    }
  } catch (const json::exception&) {
    return false;
  }
  if (text_bytes) *text_bytes = stored_text_bytes;
  return true;
}

}  // namespace dossier
