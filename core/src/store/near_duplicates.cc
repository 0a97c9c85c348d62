// Near-duplicate documents in RocksDB: signatures, LSH band keys and
// near_duplicate edges (near_duplicates.h).
#include "near_duplicates.h"

#include <cmath>
#include <deque>
#include <map>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "dossier/keys.h"

namespace dossier {

using nlohmann::json;
using keys::EdgeType;

namespace {

Status Damaged(const GraphColumns& graph, const rocksdb::Status& s) {
  return DamagedDataFolder(graph.data_dir, "near-duplicates: " + s.ToString());
}

template <typename Visit>
Status ScanPrefix(const GraphColumns& graph, rocksdb::ColumnFamilyHandle* cf, const std::string& prefix, Visit visit) {
  std::unique_ptr<rocksdb::Iterator> it = GraphIterator(graph, cf);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (!visit(it->key().ToStringView(), it->value().ToStringView())) break;
  }
  if (!it->status().ok()) return Damaged(graph, it->status());
  return Status::Ok();
}

Result<NearDuplicateSignature> ReadSignature(const GraphColumns& graph, const DocumentId& id) {
  NearDuplicateSignature signature;
  std::string value;
  bool stored = false;
  DOSSIER_RETURN_IF_ERROR(GraphGet(graph, graph.near_duplicates, keys::NearDuplicateSignatureKey(id), &value, &stored));
  if (!stored) return signature;
  if (!keys::DecodeNearDuplicateSignature(value, &signature)) {
    return Status::DataLoss(graph.data_dir + ": near-duplicate signature of " + id.ToHex() + " is damaged");
  }
  return signature;
}

// The documents linked to `doc` by near_duplicate edges, in either direction.
Status LinkedDocuments(const GraphColumns& graph, const DocumentId& doc, std::vector<keys::EdgeParts>* edges) {
  const std::string prefix = keys::EdgePrefix(keys::DocumentNodeKey(doc), EdgeType::kNearDuplicate);
  for (bool outgoing : {true, false}) {
    DOSSIER_RETURN_IF_ERROR(ScanPrefix(graph, outgoing ? graph.edges : graph.edges_in, prefix,
                                       [&](std::string_view key, std::string_view) {
                                         keys::EdgeParts e;
                                         if (outgoing ? keys::ParseEdgeKey(key, &e) : keys::ParseEdgeInKey(key, &e)) {
                                           edges->push_back(std::move(e));
                                         }
                                         return true;
                                       }));
  }
  return Status::Ok();
}

}  // namespace

Result<std::set<DocumentId>> NearDuplicateGroup(const GraphColumns& graph, const DocumentId& start) {
  std::set<DocumentId> group = {start};
  std::deque<DocumentId> queue = {start};
  while (!queue.empty() && group.size() < 1000) {
    const DocumentId doc = queue.front();
    queue.pop_front();
    std::vector<keys::EdgeParts> edges;
    DOSSIER_RETURN_IF_ERROR(LinkedDocuments(graph, doc, &edges));
    for (const keys::EdgeParts& e : edges) {
      for (const std::string* node : {&e.src, &e.dst}) {
        const DocumentId other = DocumentId::FromBytes(std::string_view(*node).substr(1));
        if (group.insert(other).second) queue.push_back(other);
      }
    }
  }
  return group;
}

namespace {

// Recurrence is between different evaluations: a `recurs` link from a
// recommendation of one group member to one of another member goes.
Status PruneRecurrencesWithin(const GraphColumns& graph, const std::set<DocumentId>& group) {
  if (group.size() < 2) return Status::Ok();
  std::set<std::string> members;
  for (const DocumentId& d : group) members.insert(d.ToHex());
  rocksdb::WriteBatch batch;
  for (const DocumentId& doc : group) {
    std::vector<keys::EdgeParts> recurs;
    DOSSIER_RETURN_IF_ERROR(ScanPrefix(graph, graph.doc_edges, keys::DocEdgePrefix(doc), [&](std::string_view key, std::string_view) {
      keys::EdgeParts e;
      if (keys::ParseDocEdgeKey(key, &e) && e.type == EdgeType::kRecurs) recurs.push_back(std::move(e));
      return true;
    }));
    for (const keys::EdgeParts& e : recurs) {
      std::string value;
      bool stored = false;
      DOSSIER_RETURN_IF_ERROR(GraphGet(graph, graph.edges, keys::EdgeKey(e.src, e.type, e.dst, e.doc), &value, &stored));
      if (!stored) continue;
      json evidence = json::parse(value, nullptr, false);
      if (evidence.is_object() && members.count(evidence.value("document", ""))) DeleteEdge(graph, e, &batch);
    }
  }
  if (batch.Count() == 0) return Status::Ok();
  rocksdb::Status s = GraphWrite(graph, &batch);
  return s.ok() ? Status::Ok() : Status::Internal(graph.data_dir + ": near-duplicates: " + s.ToString());
}

}  // namespace

Result<std::optional<NearDuplicateSignature>> ReadNearDuplicateSignature(const GraphColumns& graph, const DocumentId& id) {
  if (!graph.near_duplicates) return std::optional<NearDuplicateSignature>();
  DOSSIER_ASSIGN_OR_RETURN(NearDuplicateSignature signature, ReadSignature(graph, id));
  if (signature.empty()) return std::optional<NearDuplicateSignature>();
  return std::optional<NearDuplicateSignature>(std::move(signature));
}

