// Claimed image sizes from header bytes (see image_size.h).
#include "image_size.h"

#include <cstring>

namespace dossier_ocr {

namespace {

uint32_t Le16(const unsigned char* p) { return uint32_t{p[0]} | (uint32_t{p[1]} << 8); }

void KeepLarger(ClaimedImageSize candidate, ClaimedImageSize* largest) {
  if (candidate.pixels() > largest->pixels()) *largest = candidate;
}

}  // namespace

std::optional<ClaimedImageSize> ClaimedGifSize(const unsigned char* data, size_t size) {
  // Header (6) + logical screen descriptor (7).
  if (data == nullptr || size < 13) return std::nullopt;
  if (std::memcmp(data, "GIF87a", 6) != 0 && std::memcmp(data, "GIF89a", 6) != 0) return std::nullopt;
  ClaimedImageSize largest{Le16(data + 6), Le16(data + 8)};
  size_t at = 13;
  if (data[10] & 0x80) at += 3 * (size_t{1} << ((data[10] & 0x07) + 1));  // global colour table
  // Blocks: image descriptors (0x2C) and extensions (0x21) until the trailer
  // (0x3B) or the end of what is there; a damaged block ends the walk.
  for (int blocks = 0; at < size && blocks < 100000; ++blocks) {
    const unsigned char kind = data[at];
    if (kind == 0x2C) {
      if (at + 10 > size) break;
      KeepLarger({Le16(data + at + 5), Le16(data + at + 7)}, &largest);
      const unsigned char flags = data[at + 9];
      at += 10;
      if (flags & 0x80) at += 3 * (size_t{1} << ((flags & 0x07) + 1));  // local colour table
      at += 1;                                                            // LZW minimum code size
    } else if (kind == 0x21) {
      at += 2;  // introducer and label
    } else {
      break;  // the trailer, or not a block
    }
    // Data sub-blocks, each led by its length, ended by an empty one.
    while (at < size && data[at] != 0) at += size_t{data[at]} + 1;
    at += 1;
  }
  return largest;
}

}  // namespace dossier_ocr
