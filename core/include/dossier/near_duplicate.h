// Near-duplicate documents: a MinHash signature of a document's word
// shingles, computed from its normalised page text, so that the digital file
// and its scan, two printings or a draft and its final version can be found
// without comparing texts. The store keeps each document's signature and its
// LSH band keys (keys.h) and links documents whose estimated resemblance
// reaches kNearDuplicateThreshold with a `near_duplicate` graph edge.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/document.h"

namespace dossier {

// Words per shingle: long enough that two different reports sharing phrases
// ("of the evaluation") share few shingles, short enough that an OCR error
// spoils few of them (each bad word spoils kShingleWords shingles).
inline constexpr uint32_t kShingleWords = 4;
// MinHash values per signature, read as kLshBands bands of kLshRows values.
// A pair whose resemblance is J shares at least one band with probability
// 1 - (1 - J^4)^32: 0.87 at J = 0.5, 0.9996 at J = 0.8, 0.05 at J = 0.2.
inline constexpr uint32_t kMinHashCount = 128;
inline constexpr uint32_t kLshRows = 4;
inline constexpr uint32_t kLshBands = kMinHashCount / kLshRows;
// Documents with fewer shingles than this get no signature (a cover page, a
// scan stored without OCR): too little text to call two of them the same.
inline constexpr uint32_t kMinShingles = 30;
// The estimated resemblance (shared shingles / all shingles of the two) from
// which two documents are near-duplicates. Chosen from the distribution
// measured by bench/duplicates.sh (docs/ARCHITECTURE.md, "Near-duplicate
// documents").
inline constexpr double kNearDuplicateThreshold = 0.6;

struct NearDuplicateSignature {
  uint32_t shingles = 0;         // distinct shingles of the document
  std::vector<uint32_t> minhash;  // kMinHashCount values, or empty: no signature
  bool empty() const { return minhash.empty(); }
};

// The words shingles are made of: page texts joined, a word broken by a
// hyphen at a line end joined again, then case, accents and punctuation
// folded away (NameKey); numbers (page numbers, list numbers) and words of
// one character (OCR specks) are dropped.
std::vector<std::string> NearDuplicateWords(const std::vector<PageText>& pages);
// The document's signature; empty when it has fewer than kMinShingles shingles.
NearDuplicateSignature ComputeNearDuplicateSignature(const std::vector<PageText>& pages);
// The estimated resemblance of two documents: the share of equal MinHash
// values (0 when either has no signature).
double EstimateResemblance(const NearDuplicateSignature& a, const NearDuplicateSignature& b);
// The hash of band `band` of a signature (its kLshRows values).
uint64_t NearDuplicateBandHash(const NearDuplicateSignature& signature, uint32_t band);

}  // namespace dossier

namespace dossier {

// Two stored documents linked as near-duplicates (`low` < `high` by id),
// with their estimated resemblance.
struct NearDuplicatePair {
  DocumentId low, high;
  double similarity = 0;
};

}  // namespace dossier
