// The wire format between the ingester and its `dossier-worker` children,
// over a socketpair on the child's fd 3.
//
//   frame   := type:u8 · length:fixed32 (big-endian) · payload[length]
//   string  := length:fixed32 · bytes
//
// Parent → worker
//   'J' job      string path · string mime_type · string plugin_name · string content
//   'I' ocr job  image (below): OCR one page image another worker rendered
//   'K' take     answer to 'Q': send the image ('G'), the parent hands it to an idle worker
//   'S' keep     answer to 'Q': OCR it yourself
// Worker → parent
//   'R' ready    (after the plugins loaded; sent once)
//   'M' metadata string key · string value
//   'Q' offer    page:fixed32 (a scanned page is rendered: may another worker OCR it?);
//                the worker waits for 'K' or 'S'
//   'G' image    image (below), after 'K'
//   'O' ocr      page:fixed32 (a page image is being OCR'd here now; extends the deadline)
//   'P' page     page:fixed32 · source:u8 · confidence×100:fixed32 (0xFFFFFFFF: not OCR) · string text
//                [· styles:fixed32 · style × styles] (the page's line styles, when it has any)
//   style   := first_line:fixed32 · line_count:fixed32 · size×100:fixed32 · flags:u8
//   'W' warning  string message
//   'D' done     string extracted_by · ocr_failures:fixed32   (the job succeeded; every page
//                it kept was sent; ocr_failures of them could not be recognised)
//   'E' error    code:fixed32 (StatusCode) · string message   (the job failed)
//   image   := page:fixed32 · width:fixed32 · height:fixed32 · channels:fixed32 ·
//              dpi×100:fixed32 · pixels (the rest: rows of width×channels bytes, no padding)
// One job at a time: the parent sends 'J' or 'I' only to an idle worker, and
// a job ends with exactly one 'D' or 'E' (an 'I' job answers 'P' first). A
// worker that dies instead has crashed.
//
// Handing pages over: while files remain, every worker is busy with a file
// and each OCRs its own scanned pages ('S'). When the last files are in
// work, workers fall idle; a worker with a long scanned document then hands
// its pages, one by one as it renders them, to the idle ones ('K'), so the
// end of a run still uses every core. The parent holds at most one image
// per idle worker, on its way through.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dossier/coding.h"
#include "dossier/document.h"
#include "dossier/plugin_abi.h"

namespace dossier::worker {

enum FrameType : uint8_t {
  kJob = 'J',
  kOcrJob = 'I',
  kTake = 'K',
  kKeep = 'S',
  kReady = 'R',
  kOffer = 'Q',
  kImage = 'G',
  kMetadata = 'M',
  kOcrStarted = 'O',
  kPage = 'P',
  kWarning = 'W',
  kDone = 'D',
  kError = 'E',
};

// Exit status of a worker that ran out of memory (operator new failed under
// its RLIMIT_AS): the parent reports "out of memory".
inline constexpr int kExitOutOfMemory = 86;
// The file descriptor of the socket in the worker.
inline constexpr int kSocketFd = 3;
// Frames larger than this are refused (a page of text is far smaller).
inline constexpr uint32_t kMaxFrame = 1u << 31;

// Lengths and numbers are big-endian 32-bit integers (coding.h).
using coding::PutFixed32;
inline void PutString(std::string* out, std::string_view s) {
  PutFixed32(out, static_cast<uint32_t>(s.size()));
  out->append(s);
}
// A frame header followed by `payload`.
inline std::string Frame(FrameType type, std::string_view payload) {
  std::string out;
  out.reserve(5 + payload.size());
  out.push_back(static_cast<char>(type));
  PutFixed32(&out, static_cast<uint32_t>(payload.size()));
  out.append(payload);
  return out;
}

// Consumes from the front of a payload; every Get returns false on truncation.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool GetFixed32(uint32_t* v) { return coding::GetFixed32(&data_, v); }
  bool GetU8(uint8_t* v) {
    if (data_.empty()) return false;
    *v = static_cast<uint8_t>(data_[0]);
    data_.remove_prefix(1);
    return true;
  }
  bool GetString(std::string_view* s) {
    uint32_t n;
    if (!GetFixed32(&n) || data_.size() < n) return false;
    *s = data_.substr(0, n);
    data_.remove_prefix(n);
    return true;
  }

 private:
  std::string_view data_;
};

