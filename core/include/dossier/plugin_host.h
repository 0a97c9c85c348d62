// The plugin host: finds plugin manifests, loads plugin libraries, checks
// their ABI, and maps MIME types to ingestion plugins.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/document.h"
#include "dossier/plugin_abi.h"
#include "dossier/status.h"

namespace dossier {

// A plugin's manifest: `<name>.plugin.json` beside its library in the plugin
// directory (schema: schemas/plugin-manifest.schema.json).
struct PluginManifest {
  std::string name;
  std::string version;
  uint32_t abi_version = 0;
  std::string kind;     // "ingest" or "extractor"
  std::string library;  // file name of the shared library, relative to the manifest
  std::string description;
  std::vector<std::string> mime_types;  // ingest: "application/pdf", "text/*", "*/*"
  std::vector<std::string> extensions;  // ingest: ".pdf"; a hint only, the content decides
  std::string extractor_kind;           // extractor: what it finds ("entities", ...)
};

// Parses and validates a manifest; `origin` names it in error messages.
// Enforces what schemas/plugin-manifest.schema.json says.
Result<PluginManifest> ParsePluginManifest(std::string_view json_text, std::string_view origin);

// What happened to one manifest found in the plugin directory.
struct PluginLoadReport {
  std::string manifest_path;
  std::string library_path;
  std::string name;
  std::string version;
  std::string kind;
  std::vector<std::string> mime_types;
  bool loaded = false;
  std::string error;  // why it was refused, when !loaded
};

// What an ingestion plugin made of one file.
struct ExtractedFile {
  DocumentMetadata metadata;
  std::vector<PageText> pages;
  std::vector<std::string> warnings;  // "page 3: ..." problems that did not stop the file
};

class LoadedPlugin;

// What an extractor plugin found in one document: JSON objects, one per fact.
struct ExtractedFacts {
  std::vector<std::string> facts;     // each a JSON object as the plugin sent it
  std::vector<std::string> warnings;  // facts the host refused, with the reason
};

// Receives a page a plugin sent as pixels (dossier_page_sink.add_page_image).
// The image is valid only during the call. Returning an error stops the file.
using PageImageHandler = std::function<Status(uint32_t page_number, const dossier_page_image& image)>;

// What an OCR plugin read on one page image.
struct RecognisedPage {
  std::string text;               // UTF-8, NFC
  float mean_confidence = 0;      // 0..100
  std::vector<std::string> notes; // what clean-up did
  std::vector<LineStyle> line_styles;  // how its lines are set, as the plugin estimated them
};

// An instance of an ingestion plugin for one thread. Not thread-safe: use one
// per thread. Destroys the plugin's instance when destroyed.
class IngestPluginInstance {
 public:
  ~IngestPluginInstance();
  IngestPluginInstance(const IngestPluginInstance&) = delete;
  IngestPluginInstance& operator=(const IngestPluginInstance&) = delete;

  const LoadedPlugin& plugin() const { return *plugin_; }

  // Extracts the pages of a file held in memory. On failure the Status
  // message starts with `display_name` and says why. Pages the plugin sends
  // as pixels go to `on_page_image` (the instance must have been created with
  // "page_images": true) and are left out of the result's `pages`; the
  // handler's caller fills them in.
  Result<ExtractedFile> Extract(std::string_view display_name, std::string_view mime_type,
                                std::string_view content, const PageImageHandler& on_page_image = nullptr);

 private:
  friend class LoadedPlugin;
  IngestPluginInstance(const LoadedPlugin* plugin, void* instance) : plugin_(plugin), instance_(instance) {}
  const LoadedPlugin* plugin_;
  void* instance_;
};

// An instance of an extractor plugin for one thread. Not thread-safe.
class ExtractorPluginInstance {
 public:
  ~ExtractorPluginInstance();
  ExtractorPluginInstance(const ExtractorPluginInstance&) = delete;
  ExtractorPluginInstance& operator=(const ExtractorPluginInstance&) = delete;

  const LoadedPlugin& plugin() const { return *plugin_; }

