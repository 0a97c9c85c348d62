// Key and value encodings for the RocksDB column families (grammar in keys.h).
#include "dossier/keys.h"

#include "dossier/text.h"

#include <algorithm>
#include <cmath>

namespace dossier::keys {

std::string EncodeSchemaVersion(uint32_t version) {
  std::string out;
  PutFixed32(&out, version);
  return out;
}

std::optional<uint32_t> DecodeSchemaVersion(std::string_view value) {
  uint32_t v;
  if (value.size() != 4 || !GetFixed32(&value, &v)) return std::nullopt;
  return v;
}

std::string DocumentKey(const DocumentId& id) { return std::string(id.Bytes()); }

std::string DocumentStructureKey(const DocumentId& id) { return std::string(id.Bytes()) + "structure"; }

std::optional<DocumentId> ParseDocumentKey(std::string_view key) {
  if (key.size() != DocumentId::kSize) return std::nullopt;
  return DocumentId::FromBytes(key);
}

std::string PagePrefix(const DocumentId& id) { return std::string(id.Bytes()); }

std::string PageKey(const DocumentId& id, uint32_t page) {
  std::string key(id.Bytes());
  PutFixed32(&key, page);
  return key;
}

bool ParsePageKey(std::string_view key, DocumentId* id, uint32_t* page) {
  if (key.size() != DocumentId::kSize + 4) return false;
  *id = DocumentId::FromBytes(key);
  key.remove_prefix(DocumentId::kSize);
  return GetFixed32(&key, page);
}

std::string EncodePageValue(const PageText& page) {
  std::string out;
  out.reserve(3 + page.text.size());
  out.push_back(static_cast<char>(page.source));
  uint16_t confidence = 0xFFFF;
  if (page.ocr_confidence >= 0) {
    confidence = static_cast<uint16_t>(std::lround(std::min(page.ocr_confidence, 100.0f) * 100));
  }
  PutFixed16(&out, confidence);
  out.append(page.text);
  return out;
}

bool DecodePageValue(std::string_view value, PageText* page) {
  if (value.size() < 3) return false;
  uint8_t tag = static_cast<uint8_t>(value[0]);
  if (tag < 1 || tag > 3) return false;
  page->source = static_cast<TextSource>(tag);
  value.remove_prefix(1);
  uint16_t confidence;
  GetFixed16(&value, &confidence);
  page->ocr_confidence = confidence == 0xFFFF ? -1.0f : confidence / 100.0f;
  page->text.assign(value);
  return true;
}

std::string SourceKey(std::string_view path) { return std::string(path); }

std::string EncodeSourceValue(const DocumentId& id, uint64_t size, int64_t mtime_ns) {
  std::string out(id.Bytes());
  PutFixed64(&out, size);
  PutFixed64(&out, static_cast<uint64_t>(mtime_ns));
  return out;
}

bool DecodeSourceValue(std::string_view value, DocumentId* id, uint64_t* size, int64_t* mtime_ns) {
  if (value.size() != DocumentId::kSize + 16) return false;
  *id = DocumentId::FromBytes(value);
  value.remove_prefix(DocumentId::kSize);
  uint64_t mtime;
  if (!GetFixed64(&value, size) || !GetFixed64(&value, &mtime)) return false;
  *mtime_ns = static_cast<int64_t>(mtime);
  return true;
}

std::string PendingKey(const DocumentId& id) { return std::string(id.Bytes()); }

std::string EncodePendingValue(PendingOp op) { return std::string(1, static_cast<char>(op)); }

std::optional<PendingOp> DecodePendingValue(std::string_view value) {
  if (value.size() != 1) return std::nullopt;
  uint8_t v = static_cast<uint8_t>(value[0]);
  if (v == 1) return PendingOp::kIndex;
  if (v == 2) return PendingOp::kRemove;
  return std::nullopt;
}

std::string_view EdgeTypeName(EdgeType type) {
  switch (type) {
    case EdgeType::kMentions: return "mentions";
    case EdgeType::kPartOf: return "part_of";
    case EdgeType::kContains: return "contains";
    case EdgeType::kResponsible: return "responsible";
    case EdgeType::kStatesDate: return "states_date";
    case EdgeType::kDue: return "due";
    case EdgeType::kSameAs: return "same_as";
    case EdgeType::kHasAction: return "has_action";
    case EdgeType::kRecurs: return "recurs";
    case EdgeType::kRespondsTo: return "responds_to";
    case EdgeType::kBasedOn: return "based_on";
    case EdgeType::kFunds: return "funds";
    case EdgeType::kImplements: return "implements";
    case EdgeType::kLeads: return "leads";
    case EdgeType::kMemberOf: return "member_of";
    case EdgeType::kNearDuplicate: return "near_duplicate";
  }
  return "unknown";
}

std::optional<EdgeType> EdgeTypeFromName(std::string_view name) {
  for (uint8_t v = 1; v <= kLastEdgeType; ++v) {
    if (EdgeTypeName(static_cast<EdgeType>(v)) == name) return static_cast<EdgeType>(v);
  }
  return std::nullopt;
}

std::string NodeKey(NodeKind kind, std::string_view hash8) {
  std::string key(1, static_cast<char>(kind));
  key.append(hash8.substr(0, DocumentId::kSize));
  return key;
}

std::string DocumentNodeKey(const DocumentId& id) { return NodeKey(NodeKind::kDocument, id.Bytes()); }

namespace {

// 8 bytes that identify a thing by its name (the first half of its SHA-256).
std::string NameHash(std::string_view text) {
  return std::string(DocumentId::FromHex(Sha256Hex(text).substr(0, 16)).value().Bytes());
}

}  // namespace

std::string ItemNodeKey(const DocumentId& doc, std::string_view item_type, std::string_view number, uint64_t start) {
  const NodeKind kind = item_type == "finding"      ? NodeKind::kFinding
                        : item_type == "conclusion" ? NodeKind::kConclusion
                                                    : NodeKind::kRecommendation;
  return NodeKey(kind, NameHash(doc.ToHex() + "|" + std::string(item_type) + "|" + std::string(number) + "|" +
                                std::to_string(start)));
}

std::string ActionNodeKey(const DocumentId& doc, std::string_view recommendation_number, std::string_view number,
                          size_t position) {
  return NodeKey(NodeKind::kAction, NameHash(doc.ToHex() + "|action|" + std::string(recommendation_number) + "|" +
                                             std::string(number) + "|" + std::to_string(position)));
}

std::string NodeKeyToText(std::string_view node) {
  if (node.size() != kNodeKeySize) return "?";
  return std::string(1, node[0]) + ":" + DocumentId::FromBytes(node.substr(1)).ToHex();
}

std::optional<std::string> NodeKeyFromText(std::string_view text) {
  if (text.size() != 2 + DocumentId::kSize * 2 || text[1] != ':') return std::nullopt;
  static const std::string_view kinds = "DOPXRFCTA";
  if (kinds.find(text[0]) == std::string_view::npos) return std::nullopt;
  Result<DocumentId> hash = DocumentId::FromHex(text.substr(2));
  if (!hash.ok()) return std::nullopt;
  return NodeKey(static_cast<NodeKind>(text[0]), hash->Bytes());
}

std::string EdgeKey(std::string_view src, EdgeType type, std::string_view dst, const DocumentId& doc) {
  std::string key(src);
  key.push_back(static_cast<char>(type));
  key.append(dst).append(doc.Bytes());
  return key;
}

std::string EdgeInKey(std::string_view dst, EdgeType type, std::string_view src, const DocumentId& doc) {
  return EdgeKey(dst, type, src, doc);
}

std::string DocEdgeKey(const DocumentId& doc, std::string_view src, EdgeType type, std::string_view dst) {
  std::string key(doc.Bytes());
  key.append(src).push_back(static_cast<char>(type));
  key.append(dst);
  return key;
}

namespace {
bool SplitEdge(std::string_view key, std::string* first, EdgeType* type, std::string* second, DocumentId* doc) {
  if (key.size() != kNodeKeySize * 2 + 1 + DocumentId::kSize) return false;
  *first = std::string(key.substr(0, kNodeKeySize));
  uint8_t t = static_cast<uint8_t>(key[kNodeKeySize]);
  if (t < 1 || t > kLastEdgeType) return false;
  *type = static_cast<EdgeType>(t);
  *second = std::string(key.substr(kNodeKeySize + 1, kNodeKeySize));
  *doc = DocumentId::FromBytes(key.substr(kNodeKeySize * 2 + 1));
  return true;
}
}  // namespace

bool ParseEdgeKey(std::string_view key, EdgeParts* p) { return SplitEdge(key, &p->src, &p->type, &p->dst, &p->doc); }
bool ParseEdgeInKey(std::string_view key, EdgeParts* p) { return SplitEdge(key, &p->dst, &p->type, &p->src, &p->doc); }

bool ParseDocEdgeKey(std::string_view key, EdgeParts* p) {
  if (key.size() != DocumentId::kSize + kNodeKeySize * 2 + 1) return false;
  p->doc = DocumentId::FromBytes(key);
  key.remove_prefix(DocumentId::kSize);
  p->src = std::string(key.substr(0, kNodeKeySize));
  uint8_t t = static_cast<uint8_t>(key[kNodeKeySize]);
  if (t < 1 || t > kLastEdgeType) return false;
  p->type = static_cast<EdgeType>(t);
  p->dst = std::string(key.substr(kNodeKeySize + 1));
  return true;
}

std::string AliasKey(std::string_view name_key, std::string_view node) {
  std::string key(name_key);
  key.push_back('\0');
  key.append(node);
  return key;
}

std::string AliasPrefix(std::string_view alias) {
  std::string key(alias);
  key.push_back('\0');
  return key;
}

std::string EdgePrefix(std::string_view node, EdgeType type) {
  std::string key(node);
  key.push_back(static_cast<char>(type));
  return key;
}

std::string DocEdgePrefix(const DocumentId& doc) { return std::string(doc.Bytes()); }

std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty()) {
    const auto last = static_cast<unsigned char>(prefix.back());
    if (last != 0xFF) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;
}

