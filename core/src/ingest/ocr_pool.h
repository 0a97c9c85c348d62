// A pool of OCR workers: one thread and one OCR plugin instance (one
// Tesseract engine) per worker, created on the worker's first page and kept
// for the pool's life. Pages from any number of documents queue here, so the
// cores stay busy across page and document boundaries.
#pragma once

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dossier/plugin_host.h"
#include "dossier/status.h"

namespace dossier {

class OcrPool {
 public:
  // `max_queued`: pages waiting for a worker before Submit() blocks, which
  // bounds the memory held in rendered pages.
  OcrPool(const LoadedPlugin* plugin, std::string options_json, unsigned workers, size_t max_queued);
  ~OcrPool();  // finishes what is queued, then joins the workers
  OcrPool(const OcrPool&) = delete;
  OcrPool& operator=(const OcrPool&) = delete;

  // Copies the image and queues it. Blocks while the queue is full.
  std::future<Result<RecognisedPage>> Submit(const dossier_page_image& image);

  unsigned workers() const { return static_cast<unsigned>(threads_.size()); }

 private:
  struct Task {
    std::vector<unsigned char> pixels;
    dossier_page_image image{};
    std::promise<Result<RecognisedPage>> promise;
  };
  void Work();

  const LoadedPlugin* plugin_;
  std::string options_json_;
  size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace dossier