Status ForgetNearDuplicates(const GraphColumns& graph, const DocumentId& id, rocksdb::WriteBatch* batch) {
  if (!graph.near_duplicates) return Status::Ok();
  DOSSIER_ASSIGN_OR_RETURN(NearDuplicateSignature signature, ReadSignature(graph, id));
  for (uint32_t band = 0; band < kLshBands && !signature.empty(); ++band) {
    batch->Delete(graph.near_duplicates,
                  keys::NearDuplicateBandKey(static_cast<uint8_t>(band), NearDuplicateBandHash(signature, band), id));
  }
  batch->Delete(graph.near_duplicates, keys::NearDuplicateSignatureKey(id));
  std::vector<keys::EdgeParts> edges;
  DOSSIER_RETURN_IF_ERROR(LinkedDocuments(graph, id, &edges));
  for (const keys::EdgeParts& e : edges) {
    DeleteEdge(graph, e, batch);
    batch->Delete(graph.near_duplicates,
                  keys::NearDuplicatePairKey(DocumentId::FromBytes(std::string_view(e.src).substr(1)),
                                             DocumentId::FromBytes(std::string_view(e.dst).substr(1))));
  }
  return Status::Ok();
}

Status LinkNearDuplicates(const GraphColumns& graph, const DocumentId& id, const NearDuplicateSignature& signature) {
  if (!graph.near_duplicates) return Status::Ok();
  rocksdb::WriteBatch batch;
  DOSSIER_RETURN_IF_ERROR(ForgetNearDuplicates(graph, id, &batch));
  if (!signature.empty()) {
    batch.Put(graph.near_duplicates, keys::NearDuplicateSignatureKey(id), keys::EncodeNearDuplicateSignature(signature));
    // Candidates: the documents that share at least one band with this one.
    std::set<DocumentId> candidates;
    for (uint32_t band = 0; band < kLshBands; ++band) {
      const uint64_t hash = NearDuplicateBandHash(signature, band);
      batch.Put(graph.near_duplicates, keys::NearDuplicateBandKey(static_cast<uint8_t>(band), hash, id), "");
      DOSSIER_RETURN_IF_ERROR(ScanPrefix(graph, graph.near_duplicates, keys::NearDuplicateBandPrefix(static_cast<uint8_t>(band), hash),
                                         [&](std::string_view key, std::string_view) {
                                           std::optional<DocumentId> other = keys::ParseNearDuplicateBandKey(key);
                                           if (other && *other != id) candidates.insert(*other);
                                           return candidates.size() < 10000;
                                         }));
    }
    for (const DocumentId& other : candidates) {
      DOSSIER_ASSIGN_OR_RETURN(NearDuplicateSignature theirs, ReadSignature(graph, other));
      const double similarity = EstimateResemblance(signature, theirs);
      if (similarity < kNearDuplicateThreshold) continue;
      const DocumentId& low = id < other ? id : other;
      const DocumentId& high = id < other ? other : id;
      const std::string src = keys::DocumentNodeKey(low), dst = keys::DocumentNodeKey(high);
      const json evidence = {{"similarity", std::round(similarity * 100) / 100}, {"by", "minhash"},
                                {"extractor", "near_duplicates"}};
      batch.Put(graph.edges, keys::EdgeKey(src, EdgeType::kNearDuplicate, dst, low), evidence.dump());
      batch.Put(graph.edges_in, keys::EdgeInKey(dst, EdgeType::kNearDuplicate, src, low), "");
      batch.Put(graph.doc_edges, keys::DocEdgeKey(low, src, EdgeType::kNearDuplicate, dst), "");
      batch.Put(graph.near_duplicates, keys::NearDuplicatePairKey(low, high), keys::EncodeNearDuplicateSimilarity(similarity));
    }
  }
  rocksdb::Status s = GraphWrite(graph, &batch);
  if (!s.ok()) return Status::Internal(graph.data_dir + ": near-duplicates of " + id.ToHex() + ": " + s.ToString());
  DOSSIER_ASSIGN_OR_RETURN(std::set<DocumentId> group, NearDuplicateGroup(graph, id));
  return PruneRecurrencesWithin(graph, group);
}

Result<std::vector<NearDuplicatePair>> ReadNearDuplicatePairs(const GraphColumns& graph) {
  std::vector<NearDuplicatePair> pairs;
  if (!graph.near_duplicates) return pairs;
  DOSSIER_RETURN_IF_ERROR(ScanPrefix(graph, graph.near_duplicates, std::string(keys::kNearDuplicatePairPrefix),
                                     [&](std::string_view key, std::string_view value) {
                                       NearDuplicatePair pair;
                                       std::optional<double> similarity = keys::DecodeNearDuplicateSimilarity(value);
                                       if (keys::ParseNearDuplicatePairKey(key, &pair.low, &pair.high) && similarity) {
                                         pair.similarity = *similarity;
                                         pairs.push_back(pair);
                                       }
                                       return true;
                                     }));
  return pairs;
}

Result<uint32_t> ReadNearDuplicatesVersion(const GraphColumns& graph) {
  if (!graph.near_duplicates) return 0u;
  std::string value;
  rocksdb::Status s = graph.db->Get(CheckedReadOptions(), graph.near_duplicates, std::string(keys::kNearDuplicatesVersionKey), &value);
  if (s.IsNotFound()) return 0u;
  if (!s.ok()) return Damaged(graph, s);
  std::optional<uint32_t> version = keys::DecodeSchemaVersion(value);
  return version ? *version : 0u;
}

Status WriteNearDuplicatesVersion(const GraphColumns& graph) {
  rocksdb::Status s = graph.db->Put(rocksdb::WriteOptions(), graph.near_duplicates, std::string(keys::kNearDuplicatesVersionKey),
                                    keys::EncodeSchemaVersion(keys::kNearDuplicatesVersion));
  return s.ok() ? Status::Ok() : Status::Internal(graph.data_dir + ": near-duplicates: " + s.ToString());
}

}  // namespace dossier
