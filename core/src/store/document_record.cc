// The document record codec (see document_record.h).
#include "document_record.h"

#include <limits>
#include <nlohmann/json.hpp>
#include <vector>

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

namespace dossier {
namespace {

// A SAX reader of a record for DecodeHitFields: keeps the hit's fields, and
// checks every field DecodeDocumentRecord reads as it does (a string field
// holds a string, an integer field an integer in its range, "sources" an
// array of objects, "metadata" an object), so that it accepts the same
// records. (A key given twice has each of its values checked, where
// DecodeDocumentRecord checks the last: a record whose earlier value is
// wrong is refused here, and the caller then reads it whole.)
class HitFieldsReader : public nlohmann::json_sax<json> {
 public:
  explicit HitFieldsReader(HitFields* fields) : fields_(fields) {}

  bool null() override { return Value(Kind::kOther); }
  bool boolean(bool) override { return Value(Kind::kOther); }
  bool number_integer(number_integer_t) override { return Value(Kind::kNegativeInteger); }
  bool number_unsigned(number_unsigned_t v) override {
    unsigned_value_ = v;
    return Value(Kind::kUnsignedInteger);
  }
  bool number_float(number_float_t, const string_t&) override { return Value(Kind::kOther); }
  bool binary(binary_t&) override { return Value(Kind::kOther); }
  bool string(string_t& v) override {
    if (!Value(Kind::kString)) return false;
    if (Top() == Context::kRoot) {
      if (key_ == "title") fields_->title = std::move(v);
      if (key_ == "language") fields_->language = std::move(v);
      if (key_ == "mime_type") fields_->mime_type = std::move(v);
    } else if (Top() == Context::kSource && key_ == "path") {
      fields_->source_paths.back() = std::move(v);
    }
    return true;
  }
  bool start_object(std::size_t) override { return Open(/*object=*/true); }
  bool start_array(std::size_t) override { return Open(/*object=*/false); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }
  bool key(string_t& k) override {
    key_ = std::move(k);
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

  bool SawMetadata() const { return saw_metadata_; }

 private:
  // Where a value stands: in the record, its sources' array, a source, its
  // metadata, or in a value no check looks into.
  enum class Context { kNone, kRoot, kSources, kSource, kMetadata, kFree };
  enum class Kind { kString, kUnsignedInteger, kNegativeInteger, kOther };
  // What a field must hold.
  enum class Field { kAny, kString, kUint64, kInt64, kUint32, kSources, kMetadata };

  Context Top() const { return stack_.empty() ? Context::kNone : stack_.back(); }

  // The field `key_` names where the next value stands.
  Field Expected() const {
    switch (Top()) {
      case Context::kRoot:
        for (const char* k : {"mime_type", "title", "title_source", "date", "date_source", "language", "extracted_by",
                              "ocr_settings"}) {
          if (key_ == k) return Field::kString;
        }
        if (key_ == "size_bytes" || key_ == "text_bytes") return Field::kUint64;
        if (key_ == "ingested_at_ms") return Field::kInt64;
        if (key_ == "page_count" || key_ == "ocr_page_count") return Field::kUint32;
        if (key_ == "sources") return Field::kSources;
        if (key_ == "metadata") return Field::kMetadata;
        return Field::kAny;
      case Context::kSource:
        if (key_ == "path") return Field::kString;
        if (key_ == "size") return Field::kUint64;
        if (key_ == "mtime_ns") return Field::kInt64;
        return Field::kAny;
      case Context::kMetadata:
        for (const char* k : {"title", "author", "subject", "keywords", "creator", "producer", "created", "modified"}) {
          if (key_ == k) return Field::kString;
        }
        return Field::kAny;
      default:
        return Field::kAny;
    }
  }

  bool Value(Kind kind) {
    if (Top() == Context::kNone || Top() == Context::kSources) return false;  // not an object
    switch (Expected()) {
      case Field::kAny: return true;
      case Field::kString: return kind == Kind::kString;
      case Field::kUint64: return kind == Kind::kUnsignedInteger;
      case Field::kInt64:
        return kind == Kind::kNegativeInteger ||
               (kind == Kind::kUnsignedInteger && unsigned_value_ <= uint64_t{std::numeric_limits<int64_t>::max()});
      case Field::kUint32:
        if (kind != Kind::kUnsignedInteger || unsigned_value_ > std::numeric_limits<uint32_t>::max()) return false;
        if (key_ == "page_count") fields_->page_count = static_cast<uint32_t>(unsigned_value_);
        return true;
      default: return false;  // "sources" or "metadata" that is not an array or an object
    }
  }

  bool Open(bool object) {
    Context context = Context::kFree;
    switch (Top()) {
      case Context::kNone:
        if (!object) return false;
        context = Context::kRoot;
        break;
      case Context::kSources:
        if (!object) return false;
        context = Context::kSource;
        fields_->source_paths.emplace_back();  // "" unless the source gives its path
        break;
      case Context::kFree:
        break;
      default:
        switch (Expected()) {
          case Field::kAny: break;
          case Field::kSources:
            if (object) return false;
            context = Context::kSources;
            fields_->source_paths.clear();  // the last "sources" counts
            break;
          case Field::kMetadata:
            if (!object) return false;
            context = Context::kMetadata;
            saw_metadata_ = true;
            break;
          default: return false;
        }
    }
    stack_.push_back(context);
    return true;
  }

  bool Close() {
    stack_.pop_back();
    return true;
  }

  HitFields* fields_;
  std::vector<Context> stack_;
  std::string key_;
  uint64_t unsigned_value_ = 0;
  bool saw_metadata_ = false;
};

}  // namespace

bool DecodeHitFields(std::string_view value, HitFields* fields) {
  *fields = HitFields();
  fields->language = "und";
  HitFieldsReader reader(fields);
  return json::sax_parse(value, &reader, json::input_format_t::json, /*strict=*/true) && reader.SawMetadata();
}

}  // namespace dossier
