// The plugin host: loading plugin libraries safely and calling them through the C ABI.
#include "dossier/plugin_host.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "dossier/facts.h"
#include "dossier/text.h"

namespace dossier {

namespace fs = std::filesystem;

namespace {

constexpr size_t kErrorCapacity = 2048;

StatusCode CodeFromAbi(int32_t code) {
  switch (code) {
    case DOSSIER_CANCELLED: return StatusCode::kCancelled;
    case DOSSIER_INVALID_ARGUMENT: return StatusCode::kInvalidArgument;
    case DOSSIER_DEADLINE_EXCEEDED: return StatusCode::kDeadlineExceeded;
    case DOSSIER_NOT_FOUND: return StatusCode::kNotFound;
    case DOSSIER_PERMISSION_DENIED: return StatusCode::kPermissionDenied;
    case DOSSIER_RESOURCE_EXHAUSTED: return StatusCode::kResourceExhausted;
    case DOSSIER_FAILED_PRECONDITION: return StatusCode::kFailedPrecondition;
    case DOSSIER_UNIMPLEMENTED: return StatusCode::kUnimplemented;
    case DOSSIER_INTERNAL: return StatusCode::kInternal;
    case DOSSIER_DATA_LOSS: return StatusCode::kDataLoss;
    default: return StatusCode::kUnknown;
  }
}

// What the sink callbacks collect for one Extract() call.
struct SinkState {
  ExtractedFile file;
  uint32_t pages_sent = 0;              // text pages plus image pages
  const PageImageHandler* on_page_image = nullptr;
  Status image_error;                   // the handler's failure, which stops the file
  std::string protocol_error;  // set when the plugin broke the sink's contract
  std::vector<LineStyle> next_page_styles;  // set_line_styles for page pages_sent + 1
};

// The most style runs one page may have (one per line of a dense page is a few hundred).
constexpr size_t kMaxStyleRuns = 100000;

// Checks a plugin's style runs (in order, not overlapping, a sane size) and
// keeps them in `out`; "" when they are good, else what is wrong with them.
std::string TakeLineStyles(const dossier_line_style* styles, size_t count, std::vector<LineStyle>* out) {
  out->clear();
  if ((styles == nullptr && count > 0) || count > kMaxStyleRuns) {
    return "sent " + std::to_string(count) + " line styles without data or too many";
  }
  uint64_t next_free = 0;
  for (size_t i = 0; i < count; ++i) {
    const dossier_line_style& s = styles[i];
    if (s.line_count == 0 || s.first_line < next_free || !(s.size >= 0 && s.size < 10000)) {
      out->clear();
      return "sent line styles that are empty, overlap or have no size";
    }
    next_free = uint64_t{s.first_line} + s.line_count;
    out->push_back({s.first_line, s.line_count, s.size, s.flags & (LineStyle::kBold | LineStyle::kItalic)});
  }
  return "";
}

// Drops the runs past the last line of `text` and shortens the one it ends in.
void ClipLineStyles(const std::string& text, std::vector<LineStyle>* styles) {
  const uint32_t lines = static_cast<uint32_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  size_t kept = 0;
  for (LineStyle& style : *styles) {
    if (style.first_line >= lines) break;
    style.line_count = std::min(style.line_count, lines - style.first_line);
    ++kept;
  }
  styles->resize(kept);
}

int32_t SinkSetLineStyles(void* context, uint32_t page_number, const dossier_line_style* styles, size_t count) {
  auto* state = static_cast<SinkState*>(context);
  const std::string page = "page " + std::to_string(page_number);
  if (page_number != state->pages_sent + 1) {
    state->protocol_error = "sent line styles for " + page + " where page " + std::to_string(state->pages_sent + 1) +
                            " was due";
    return DOSSIER_INVALID_ARGUMENT;
  }
  try {
    if (std::string wrong = TakeLineStyles(styles, count, &state->next_page_styles); !wrong.empty()) {
      state->protocol_error = wrong + " (" + page + ")";
      return DOSSIER_INVALID_ARGUMENT;
    }
  } catch (const std::bad_alloc&) {
    return DOSSIER_RESOURCE_EXHAUSTED;
  }
  return DOSSIER_OK;
}

int32_t SinkSetMetadata(void* context, const char* key, const char* value, size_t value_len) {
  auto* state = static_cast<SinkState*>(context);
  if (key == nullptr || (value == nullptr && value_len > 0)) return DOSSIER_INVALID_ARGUMENT;
  std::string text = NormalizeText(std::string_view(value ? value : "", value_len));
  DocumentMetadata& m = state->file.metadata;
  std::string_view k(key);
  if (k == "title") m.title = text;
  else if (k == "author") m.author = text;
  else if (k == "subject") m.subject = text;
  else if (k == "keywords") m.keywords = text;
  else if (k == "creator") m.creator = text;
  else if (k == "producer") m.producer = text;
  else if (k == "created") m.created = text;
  else if (k == "modified") m.modified = text;
  else if (k == "typeset_lines") m.typeset_lines = text;
  return DOSSIER_OK;  // unknown keys are ignored so plugins can send more than this host keeps
}

int32_t SinkAddPage(void* context, uint32_t page_number, const char* text, size_t text_len, uint32_t source,
                    float ocr_confidence) {
  auto* state = static_cast<SinkState*>(context);
  uint32_t expected = state->pages_sent + 1;
  if (page_number != expected) {
    state->protocol_error = "sent page " + std::to_string(page_number) + " where page " +
                            std::to_string(expected) + " was due";
    return DOSSIER_INVALID_ARGUMENT;
  }
  if (source < DOSSIER_TEXT_LAYER || source > DOSSIER_TEXT_PLAIN) {
    state->protocol_error = "page " + std::to_string(page_number) + " has unknown text source " + std::to_string(source);
    return DOSSIER_INVALID_ARGUMENT;
  }
  try {
    PageText page;
    page.number = page_number;
    page.text = NormalizeText(std::string_view(text ? text : "", text ? text_len : 0));
    // Pages are separate records; a form feed inside one (Poppler ends each
    // page's text with one) would break `show --text`'s page separation.
    std::replace(page.text.begin(), page.text.end(), '\f', '\n');
    while (!page.text.empty() && page.text.back() == '\n') page.text.pop_back();
    page.source = static_cast<TextSource>(source);
    page.ocr_confidence = source == DOSSIER_TEXT_OCR ? std::clamp(ocr_confidence, 0.0f, 100.0f) : -1.0f;
    // Styles for lines the page has (its trailing line breaks are gone).
    page.line_styles = std::move(state->next_page_styles);
    state->next_page_styles.clear();
    ClipLineStyles(page.text, &page.line_styles);
    state->file.pages.push_back(std::move(page));
    ++state->pages_sent;
  } catch (const std::bad_alloc&) {
    return DOSSIER_RESOURCE_EXHAUSTED;
  }
  return DOSSIER_OK;
}

// The most pixels one page image may have (a 300 dpi A0 sheet is ~140 M).
constexpr uint64_t kMaxPageImagePixels = 200'000'000;

int32_t SinkAddPageImage(void* context, uint32_t page_number, const dossier_page_image* image) {
  auto* state = static_cast<SinkState*>(context);
  const std::string page = "page " + std::to_string(page_number);
  if (state->on_page_image == nullptr || !*state->on_page_image) {
    state->protocol_error = "sent " + page + " as an image, which this host did not offer";
    return DOSSIER_INVALID_ARGUMENT;
  }
  if (page_number != state->pages_sent + 1) {
    state->protocol_error = "sent " + page + " where page " + std::to_string(state->pages_sent + 1) + " was due";
    return DOSSIER_INVALID_ARGUMENT;
  }
  if (image == nullptr || image->pixels == nullptr || image->width == 0 || image->height == 0 ||
      (image->channels != 1 && image->channels != 3) || image->stride < uint64_t{image->width} * image->channels) {
    state->protocol_error = "sent " + page + " as an image with bad dimensions or layout";
    return DOSSIER_INVALID_ARGUMENT;
  }
  if (uint64_t{image->width} * image->height > kMaxPageImagePixels) {
    state->image_error = Status::ResourceExhausted(page + ": image of " + std::to_string(image->width) + "x" +
                                                   std::to_string(image->height) + " pixels is too large to OCR");
    return DOSSIER_RESOURCE_EXHAUSTED;
  }
  try {
    state->next_page_styles.clear();  // an image page's lines are set as its OCR finds them
    Status s = (*state->on_page_image)(page_number, *image);
    if (!s.ok()) {
      state->image_error = s;
      return DOSSIER_CANCELLED;
    }
    ++state->pages_sent;
  } catch (const std::bad_alloc&) {
    return DOSSIER_RESOURCE_EXHAUSTED;
  }
  return DOSSIER_OK;
}

void SinkWarn(void* context, uint32_t page_number, const char* message) {
  auto* state = static_cast<SinkState*>(context);
  std::string text = message ? message : "(no message)";
  state->file.warnings.push_back(page_number ? "page " + std::to_string(page_number) + ": " + text : text);
}

std::string ReadWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

// ---------------------------------------------------------------- LoadedPlugin

LoadedPlugin::LoadedPlugin(PluginManifest manifest, std::string library_path, void* dl_handle,
                           const dossier_plugin* api)
    : manifest_(std::move(manifest)), library_path_(std::move(library_path)), dl_handle_(dl_handle), api_(api) {}

LoadedPlugin::~LoadedPlugin() {
  if (dl_handle_) dlclose(dl_handle_);
}

void* LoadedPlugin::NewInstance(std::string_view options_json, Status* error) const {
  std::string options(options_json);
  char message[kErrorCapacity] = {0};
  dossier_error_buffer buffer{message, sizeof message};
  void* instance = api_->create_instance ? api_->create_instance(options.c_str(), &buffer) : nullptr;
  if (instance == nullptr) {
    message[sizeof message - 1] = 0;
    *error = Status::Internal("plugin " + manifest_.name + ": cannot create an instance: " +
                              (message[0] ? message : "no reason given"));
  }
  return instance;
}

Result<std::unique_ptr<IngestPluginInstance>> LoadedPlugin::CreateIngestInstance(std::string_view options_json) const {
  if (api_->kind != DOSSIER_PLUGIN_INGEST || api_->extract_pages == nullptr) {
    return Status::FailedPrecondition("plugin " + manifest_.name + " is not an ingestion plugin");
  }
  Status error;
  void* instance = NewInstance(options_json, &error);
  if (instance == nullptr) return error;
  return std::unique_ptr<IngestPluginInstance>(new IngestPluginInstance(this, instance));
}

Result<std::unique_ptr<ExtractorPluginInstance>> LoadedPlugin::CreateExtractorInstance(
    std::string_view options_json) const {
  if (api_->kind != DOSSIER_PLUGIN_EXTRACTOR || api_->extract_facts == nullptr) {
    return Status::FailedPrecondition("plugin " + manifest_.name + " is not an extractor plugin");
  }
  Status error;
  void* instance = NewInstance(options_json, &error);
  if (instance == nullptr) return error;
  return std::unique_ptr<ExtractorPluginInstance>(new ExtractorPluginInstance(this, instance));
}

// ---------------------------------------------------------------- ExtractorPluginInstance

namespace {
int32_t SinkAddFact(void* context, const char* json, size_t json_len) {
  auto* facts = static_cast<ExtractedFacts*>(context);
  std::string_view text(json ? json : "", json ? json_len : 0);
  if (text.empty() || text.front() != '{' || text.back() != '}') {
    facts->warnings.push_back("fact is not a JSON object: " + std::string(TruncateUtf8(text, 80)));
    return DOSSIER_INVALID_ARGUMENT;
  }
  // A fact of a kind the grammar (facts.h) knows must read as that kind; one
  // of another kind is kept as sent (its readers skip it).
  Result<Fact> fact = DecodeFact(text);
  if (!fact.ok() && !IsUnknownFactKind(fact.status())) {
    facts->warnings.push_back("fact refused: " + fact.status().message());
    return DOSSIER_INVALID_ARGUMENT;
  }
  facts->facts.emplace_back(text);
  return DOSSIER_OK;
}
}  // namespace

ExtractorPluginInstance::~ExtractorPluginInstance() {
  if (plugin_->api_->destroy_instance) plugin_->api_->destroy_instance(instance_);
}

Result<ExtractedFacts> ExtractorPluginInstance::Extract(const Document& document) {
  const std::string id = document.id.ToHex();
  const std::string source = document.sources.empty() ? id : document.sources.front().path;
  std::vector<dossier_page_view> pages;
  std::vector<dossier_page_styles> page_styles;
  std::vector<dossier_line_style> styles;
  pages.reserve(document.pages.size());
  page_styles.reserve(document.pages.size());
  size_t style_count = 0;
  for (const PageText& page : document.pages) style_count += page.line_styles.size();
  styles.reserve(style_count);  // no reallocation below: page_styles point into it
  for (const PageText& page : document.pages) {
    pages.push_back({page.number, static_cast<uint32_t>(page.source), page.text.data(), page.text.size()});
    page_styles.push_back({styles.data() + styles.size(), page.line_styles.size()});
    for (const LineStyle& s : page.line_styles) styles.push_back({s.first_line, s.line_count, s.size, s.flags});
  }
  dossier_document_view view{id.c_str(),
                             document.title.c_str(),
                             document.language.c_str(),
                             document.mime_type.c_str(),
                             document.metadata.created.c_str(),
                             source.c_str(),
                             pages.data(),
                             pages.size(),
                             page_styles.data()};
  ExtractedFacts facts;
  dossier_fact_sink sink{&facts, &SinkAddFact};
  char message[kErrorCapacity] = {0};
  dossier_error_buffer error{message, sizeof message};
  int32_t code = plugin_->api_->extract_facts(instance_, &view, &sink, &error);
  message[sizeof message - 1] = 0;
  if (code != DOSSIER_OK) {
    return Status(CodeFromAbi(code), source + ": extractor " + plugin_->manifest_.name + ": " +
                                         (message[0] ? message : "failed without a reason"));
  }
  return facts;
}

// ---------------------------------------------------------------- IngestPluginInstance

IngestPluginInstance::~IngestPluginInstance() {
  if (plugin_->api_->destroy_instance) plugin_->api_->destroy_instance(instance_);
}

Result<ExtractedFile> IngestPluginInstance::Extract(std::string_view display_name, std::string_view mime_type,
                                                    std::string_view content, const PageImageHandler& on_page_image) {
  std::string name(display_name), mime(mime_type);
  SinkState state;
  state.on_page_image = &on_page_image;
  dossier_page_sink sink{&state, &SinkSetMetadata, &SinkAddPage, &SinkWarn, &SinkAddPageImage, &SinkSetLineStyles};
  dossier_input input{name.c_str(), mime.c_str(), reinterpret_cast<const unsigned char*>(content.data()),
                      content.size()};
  char message[kErrorCapacity] = {0};
  dossier_error_buffer error{message, sizeof message};
  int32_t code = plugin_->api_->extract_pages(instance_, &input, &sink, &error);
  message[sizeof message - 1] = 0;
  if (!state.protocol_error.empty()) {
    return Status::Internal(name + ": plugin " + plugin_->manifest_.name + " " + state.protocol_error);
  }
  if (!state.image_error.ok()) return Status(state.image_error.code(), name + ": " + state.image_error.message());
  if (code != DOSSIER_OK) {
    return Status(CodeFromAbi(code), name + ": " + (message[0] ? message : "plugin " + plugin_->manifest_.name +
                                                                            " failed without a reason"));
  }
  return std::move(state.file);
}

// ---------------------------------------------------------------- OcrPluginInstance

namespace {
// The OCR sink's context: the page, and what the plugin did wrong.
struct OcrSinkState {
  RecognisedPage page;
  std::string protocol_error;
};
void OcrSetText(void* context, const char* text, size_t text_len, float confidence) {
  RecognisedPage* page = &static_cast<OcrSinkState*>(context)->page;
  page->text = NormalizeText(std::string_view(text ? text : "", text ? text_len : 0));
  std::replace(page->text.begin(), page->text.end(), '\f', '\n');
  while (!page->text.empty() && (page->text.back() == '\n' || page->text.back() == ' ')) page->text.pop_back();
  page->mean_confidence = std::clamp(confidence, 0.0f, 100.0f);
}
void OcrNote(void* context, const char* message) {
  if (message) static_cast<OcrSinkState*>(context)->page.notes.emplace_back(message);
}
int32_t OcrSetLineStyles(void* context, const dossier_line_style* styles, size_t count) {
  auto* state = static_cast<OcrSinkState*>(context);
  try {
    state->protocol_error = TakeLineStyles(styles, count, &state->page.line_styles);
  } catch (const std::bad_alloc&) {
    return DOSSIER_RESOURCE_EXHAUSTED;
  }
  return state->protocol_error.empty() ? DOSSIER_OK : DOSSIER_INVALID_ARGUMENT;
}
}  // namespace

OcrPluginInstance::~OcrPluginInstance() {
  if (plugin_->api_->destroy_instance) plugin_->api_->destroy_instance(instance_);
}

Result<RecognisedPage> OcrPluginInstance::Recognise(const dossier_page_image& image) {
  OcrSinkState state;
  dossier_ocr_sink sink{&state, &OcrSetText, &OcrNote, &OcrSetLineStyles};
  char message[kErrorCapacity] = {0};
  dossier_error_buffer error{message, sizeof message};
  int32_t code = plugin_->api_->recognise_page(instance_, &image, &sink, &error);
  message[sizeof message - 1] = 0;
  if (!state.protocol_error.empty()) {
    return Status::Internal("OCR (" + plugin_->manifest_.name + "): plugin " + state.protocol_error);
  }
  if (code != DOSSIER_OK) {
    return Status(CodeFromAbi(code),
                  "OCR (" + plugin_->manifest_.name + "): " + (message[0] ? message : "failed without a reason"));
  }
  ClipLineStyles(state.page.text, &state.page.line_styles);
  return std::move(state.page);
}

bool LoadedPlugin::CanRecognisePages() const {
  return api_->kind == DOSSIER_PLUGIN_INGEST &&
         api_->struct_size >= offsetof(dossier_plugin, recognise_page) + sizeof(void*) &&
         api_->recognise_page != nullptr;
}

Result<std::unique_ptr<OcrPluginInstance>> LoadedPlugin::CreateOcrInstance(std::string_view options_json) const {
  if (!CanRecognisePages()) return Status::FailedPrecondition("plugin " + manifest_.name + " cannot read page images");
  Status error;
  void* instance = NewInstance(options_json, &error);
  if (instance == nullptr) return error;
  return std::unique_ptr<OcrPluginInstance>(new OcrPluginInstance(this, instance));
}

// ---------------------------------------------------------------- PluginHost

std::unique_ptr<PluginHost> PluginHost::LoadDirectory(const std::string& plugin_dir) {
  // OCR runs one page per worker thread; Tesseract's own OpenMP threads
  // would oversubscribe the cores (4x slower on two). libgomp reads this when
  // it is loaded, i.e. at the dlopen below, so it is set first.
  setenv("OMP_THREAD_LIMIT", "1", /*overwrite=*/0);
  auto host = std::make_unique<PluginHost>();
  host->plugin_dir_ = plugin_dir;
  std::vector<fs::path> manifests;
  std::error_code ec;
  for (fs::directory_iterator it(plugin_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > 12 && name.ends_with(".plugin.json")) manifests.push_back(it->path());
  }
  if (ec) {
    PluginLoadReport report;
    report.manifest_path = plugin_dir;
    report.error = "cannot read plugin directory: " + ec.message();
    host->reports_.push_back(std::move(report));
    return host;
  }
  std::sort(manifests.begin(), manifests.end());

  for (const fs::path& manifest_path : manifests) {
    PluginLoadReport report;
    report.manifest_path = manifest_path.string();
    auto refuse = [&](std::string why) {
      report.error = std::move(why);
      host->reports_.push_back(report);
    };
    Result<PluginManifest> parsed = ParsePluginManifest(ReadWholeFile(manifest_path), manifest_path.string());
    if (!parsed.ok()) {
      refuse(parsed.status().message());
      continue;
    }
    PluginManifest manifest = std::move(parsed).value();
    report.name = manifest.name;
    report.version = manifest.version;
    report.kind = manifest.kind;
    report.mime_types = manifest.mime_types;
    report.library_path = (manifest_path.parent_path() / manifest.library).string();
    if (manifest.abi_version != DOSSIER_PLUGIN_ABI_VERSION) {
      refuse("manifest declares plugin ABI version " + std::to_string(manifest.abi_version) + ", this host speaks " +
             std::to_string(DOSSIER_PLUGIN_ABI_VERSION));
      continue;
    }
    auto same_name = std::find_if(host->plugins_.begin(), host->plugins_.end(),
                                  [&](const auto& p) { return p->manifest().name == manifest.name; });
    if (same_name != host->plugins_.end()) {
      refuse("a plugin named '" + manifest.name + "' is already loaded from " + (*same_name)->library_path());
      continue;
    }
    dlerror();
    void* handle = dlopen(report.library_path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = dlerror();
      refuse(std::string("cannot load library: ") + (why ? why : "unknown dlopen error"));
      continue;
    }
    auto entry = reinterpret_cast<dossier_plugin_entry_fn>(dlsym(handle, DOSSIER_PLUGIN_ENTRY_SYMBOL));
    const dossier_plugin* api = entry ? entry() : nullptr;
    std::string problem;
    if (entry == nullptr) {
      problem = std::string("library does not export ") + DOSSIER_PLUGIN_ENTRY_SYMBOL;
    } else if (api == nullptr) {
      problem = std::string(DOSSIER_PLUGIN_ENTRY_SYMBOL) + " returned null";
    } else if (api->abi_version != DOSSIER_PLUGIN_ABI_VERSION) {
      problem = "library was built for plugin ABI version " + std::to_string(api->abi_version) +
                ", this host speaks " + std::to_string(DOSSIER_PLUGIN_ABI_VERSION);
    } else if (api->struct_size < DOSSIER_PLUGIN_BASE_SIZE) {
      problem = "library's plugin struct is " + std::to_string(api->struct_size) + " bytes, expected at least " +
                std::to_string(DOSSIER_PLUGIN_BASE_SIZE);
    } else if (api->name == nullptr || manifest.name != api->name) {
      problem = "library calls itself '" + std::string(api->name ? api->name : "") + "', manifest says '" +
                manifest.name + "'";
    } else if (api->version == nullptr || manifest.version != api->version) {
      problem = "library version '" + std::string(api->version ? api->version : "") + "' differs from manifest's '" +
                manifest.version + "'";
    } else if ((manifest.kind == "ingest") != (api->kind == DOSSIER_PLUGIN_INGEST)) {
      problem = "library kind " + std::to_string(api->kind) + " differs from manifest's '" + manifest.kind + "'";
    } else if (api->kind == DOSSIER_PLUGIN_INGEST && (api->extract_pages == nullptr || api->create_instance == nullptr)) {
      problem = "ingestion plugin lacks create_instance or extract_pages";
    } else if (api->kind == DOSSIER_PLUGIN_EXTRACTOR && (api->extract_facts == nullptr || api->create_instance == nullptr)) {
      problem = "extractor plugin lacks create_instance or extract_facts";
    }
    if (!problem.empty()) {
      dlclose(handle);
      refuse(problem);
      continue;
    }
    report.loaded = true;
    host->reports_.push_back(report);
    host->plugins_.push_back(std::make_unique<LoadedPlugin>(std::move(manifest), report.library_path, handle, api));
  }
  return host;
}

const LoadedPlugin* PluginHost::FindOcrPlugin() const {
  for (const auto& plugin : plugins_) {
    if (plugin->CanRecognisePages()) return plugin.get();
  }
  return nullptr;
}

std::vector<const LoadedPlugin*> PluginHost::Extractors() const {
  std::vector<const LoadedPlugin*> out;
  for (const auto& plugin : plugins_) {
    if (plugin->manifest().kind == "extractor") out.push_back(plugin.get());
  }
  return out;
}

const LoadedPlugin* PluginHost::FindIngestPlugin(std::string_view mime_type) const {
  std::string type_wildcard;
  if (size_t slash = mime_type.find('/'); slash != std::string_view::npos) {
    type_wildcard = std::string(mime_type.substr(0, slash)) + "/*";
  }
  for (const std::string& wanted : {std::string(mime_type), type_wildcard, std::string("*/*")}) {
    if (wanted.empty()) continue;
    for (const auto& plugin : plugins_) {
      if (plugin->manifest().kind != "ingest") continue;
      const auto& types = plugin->manifest().mime_types;
      if (std::find(types.begin(), types.end(), wanted) != types.end()) return plugin.get();
    }
  }
  return nullptr;
}

}  // namespace dossier