  // Runs the extractor over a document's pages. On failure the Status
  // message names the document's first source path and the plugin.
  Result<ExtractedFacts> Extract(const Document& document);

 private:
  friend class LoadedPlugin;
  ExtractorPluginInstance(const LoadedPlugin* plugin, void* instance) : plugin_(plugin), instance_(instance) {}
  const LoadedPlugin* plugin_;
  void* instance_;
};

// An instance of an OCR plugin for one worker thread. Not thread-safe.
class OcrPluginInstance {
 public:
  ~OcrPluginInstance();
  OcrPluginInstance(const OcrPluginInstance&) = delete;
  OcrPluginInstance& operator=(const OcrPluginInstance&) = delete;

  const LoadedPlugin& plugin() const { return *plugin_; }

  // Reads the text of one page image. Errors name the plugin and the reason.
  Result<RecognisedPage> Recognise(const dossier_page_image& image);

 private:
  friend class LoadedPlugin;
  OcrPluginInstance(const LoadedPlugin* plugin, void* instance) : plugin_(plugin), instance_(instance) {}
  const LoadedPlugin* plugin_;
  void* instance_;
};

// A plugin library that passed every check. Owned by PluginHost; the library
// stays loaded as long as the host lives. Thread-safe (immutable).
class LoadedPlugin {
 public:
  LoadedPlugin(PluginManifest manifest, std::string library_path, void* dl_handle, const dossier_plugin* api);
  ~LoadedPlugin();
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  const PluginManifest& manifest() const { return manifest_; }
  const std::string& library_path() const { return library_path_; }
  // "pdf 0.1.0"
  std::string NameAndVersion() const { return manifest_.name + " " + manifest_.version; }

  // Creates a per-thread instance with plugin options given as a JSON object.
  Result<std::unique_ptr<IngestPluginInstance>> CreateIngestInstance(std::string_view options_json = "{}") const;
  Result<std::unique_ptr<ExtractorPluginInstance>> CreateExtractorInstance(std::string_view options_json = "{}") const;
  Result<std::unique_ptr<OcrPluginInstance>> CreateOcrInstance(std::string_view options_json = "{}") const;

  // True for an ingestion plugin that also reads page images (recognise_page).
  bool CanRecognisePages() const;

 private:
  // Calls create_instance; null with the reason in *error on failure.
  void* NewInstance(std::string_view options_json, Status* error) const;
  PluginManifest manifest_;
  std::string library_path_;
  void* dl_handle_;
  const dossier_plugin* api_;
  friend class IngestPluginInstance;
  friend class ExtractorPluginInstance;
  friend class OcrPluginInstance;
};

// Loads every plugin in a directory. Loading never fails as a whole: each
// manifest gets a report, and a plugin that cannot be loaded (bad manifest,
// missing library, missing symbol, wrong ABI version, name mismatch) is
// refused with the reason and skipped. Thread-safe after construction.
class PluginHost {
 public:
  // Scans `plugin_dir` for `*.plugin.json`, in name order for determinism.
  static std::unique_ptr<PluginHost> LoadDirectory(const std::string& plugin_dir);

  const std::string& plugin_dir() const { return plugin_dir_; }
  const std::vector<PluginLoadReport>& reports() const { return reports_; }
  const std::vector<std::unique_ptr<LoadedPlugin>>& plugins() const { return plugins_; }

  // The ingestion plugin for a MIME type: an exact match first, then
  // "type/*", then "*/*"; among equals, the first in name order. Null when
  // none handles it.
  const LoadedPlugin* FindIngestPlugin(std::string_view mime_type) const;
  // The first plugin (in name order) that can OCR page images; null if none.
  const LoadedPlugin* FindOcrPlugin() const;
  // Every loaded extractor plugin, in name order.
  std::vector<const LoadedPlugin*> Extractors() const;

 private:
  std::string plugin_dir_;
  std::vector<PluginLoadReport> reports_;
  std::vector<std::unique_ptr<LoadedPlugin>> plugins_;
};

}  // namespace dossier
