// The document record: the value of the `documents` column family (a JSON
// object, see keys.h), internal to the store. Kept apart from store.cc so the
// codec can be tested and fuzzed without RocksDB.
// Internal storage format: add fields freely, never change a field's meaning.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/document.h"

namespace dossier {

std::string EncodeDocumentRecord(const DocumentSummary& summary, uint64_t text_bytes);

// Fills `summary` (with `id`) and, when not null, `text_bytes` from a stored
// record; false when the value is not a record this codec wrote (not JSON, a
// field of the wrong type, a number that is not an integer or is out of its
// field's range).
bool DecodeDocumentRecord(const DocumentId& id, std::string_view value, DocumentSummary* summary, uint64_t* text_bytes);

// What a search hit shows of its document's record.
struct HitFields {
  std::string title;
  std::string language;
  std::string mime_type;
  uint32_t page_count = 0;
  std::vector<std::string> source_paths;
};

// The hit's fields of a stored record, read in one pass without building the
// record's JSON tree (a search reads a record per hit). True exactly when
// DecodeDocumentRecord would accept the value, with the same fields.
bool DecodeHitFields(std::string_view value, HitFields* fields);

}  // namespace dossier
