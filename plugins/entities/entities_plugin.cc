// The entities extractor plugin: ABI glue around ExtractFacts.
#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "dossier_plugin/support.h"
#include "extract.h"

namespace {

using plugin_support::Fail;

constexpr char kName[] = "entities";
constexpr char kVersion[] = "0.1.0";

// The authority file shipped beside this library.
std::string ShippedAuthorityPath() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&ShippedAuthorityPath), &info) == 0 || info.dli_fname == nullptr) return "";
  return (std::filesystem::path(info.dli_fname).parent_path() / "entities-authority.tsv").string();
}

struct Instance {
  dossier_entities::Authority authority;
  dossier_structure::Cues cues;
  bool line_styles = false;  // the host sends page_styles in the document view
};

void* CreateInstance(const char* options_json, dossier_error_buffer* error) {
  try {
    auto instance = std::make_unique<Instance>();
    // The options are a flat JSON object from the host; only this flag matters here.
    instance->line_styles = std::string_view(options_json ? options_json : "").find("\"line_styles\":true") !=
                            std::string_view::npos;
    std::string why;
    std::string shipped = ShippedAuthorityPath();
    if (!shipped.empty() && std::filesystem::exists(shipped) && !instance->authority.LoadFile(shipped, &why)) {
      plugin_support::WriteError(error, why);
      return nullptr;
    }
    // The cue words per language, shipped beside the library (cues-<lang>.tsv).
    if (!shipped.empty() && !instance->cues.LoadFolder(std::filesystem::path(shipped).parent_path().string(), &why)) {
      plugin_support::WriteError(error, why);
      return nullptr;
    }
    // Users' own authority files, colon-separated.
    if (const char* extra = std::getenv("DOSSIER_AUTHORITY_FILES"); extra != nullptr && *extra) {
      std::string list = extra;
      size_t start = 0;
      while (start <= list.size()) {
        size_t end = list.find(':', start);
        if (end == std::string::npos) end = list.size();
        std::string path = list.substr(start, end - start);
        if (!path.empty() && !instance->authority.LoadFile(path, &why)) {
          plugin_support::WriteError(error, why);
          return nullptr;
        }
        start = end + 1;
      }
    }
    return instance.release();
  } catch (const std::exception& e) {
    plugin_support::WriteError(error, e.what());
    return nullptr;
  }
}

void DestroyInstance(void* instance) { delete static_cast<Instance*>(instance); }

int32_t ExtractFacts(void* raw, const dossier_document_view* doc, const dossier_fact_sink* sink,
                     dossier_error_buffer* error) {
  return plugin_support::Guarded(error, [&]() -> int32_t {
    auto* instance = static_cast<Instance*>(raw);
    std::vector<dossier_entities::PageInput> pages;
    for (size_t i = 0; i < doc->page_count; ++i) {
      pages.push_back({doc->pages[i].number, std::string_view(doc->pages[i].text, doc->pages[i].text_len)});
      if (!instance->line_styles || doc->page_styles == nullptr) continue;
      const dossier_page_styles& styles = doc->page_styles[i];
      for (size_t k = 0; k < styles.count; ++k) {
        const dossier_line_style& s = styles.styles[k];
        pages.back().styles.push_back({s.first_line, s.line_count, s.size, (s.flags & DOSSIER_LINE_BOLD) != 0});
      }
    }
    for (const dossier::Fact& fact :
         dossier_entities::ExtractTypedFacts(pages, doc->language, instance->authority, instance->cues)) {
      std::string text = dossier::EncodeFact(fact);
      int32_t rc = sink->add_fact(sink->host_context, text.data(), text.size());
      if (rc == DOSSIER_CANCELLED) return Fail(error, DOSSIER_CANCELLED, "stopped by host");
    }
    return DOSSIER_OK;
  });
}

const dossier_plugin kPlugin = {DOSSIER_PLUGIN_ABI_VERSION, sizeof(dossier_plugin), kName, kVersion,
                                DOSSIER_PLUGIN_EXTRACTOR,   &CreateInstance,        &DestroyInstance, nullptr,
                                &ExtractFacts};

}  // namespace

extern "C" __attribute__((visibility("default"))) const dossier_plugin* dossier_plugin_entry(void) { return &kPlugin; }