// Takes one whole frame off the front of `buffer`, if it holds one.
// Returns false when more bytes are needed; sets *bad on an oversized frame.
inline bool TakeFrame(std::string* buffer, size_t* consumed, FrameType* type, std::string_view* payload, bool* bad) {
  std::string_view rest = std::string_view(*buffer).substr(*consumed);
  if (rest.size() < 5) return false;
  Reader header(rest.substr(1, 4));
  uint32_t length = 0;
  (void)header.GetFixed32(&length);
  if (length > kMaxFrame) {
    *bad = true;
    return false;
  }
  if (rest.size() < 5 + size_t{length}) return false;
  *type = static_cast<FrameType>(rest[0]);
  *payload = rest.substr(5, length);
  *consumed += 5 + size_t{length};
  return true;
}

// The payload of a 'P' frame: a page's text and how its lines are set.
inline std::string PagePayload(const PageText& page) {
  std::string out;
  out.reserve(page.text.size() + 17 + page.line_styles.size() * 13);
  PutFixed32(&out, page.number);
  out.push_back(static_cast<char>(page.source));
  PutFixed32(&out, page.ocr_confidence < 0 ? 0xFFFFFFFFu : static_cast<uint32_t>(page.ocr_confidence * 100));
  PutString(&out, page.text);
  if (!page.line_styles.empty()) {
    PutFixed32(&out, static_cast<uint32_t>(page.line_styles.size()));
    for (const LineStyle& style : page.line_styles) {
      PutFixed32(&out, style.first_line);
      PutFixed32(&out, style.line_count);
      PutFixed32(&out, static_cast<uint32_t>(style.size * 100));
      out.push_back(static_cast<char>(style.flags));
    }
  }
  return out;
}

// Reads a PagePayload; false when it is malformed.
inline bool ParsePagePayload(std::string_view payload, PageText* page) {
  Reader r(payload);
  uint8_t source = 0;
  uint32_t confidence = 0, styles = 0;
  std::string_view text;
  if (!r.GetFixed32(&page->number) || !r.GetU8(&source) || !r.GetFixed32(&confidence) || !r.GetString(&text)) {
    return false;
  }
  page->source = static_cast<TextSource>(source);
  page->ocr_confidence = confidence == 0xFFFFFFFFu ? -1.0f : confidence / 100.0f;
  page->text = text;
  page->line_styles.clear();
  if (!r.GetFixed32(&styles)) return true;  // a page without styles
  if (styles > payload.size() / 13) return false;
  page->line_styles.reserve(styles);
  for (uint32_t i = 0; i < styles; ++i) {
    LineStyle style;
    uint32_t size = 0;
    uint8_t flags = 0;
    if (!r.GetFixed32(&style.first_line) || !r.GetFixed32(&style.line_count) || !r.GetFixed32(&size) ||
        !r.GetU8(&flags)) {
      return false;
    }
    style.size = size / 100.0f;
    style.flags = flags;
    page->line_styles.push_back(style);
  }
  return true;
}

// The payload of an 'G' or 'I' frame: a page number and its image, rows
// packed without padding.
inline std::string ImagePayload(uint32_t page, const dossier_page_image& image) {
  const size_t row = size_t{image.width} * image.channels;
  std::string out;
  out.reserve(20 + row * image.height);
  PutFixed32(&out, page);
  PutFixed32(&out, image.width);
  PutFixed32(&out, image.height);
  PutFixed32(&out, image.channels);
  PutFixed32(&out, image.dpi > 0 ? static_cast<uint32_t>(image.dpi * 100) : 0);
  for (uint32_t y = 0; y < image.height; ++y) {
    out.append(reinterpret_cast<const char*>(image.pixels) + size_t{y} * image.stride, row);
  }
  return out;
}

// Reads an ImagePayload; `image->pixels` points into `payload`. False when
// it is malformed (sizes that do not add up).
inline bool ParseImagePayload(std::string_view payload, uint32_t* page, dossier_page_image* image) {
  Reader r(payload);
  uint32_t dpi = 0;
  if (!r.GetFixed32(page) || !r.GetFixed32(&image->width) || !r.GetFixed32(&image->height) ||
      !r.GetFixed32(&image->channels) || !r.GetFixed32(&dpi)) {
    return false;
  }
  if (image->channels != 1 && image->channels != 3) return false;
  // Divided, not multiplied: width × channels × height of 32-bit sizes can
  // wrap around 64 bits onto the payload's size (a 51-byte frame passed as a
  // 2154230017 × 2854344542 RGB image, and its reader read past the payload;
  // fuzz/corpus/worker_frame_fuzzer/image_size_wraps).
  const uint64_t row = uint64_t{image->width} * image->channels, bytes = payload.size() - 20;
  if (row == 0 || row > UINT32_MAX || image->height == 0 || bytes % row != 0 || bytes / row != image->height) {
    return false;
  }
  image->stride = static_cast<uint32_t>(row);
  image->pixels = reinterpret_cast<const unsigned char*>(payload.data() + 20);
  image->dpi = dpi / 100.0f;
  return true;
}

}  // namespace dossier::worker
