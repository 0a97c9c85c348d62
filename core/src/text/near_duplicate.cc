// MinHash signatures of documents' word shingles (near_duplicate.h).
#include "dossier/near_duplicate.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <unordered_set>

#include "dossier/name_key.h"
#include "dossier/stable_hash.h"

namespace dossier {

namespace {

bool IsLetterByte(unsigned char c) { return std::isalpha(c) || c >= 0x80; }

// A word broken at a line end by a hyphen ("imple-\nmentation") joined again,
// so that two printings with different line breaks give the same words.
std::string JoinHyphenatedLineBreaks(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    size_t hyphen_end = 0;  // the byte after the hyphen, when one starts here
    if (text[i] == '-') hyphen_end = i + 1;
    else if (text.compare(i, 2, "\xC2\xAD") == 0) hyphen_end = i + 2;           // soft hyphen
    else if (text.compare(i, 3, "\xE2\x80\x90") == 0) hyphen_end = i + 3;       // hyphen
    if (hyphen_end && !out.empty() && IsLetterByte(static_cast<unsigned char>(out.back()))) {
      size_t j = hyphen_end;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r')) ++j;
      if (j < text.size() && text[j] == '\n') {
        // Any blank lines after it too: a word broken at the foot of a page.
        while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\n')) ++j;
        if (j < text.size() && IsLetterByte(static_cast<unsigned char>(text[j]))) {
          i = j - 1;  // continue with the next line's first letter
          continue;
        }
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

}  // namespace

std::vector<std::string> NearDuplicateWords(const std::vector<PageText>& pages) {
  std::vector<std::string> words;
  std::string joined;
  for (const PageText& page : pages) {
    joined += page.text;
    joined.push_back('\n');
  }
  // Folded a line at a time: NameKey drops a leading article, which must only
  // ever be the first word of the text, never a line's.
  const std::string text = JoinHyphenatedLineBreaks(joined);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string key = NameKey(std::string_view(text).substr(start, end - start));
    size_t w = 0;
    while (w < key.size()) {
      size_t e = key.find(' ', w);
      if (e == std::string::npos) e = key.size();
      std::string_view word(key.data() + w, e - w);
      const bool number = std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
      const size_t characters = std::count_if(word.begin(), word.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // UTF-8 lead bytes
      });
      if (!number && characters > 1 && word != "&") words.emplace_back(word);
      w = e + 1;
    }
    start = end + 1;
  }
  return words;
}

NearDuplicateSignature ComputeNearDuplicateSignature(const std::vector<PageText>& pages) {
  NearDuplicateSignature signature;
  const std::vector<std::string> words = NearDuplicateWords(pages);
  if (words.size() < kShingleWords) return signature;
  std::unordered_set<uint64_t> shingles;
  shingles.reserve(words.size());
  for (size_t i = 0; i + kShingleWords <= words.size(); ++i) {
    uint64_t hash = 0xCBF29CE484222325ull;
    for (size_t k = 0; k < kShingleWords; ++k) {
      hash = Fnv1a(words[i + k], hash);
      hash = Fnv1a(" ", hash);
    }
    shingles.insert(hash);
  }
  if (shingles.size() < kMinShingles) return signature;
  std::vector<uint64_t> minimum(kMinHashCount, std::numeric_limits<uint64_t>::max());
  for (uint64_t shingle : shingles) {
    const uint64_t base = Mix64(shingle);
    for (uint32_t i = 0; i < kMinHashCount; ++i) {
      const uint64_t h = Mix64(base ^ (0xD6E8FEB86659FD93ull * (i + 1)));
      if (h < minimum[i]) minimum[i] = h;
    }
  }
  signature.shingles = static_cast<uint32_t>(std::min<size_t>(shingles.size(), std::numeric_limits<uint32_t>::max()));
  signature.minhash.reserve(kMinHashCount);
  for (uint64_t m : minimum) signature.minhash.push_back(static_cast<uint32_t>(m >> 32));
  return signature;
}

double EstimateResemblance(const NearDuplicateSignature& a, const NearDuplicateSignature& b) {
  if (a.empty() || b.empty() || a.minhash.size() != b.minhash.size()) return 0;
  size_t equal = 0;
  for (size_t i = 0; i < a.minhash.size(); ++i) equal += a.minhash[i] == b.minhash[i];
  return static_cast<double>(equal) / static_cast<double>(a.minhash.size());
}

uint64_t NearDuplicateBandHash(const NearDuplicateSignature& signature, uint32_t band) {
  uint64_t hash = Mix64(band + 1);
  for (uint32_t r = 0; r < kLshRows; ++r) {
    const size_t i = static_cast<size_t>(band) * kLshRows + r;
    if (i < signature.minhash.size()) hash = Mix64(hash ^ signature.minhash[i]);
  }
  return hash;
}

}  // namespace dossier
