// The pdf plugin: turns a PDF's text layer into pages of text, with its metadata.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <climits>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>

#include "dossier_plugin/support.h"

namespace {

using plugin_support::Fail;

constexpr char kName[] = "pdf";
constexpr char kVersion[] = "0.1.0";

// Poppler reports problems through one process-wide callback; each thread
// collects the messages of the document it is working on.
thread_local std::string* t_poppler_messages = nullptr;

void CollectPopplerMessage(const std::string& message, void*) {
  if (t_poppler_messages && t_poppler_messages->size() < 4096) {
    if (!t_poppler_messages->empty()) t_poppler_messages->append("; ");
    t_poppler_messages->append(message);
  }
}

std::string Utf8(const poppler::ustring& text) {
  poppler::byte_array bytes = text.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

std::string IsoTime(time_t t) {
  if (t == static_cast<time_t>(-1) || t <= 0) return "";
  struct tm utc;
  gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

// A file that lost its end: no %%EOF marker in its last kilobyte.
bool LacksEndMarker(const unsigned char* data, size_t size) {
  size_t from = size > 1024 ? size - 1024 : 0;
  std::string_view tail(reinterpret_cast<const char*>(data) + from, size - from);
  return tail.find("%%EOF") == std::string_view::npos;
}

struct PdfInstance {
  std::string messages;
};

void* CreateInstance(const char* /*options_json*/, dossier_error_buffer* error) {
  try {
    static std::once_flag once;
    std::call_once(once, [] { poppler::set_debug_error_function(&CollectPopplerMessage, nullptr); });
    return new PdfInstance();
  } catch (...) {
    plugin_support::WriteError(error, "cannot create pdf plugin instance");
    return nullptr;
  }
}

void DestroyInstance(void* instance) { delete static_cast<PdfInstance*>(instance); }

int32_t ExtractPages(void* raw_instance, const dossier_input* input, const dossier_page_sink* sink,
                     dossier_error_buffer* error) {
  return plugin_support::Guarded(error, [&]() -> int32_t {
    auto* instance = static_cast<PdfInstance*>(raw_instance);
    instance->messages.clear();
    t_poppler_messages = &instance->messages;
    struct Reset {
      ~Reset() { t_poppler_messages = nullptr; }
    } reset;

    if (input->size > static_cast<size_t>(INT_MAX)) {
      return Fail(error, DOSSIER_RESOURCE_EXHAUSTED, "PDF larger than 2 GiB");
    }
    const bool looks_like_pdf = input->size >= 5 && std::memcmp(input->data, "%PDF-", 5) == 0;
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(
        reinterpret_cast<const char*>(input->data), static_cast<int>(input->size)));
    if (!doc) {
      if (!looks_like_pdf) return Fail(error, DOSSIER_INVALID_ARGUMENT, "not a PDF: no %PDF- header");
      std::string why = instance->messages.empty() ? "" : " (" + instance->messages.substr(0, 300) + ")";
      if (LacksEndMarker(input->data, input->size)) {
        return Fail(error, DOSSIER_DATA_LOSS, "truncated PDF: the file ends before its end-of-file marker" + why);
      }
      return Fail(error, DOSSIER_DATA_LOSS, "damaged PDF: Poppler cannot open it" + why);
    }
    if (doc->is_locked()) {
      return Fail(error, DOSSIER_FAILED_PRECONDITION, "encrypted PDF: a password is needed to open it");
    }
    // Poppler rebuilds a damaged cross-reference table and opens what it
    // can; a file cut short would then be indexed with pages silently missing.
    if (LacksEndMarker(input->data, input->size) && !instance->messages.empty()) {
      return Fail(error, DOSSIER_DATA_LOSS, "truncated PDF: the file ends before its end-of-file marker (" +
                                                instance->messages.substr(0, 300) + ")");
    }

    auto meta = [&](const char* key, const std::string& value) -> int32_t {
      if (value.empty()) return DOSSIER_OK;
      return sink->set_metadata(sink->host_context, key, value.data(), value.size());
    };
    int32_t rc = DOSSIER_OK;
    for (auto [key, value] : {std::pair<const char*, std::string>{"title", Utf8(doc->get_title())},
                              {"author", Utf8(doc->get_author())},
                              {"subject", Utf8(doc->get_subject())},
                              {"keywords", Utf8(doc->get_keywords())},
                              {"creator", Utf8(doc->get_creator())},
                              {"producer", Utf8(doc->get_producer())},
                              {"created", IsoTime(doc->get_creation_date_t())},
                              {"modified", IsoTime(doc->get_modification_date_t())}}) {
      if ((rc = meta(key, value)) != DOSSIER_OK) return Fail(error, static_cast<dossier_status_code>(rc), "stopped by host");
    }

    const int page_count = doc->pages();
    if (page_count <= 0) return Fail(error, DOSSIER_DATA_LOSS, "PDF has no pages");
    for (int i = 0; i < page_count; ++i) {
      const uint32_t number = static_cast<uint32_t>(i + 1);
      std::unique_ptr<poppler::page> page(doc->create_page(i));
      std::string text;
      if (!page) {
        sink->warn(sink->host_context, number, "cannot read this page; it is indexed as empty");
      } else {
        // Reading order, as pdftotext prints it by default.
        text = Utf8(page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout));
      }
      rc = sink->add_page(sink->host_context, number, text.data(), text.size(), DOSSIER_TEXT_LAYER, -1.0f);
      if (rc != DOSSIER_OK) return Fail(error, static_cast<dossier_status_code>(rc), "stopped by host");
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
