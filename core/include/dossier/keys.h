// The only place that builds or parses RocksDB keys and fixed value layouts.
//
// Column families, key grammar and value layout (integers big-endian so they
// sort; `id` is a DocumentId's 8 raw bytes):
//
//   default     "schema_version"          -> fixed32 schema version (kSchemaVersion)
//   documents   id                        -> JSON document record (see core/src/store/document_record.h)
//   pages       id page:fixed32           -> source:u8 confidence_x100:fixed16 text:bytes...
//   sources     path:bytes                -> id size:fixed64 mtime_ns:fixed64
//   pending     id                        -> op:u8 (PendingOp) -- documents whose Xapian side
//                                            is not known to match RocksDB yet
//   failed      path:bytes                -> JSON {size, mtime_ns, reason, at_ms}
//   facts       id                        -> JSON {"extractors": [...], "facts": [...]} what
//                                            extractor plugins found in the document
//   facts       id "structure"            -> JSON: the document's "structure" fact (its
//                                            structure model), kept apart from the others
//
// The knowledge graph (node = kind:u8 hash:8 bytes, see NodeKind; docs are
// kind 'D' with the document id as hash):
//   nodes       node                      -> JSON node record (name, type, aliases / item fields / date)
//   edges       src edge:u8 dst doc       -> JSON evidence {page, start, end, extractor, ...}
//   edges_in    dst edge:u8 src doc       -> "" (the same edge, found from its target)
//   doc_edges   doc src edge:u8 dst       -> "" (every edge a document contributed)
//   nodes       '~' node                  -> JSON tally of an entity's mention evidence (TallyKey;
//                                            '~' is no node kind, so scans of a kind never see it)
//   aliases     name_key 0x00 node        -> "" (NameKey of every name and alias of an entity)
//   aliases     item_type '|' text_key 0x00 node -> "" (ItemTextAlias: an item or action by the
//                                            NameKey of its text, cut to 160 bytes)
//   aliases     "title|" key 0x00 doc_node   -> "" (TitleAlias: the evaluation a document is)
//   aliases     "answers|" key 0x00 doc_node -> "" (TitleAlias: the evaluation a document answers)
//   aliases     "acronym|" name_key 0x00 doc_node -> "" (AcronymUseAlias: a document uses this
//                                            acronym bare, without defining it)
// Scans: a node's edges of one type are the prefix EdgePrefix(node, type) of
// edges or edges_in; a document's contributed edges the prefix
// DocEdgePrefix(doc) of doc_edges; the nodes under an alias are the prefix
// AliasPrefix(alias).
//
// Near-duplicate documents (near_duplicate.h; written and read by store/near_duplicates.cc):
//   near_duplicates  'S' id                       -> signature: shingles:fixed32 n:u8 n x minhash:fixed32
//   near_duplicates  'B' band:u8 band_hash:8 id   -> "" (LSH band key: documents sharing one are candidates)
//   near_duplicates  'P' id_low id_high           -> similarity x 10000:fixed16 (one per near_duplicate edge)
//   near_duplicates  "version"                    -> fixed32: signatures of every stored document are written
// "All nodes of kind K" is a prefix scan of nodes on K; "neighbours of N" are
// prefix scans of edges and edges_in on N.
//
// A confidence of 0xFFFF means "not OCR".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dossier/coding.h"
#include "dossier/document.h"
#include "dossier/near_duplicate.h"

