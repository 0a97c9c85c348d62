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
  // The first byte from `at` that no word holds: ASCII, neither a word
  // character nor an apostrophe (a word ends at such a byte, and a split
  // that starts there splits as one from the text's start would), or the
  // text's size.
  size_t NextBoundary(size_t at) const { return Next(boundary_, at, false); }
  // Whether a byte of [from, to) is an apostrophe or from 0x80 on (where a
  // run of word bytes may hold more than one word).
  bool AnyApostropheOrHigh(size_t from, size_t to) const {
    to = to < size_ ? to : size_;
    for (size_t block = from >> 6; from < to; ++block, from = block << 6) {
      uint64_t bits = apostrophe_or_high_[block] & (~uint64_t{0} << (from & 63));
      if ((to >> 6) == block) bits &= (uint64_t{1} << (to & 63)) - 1;
      if (bits != 0) return true;
    }
    return false;
  }
  // A run: bytes between two boundaries (or the text's ends), none of them
  // a boundary. Each word lies in a run (and begins at its start, when its
  // first byte is an ASCII word character and the run holds no apostrophe
  // or byte from 0x80 on).
  // Calls `f(at)` for each byte `at` where such a run starts, in order.
  template <typename F>
  void ForEachRunStart(F&& f) const {
    for (size_t block = 0; block < boundary_.size(); ++block) {
      // A byte's predecessor is a boundary: this block's bits moved up one,
      // the block before's last bit below them (the text's start counts as one).
      const uint64_t before = block == 0 ? 1 : boundary_[block - 1] >> 63;
      uint64_t bits = ~boundary_[block] & ((boundary_[block] << 1) | before);
      if (((block + 1) << 6) > size_) bits &= (uint64_t{1} << (size_ & 63)) - 1;  // not past the text
      for (; bits != 0; bits &= bits - 1) f((block << 6) + static_cast<size_t>(__builtin_ctzll(bits)));
    }
  }
  // The same run starts as ForEachRunStart's whose byte, bit 5 set (ASCII
  // letters lowercased), is one of `values` (each with bit 5 set; at most
  // kMaxStartValues), in order; `text` is the text classified. Sixteen
  // bytes are compared at a time (ByteMasks), so the run starts of a page's
  // other words are never visited one by one (on 626 real PDFs, 2 % of a
  // search's instructions went to visiting them).
  static constexpr size_t kMaxStartValues = 8;
  template <typename F>
  void ForEachRunStartWith(std::string_view text, const unsigned char* values, size_t count, F&& f) const {
    thread_local std::vector<uint64_t> with_value;
    ByteMasks(text, values, count, true, &with_value);
    for (size_t block = 0; block < boundary_.size(); ++block) {
      const uint64_t before = block == 0 ? 1 : boundary_[block - 1] >> 63;
      uint64_t bits = ~boundary_[block] & ((boundary_[block] << 1) | before) & with_value[block];
      if (((block + 1) << 6) > size_) bits &= (uint64_t{1} << (size_ & 63)) - 1;  // not past the text
      for (; bits != 0; bits &= bits - 1) f((block << 6) + static_cast<size_t>(__builtin_ctzll(bits)));
    }
  }
  // The bytes of `text` that, bit 5 set, are one of `values`, one bit each,
  // 64 to a mask (as the classes' masks), into `masks`. With `vector_unit`
  // false, byte by byte (the portable way, which the SSE2 one must agree
  // with; tests compare them).
  static void ByteMasks(std::string_view text, const unsigned char* values, size_t count, bool vector_unit,
                        std::vector<uint64_t>* masks);
  // Where the run that holds byte `at` (not a boundary) starts.
  size_t RunStartOf(size_t at) const {
    size_t block = at >> 6;
    uint64_t bits = boundary_[block] & ((uint64_t{1} << (at & 63)) - 1);
    while (bits == 0) {
      if (block == 0) return 0;
      bits = boundary_[--block];
    }
    return (block << 6) + 64 - static_cast<size_t>(__builtin_clzll(bits));
  }
  // The last boundary at or before `at`, or 0 (the text's start) when there
  // is none.
  size_t BoundaryAtOrBefore(size_t at) const {
    if (at >= size_) return size_;
    size_t block = at >> 6;
    uint64_t bits = boundary_[block] & (~uint64_t{0} >> (63 - (at & 63)));
    while (bits == 0) {
      if (block == 0) return 0;
      bits = boundary_[--block];
    }
    return (block << 6) + 63 - static_cast<size_t>(__builtin_clzll(bits));
  }
  // The first byte from `at` that is an apostrophe or from 0x80 on, or the
  // text's size.
  size_t NextApostropheOrHigh(size_t at) const { return Next(apostrophe_or_high_, at, false); }


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
  std::vector<uint64_t> boundary_;       // ASCII bytes other than word characters and '\''
  std::vector<uint64_t> apostrophe_or_high_;  // '\'' and bytes from 0x80 on
};

}  // namespace dossier
