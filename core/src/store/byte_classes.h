// The bytes of a text by class, 64 to a mask, so that a scan finds the next
// byte of a class with a count of trailing zeros instead of a loop that
// tests byte after byte (internal to core; snippet.cc splits pages into
// words with it).
//
// Splitting a page byte by byte mispredicted the loop's exit at nearly every
// word's two ends: about 6 % of a search's CPU time under load on 626 real
// PDFs went to splitting the ten hits' pages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace dossier {

class ByteClasses {
 public:
  // Classifies `text` (kept as a view: it must outlive the classes). With
  // `vector_unit` false, byte by byte (the portable way, which the SSE2 one
  // must agree with; tests compare them).
  void Classify(std::string_view text, bool vector_unit = true);

  // The first byte from `at` that is an ASCII word character (a letter, a
  // digit, '_') or from 0x80 on, or the text's size when none is.
  size_t NextNonSeparator(size_t at) const { return Next(non_separator_, at, false); }
  // The first byte from `at` that is not an ASCII word character, or the
  // text's size.
  size_t NextNonWord(size_t at) const { return Next(word_, at, true); }

 private:
  size_t Next(const std::vector<uint64_t>& mask, size_t at, bool clear) const {
    if (at >= size_) return size_;
    size_t block = at >> 6;
    const uint64_t flip = clear ? ~uint64_t{0} : 0;
    // (The bits past the text's end are 0: flipped, they stop a search for a clear bit there.)
    uint64_t bits = (mask[block] ^ flip) & (~uint64_t{0} << (at & 63));
    while (bits == 0) {
      if (++block >= mask.size()) return size_;
      bits = mask[block] ^ flip;
    }
    const size_t found = (block << 6) + static_cast<size_t>(__builtin_ctzll(bits));
    return found < size_ ? found : size_;
  }

  size_t size_ = 0;
  std::vector<uint64_t> word_;           // ASCII word characters
  std::vector<uint64_t> non_separator_;  // ASCII word characters and bytes from 0x80 on
};

}  // namespace dossier
