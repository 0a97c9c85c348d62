// libFuzzer target: LayOutPage (plugins/tables/page_layout.h) on word boxes
// decoded from the input (fuzz/word_input.h), with text-layer (0) and OCR
// (0.08) jitter. Also checks that every table area names a table.
#include <cstdint>
#include <cstdlib>

#include "page_layout.h"
#include "word_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const dossier_fuzz::PageInput in = dossier_fuzz::DecodeWords(data, size);
  for (double jitter : {0.0, 0.08}) {
    const dossier_tables::PageLayout layout = dossier_tables::LayOutPage(in.words, {.jitter = jitter});
    for (const auto& area : layout.areas) {
      if (area.kind == dossier_tables::PageArea::kTable && area.table >= layout.tables.size()) std::abort();
    }
    for (const auto& table : layout.tables) (void)dossier_tables::TableText(table);
  }
  return 0;
}
