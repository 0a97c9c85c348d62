// The document model: what an ingested file becomes, before and after storage.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/status.h"

namespace dossier {

// A document's identity: the first 8 bytes of the SHA-256 of the file's
// content, shown as 16 lower-case hex digits. The same bytes under any path
// are the same document.
class DocumentId {
 public:
  static constexpr size_t kSize = 8;
  DocumentId() = default;
  explicit DocumentId(const std::array<uint8_t, kSize>& bytes) : bytes_(bytes) {}

  // Parses 16 hex digits; InvalidArgument otherwise.
  static Result<DocumentId> FromHex(std::string_view hex);
  // Takes the first kSize bytes of `raw`; raw.size() must be >= kSize.
  static DocumentId FromBytes(std::string_view raw);

  std::string ToHex() const;
  std::string_view Bytes() const {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }
  bool operator==(const DocumentId&) const = default;
  auto operator<=>(const DocumentId&) const = default;

 private:
  std::array<uint8_t, kSize> bytes_{};
};

// Where a page's text came from. On disk (pages column family): never renumber.
enum class TextSource : uint8_t {
  kTextLayer = 1,  // a PDF's embedded text
  kOcr = 2,        // recognised from the page image
  kPlainText = 3,  // a text file
};
std::string_view TextSourceName(TextSource source);  // "text_layer", "ocr", "plain_text"
std::optional<TextSource> TextSourceFromName(std::string_view name);

// How a run of a page's lines is set (the plugin ABI's dossier_line_style):
// lines of the page text split at '\n', counted from 0.
struct LineStyle {
  uint32_t first_line = 0;
  uint32_t line_count = 1;
  float size = 0;      // type size in points
  uint32_t flags = 0;  // kBold | kItalic
  static constexpr uint32_t kBold = 1, kItalic = 2;
  bool operator==(const LineStyle&) const = default;
};

struct PageText {
  uint32_t number = 0;  // 1-based
  std::string text;     // UTF-8, NFC
  TextSource source = TextSource::kTextLayer;
  float ocr_confidence = -1;  // 0..100 for OCR pages, -1 otherwise
  // How its lines are set, when the ingestion plugin could tell (text-layer
  // PDFs); the extractors read it at ingest. Not stored: the structure built
  // from it is.
  std::vector<LineStyle> line_styles;
};

// Metadata read from the file itself. Dates are ISO 8601 strings
// ("2001-07-16T10:00:00Z") or empty when the file does not say.
struct DocumentMetadata {
  std::string title;
  std::string author;
  std::string subject;
  std::string keywords;
  std::string creator;
  std::string producer;
  std::string created;
  std::string modified;
  // The first pages' lines with their type sizes, as the pdf plugin sends
  // them ("typeset_lines", parsed by ParseTypesetLines in title_date.h): read
  // when the title is chosen, not stored.
  std::string typeset_lines;
};

// One source path of a document, with what the file looked like when seen.
struct SourceFile {
  std::string path;  // absolute, as ingested
  uint64_t size = 0;
  int64_t mtime_ns = 0;
};

struct Document {
  DocumentId id;
  std::string mime_type;
  uint64_t size_bytes = 0;
  std::vector<SourceFile> sources;  // sorted by path, at least one
  DocumentMetadata metadata;
  std::string title;         // chosen by ChooseTitle (title_date.h)
  std::string title_source;  // "heading", "first_line", "metadata", "file_name"
  std::string date;          // the document's own date (ChooseDate): "YYYY-MM-DD", "YYYY-MM", "YYYY" or ""
  std::string date_source;   // "cover", "front_matter", "metadata", or "" when undated
  std::string language;      // ISO 639-1 ("en", "es"), or "und" when unknown
  std::string extracted_by;  // "pdf 0.1.0": plugin name and version
  // The OCR settings that shaped the text (IngestSettingsOf): "" when no page
  // needed OCR, "off" when some page had no text and OCR was off, else the
  // languages and strategy ("eng+spa detect"). `ingest --reprocess` compares it.
  std::string ocr_settings;
  int64_t ingested_at_ms = 0;  // Unix time in milliseconds
  std::vector<PageText> pages;  // ordered by number, numbers 1..n
  // What extractor plugins found: JSON objects (fact grammar in
  // docs/ARCHITECTURE.md), and the extractors that ran ("entities 0.1.0").
  std::vector<std::string> facts;
  std::vector<std::string> extractors;
};

// A document record without its page texts (what listings and search hits need).
struct DocumentSummary {
  DocumentId id;
  std::string mime_type;
  uint64_t size_bytes = 0;
  std::vector<SourceFile> sources;
  DocumentMetadata metadata;
  std::string title;
  std::string title_source;  // "" in records stored before titles had sources
  std::string date;
  std::string date_source;
  std::string language;
  std::string extracted_by;
  std::string ocr_settings;  // as Document::ocr_settings
  int64_t ingested_at_ms = 0;
  uint32_t page_count = 0;
  uint32_t ocr_page_count = 0;
};

DocumentSummary Summarise(const Document& document);

}  // namespace dossier
