// The document record: the value of the `documents` column family (a JSON
// object, see keys.h), internal to the store. Kept apart from store.cc so the
// codec can be tested and fuzzed without RocksDB.
// Internal storage format: add fields freely, never change a field's meaning.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dossier/document.h"

namespace dossier {

std::string EncodeDocumentRecord(const DocumentSummary& summary, uint64_t text_bytes);

// Fills `summary` (with `id`) and, when not null, `text_bytes` from a stored
// record; false when the value is not a record this codec wrote (not JSON, a
// field of the wrong type, a number that is not an integer or is out of its
// field's range).
bool DecodeDocumentRecord(const DocumentId& id, std::string_view value, DocumentSummary* summary, uint64_t* text_bytes);

}  // namespace dossier