std::string TallyKey(std::string_view node) { return kTallyPrefix + std::string(node); }

std::string ItemTextAlias(std::string_view item_type, std::string_view text_key) {
  return std::string(item_type) + "|" + std::string(text_key.substr(0, 160));
}

std::string TitleAlias(bool answers, std::string_view title_key) {
  return (answers ? "answers|" : "title|") + std::string(title_key);
}

std::string AcronymUseAlias(std::string_view acronym_key) { return "acronym|" + std::string(acronym_key); }

}  // namespace dossier::keys

namespace dossier::keys {

std::string NearDuplicateSignatureKey(const DocumentId& id) {
  std::string key(1, kNearDuplicateSignaturePrefix);
  key.append(id.Bytes());
  return key;
}

std::optional<DocumentId> ParseNearDuplicateSignatureKey(std::string_view key) {
  if (key.size() != 1 + DocumentId::kSize || key[0] != kNearDuplicateSignaturePrefix) return std::nullopt;
  return DocumentId::FromBytes(key.substr(1));
}

std::string NearDuplicateBandPrefix(uint8_t band, uint64_t band_hash) {
  std::string key = "B";
  key.push_back(static_cast<char>(band));
  PutFixed64(&key, band_hash);
  return key;
}

std::string NearDuplicateBandKey(uint8_t band, uint64_t band_hash, const DocumentId& id) {
  std::string key = NearDuplicateBandPrefix(band, band_hash);
  key.append(id.Bytes());
  return key;
}

std::optional<DocumentId> ParseNearDuplicateBandKey(std::string_view key) {
  if (key.size() != 2 + 8 + DocumentId::kSize || key[0] != 'B') return std::nullopt;
  return DocumentId::FromBytes(key.substr(10));
}

std::string NearDuplicatePairKey(const DocumentId& a, const DocumentId& b) {
  std::string key(kNearDuplicatePairPrefix);
  key.append(a < b ? a.Bytes() : b.Bytes());
  key.append(a < b ? b.Bytes() : a.Bytes());
  return key;
}

bool ParseNearDuplicatePairKey(std::string_view key, DocumentId* low, DocumentId* high) {
  if (key.size() != 1 + 2 * DocumentId::kSize || key[0] != kNearDuplicatePairPrefix[0]) return false;
  *low = DocumentId::FromBytes(key.substr(1));
  *high = DocumentId::FromBytes(key.substr(1 + DocumentId::kSize));
  return true;
}

std::string EncodeNearDuplicateSimilarity(double similarity) {
  std::string out;
  PutFixed16(&out, static_cast<uint16_t>(std::lround(std::clamp(similarity, 0.0, 1.0) * 10000)));
  return out;
}

std::optional<double> DecodeNearDuplicateSimilarity(std::string_view value) {
  uint16_t v = 0;
  if (value.size() != 2 || !GetFixed16(&value, &v)) return std::nullopt;
  return v / 10000.0;
}

std::string EncodeNearDuplicateSignature(const NearDuplicateSignature& signature) {
  std::string out;
  PutFixed32(&out, signature.shingles);
  out.push_back(static_cast<char>(signature.minhash.size()));
  for (uint32_t v : signature.minhash) PutFixed32(&out, v);
  return out;
}

bool DecodeNearDuplicateSignature(std::string_view value, NearDuplicateSignature* signature) {
  uint32_t shingles = 0;
  if (!GetFixed32(&value, &shingles) || value.empty()) return false;
  const size_t n = static_cast<uint8_t>(value[0]);
  value.remove_prefix(1);
  if (value.size() != n * 4) return false;
  signature->shingles = shingles;
  signature->minhash.assign(n, 0);
  for (size_t i = 0; i < n; ++i) GetFixed32(&value, &signature->minhash[i]);
  return true;
}

}  // namespace dossier::keys
