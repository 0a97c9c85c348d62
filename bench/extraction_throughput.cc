// Extraction throughput: runs the entities rules over text files, repeated to
// a target size, one thread, and prints MB of page text per second.
// Usage: dossier_bench_extraction AUTHORITY.tsv CUES_DIR TARGET_MB FILE.txt...
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "extract.h"

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s AUTHORITY.tsv CUES_DIR TARGET_MB FILE.txt...\n", argv[0]);
    return 2;
  }
  dossier_entities::Authority authority;
  std::string error;
  if (!authority.LoadFile(argv[1], &error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  dossier_structure::Cues cues;
  if (!cues.LoadFolder(argv[2], &error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  const double target = std::atof(argv[3]) * 1e6;
  std::vector<std::vector<std::string>> documents;  // pages split at form feeds
  for (int i = 4; i < argc; ++i) {
    std::ifstream in(argv[i]);
    std::stringstream text;
    text << in.rdbuf();
    std::vector<std::string> pages;
    std::string all = text.str(), page;
    for (char c : all) {
      if (c == '\f') pages.push_back(std::move(page)), page.clear();
      else page.push_back(c);
    }
    if (!page.empty()) pages.push_back(page);
    documents.push_back(std::move(pages));
  }
  double bytes = 0;
  size_t facts = 0, runs = 0;
  auto start = std::chrono::steady_clock::now();
  while (bytes < target) {
    for (const auto& doc : documents) {
      std::vector<dossier_entities::PageInput> pages;
      for (size_t p = 0; p < doc.size(); ++p) {
        pages.push_back({static_cast<uint32_t>(p + 1), doc[p]});
        bytes += doc[p].size();
      }
      facts += dossier_entities::ExtractTypedFacts(pages, "en", authority, cues).size();
      ++runs;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("extraction: %.1f MB of page text in %.2f s on one thread = %.2f MB/s (%zu documents, %zu facts)\n",
              bytes / 1e6, seconds, bytes / 1e6 / seconds, runs, facts);
  return 0;
}
