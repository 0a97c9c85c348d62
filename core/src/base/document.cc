// DocumentId formatting and the page-text model helpers.
#include "dossier/document.h"

#include <cstring>

namespace dossier {

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

Result<DocumentId> DocumentId::FromHex(std::string_view hex) {
  if (hex.size() != kSize * 2) {
    return Status::InvalidArgument("document id must be " + std::to_string(kSize * 2) +
                                   " hex digits, got '" + std::string(hex) + "'");
  }
  std::array<uint8_t, kSize> bytes{};
  for (size_t i = 0; i < kSize; ++i) {
    int hi = HexValue(hex[2 * i]), lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return Status::InvalidArgument("document id is not hex: '" + std::string(hex) + "'");
    bytes[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return DocumentId(bytes);
}

DocumentId DocumentId::FromBytes(std::string_view raw) {
  std::array<uint8_t, kSize> bytes{};
  std::memcpy(bytes.data(), raw.data(), kSize);
  return DocumentId(bytes);
}

std::string DocumentId::ToHex() const {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(kSize * 2);
  for (uint8_t b : bytes_) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

std::string_view TextSourceName(TextSource source) {
  switch (source) {
    case TextSource::kTextLayer: return "text_layer";
    case TextSource::kOcr: return "ocr";
    case TextSource::kPlainText: return "plain_text";
  }
  return "text_layer";
}

std::optional<TextSource> TextSourceFromName(std::string_view name) {
  if (name == "text_layer" || name == "text") return TextSource::kTextLayer;
  if (name == "ocr") return TextSource::kOcr;
  if (name == "plain_text" || name == "plain") return TextSource::kPlainText;
  return std::nullopt;
}

DocumentSummary Summarise(const Document& document) {
  DocumentSummary s;
  s.id = document.id;
  s.mime_type = document.mime_type;
  s.size_bytes = document.size_bytes;
  s.sources = document.sources;
  s.metadata = document.metadata;
  s.title = document.title;
  s.title_source = document.title_source;
  s.date = document.date;
  s.date_source = document.date_source;
  s.language = document.language;
  s.extracted_by = document.extracted_by;
  s.ocr_settings = document.ocr_settings;
  s.ingested_at_ms = document.ingested_at_ms;
  s.page_count = static_cast<uint32_t>(document.pages.size());
  for (const PageText& page : document.pages) {
    if (page.source == TextSource::kOcr) ++s.ocr_page_count;
  }
  return s;
}

}  // namespace dossier
