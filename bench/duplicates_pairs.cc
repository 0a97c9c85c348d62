// Near-duplicate figures for bench/duplicates.sh: opens a data folder
// read-only and prints, for every pair of stored documents whose resemblance
// is at least --min (default 0.05), the exact resemblance of their word
// shingles (near_duplicate.h: shared shingles / all shingles of the two), the
// MinHash estimate Dossier links by, and whether they are linked. The exact
// figures show how far apart true and false pairs lie, which is what the
// threshold is chosen from.
// Usage: dossier_bench_duplicates DATA_DIR [--min X]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "dossier/near_duplicate.h"
#include "dossier/store.h"

using namespace dossier;

namespace {

std::unordered_set<std::string> Shingles(const std::vector<std::string>& words) {
  std::unordered_set<std::string> out;
  for (size_t i = 0; i + kShingleWords <= words.size(); ++i) {
    std::string s;
    for (size_t k = 0; k < kShingleWords; ++k) s += words[i + k] + " ";
    out.insert(std::move(s));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DATA_DIR [--min X]\n", argv[0]);
    return 2;
  }
  double min = 0.05;
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--min") == 0) min = std::atof(argv[i + 1]);
  }
  Result<std::unique_ptr<Store>> store = Store::Open(argv[1], StoreMode::kReadOnly);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  struct Doc {
    std::string id, path;
    std::unordered_set<std::string> shingles;
    NearDuplicateSignature signature;
  };
  std::vector<Doc> docs;
  for (uint32_t offset = 0;; offset += 500) {
    Result<std::vector<DocumentSummary>> batch = (*store)->ListDocuments(500, offset);
    if (!batch.ok()) return 1;
    for (const DocumentSummary& summary : *batch) {
      Result<std::vector<PageText>> pages = (*store)->GetPages(summary.id);
      if (!pages.ok()) return 1;
      docs.push_back({summary.id.ToHex(), summary.sources.empty() ? "" : summary.sources.front().path,
                      Shingles(NearDuplicateWords(*pages)), ComputeNearDuplicateSignature(*pages)});
    }
    if (batch->size() < 500) break;
  }
  std::set<std::pair<std::string, std::string>> linked;
  Result<std::vector<NearDuplicatePair>> pairs = (*store)->NearDuplicatePairs();
  if (!pairs.ok()) return 1;
  for (const NearDuplicatePair& p : *pairs) linked.insert({p.low.ToHex(), p.high.ToHex()});
  std::printf("exact\testimate\tlinked\tshingles_a\tshingles_b\ta\tb\n");
  for (size_t i = 0; i < docs.size(); ++i) {
    for (size_t j = i + 1; j < docs.size(); ++j) {
      const Doc& a = docs[i];
      const Doc& b = docs[j];
      if (a.shingles.empty() || b.shingles.empty()) continue;
      size_t common = 0;
      for (const std::string& s : a.shingles) common += b.shingles.count(s);
      const double exact = double(common) / double(a.shingles.size() + b.shingles.size() - common);
      if (exact < min) continue;
      const bool is_linked = linked.count({std::min(a.id, b.id), std::max(a.id, b.id)}) > 0;
      std::printf("%.3f\t%.3f\t%s\t%zu\t%zu\t%s\t%s\n", exact, EstimateResemblance(a.signature, b.signature),
                  is_linked ? "yes" : "no", a.shingles.size(), b.shingles.size(), a.path.c_str(), b.path.c_str());
    }
  }
  return 0;
}
