// Hashes that are the same on every build and machine, for what is stored
// or compared across processes: near-duplicate signatures, the word-pair
// set of the page index, ETags.
#pragma once

#include <cstdint>
#include <string_view>

namespace dossier {

// SplitMix64's finaliser: a well-mixed 64-bit hash of a 64-bit value.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// FNV-1a, 64 bits; `hash` continues a hash over text before this.
inline uint64_t Fnv1a(std::string_view text, uint64_t hash = 0xCBF29CE484222325ull) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001B3ull;
  }
  return hash;
}

}  // namespace dossier
