// libFuzzer target: the worker frame decoder (core/src/ingest/worker_protocol.h),
// as the ingester reads a worker's socket: frames taken off a buffer one by
// one (TakeFrame), then each payload read as its type says (strings, fixed32s,
// page images). A parsed image's pixels are read in full, so that a size that
// does not add up shows as an out-of-bounds read.
#include <cstdint>
#include <string>
#include <string_view>

#include "worker_protocol.h"

namespace w = dossier::worker;

namespace {

volatile unsigned sink;

void ReadPayload(w::FrameType type, std::string_view payload) {
  w::Reader r(payload);
  std::string_view s;
  uint32_t v;
  uint8_t u;
  switch (type) {
    case w::kJob:
      for (int i = 0; i < 4 && r.GetString(&s); ++i) sink = sink + s.size();
      break;
    case w::kMetadata:
      if (r.GetString(&s)) r.GetString(&s);
      break;
    case w::kOffer:
    case w::kOcrStarted:
      r.GetFixed32(&v);
      break;
    case w::kPage: {
      dossier::PageText page;
      if (w::ParsePagePayload(payload, &page)) sink = sink + page.text.size() + page.line_styles.size();
      break;
    }
    case w::kWarning:
      r.GetString(&s);
      break;
    case w::kDone:
      if (r.GetString(&s)) r.GetFixed32(&v);
      break;
    case w::kError:
      if (r.GetFixed32(&v)) r.GetString(&s);
      break;
    case w::kImage:
    case w::kOcrJob: {
      uint32_t page = 0;
      dossier_page_image image{};
      if (w::ParseImagePayload(payload, &page, &image)) {
        unsigned sum = 0;
        for (uint32_t y = 0; y < image.height; ++y) {
          const unsigned char* row = image.pixels + size_t{y} * image.stride;
          sum += row[0] + row[size_t{image.width} * image.channels - 1];
        }
        sink = sum;
      }
      break;
    }
    default:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string buffer(reinterpret_cast<const char*>(data), size);
  size_t consumed = 0;
  w::FrameType type;
  std::string_view payload;
  bool bad = false;
  while (w::TakeFrame(&buffer, &consumed, &type, &payload, &bad)) ReadPayload(type, payload);
  if (consumed > buffer.size()) __builtin_trap();
  return 0;
}
