#include "ocr_pool.h"

#include <algorithm>
#include <cstring>

namespace dossier {

OcrPool::OcrPool(const LoadedPlugin* plugin, std::string options_json, unsigned workers, size_t max_queued)
    : plugin_(plugin), options_json_(std::move(options_json)), max_queued_(std::max<size_t>(1, max_queued)) {
  workers = std::max(1u, workers);
  threads_.reserve(workers);
  for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this] { Work(); });
}

OcrPool::~OcrPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  not_empty_.notify_all();
  for (std::thread& t : threads_) t.join();
}

std::future<Result<RecognisedPage>> OcrPool::Submit(const dossier_page_image& image) {
  Task task;
  // Copy row by row: the source may have padding at the end of each row.
  const size_t row = size_t{image.width} * image.channels;
  task.pixels.resize(row * image.height);
  for (uint32_t y = 0; y < image.height; ++y) {
    std::memcpy(task.pixels.data() + y * row, image.pixels + size_t{y} * image.stride, row);
  }
  task.image = image;
  task.image.stride = static_cast<uint32_t>(row);
  task.image.pixels = nullptr;  // set by the worker: the vector may move
  std::future<Result<RecognisedPage>> result = task.promise.get_future();
  std::unique_lock<std::mutex> lock(mutex_);
  not_full_.wait(lock, [&] { return queue_.size() < max_queued_; });
  queue_.push_back(std::move(task));
  lock.unlock();
  not_empty_.notify_one();
  return result;
}

void OcrPool::Work() {
  std::unique_ptr<OcrPluginInstance> engine;
  Status engine_error;
  for (;;) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      not_empty_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    not_full_.notify_one();
    if (!engine && engine_error.ok()) {
      Result<std::unique_ptr<OcrPluginInstance>> created = plugin_->CreateOcrInstance(options_json_);
      if (created.ok()) {
        engine = std::move(created).value();
      } else {
        engine_error = created.status();
      }
    }
    if (!engine) {
      task.promise.set_value(engine_error);
      continue;
    }
    task.image.pixels = task.pixels.data();
    Result<RecognisedPage> page = engine->Recognise(task.image);
    task.pixels = {};  // free the pixels before the next page is taken
    task.promise.set_value(std::move(page));
  }
}

}  // namespace dossier
