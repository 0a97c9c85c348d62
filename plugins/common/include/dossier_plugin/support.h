// Helpers for plugin authors: write errors into the host's buffer and keep
// every exception on the plugin's side of the C ABI.
#pragma once

#include <algorithm>
#include <cstring>
#include <exception>
#include <new>
#include <string_view>

#include "dossier/plugin_abi.h"

namespace plugin_support {

// Copies `message` into the host's buffer, truncated and NUL-terminated.
inline void WriteError(dossier_error_buffer* error, std::string_view message) {
  if (error == nullptr || error->message == nullptr || error->capacity == 0) return;
  size_t n = std::min(message.size(), error->capacity - 1);
  std::memcpy(error->message, message.data(), n);
  error->message[n] = '\0';
}

// Returns `code` after writing `message`.
inline int32_t Fail(dossier_error_buffer* error, dossier_status_code code, std::string_view message) {
  WriteError(error, message);
  return code;
}

// Runs `body` (returning an int32_t status) and turns any exception into an
// error code and message, so none crosses the ABI.
template <typename Body>
int32_t Guarded(dossier_error_buffer* error, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Fail(error, DOSSIER_RESOURCE_EXHAUSTED, "out of memory");
  } catch (const std::exception& e) {
    return Fail(error, DOSSIER_INTERNAL, e.what());
  } catch (...) {
    return Fail(error, DOSSIER_INTERNAL, "unexpected non-standard exception");
  }
}

}  // namespace plugin_support