namespace dossier::keys {

inline constexpr uint32_t kSchemaVersion = 1;
inline constexpr std::string_view kSchemaVersionKey = "schema_version";

inline constexpr std::string_view kDocumentsCf = "documents";
inline constexpr std::string_view kPagesCf = "pages";
inline constexpr std::string_view kSourcesCf = "sources";
inline constexpr std::string_view kPendingCf = "pending";
inline constexpr std::string_view kFailedCf = "failed";
inline constexpr std::string_view kFactsCf = "facts";
inline constexpr std::string_view kNodesCf = "nodes";
inline constexpr std::string_view kEdgesCf = "edges";
inline constexpr std::string_view kEdgesInCf = "edges_in";
inline constexpr std::string_view kDocEdgesCf = "doc_edges";
inline constexpr std::string_view kAliasesCf = "aliases";
inline constexpr std::string_view kNearDuplicatesCf = "near_duplicates";

// Node kinds: the first byte of a node key. On disk: never change a value.
enum class NodeKind : char {
  kDocument = 'D',
  kOrganisation = 'O',
  kProgramme = 'P',
  kOtherEntity = 'X',  // people, places, other named things
  kRecommendation = 'R',
  kFinding = 'F',
  kConclusion = 'C',
  kDate = 'T',
  kAction = 'A',  // a key action promised under a recommendation
};

// Edge types. On disk: never renumber.
enum class EdgeType : uint8_t {
  kMentions = 1,     // document -> entity
  kPartOf = 2,       // entity -> entity (unit -> parent)
  kContains = 3,     // document -> item
  kResponsible = 4,  // recommendation -> entity
  kStatesDate = 5,   // document -> date
  kDue = 6,          // recommendation -> date
  kSameAs = 7,       // item -> item (the same recommendation in another document)
  kHasAction = 8,    // recommendation -> key action
  kRecurs = 9,       // recommendation -> an earlier evaluation's recommendation it repeats (same body, similar text)
  kRespondsTo = 10,  // document -> document (a management response or memo -> the evaluation it names)
  kBasedOn = 11,     // item -> item of the same document it rests on (recommendation -> conclusion -> finding)
  kFunds = 12,       // entity -> entity the text says it funds ("B, funded by A": A funds B)
  kImplements = 13,  // entity -> programme or project it implements
  kLeads = 14,       // entity -> entity it leads, chairs or coordinates
  kMemberOf = 15,    // entity -> entity it is a member of
  kNearDuplicate = 16,  // document -> document with nearly the same text (lower id -> higher id; evidence: similarity)
};
inline constexpr uint8_t kLastEdgeType = 16;
std::string_view EdgeTypeName(EdgeType type);
std::optional<EdgeType> EdgeTypeFromName(std::string_view name);

// A graph node's key: kind + 8 bytes.
inline constexpr size_t kNodeKeySize = 1 + DocumentId::kSize;
std::string NodeKey(NodeKind kind, std::string_view hash8);
std::string DocumentNodeKey(const DocumentId& id);
// The node of a document's recommendation, finding or conclusion
// (`item_type` its wire name): the hash of "hexid|type|number|start".
std::string ItemNodeKey(const DocumentId& doc, std::string_view item_type, std::string_view number, uint64_t start);
// The node of a key action, the `position`th (from 0) under the
// recommendation numbered `recommendation_number`: the hash of
// "hexid|action|recommendation number|action number|position".
std::string ActionNodeKey(const DocumentId& doc, std::string_view recommendation_number, std::string_view number,
                          size_t position);
// "O:1a2b3c4d5e6f7a8b" <-> node key.
std::string NodeKeyToText(std::string_view node);
std::optional<std::string> NodeKeyFromText(std::string_view text);

std::string EdgeKey(std::string_view src, EdgeType type, std::string_view dst, const DocumentId& doc);
std::string EdgeInKey(std::string_view dst, EdgeType type, std::string_view src, const DocumentId& doc);
std::string DocEdgeKey(const DocumentId& doc, std::string_view src, EdgeType type, std::string_view dst);
struct EdgeParts {
  std::string src, dst;
  EdgeType type;
  DocumentId doc;
};
bool ParseEdgeKey(std::string_view key, EdgeParts* parts);    // edges
bool ParseEdgeInKey(std::string_view key, EdgeParts* parts);  // edges_in
bool ParseDocEdgeKey(std::string_view key, EdgeParts* parts); // doc_edges
std::string AliasKey(std::string_view name_key, std::string_view node);
// What every alias key of `alias` starts with (its nodes are the rest of the key).
std::string AliasPrefix(std::string_view alias);
// The edges of one type leaving a node (in edges) or reaching it (in edges_in).
std::string EdgePrefix(std::string_view node, EdgeType type);
// Every edge a document contributed (in doc_edges).
std::string DocEdgePrefix(const DocumentId& doc);
// The smallest key greater than every key starting with `prefix` (empty:
// none is, the prefix being all 0xff bytes).
std::string PrefixEnd(std::string prefix);
// An entity's tally of its mentions' evidence, in the nodes column family.
inline constexpr char kTallyPrefix = '~';
std::string TallyKey(std::string_view node);
// The alias under which items of one type (wire name, or "action") meet when
// their texts have the same NameKey (`text_key`, cut here to 160 bytes).
std::string ItemTextAlias(std::string_view item_type, std::string_view text_key);
// The alias under which an evaluation (answers = false) and the documents
// answering it (answers = true) meet: `title_key` is the title's NameKey.
std::string TitleAlias(bool answers, std::string_view title_key);
// The alias listing the documents that use an acronym (its NameKey) bare.
std::string AcronymUseAlias(std::string_view acronym_key);

// ---- near-duplicate documents (near_duplicates column family) ----
inline constexpr std::string_view kNearDuplicatesVersionKey = "version";
// The current layout of signatures and band keys: a stored "version" below
// it (or none) means the signatures are rewritten from the stored pages.
inline constexpr uint32_t kNearDuplicatesVersion = 1;
std::string NearDuplicateSignatureKey(const DocumentId& id);
inline constexpr char kNearDuplicateSignaturePrefix = 'S';
std::optional<DocumentId> ParseNearDuplicateSignatureKey(std::string_view key);
// A band key, and the prefix shared by every document with that band value.
std::string NearDuplicateBandPrefix(uint8_t band, uint64_t band_hash);
std::string NearDuplicateBandKey(uint8_t band, uint64_t band_hash, const DocumentId& id);
// The document id at the end of a band key; nullopt when malformed.
std::optional<DocumentId> ParseNearDuplicateBandKey(std::string_view key);
// A pair key (`a` and `b` in either order: the lower id comes first), the
// prefix of every pair key, and its parts.
std::string NearDuplicatePairKey(const DocumentId& a, const DocumentId& b);
inline constexpr std::string_view kNearDuplicatePairPrefix = "P";
bool ParseNearDuplicatePairKey(std::string_view key, DocumentId* low, DocumentId* high);
std::string EncodeNearDuplicateSimilarity(double similarity);
std::optional<double> DecodeNearDuplicateSimilarity(std::string_view value);
std::string EncodeNearDuplicateSignature(const NearDuplicateSignature& signature);
bool DecodeNearDuplicateSignature(std::string_view value, NearDuplicateSignature* signature);

// What is pending for a document. On disk: never renumber.
enum class PendingOp : uint8_t {
  kIndex = 1,   // RocksDB holds the document; Xapian must be made to hold it
  kRemove = 2,  // Xapian must drop it, then RocksDB
};

// Big-endian integers in keys and values: the one codec (coding.h).
using coding::GetFixed16;
using coding::GetFixed32;
using coding::GetFixed64;
using coding::PutFixed16;
using coding::PutFixed32;
using coding::PutFixed64;

std::string EncodeSchemaVersion(uint32_t version);
std::optional<uint32_t> DecodeSchemaVersion(std::string_view value);

std::string DocumentKey(const DocumentId& id);
std::optional<DocumentId> ParseDocumentKey(std::string_view key);
// The key of a document's "structure" fact in the facts column family.
std::string DocumentStructureKey(const DocumentId& id);

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
