// Development aid: the page layout (plugins/tables/page_layout.h) of each
// page of a PDF's text layer: the regions set in columns, the tables, and
// the areas in reading order with the words that fall in each.
// Usage: dossier_layout_dump FILE.pdf [PAGE]
//        dossier_layout_dump --tsv WORDS.tsv   (Tesseract's `tsv` output: OCR word boxes)
//        dossier_layout_dump --time FILE.pdf...  (milliseconds spent in Poppler's layout pass
//                                                 and in LayOutPage, over every page)
#include <poppler/GlobalParams.h>
#include <poppler/PDFDoc.h>
#include <poppler/TextOutputDev.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "page_layout.h"
#include "poppler_words.h"

void Print(const std::vector<dossier_tables::Word>& words, const dossier_tables::PageLayout& layout, int number) {
  std::printf("page %d: %zu words, %zu regions in columns, %zu tables, %zu areas\n", number, words.size(),
              layout.column_regions, layout.tables.size(), layout.areas.size());
  for (const auto& area : layout.areas) {
    std::printf("  %s x %.0f..%.0f y %.1f..%.1f:", area.kind == dossier_tables::PageArea::kTable ? "table" : "text",
                area.x0, area.x1, area.y0, area.y1);
    int shown = 0;
    for (const auto& w : words) {
      const double cx = (w.x0 + w.x1) / 2, cy = (w.y0 + w.y1) / 2;
      if (cx >= area.x0 && cx <= area.x1 && cy >= area.y0 && cy < area.y1 && shown++ < 8) std::printf(" %s", w.text.c_str());
    }
    std::printf("%s\n", shown > 8 ? " ..." : "");
  }
  for (size_t t = 0; t < layout.tables.size(); ++t) {
    std::printf("  table %zu, %zu rows:\n", t, layout.tables[t].rows.size());
    for (const auto& row : layout.tables[t].rows) {
      std::printf("   ");
      for (const auto& cell : row) std::printf(" | %.40s", cell.c_str());
      std::printf("\n");
    }
  }
}

// Tesseract's TSV: level page_num block_num par_num line_num word_num left top width height conf text.
int DumpTsv(const char* path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "%s: cannot open\n", path);
    return 1;
  }
  std::vector<dossier_tables::Word> words;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::vector<std::string> f;
    for (std::string field; std::getline(fields, field, '\t');) f.push_back(field);
    if (f.size() < 12 || f[0] != "5" || f[11].empty()) continue;
    const double x = std::stod(f[6]), y = std::stod(f[7]), w = std::stod(f[8]), h = std::stod(f[9]);
    words.push_back({f[11], x, y, x + w, y + h});
  }
  dossier_tables::DropContainedFragments(&words);
  Print(words, dossier_tables::LayOutPage(words, {.jitter = 0.08}), 1);
  return 0;
}

std::vector<dossier_tables::Word> PageWords(PDFDoc* pdf, int number) {
  TextOutputDev dev(nullptr, false, 0, false, false);
  pdf->displayPage(&dev, number, 72, 72, 0, false, true, false);
  return dossier_pdf::PageWords(dev);
}

int Time(int argc, char** argv) {
  using Clock = std::chrono::steady_clock;
  double poppler_ms = 0, layout_ms = 0;
  size_t pages = 0, regions = 0, tables = 0;
  double tables_ms = 0;
  for (int a = 2; a < argc; ++a) {
    auto pdf = std::make_unique<PDFDoc>(std::make_unique<GooString>(argv[a]));
    if (!pdf->isOk()) continue;
    for (int number = 1; number <= pdf->getNumPages(); ++number) {
      const auto t0 = Clock::now();
      std::vector<dossier_tables::Word> words = PageWords(pdf.get(), number);
      const auto t1 = Clock::now();
      regions += dossier_tables::LayOutPage(words).column_regions;
      const auto t2 = Clock::now();
      tables += dossier_tables::FindTables(words).size();
      tables_ms += std::chrono::duration<double, std::milli>(Clock::now() - t2).count();
      poppler_ms += std::chrono::duration<double, std::milli>(t1 - t0).count();
      layout_ms += std::chrono::duration<double, std::milli>(t2 - t1).count();
      ++pages;
    }
  }
  std::printf("%zu pages (%zu regions in columns): Poppler text layout %.0f ms, LayOutPage %.0f ms (%.3f ms a page, %.1f %% of Poppler's)\n",
              pages, regions, poppler_ms, layout_ms, pages ? layout_ms / pages : 0.0, poppler_ms > 0 ? 100 * layout_ms / poppler_ms : 0.0);
  std::printf("FindTables alone (the reader before the page layout): %.0f ms, %zu tables\n", tables_ms, tables);
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE.pdf [PAGE] | --tsv WORDS.tsv\n", argv[0]);
    return 2;
  }
  if (std::string(argv[1]) == "--tsv" && argc > 2) return DumpTsv(argv[2]);
  globalParams = std::make_unique<GlobalParams>();
  if (std::string(argv[1]) == "--time") return Time(argc, argv);
  auto pdf = std::make_unique<PDFDoc>(std::make_unique<GooString>(argv[1]));
  if (!pdf->isOk()) {
    std::fprintf(stderr, "%s: cannot open\n", argv[1]);
    return 1;
  }
  const int only = argc > 2 ? std::atoi(argv[2]) : 0;
  for (int number = 1; number <= pdf->getNumPages(); ++number) {
    if (only && number != only) continue;
    std::vector<dossier_tables::Word> words = PageWords(pdf.get(), number);
    Print(words, dossier_tables::LayOutPage(words), number);
  }
  return 0;
}
