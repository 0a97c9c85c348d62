// Near-duplicate documents in RocksDB (internal to core): each document's
// MinHash signature and LSH band keys in the near_duplicates column family,
// and a `near_duplicate` graph edge (with a pair key) between two documents
// whose estimated resemblance reaches kNearDuplicateThreshold. Key layouts
// are in keys.h.
#pragma once

#include <rocksdb/write_batch.h>

#include <optional>
#include <set>
#include <vector>

#include "dossier/near_duplicate.h"
#include "graph.h"

namespace dossier {

// Adds to `batch` the deletion of everything `id` has here: its signature,
// band keys, pair keys and near_duplicate edges in both directions.
Status ForgetNearDuplicates(const GraphColumns& graph, const DocumentId& id, rocksdb::WriteBatch* batch);
// Replaces `id`'s signature and links: looks up the documents sharing a band
// key with `signature` (a lookup, not a scan of every document), links those
// whose resemblance reaches the threshold, then removes `recurs` links
// between recommendations of documents that are now one near-duplicate group.
// The edge goes from the lower id to the higher and is filed under the lower
// id, so the graph is the same whichever document came first. Idempotent.
Status LinkNearDuplicates(const GraphColumns& graph, const DocumentId& id, const NearDuplicateSignature& signature);
// The documents of `start`'s near-duplicate group (itself included).
Result<std::set<DocumentId>> NearDuplicateGroup(const GraphColumns& graph, const DocumentId& start);
// A document's stored signature; nothing when it has none.
Result<std::optional<NearDuplicateSignature>> ReadNearDuplicateSignature(const GraphColumns& graph, const DocumentId& id);
// Every linked pair (one prefix scan).
Result<std::vector<NearDuplicatePair>> ReadNearDuplicatePairs(const GraphColumns& graph);
// The stored layout version ("version" key); 0 when none.
Result<uint32_t> ReadNearDuplicatesVersion(const GraphColumns& graph);
Status WriteNearDuplicatesVersion(const GraphColumns& graph);

}  // namespace dossier
