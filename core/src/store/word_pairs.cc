#include "word_pairs.h"

#include "dossier/coding.h"
#include "dossier/stable_hash.h"
#include "function_words.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdint>

namespace dossier {
namespace {

constexpr std::string_view kMagic = "DWP2";
// Magic, log2 bits, probes, the uuid's length, 1 unused; the stamp's
// revision (8 bytes), entry count and last docid (4 each), big-endian
// (coding.h); then the uuid, then the bits, 64 a word, big-endian.
constexpr size_t kHeaderBytes = 24;

uint64_t TermHash(std::string_view term) { return Mix64(Fnv1a(term)); }

}  // namespace

WordPairSet::WordPairSet(unsigned log2_bits)
    : log2_bits_(std::clamp(log2_bits, kMinLog2Bits, kMaxLog2Bits)),
      words_(size_t{1} << (log2_bits_ - 6), 0) {}

namespace {

// A page word ("word") or its stem ("Zstem"): the word or stem it holds;
// empty for "XF"/"ZXF" folded forms and prefixed terms (an upper-case
// prefix: S, A, L, Q, XS, ...).
std::string_view PageWordOf(std::string_view term) {
  const size_t i = !term.empty() && term[0] == 'Z' ? 1 : 0;
  if (i >= term.size() || std::isupper(static_cast<unsigned char>(term[i]))) return {};
  return term.substr(i);
}

}  // namespace

bool WordPairSet::Records(std::string_view term, std::string_view language) {
  const std::string_view word = PageWordOf(term);
  return !word.empty() && !IsFunctionWord(language, word);
}

bool WordPairSet::RecordsInEveryLanguage(std::string_view term) {
  const std::string_view word = PageWordOf(term);
  return !word.empty() && !IsFunctionWordOfAnyLanguage(word);
}

template <typename Positions>
void WordPairSet::AddPositions(const std::string& term, const std::string& language, Positions positions,
                               std::vector<std::pair<Xapian::termpos, uint64_t>>* at) {
  if (positions.first == positions.second || !Records(term, language)) return;
  const uint64_t h = TermHash(KeyOf(term));
  for (auto p = positions.first; p != positions.second; ++p) at->emplace_back(*p, h);
}

WordPairSet::Probes WordPairSet::ProbesOf(uint64_t first, uint64_t second) {
  const uint64_t h = Mix64(first * 0x9e3779b97f4a7c15ULL + second);
  return Probes{h, Mix64(h ^ 0x632be59bd9b4e019ULL) | 1};
}

void WordPairSet::AddHashes(uint64_t first, uint64_t second) {
  const Probes probes = ProbesOf(first, second);
  for (unsigned k = 0; k < kProbes; ++k) {
    const uint64_t bit = probes.Bit(k, log2_bits_);
    words_[bit >> 6] |= uint64_t{1} << (bit & 63);
  }
}

bool WordPairSet::MayHoldHashes(uint64_t first, uint64_t second) const {
  const Probes probes = ProbesOf(first, second);
  for (unsigned k = 0; k < kProbes; ++k) {
    const uint64_t bit = probes.Bit(k, log2_bits_);
    if ((words_[bit >> 6] >> (bit & 63) & 1) == 0) return false;
  }
  return true;
}

std::string_view WordPairSet::KeyOf(std::string_view term) {
  const std::string_view word = PageWordOf(term);
  return word.empty() ? term : word;
}

void WordPairSet::Add(std::string_view first, std::string_view second) {
  AddHashes(TermHash(KeyOf(first)), TermHash(KeyOf(second)));
}

bool WordPairSet::MayHold(std::string_view first, std::string_view second) const {
  return MayHoldHashes(TermHash(KeyOf(first)), TermHash(KeyOf(second)));
}

void WordPairSet::AddAdjacent(std::vector<std::pair<Xapian::termpos, uint64_t>>* at) {
  std::sort(at->begin(), at->end());
  // Each run of one position, and the run of the next position when it is p + 1.
  size_t run = 0;
  while (run < at->size()) {
    const Xapian::termpos p = (*at)[run].first;
    size_t next = run;
    while (next < at->size() && (*at)[next].first == p) ++next;
    size_t after = next;
    while (after < at->size() && (*at)[after].first == p + 1) ++after;
    for (size_t a = run; a < next; ++a) {
      for (size_t b = next; b < after; ++b) AddHashes((*at)[a].second, (*at)[b].second);
    }
    run = next;
  }
}

void WordPairSet::AddPairsOf(const Xapian::Document& entry, const std::string& language) {
  std::vector<std::pair<Xapian::termpos, uint64_t>> at;
  for (auto t = entry.termlist_begin(); t != entry.termlist_end(); ++t) {
    if (t.positionlist_count() == 0) continue;
    AddPositions(*t, language, std::pair(t.positionlist_begin(), t.positionlist_end()), &at);
  }
  AddAdjacent(&at);
}

WordPairSet WordPairSet::Gather(const Xapian::Database& db) {
  // Filled at a size no smaller than the pairs can need (an entry holds
  // fewer distinct pairs than it has positions, and fewer positions than
  // its length), then folded down to the size its distinct pairs need.
  const double upper = std::max<double>(1.0, static_cast<double>(db.get_total_length()));
  unsigned log2_bits = kMinLog2Bits;
  while (log2_bits < kMaxLog2Bits && std::ldexp(1.0, static_cast<int>(log2_bits)) < 2 * kBitsPerPair * upper) ++log2_bits;
  WordPairSet set(log2_bits);
  // Entry by entry. (Term by term, which reads the position table in its
  // own order, took as long on 10,000 generated documents and twice as long
  // on 626 real PDFs: most of the time goes to opening each term's lists.)
  std::vector<std::pair<Xapian::termpos, uint64_t>> at;
  const Xapian::PostingIterator end = db.postlist_end("");
  for (Xapian::PostingIterator d = db.postlist_begin(""); d != end; ++d) {
    at.clear();
    const Xapian::docid did = *d;
    // The entry's language (its L term), which tells its function words,
    // comes before its page terms: a term list is in byte order, and page
    // terms begin with a lower-case letter, "Z" or a byte from 0x80.
    std::string language;
    const Xapian::TermIterator terms_end = db.termlist_end(did);
    for (Xapian::TermIterator t = db.termlist_begin(did); t != terms_end; ++t) {
      const std::string term = *t;
      if (term.size() > 1 && term[0] == 'L' && std::islower(static_cast<unsigned char>(term[1]))) {
        language = term.substr(1);
      } else if (!PageWordOf(term).empty() && t.positionlist_count() > 0) {
        AddPositions(term, language, std::pair(t.positionlist_begin(), t.positionlist_end()), &at);
      }
    }
    set.AddAdjacent(&at);
  }
  set.FoldToPairs();
  return set;
}

void WordPairSet::FoldToPairs() {
  // The distinct pairs, as a Bloom filter's fill tells them: n = -(m / k) ln(1 - X / m).
  while (log2_bits_ > kMinLog2Bits && std::ldexp(1.0, static_cast<int>(log2_bits_) - 1) >= kBitsPerPair * PairsHeld()) {
    Fold();
  }
}

double WordPairSet::PairsHeld() const {
  const double m = std::ldexp(1.0, static_cast<int>(log2_bits_));
  const double filled = static_cast<double>(BitsSet()) / m;
  return filled >= 1.0 ? m : -(m / kProbes) * std::log1p(-filled);
}

void WordPairSet::Absorb(WordPairSet other) {
  while (other.log2_bits_ > log2_bits_) other.Fold();
  while (log2_bits_ > other.log2_bits_) Fold();
  for (size_t i = 0; i < words_.size(); ++i) words_[i] |= other.words_[i];
}

bool WordPairSet::Crowded() const {
  return static_cast<double>(BitsSet()) > kMaxFill * std::ldexp(1.0, static_cast<int>(log2_bits_));
}

void WordPairSet::Fold() {
  const size_t half = words_.size() / 2;
  for (size_t i = 0; i < half; ++i) words_[i] |= words_[i + half];
  words_.resize(half);
  words_.shrink_to_fit();
  --log2_bits_;
}

size_t WordPairSet::BitsSet() const {
  size_t n = 0;
  for (uint64_t w : words_) n += static_cast<size_t>(std::popcount(w));
  return n;
}

WordPairSet::Stamp WordPairSet::StampOf(const Xapian::Database& db) {
  return Stamp{db.get_uuid(), db.get_revision(), db.get_doccount(), db.get_lastdocid()};
}

std::string WordPairSet::Serialise(const Stamp& stamp) const {
  const std::string_view uuid = std::string_view(stamp.uuid).substr(0, 255);
  std::string out;
  out.reserve(kHeaderBytes + uuid.size() + words_.size() * 8);
  out += kMagic;
  out.push_back(static_cast<char>(log2_bits_));
  out.push_back(static_cast<char>(kProbes));
  out.push_back(static_cast<char>(uuid.size()));
  out.push_back('\0');
  coding::PutFixed64(&out, stamp.revision);
  coding::PutFixed32(&out, stamp.doccount);
  coding::PutFixed32(&out, stamp.last_docid);
  out += uuid;
  for (uint64_t w : words_) coding::PutFixed64(&out, w);
  return out;
}

std::optional<WordPairSet> WordPairSet::Parse(std::string_view blob, const Stamp& stamp) {
  if (blob.size() < kHeaderBytes || blob.substr(0, 4) != kMagic) return std::nullopt;
  const unsigned log2_bits = static_cast<unsigned char>(blob[4]);
  const size_t uuid_bytes = static_cast<unsigned char>(blob[6]);
  if (log2_bits < kMinLog2Bits || log2_bits > kMaxLog2Bits || static_cast<unsigned char>(blob[5]) != kProbes) {
    return std::nullopt;
  }
  std::string_view in = blob.substr(8);
  Stamp written;
  coding::GetFixed64(&in, &written.revision);
  coding::GetFixed32(&in, &written.doccount);
  coding::GetFixed32(&in, &written.last_docid);
  if (in.size() < uuid_bytes) return std::nullopt;
  written.uuid = std::string(in.substr(0, uuid_bytes));
  in.remove_prefix(uuid_bytes);
  if (written != Stamp{std::string(std::string_view(stamp.uuid).substr(0, 255)), stamp.revision, stamp.doccount,
                       stamp.last_docid}) {
    return std::nullopt;
  }
  WordPairSet set(log2_bits);
  if (in.size() != set.words_.size() * 8) return std::nullopt;
  for (uint64_t& w : set.words_) coding::GetFixed64(&in, &w);
  return set;
}

}  // namespace dossier
