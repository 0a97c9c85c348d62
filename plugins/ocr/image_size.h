// The size an image file claims, read from its own header bytes, for formats
// whose Leptonica header read decodes the whole image first (GIF: giflib
// allocates every frame while "reading the header"). The OCR plugin checks
// this claim against its pixel limit before handing the bytes to Leptonica, so
// a tiny file claiming a huge canvas (a decompression bomb) is refused as too
// large to decode rather than decoded, or reported as damaged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace dossier_ocr {

struct ClaimedImageSize {
  uint32_t width = 0;
  uint32_t height = 0;
  double pixels() const { return double{1.0} * width * height; }
};

// For a GIF: the largest of its logical screen (canvas) and every frame's
// image descriptor, by pixel count. nullopt when `data` is not a GIF or its
// header is cut before the canvas size.
std::optional<ClaimedImageSize> ClaimedGifSize(const unsigned char* data, size_t size);

}  // namespace dossier_ocr
