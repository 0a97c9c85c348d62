// The text plugin: plain text and Markdown files as pages (form feeds split pages).
#include <unicode/ucnv.h>
#include <unicode/utf8.h>

#include <cstring>
#include <string>
#include <string_view>

#include "dossier_plugin/support.h"

namespace {

using plugin_support::Fail;

constexpr char kName[] = "text";
constexpr char kVersion[] = "0.1.0";

bool IsValidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return false;
  }
  return true;
}

// Converts from `charset` to UTF-8 with ICU; false when ICU refuses.
bool ConvertToUtf8(const char* charset, std::string_view in, std::string* out) {
  UErrorCode status = U_ZERO_ERROR;
  out->resize(in.size() * 3 + 4);
  int32_t n = ucnv_convert("UTF-8", charset, out->data(), static_cast<int32_t>(out->size()), in.data(),
                           static_cast<int32_t>(in.size()), &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    status = U_ZERO_ERROR;
    out->resize(static_cast<size_t>(n) + 1);
    n = ucnv_convert("UTF-8", charset, out->data(), static_cast<int32_t>(out->size()), in.data(),
                     static_cast<int32_t>(in.size()), &status);
  }
  if (U_FAILURE(status)) return false;
  out->resize(static_cast<size_t>(n));
  return true;
}

void* CreateInstance(const char*, dossier_error_buffer*) {
  static int instance_marker;  // stateless: every thread can share one
  return &instance_marker;
}

void DestroyInstance(void*) {}

int32_t ExtractPages(void*, const dossier_input* input, const dossier_page_sink* sink, dossier_error_buffer* error) {
  return plugin_support::Guarded(error, [&]() -> int32_t {
    if (input->size > (1u << 30)) return Fail(error, DOSSIER_RESOURCE_EXHAUSTED, "text file larger than 1 GiB");
    std::string_view raw(reinterpret_cast<const char*>(input->data), input->size);
    std::string text;
    if (raw.size() >= 2 && ((raw[0] == '\xFF' && raw[1] == '\xFE') || (raw[0] == '\xFE' && raw[1] == '\xFF'))) {
      if (!ConvertToUtf8("UTF-16", raw, &text)) return Fail(error, DOSSIER_INVALID_ARGUMENT, "undecodable UTF-16 text");
    } else if (IsValidUtf8(raw)) {
      text.assign(raw);
    } else if (!ConvertToUtf8("windows-1252", raw, &text)) {
      return Fail(error, DOSSIER_INVALID_ARGUMENT, "text is neither UTF-8 nor Windows-1252");
    }
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // UTF-8 byte-order mark

    uint32_t number = 0;
    size_t start = 0;
    while (true) {
      size_t end = text.find('\f', start);
      std::string_view page = std::string_view(text).substr(start, end == std::string::npos ? std::string::npos : end - start);
      // A trailing form feed ends the last page rather than opening an empty one.
      if (end == std::string::npos && page.empty() && number > 0) break;
      int32_t rc = sink->add_page(sink->host_context, ++number, page.data(), page.size(), DOSSIER_TEXT_PLAIN, -1.0f);
      if (rc != DOSSIER_OK) return Fail(error, static_cast<dossier_status_code>(rc), "stopped by host");
      if (end == std::string::npos) break;
      start = end + 1;
    }
    return DOSSIER_OK;
  });
}

const dossier_plugin kPlugin = {
    DOSSIER_PLUGIN_ABI_VERSION, sizeof(dossier_plugin), kName, kVersion, DOSSIER_PLUGIN_INGEST,
    &CreateInstance,            &DestroyInstance,       &ExtractPages,
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const dossier_plugin* dossier_plugin_entry(void) { return &kPlugin; }
