// libFuzzer target: FindTables, DropContainedFragments and TableText
// (plugins/tables/table_layout.h) on word boxes decoded from the input
// (fuzz/word_input.h), with text-layer (0) and OCR (0.08) jitter.
#include <cstdint>
#include <cstdlib>

#include "table_layout.h"
#include "word_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  dossier_fuzz::PageInput in = dossier_fuzz::DecodeWords(data, size);
  if (in.flags & 1) {
    const size_t before = in.words.size();
    dossier_tables::DropContainedFragments(&in.words);
    if (in.words.size() > before) std::abort();
  }
  for (double jitter : {0.0, 0.08}) {
    for (const auto& table : dossier_tables::FindTables(in.words, {.jitter = jitter})) {
      if (table.rows.empty()) std::abort();
      (void)dossier_tables::TableText(table);
    }
  }
  return 0;
}
