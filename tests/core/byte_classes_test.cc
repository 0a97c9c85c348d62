// Tests of the byte classes a page is split into words by: the next
// separator or word byte found from the masks is the one a byte-by-byte
// scan finds, with the SSE2 classification and the portable one alike; so
// are the boundaries no word crosses and where the runs between them start.
#include "byte_classes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace dossier {
namespace {

bool AsciiWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// From every position of texts of every length up to 300 bytes (several
// blocks of 64, and tails that are not whole 16-byte runs) drawn from word
// bytes, separators (the apostrophe, '@', '[', '`', '{', '/', ':', the
// bytes next to the letters' and digits' ranges) and bytes from 0x80 on
// (UTF-8 and stray bytes).
TEST(ByteClassesTest, TheNextByteOfAClassIsTheOneAScanFinds) {
  const std::string alphabet = std::string("azAZ09_mQ '@[`{/:-.\n\t") + "\xc3\xa9\xe2\x80\x99\x80\xff\x7f";
  const std::string long_runs = std::string(60, 'a') + "Z09_'" + "\xc3\xa9\xe2\x80\x99\xff" + " ";
  std::mt19937 random(47);
  int checked = 0;
  for (size_t length = 0; length <= 300; ++length) {
    for (int draw = 0; draw < 3; ++draw) {
      // One draw in three of bytes that are mostly no boundary: runs
      // longer than a block.
      const std::string& from = draw == 2 ? long_runs : alphabet;
      std::string text;
      for (size_t i = 0; i < length; ++i) text += from[random() % from.size()];
      for (bool vector_unit : {true, false}) {
        ByteClasses classes;
        classes.Classify(text, vector_unit);
        for (size_t at = 0; at <= length + 1; ++at) {
          size_t separator_end = at, word_end = at;
          while (separator_end < length && !AsciiWordByte(text[separator_end]) &&
                 static_cast<unsigned char>(text[separator_end]) < 0x80) {
            ++separator_end;
          }
          while (word_end < length && AsciiWordByte(text[word_end])) ++word_end;
          ASSERT_EQ(classes.NextNonSeparator(at), std::min(separator_end, length))
              << "length " << length << " at " << at << " vector unit " << vector_unit;
          ASSERT_EQ(classes.NextNonWord(at), std::min(word_end, length))
              << "length " << length << " at " << at << " vector unit " << vector_unit;
          // A boundary: ASCII, neither a word byte nor an apostrophe. A run
          // starts at a byte that is not one, after one or at the text's start.
          auto boundary = [&text](size_t i) {
            const auto c = static_cast<unsigned char>(text[i]);
            return c < 0x80 && !AsciiWordByte(c) && c != '\'';
          };
          size_t boundary_at = at, odd_at = at;
          while (boundary_at < length && !boundary(boundary_at)) ++boundary_at;
          while (odd_at < length && static_cast<unsigned char>(text[odd_at]) < 0x80 && text[odd_at] != '\'') ++odd_at;
          ASSERT_EQ(classes.NextBoundary(at), std::min(boundary_at, length)) << "length " << length << " at " << at;
          for (size_t to = at; to <= length + 1; to += 1 + to / 8) {
            ASSERT_EQ(classes.AnyApostropheOrHigh(at, to), odd_at < std::min(to, length))
                << "length " << length << " from " << at << " to " << to;
          }
          ASSERT_EQ(classes.NextApostropheOrHigh(at), std::min(odd_at, length)) << "length " << length << " at " << at;
          if (at < length) {
            size_t last = at + 1;
            while (last > 0 && !boundary(last - 1)) --last;
            ASSERT_EQ(classes.BoundaryAtOrBefore(at), last > 0 ? last - 1 : 0) << "length " << length << " at " << at;
          }
          if (at < length && !boundary(at)) {
            size_t run_start = at;
            while (run_start > 0 && !boundary(run_start - 1)) --run_start;
            ASSERT_EQ(classes.RunStartOf(at), run_start) << "length " << length << " at " << at;
          }
          ++checked;
        }
        std::vector<size_t> run_starts, scanned;
        classes.ForEachRunStart([&run_starts](size_t at) { run_starts.push_back(at); });
        for (size_t at = 0; at < length; ++at) {
          const auto c = static_cast<unsigned char>(text[at]);
          const auto p = at > 0 ? static_cast<unsigned char>(text[at - 1]) : ' ';
          auto is_boundary = [](unsigned char b) { return b < 0x80 && !AsciiWordByte(b) && b != '\''; };
          if (!is_boundary(c) && (at == 0 || is_boundary(p))) scanned.push_back(at);
        }
        ASSERT_EQ(run_starts, scanned) << "length " << length << " vector unit " << vector_unit;
      }
    }
  }
  EXPECT_GT(checked, 90000);
}

// The run starts walked by the bytes that begin them (ForEachRunStartWith,
// which the snippet's admitted words are found by) are those of
// ForEachRunStart whose byte, bit 5 set, is one of the values: with the
// SSE2 compare and the portable one alike, for texts of every length up to
// 200 bytes and sets of 0 to 8 values (letters of either case, a digit,
// '_' as 0x7f, a byte from 0x80 on).
TEST(ByteClassesTest, RunStartsWalkedByTheirFirstByteAreThoseItBegins) {
  const std::string alphabet = std::string("azAZ09_mQqM '@[`{/:-.\n") + "\xc3\xa9\xe2\x80\x99\xff\x7f";
  const std::vector<unsigned char> candidates = {'a', 'z', 'm', 'q', '0', 0x7f, 0xe3, '\'', 'x', 'b'};
  std::mt19937 random(53);
  int walked = 0;
  for (size_t length = 0; length <= 200; ++length) {
    std::string text;
    for (size_t i = 0; i < length; ++i) text += alphabet[random() % alphabet.size()];
    ByteClasses classes;
    classes.Classify(text);
    for (size_t count = 0; count <= ByteClasses::kMaxStartValues; ++count) {
      std::vector<unsigned char> values(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(count));
      std::shuffle(values.begin(), values.end(), random);
      std::vector<size_t> expected, found;
      classes.ForEachRunStart([&](size_t at) {
        const auto bit5 = static_cast<unsigned char>(static_cast<unsigned char>(text[at]) | 0x20);
        if (std::find(values.begin(), values.end(), bit5) != values.end()) expected.push_back(at);
      });
      classes.ForEachRunStartWith(text, values.data(), values.size(), [&](size_t at) { found.push_back(at); });
      ASSERT_EQ(found, expected) << "length " << length << " values " << count;
      std::vector<uint64_t> vector_masks, portable_masks;
      ByteClasses::ByteMasks(text, values.data(), values.size(), true, &vector_masks);
      ByteClasses::ByteMasks(text, values.data(), values.size(), false, &portable_masks);
      ASSERT_EQ(vector_masks, portable_masks) << "length " << length << " values " << count;
      walked += static_cast<int>(found.size());
    }
  }
  EXPECT_GT(walked, 1000);
}

// A text classified again (a thread's classes are reused page after page)
// keeps nothing of the longer text before it.
TEST(ByteClassesTest, ClassifyingAgainForgetsTheLongerTextBefore) {
  ByteClasses classes;
  const std::string longer(200, 'a');
  classes.Classify(longer);
  EXPECT_EQ(classes.NextNonWord(0), 200u);
  const std::string shorter = "ab cd";
  classes.Classify(shorter);
  EXPECT_EQ(classes.NextNonWord(0), 2u);
  EXPECT_EQ(classes.NextNonSeparator(2), 3u);
  EXPECT_EQ(classes.NextNonWord(3), 5u);
  EXPECT_EQ(classes.NextNonSeparator(5), 5u) << "the text's end, not the longer text's bytes";
  EXPECT_EQ(classes.NextNonWord(70), 5u);
}

}  // namespace
}  // namespace dossier
