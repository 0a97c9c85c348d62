// The only place that builds or parses RocksDB keys and fixed value layouts.
//
// Column families, key grammar and value layout (integers big-endian so they
// sort; `id` is a DocumentId's 8 raw bytes):
//
//   default     "schema_version"          -> fixed32 schema version (kSchemaVersion)
//   documents   id                        -> JSON document record (see store.cc: DocumentRecordToJson)
//   pages       id page:fixed32           -> source:u8 confidence_x100:fixed16 text:bytes...
//   sources     path:bytes                -> id size:fixed64 mtime_ns:fixed64
//   pending     id                        -> op:u8 (PendingOp) -- documents whose Xapian side
//                                            is not known to match RocksDB yet
//   failed      path:bytes                -> JSON {size, mtime_ns, reason, at_ms}
//   facts       id                        -> JSON {"extractors": [...], "facts": [...]} what
//                                            extractor plugins found in the document
//
// A confidence of 0xFFFF means "not OCR".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dossier/document.h"

namespace dossier::keys {

inline constexpr uint32_t kSchemaVersion = 1;
inline constexpr std::string_view kSchemaVersionKey = "schema_version";

inline constexpr std::string_view kDocumentsCf = "documents";
inline constexpr std::string_view kPagesCf = "pages";
inline constexpr std::string_view kSourcesCf = "sources";
inline constexpr std::string_view kPendingCf = "pending";
inline constexpr std::string_view kFailedCf = "failed";
inline constexpr std::string_view kFactsCf = "facts";

// What is pending for a document. On disk: never renumber.
enum class PendingOp : uint8_t {
  kIndex = 1,   // RocksDB holds the document; Xapian must be made to hold it
  kRemove = 2,  // Xapian must drop it, then RocksDB
};

// Appends big-endian integers to `dst`.
void PutFixed16(std::string* dst, uint16_t value);
void PutFixed32(std::string* dst, uint32_t value);
void PutFixed64(std::string* dst, uint64_t value);
// Consume a big-endian integer from the front of `input`; false when too short.
bool GetFixed16(std::string_view* input, uint16_t* value);
bool GetFixed32(std::string_view* input, uint32_t* value);
bool GetFixed64(std::string_view* input, uint64_t* value);

std::string EncodeSchemaVersion(uint32_t version);
std::optional<uint32_t> DecodeSchemaVersion(std::string_view value);

std::string DocumentKey(const DocumentId& id);
std::optional<DocumentId> ParseDocumentKey(std::string_view key);

std::string PageKey(const DocumentId& id, uint32_t page);
// The prefix shared by every page key of a document.
std::string PagePrefix(const DocumentId& id);
bool ParsePageKey(std::string_view key, DocumentId* id, uint32_t* page);

std::string EncodePageValue(const PageText& page);
// Fills everything but `number`; false on a malformed value.
bool DecodePageValue(std::string_view value, PageText* page);

std::string SourceKey(std::string_view path);
std::string EncodeSourceValue(const DocumentId& id, uint64_t size, int64_t mtime_ns);
bool DecodeSourceValue(std::string_view value, DocumentId* id, uint64_t* size, int64_t* mtime_ns);

std::string PendingKey(const DocumentId& id);
std::string EncodePendingValue(PendingOp op);
std::optional<PendingOp> DecodePendingValue(std::string_view value);

}  // namespace dossier::keys
