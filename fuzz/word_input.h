// Decodes a fuzz input into a page's word boxes (shared by the page-layout
// and table-layout targets; fuzz/make_seeds.py writes the same format).
//
//   input  := flags:u8 · repeat:u8 · word*
//   word   := special:u8 · text_length:u8 · text[text_length % 33] ·
//             x0:i16 · y0:i16 · dx:i16 · dy:i16          (big-endian)
//   x0 = x0/2, y0 = y0/2, x1 = x0 + dx/8, y1 = y0 + dy/8  (points; dx or dy <= 0
//   gives an empty or inverted box). Bit k of `special` (k = 0..3: x0, y0, x1, y1)
//   replaces that coordinate by kSpecial[raw % size] (NaN, ±inf, huge, tiny…).
//   flags bit 0: also run DropContainedFragments first (table target).
//   repeat: the words are laid out 1 + repeat % 16 times, each copy 800 points
//   below the last, for pages of thousands of words.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "table_layout.h"

namespace dossier_fuzz {

struct PageInput {
  uint8_t flags = 0;
  std::vector<dossier_tables::Word> words;
};

inline PageInput DecodeWords(const uint8_t* data, size_t size) {
  static const double kSpecial[] = {
      std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
      -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::max(),
      -std::numeric_limits<double>::max(),      std::numeric_limits<double>::denorm_min(),
      1e300, -1e300, 1e18, -1e18, 1e9, -1e9, 4.5e15, 0.0, -0.0, 1e-300};
  constexpr size_t kSpecials = sizeof kSpecial / sizeof kSpecial[0];
  PageInput in;
  if (size < 2) return in;
  in.flags = data[0];
  const size_t repeat = 1 + data[1] % 16;
  size_t at = 2;
  auto i16 = [&](void) -> int16_t {
    const uint16_t v = static_cast<uint16_t>(data[at] << 8 | data[at + 1]);
    at += 2;
    return static_cast<int16_t>(v);
  };
  std::vector<dossier_tables::Word> page;
  while (at + 2 <= size) {
    const uint8_t special = data[at];
    const size_t length = data[at + 1] % 33;
    at += 2;
    if (at + length + 8 > size) break;
    dossier_tables::Word w;
    w.text.assign(reinterpret_cast<const char*>(data + at), length);
    at += length;
    const int16_t raw[4] = {i16(), i16(), i16(), i16()};
    w.x0 = raw[0] / 2.0;
    w.y0 = raw[1] / 2.0;
    w.x1 = w.x0 + raw[2] / 8.0;
    w.y1 = w.y0 + raw[3] / 8.0;
    double* coords[4] = {&w.x0, &w.y0, &w.x1, &w.y1};
    for (int k = 0; k < 4; ++k) {
      if (special & (1u << k)) *coords[k] = kSpecial[static_cast<uint16_t>(raw[k]) % kSpecials];
    }
    page.push_back(std::move(w));
  }
  in.words.reserve(page.size() * repeat);
  for (size_t copy = 0; copy < repeat; ++copy) {
    for (const auto& w : page) {
      auto moved = w;
      moved.y0 += 800.0 * copy;
      moved.y1 += 800.0 * copy;
      in.words.push_back(std::move(moved));
    }
  }
  return in;
}

}  // namespace dossier_fuzz
