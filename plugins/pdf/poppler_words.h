// The word boxes of a page Poppler has laid out (TextOutputDev), for the page
// layout and table readers: upright words only (rotated ones keep Poppler's
// reading order). Shared by the pdf plugin and bench/layout_dump.cc.
#pragma once

#include <poppler/TextOutputDev.h>

#include <memory>
#include <string>
#include <vector>

#include "table_layout.h"

namespace dossier_pdf {

inline std::vector<dossier_tables::Word> PageWords(TextWordList* list) {
  std::vector<dossier_tables::Word> words;
  for (int i = 0; list && i < list->getLength(); ++i) {
    const TextWord* word = list->get(i);
    if (word->getRotation() != 0) continue;
    double x0, y0, x1, y1;
    word->getBBox(&x0, &y0, &x1, &y1);
    std::unique_ptr<GooString> utf8(word->getText());
    words.push_back({utf8 ? utf8->toStr() : std::string(), x0, y0, x1, y1});
  }
  return words;
}

inline std::vector<dossier_tables::Word> PageWords(TextOutputDev& dev) {
  std::unique_ptr<TextWordList> list(dev.makeWordList());
  return PageWords(list.get());
}

}  // namespace dossier_pdf
