// Byte classes of a text, 64 to a mask (see byte_classes.h).
#include "byte_classes.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace dossier {

namespace {

inline bool IsAsciiWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

void ByteClasses::Classify(std::string_view text, bool vector_unit) {
  size_ = text.size();
  const size_t blocks = text.size() / 64 + 1;
  word_.assign(blocks, 0);
  non_separator_.assign(blocks, 0);
  boundary_.assign(blocks, 0);
  apostrophe_or_high_.assign(blocks, 0);
  size_t i = 0;
#if defined(__SSE2__)
  if (vector_unit) {
    // Sixteen bytes at a time. The compares are signed: a byte from 0x80
    // on is negative, below every bound, so never a word character.
    const __m128i kCase = _mm_set1_epi8(0x20);
    const __m128i kBeforeA = _mm_set1_epi8('a' - 1), kAfterZ = _mm_set1_epi8('z' + 1);
    const __m128i kBefore0 = _mm_set1_epi8('0' - 1), kAfter9 = _mm_set1_epi8('9' + 1);
    const __m128i kUnderscore = _mm_set1_epi8('_');
    const __m128i kApostrophe = _mm_set1_epi8('\'');
    for (; i + 16 <= text.size(); i += 16) {
      const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
      // Setting bit 5 lowercases A-Z and moves no other byte into a-z.
      const __m128i lower = _mm_or_si128(c, kCase);
      const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lower, kBeforeA), _mm_cmplt_epi8(lower, kAfterZ));
      const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(c, kBefore0), _mm_cmplt_epi8(c, kAfter9));
      const __m128i word = _mm_or_si128(_mm_or_si128(letter, digit), _mm_cmpeq_epi8(c, kUnderscore));
      const auto word_bits = static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(word)));
      const auto high_bits = static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(c)));
      const auto apostrophe_bits =
          static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(c, kApostrophe))));
      word_[i >> 6] |= word_bits << (i & 63);
      non_separator_[i >> 6] |= (word_bits | high_bits) << (i & 63);
      boundary_[i >> 6] |= (~(word_bits | high_bits | apostrophe_bits) & 0xffff) << (i & 63);
      apostrophe_or_high_[i >> 6] |= (high_bits | apostrophe_bits) << (i & 63);
    }
  }
#else
  (void)vector_unit;
#endif
  for (; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const uint64_t bit = uint64_t{1} << (i & 63);
    if (IsAsciiWordByte(c)) word_[i >> 6] |= bit;
    if (IsAsciiWordByte(c) || c >= 0x80) non_separator_[i >> 6] |= bit;
    if (!IsAsciiWordByte(c) && c < 0x80 && c != '\'') boundary_[i >> 6] |= bit;
    if (c >= 0x80 || c == '\'') apostrophe_or_high_[i >> 6] |= bit;
  }
}

void ByteClasses::ByteMasks(std::string_view text, const unsigned char* values, size_t count, bool vector_unit,
                            std::vector<uint64_t>* masks) {
  masks->assign(text.size() / 64 + 1, 0);
  size_t i = 0;
#if defined(__SSE2__)
  if (vector_unit && count <= kMaxStartValues) {
    const __m128i kCase = _mm_set1_epi8(0x20);
    __m128i wanted[kMaxStartValues];
    for (size_t k = 0; k < count; ++k) wanted[k] = _mm_set1_epi8(static_cast<char>(values[k]));
    for (; i + 16 <= text.size(); i += 16) {
      const __m128i lower = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i)), kCase);
      __m128i hit = _mm_setzero_si128();
      for (size_t k = 0; k < count; ++k) hit = _mm_or_si128(hit, _mm_cmpeq_epi8(lower, wanted[k]));
      (*masks)[i >> 6] |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(hit))) << (i & 63);
    }
  }
#else
  (void)vector_unit;
#endif
  for (; i < text.size(); ++i) {
    const auto lower = static_cast<unsigned char>(static_cast<unsigned char>(text[i]) | 0x20);
    for (size_t k = 0; k < count; ++k) {
      if (lower == values[k]) {
        (*masks)[i >> 6] |= uint64_t{1} << (i & 63);
        break;
      }
    }
  }
}

}  // namespace dossier
