// Fixed-width big-endian integers: the one codec of the store's keys and
// values (keys.h) and of the worker protocol's frames (worker_protocol.h).
// Big-endian so that byte order is numeric order in keys. Changing it changes
// the on-disk format and the wire format.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dossier::coding {

namespace internal {
template <typename T>
void PutFixed(std::string* dst, T value) {
  for (int shift = 8 * static_cast<int>(sizeof(T)) - 8; shift >= 0; shift -= 8) {
    dst->push_back(static_cast<char>(value >> shift));
  }
}
template <typename T>
bool GetFixed(std::string_view* input, T* value) {
  if (input->size() < sizeof(T)) return false;
  T v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) v = static_cast<T>((v << 8) | static_cast<uint8_t>((*input)[i]));
  *value = v;
  input->remove_prefix(sizeof(T));
  return true;
}
}  // namespace internal

// Append `value` to `dst`, most significant byte first.
inline void PutFixed16(std::string* dst, uint16_t value) { internal::PutFixed(dst, value); }
inline void PutFixed32(std::string* dst, uint32_t value) { internal::PutFixed(dst, value); }
inline void PutFixed64(std::string* dst, uint64_t value) { internal::PutFixed(dst, value); }

// Consume a big-endian integer from the front of `input`; false (and `input`
// unchanged) when it is too short.
inline bool GetFixed16(std::string_view* input, uint16_t* value) { return internal::GetFixed(input, value); }
inline bool GetFixed32(std::string_view* input, uint32_t* value) { return internal::GetFixed(input, value); }
inline bool GetFixed64(std::string_view* input, uint64_t* value) { return internal::GetFixed(input, value); }

}  // namespace dossier::coding
