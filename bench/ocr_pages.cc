// dossier_bench_ocr: OCRs the pages of one PDF with chosen clean-up steps and
// prints the text, so bench/ocr.sh can measure what each step is worth.
// Usage: dossier_bench_ocr FILE.pdf [--lang eng+spa] [--strategy detect|combined] [--accent-confidence 70]
//        [--psm 3] [--threads 2]
//        [--var NAME=VALUE] [--no-rescale] [--no-orient] [--no-deskew] [--no-normalise] [--no-whiten] [--binarise]
//        [--save-clean DIR]   (each cleaned page image as DIR/page-N.png)
// Pages are rendered with Poppler at the resolution of the page's scan
// (--dpi N, default 300), as the pdf plugin does.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <atomic>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <leptonica/allheaders.h>

#include "ocr_engine.h"
#include "ocr_reader.h"

int main(int argc, char** argv) {
  // Tesseract's OpenMP threads would fight the page workers; libgomp reads the
  // limit when it loads, before main, hence the re-exec.
  if (std::getenv("OMP_THREAD_LIMIT") == nullptr) {
    setenv("OMP_THREAD_LIMIT", "1", 1);
    execv("/proc/self/exe", argv);
  }
  std::string file, lang = "eng+spa";
  dossier_ocr::OcrStrategy strategy = dossier_ocr::OcrStrategy::kDetect;
  float accent_confidence = dossier_ocr::ReaderOptions().accent_confidence;
  int psm = 3, threads = 2;
  double dpi = 300;
  dossier_ocr::CleanOptions clean;
  std::string save_clean;  // folder: each cleaned page as page-N.png (to inspect, or to run tesseract on)
  std::vector<std::pair<std::string, std::string>> variables;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--lang") lang = next();
    else if (a == "--strategy") {
      if (!dossier_ocr::ParseOcrStrategy(next(), &strategy)) {
        std::cerr << "dossier_bench_ocr: --strategy is detect or combined\n";
        return 2;
      }
    }
    else if (a == "--accent-confidence") accent_confidence = static_cast<float>(std::atof(next().c_str()));
    else if (a == "--psm") psm = std::atoi(next().c_str());
    else if (a == "--threads") threads = std::max(1, std::atoi(next().c_str()));
    else if (a == "--dpi") dpi = std::atof(next().c_str());
    else if (a == "--no-rescale") clean.rescale = false;
    else if (a == "--no-orient") clean.orient = false;
    else if (a == "--no-deskew") clean.deskew = false;
    else if (a == "--no-normalise") clean.normalise = false;
    else if (a == "--no-whiten") clean.whiten = false;
    else if (a == "--binarise") clean.binarise = true;
    else if (a == "--save-clean") save_clean = next();
    else if (a == "--var") {
      std::string v = next();
      size_t eq = v.find('=');
      variables.emplace_back(v.substr(0, eq), eq == std::string::npos ? "" : v.substr(eq + 1));
    }
    else if (!a.empty() && a[0] != '-') file = a;
    else {
      std::cerr << "dossier_bench_ocr: unknown option " << a << "\n";
      return 2;
    }
  }
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(file));
  if (!doc) {
    std::cerr << "dossier_bench_ocr: cannot open " << file << "\n";
    return 1;
  }
  const int pages = doc->pages();
  std::vector<std::string> texts(pages);
  std::atomic<int> next_page{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      std::string error;
      dossier_ocr::ReaderOptions options;
      options.languages = lang;
      options.strategy = strategy;
      options.page_segmentation = psm;
      options.variables = variables;
      options.accent_confidence = accent_confidence;
      auto reader = dossier_ocr::Reader::Create(options, &error);
      if (!reader) {
        std::cerr << "dossier_bench_ocr: " << error << "\n";
        std::exit(1);
      }
      for (int p; (p = next_page++) < pages;) {
        // CPU time of this thread (a shared machine makes wall time say little).
        auto now = [] {
          timespec ts{};
          clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
          return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
        };
        auto ms = [](double a, double b) { return b - a; };
        const double t0 = now();
        poppler::image image;
        {
          std::unique_ptr<poppler::page> page(doc->create_page(p));
          poppler::page_renderer renderer;
          renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
          renderer.set_image_format(poppler::image::format_gray8);
          image = renderer.render_page(page.get(), dpi, dpi);
        }
        dossier_page_image pixels{static_cast<uint32_t>(image.width()), static_cast<uint32_t>(image.height()), 1,
                                  static_cast<uint32_t>(image.bytes_per_row()),
                                  reinterpret_cast<const unsigned char*>(image.const_data()), static_cast<float>(dpi)};
        const double t1 = now();
        dossier_ocr::PixPtr pix = dossier_ocr::PixFromImage(pixels);
        std::vector<std::string> notes;
        float clean_dpi = 0;
        dossier_ocr::PixPtr cleaned = dossier_ocr::CleanPage(pix.get(), static_cast<float>(dpi), clean, &clean_dpi, &notes);
        const double t2 = now();
        if (!save_clean.empty() && cleaned) {
          const std::string out = save_clean + "/page-" + std::to_string(p + 1) + ".png";
          pixWrite(out.c_str(), cleaned.get(), IFF_PNG);
        }
        dossier_ocr::Recognition result;
        if (!reader->Read(cleaned.get(), clean_dpi, &result, &notes, &error)) std::cerr << "page " << p + 1 << ": " << error << "\n";
        const double t3 = now();
        std::fprintf(stderr, "page %d: CPU render %.0f ms, clean-up %.0f ms, recognition %.0f ms\n", p + 1, ms(t0, t1),
                     ms(t1, t2), ms(t2, t3));
        texts[p] = result.text;
        for (const std::string& n : notes) std::cerr << "page " << p + 1 << ": " << n << "\n";
      }
      std::fprintf(stderr, "reader: %d page recognitions, %d words read again, %d given accents\n",
                   reader->recognitions(), reader->words_reread(), reader->words_accented());
    });
  }
  for (auto& w : workers) w.join();
  for (const std::string& t : texts) std::cout << t << "\f";
  return 0;
}
