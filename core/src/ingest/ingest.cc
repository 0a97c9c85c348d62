// The ingester: files and folders in, documents in the store out.
#include "dossier/ingest.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "dossier/graph.h"
#include "dossier/paths.h"
#include "ocr_pool.h"

namespace dossier {

namespace fs = std::filesystem;

std::string_view FileOutcomeName(FileOutcome outcome) {
  switch (outcome) {
    case FileOutcome::kIngested: return "ingested";
    case FileOutcome::kUnchanged: return "unchanged";
    case FileOutcome::kSkipped: return "skipped";
    case FileOutcome::kFailed: return "failed";
  }
  return "failed";
}

namespace {

// Collapses runs of white space and trims; strips markdown emphasis and heading marks.
std::string CleanLine(std::string_view line) {
  std::string out;
  bool space = false;
  for (char c : line) {
    if (c == '*' || c == '#' || c == '_') continue;
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// The first line of text that reads like a title: at least two letters. A
// bare label in capitals ("MANAGEMENT RESPONSE") takes the line after it as
// well, unless that one is a field ("To: …", "Date: …") or a sentence.
std::string FirstTextLine(const std::vector<PageText>& pages) {
  std::vector<std::string> lines;
  for (const PageText& page : pages) {
    size_t start = 0;
    while (start < page.text.size() && lines.size() < 2) {
      size_t end = page.text.find('\n', start);
      if (end == std::string::npos) end = page.text.size();
      std::string line = CleanLine(std::string_view(page.text).substr(start, end - start));
      int letters = 0;
      for (unsigned char c : line) letters += std::isalpha(c) || c >= 0x80;
      if (letters >= 2) lines.push_back(line);
      start = end + 1;
    }
    if (lines.size() >= 2) break;
  }
  if (lines.empty()) return "";
  std::string title = lines[0];
  const size_t words = 1 + std::count(title.begin(), title.end(), ' ');
  const bool label = words <= 4 && std::none_of(title.begin(), title.end(), [](unsigned char c) { return std::islower(c); });
  if (label && lines.size() > 1) {
    const std::string& next = lines[1];
    const size_t colon = next.find(':');
    const bool sentence = !next.empty() && next.back() == '.';
    if ((colon == std::string::npos || colon > 20) && !sentence && next.size() <= 160) title += ": " + next;
  }
  if (title.size() > 200) {
    size_t cut = 200;
    while (cut > 0 && (static_cast<unsigned char>(title[cut]) & 0xC0) == 0x80) --cut;
    title = title.substr(0, cut) + "…";
  }
  return title;
}

// A metadata title worth showing: words, not a file name or a placeholder
// ("report_v3.docx", "Microsoft Word - x.doc", "untitled").
bool IsUsefulTitle(const std::string& title) {
  if (title.find(' ') == std::string::npos) return false;
  std::string lower;
  for (char c : title) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (std::string_view junk : {"microsoft word - ", "untitled", ".doc", ".pdf", ".rtf", ".odt"}) {
    if (lower.find(junk) != std::string::npos) return false;
  }
  int letters = 0;
  for (unsigned char c : title) letters += std::isalpha(c) || c >= 0x80;
  return letters >= 3;
}

std::string LowerExtension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

// Strips a leading "<path>: " that plugin messages carry, for the report.
std::string Reason(const Status& status, const std::string& path) {
  const std::string& message = status.message();
  if (message.rfind(path + ": ", 0) == 0) return message.substr(path.size() + 2);
  return message;
}

}  // namespace

Ingester::Ingester(Store* store, const PluginHost* plugins, const LanguageDetector* languages,
                   const MimeDetector* mime, Env* env)
    : store_(store), plugins_(plugins), languages_(languages), mime_(mime), env_(env) {}

Ingester::~Ingester() = default;

bool Ingester::PendingFile::Ready() const {
  for (const auto& [number, page] : ocr_pages) {
    if (page.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
  }
  return true;
}

OcrPool* Ingester::Ocr(const IngestOptions& options) {
  if (ocr_pool_ || !options.ocr) return ocr_pool_.get();
  const LoadedPlugin* plugin = plugins_->FindOcrPlugin();
  if (plugin == nullptr) return nullptr;
  unsigned workers = options.ocr_workers ? options.ocr_workers : std::max(1u, std::thread::hardware_concurrency());
  nlohmann::json ocr_options = {{"languages", options.ocr_languages}};
  // Two pages per worker may wait: enough to keep the workers fed while the
  // next page renders, few enough to bound memory (a 300 dpi page is ~9 MB).
  ocr_pool_ = std::make_unique<OcrPool>(plugin, ocr_options.dump(), workers, 2 * size_t{workers});
  return ocr_pool_.get();
}

Status Ingester::Drain(bool all, const IngestOptions& options, IngestSummary* summary) {
  // A few files may wait for their OCR pages while the next ones are read,
  // so the OCR workers are never idle between documents.
  const size_t max_waiting = ocr_pool_ ? 2 * size_t{ocr_pool_->workers()} : 1;
  while (!pending_.empty() && (all || pending_.size() > max_waiting || pending_.front().Ready())) {
    PendingFile file = std::move(pending_.front());
    pending_.pop_front();
    FileResult result = FinishFile(std::move(file));
    if (!store_error_.ok()) return store_error_;
    if (result.outcome == FileOutcome::kIngested && ++unflushed_ >= options.flush_every_documents) {
      DOSSIER_RETURN_IF_ERROR(store_->Flush());
      unflushed_ = 0;
    }
    Report(std::move(result), options, summary);
  }
  return Status::Ok();
}

Result<IngestSummary> Ingester::Ingest(const std::vector<std::string>& paths, const IngestOptions& options) {
  auto started = std::chrono::steady_clock::now();
  IngestSummary summary;
  for (const std::string& path : paths) {
    DOSSIER_RETURN_IF_ERROR(Walk(AbsolutePath(path), /*explicitly_named=*/true, options, &summary));
  }
  DOSSIER_RETURN_IF_ERROR(Drain(/*all=*/true, options, &summary));
  DOSSIER_RETURN_IF_ERROR(store_->Flush());
  unflushed_ = 0;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

void Ingester::Report(FileResult result, const IngestOptions& options, IngestSummary* summary) {
  ++summary->files;
  switch (result.outcome) {
    case FileOutcome::kIngested:
      ++summary->ingested;
      summary->pages += result.pages;
      summary->ocr_pages += result.ocr_pages;
      break;
    case FileOutcome::kUnchanged: ++summary->unchanged; break;
    case FileOutcome::kSkipped: ++summary->skipped; break;
    case FileOutcome::kFailed: ++summary->failed; break;
  }
  if (options.on_file) options.on_file(result);
}

Status Ingester::Walk(const std::string& path, bool explicitly_named, const IngestOptions& options,
                      IngestSummary* summary) {
  auto fail = [&](std::string reason) {
    FileResult r;
    r.path = path;
    r.outcome = FileOutcome::kFailed;
    r.message = std::move(reason);
    Report(std::move(r), options, summary);
    return Status::Ok();
  };
  FileInfo info;
  if (Status s = env_->Stat(path, &info); !s.ok()) return fail(Reason(s, path));
  if (info.type == FileInfo::Type::kSymlink) {
    std::error_code ec;
    fs::file_status target = fs::status(path, ec);
    if (ec || !fs::exists(target)) return fail("broken symbolic link");
    if (fs::is_directory(target) && !explicitly_named) {
      FileResult r{path, FileOutcome::kSkipped};
      r.message = "symbolic link to a folder, not followed (name it explicitly to ingest it)";
      Report(std::move(r), options, summary);
      return Status::Ok();
    }
    info.type = fs::is_directory(target) ? FileInfo::Type::kDirectory
                : fs::is_regular_file(target) ? FileInfo::Type::kRegular
                                              : FileInfo::Type::kOther;
    info.size = fs::is_regular_file(target) ? fs::file_size(path, ec) : 0;
  }
  if (info.type == FileInfo::Type::kDirectory) {
    std::vector<std::string> names;
    if (Status s = env_->ListDirectory(path, &names); !s.ok()) return fail(Reason(s, path));
    for (const std::string& name : names) {
      DOSSIER_RETURN_IF_ERROR(Walk((fs::path(path) / name).string(), false, options, summary));
    }
    return Status::Ok();
  }
  if (info.type != FileInfo::Type::kRegular) {
    if (!explicitly_named) return Status::Ok();  // sockets, fifos, devices in a folder walk
    return fail("not a regular file");
  }
  pending_.push_back(PrepareFile(path, info, options, summary));
  if (!store_error_.ok()) return store_error_;
  return Drain(/*all=*/false, options, summary);
}

Ingester::PendingFile Ingester::PrepareFile(const std::string& path, const FileInfo& info,
                                            const IngestOptions& options, IngestSummary* summary) {
  PendingFile pending;
  pending.info = info;
  FileResult& result = pending.result;
  result.path = path;
  result.outcome = FileOutcome::kFailed;
  auto failed = [&](std::string reason) {
    result.outcome = FileOutcome::kFailed;
    result.message = std::move(reason);
    if (Status s = store_->RecordFailure(path, info.size, info.mtime_ns, result.message); !s.ok()) store_error_ = s;
    return std::move(pending);
  };
  auto done = [&]() { return std::move(pending); };
  if (info.size == 0) return failed("empty file (0 bytes)");

  // Unchanged since last time: same path, size and mtime, document still there.
  Result<std::optional<SourceEntry>> known = store_->LookupSource(path);
  if (!known.ok()) {
    store_error_ = known.status();
    return done();
  }
  if (*known && (*known)->size == info.size && (*known)->mtime_ns == info.mtime_ns) {
    Result<std::optional<DocumentSummary>> doc = store_->GetDocument((*known)->id);
    if (doc.ok() && *doc) {
      result.outcome = FileOutcome::kUnchanged;
      result.id = (*known)->id;
      result.mime_type = (*doc)->mime_type;
      result.pages = (*doc)->page_count;
      return done();
    }
  }

  std::string content;
  if (Status s = env_->ReadFile(path, options.max_file_bytes, &content); !s.ok()) return failed(Reason(s, path));
  if (content.empty()) return failed("empty file (0 bytes)");
  const DocumentId id = DocumentId::FromHex(Sha256Hex(content).substr(0, DocumentId::kSize * 2)).value();
  result.id = id;
  const SourceFile source{path, content.size(), info.mtime_ns};

  // The same content may be on its way in under another path: store that
  // first, so this one is recognised as a duplicate.
  for (const PendingFile& other : pending_) {
    if (other.needs_store && other.doc.id == id) {
      if (Status s = Drain(/*all=*/true, options, summary); !s.ok()) store_error_ = s;
      if (!store_error_.ok()) return done();
      break;
    }
  }

  // Same content already stored (this path touched, or another path: a duplicate).
  Result<std::optional<DocumentSummary>> existing = store_->GetDocument(id);
  if (!existing.ok()) {
    store_error_ = existing.status();
    return done();
  }
  if (*existing) {
    const DocumentSummary& doc = **existing;
    if (Status s = store_->AddSource(id, source); !s.ok()) {
      store_error_ = s;
      return done();
    }
    result.outcome = FileOutcome::kUnchanged;
    result.mime_type = doc.mime_type;
    result.pages = doc.page_count;
    for (const SourceFile& other : doc.sources) {
      if (other.path != path) {
        result.message = "same content as " + other.path;
        break;
      }
    }
    (void)store_->ClearFailure(path);
    return done();
  }

  result.mime_type = mime_->Detect(content, path);
  const LoadedPlugin* plugin = plugins_->FindIngestPlugin(result.mime_type);
  if (plugin == nullptr) {
    // A name that promises a type we handle, with content that is not it, is
    // an error; any other unhandled type is merely skipped.
    const std::string ext = LowerExtension(path);
    for (const auto& p : plugins_->plugins()) {
      const auto& exts = p->manifest().extensions;
      if (!ext.empty() && std::find(exts.begin(), exts.end(), ext) != exts.end()) {
        return failed("not a valid " + ext.substr(1) + " file: content is " + result.mime_type);
      }
    }
    result.outcome = FileOutcome::kSkipped;
    result.message = "no plugin handles " + result.mime_type;
    return done();
  }
  if (!options.ocr && plugin->CanRecognisePages()) {
    result.outcome = FileOutcome::kSkipped;
    result.message = result.mime_type + " needs OCR, which is turned off";
    return done();
  }
  OcrPool* ocr = Ocr(options);
  auto& instance = instances_[plugin];
  if (!instance) {
    // Plugins may send pages as pixels only when an OCR plugin can read them.
    nlohmann::json plugin_options = {{"page_images", ocr != nullptr}, {"languages", options.ocr_languages}};
    Result<std::unique_ptr<IngestPluginInstance>> created = plugin->CreateIngestInstance(plugin_options.dump());
    if (!created.ok()) return failed(created.status().message());
    instance = std::move(created).value();
  }
  PageImageHandler on_page_image;
  if (ocr != nullptr) {
    on_page_image = [&](uint32_t number, const dossier_page_image& image) -> Status {
      pending.ocr_pages.emplace_back(number, ocr->Submit(image));
      return Status::Ok();
    };
  }
  Result<ExtractedFile> extracted = instance->Extract(path, result.mime_type, content, on_page_image);
  if (!extracted.ok()) {
    for (auto& [number, page] : pending.ocr_pages) page.wait();  // the workers still hold these pages
    pending.ocr_pages.clear();
    return failed(Reason(extracted.status(), path));
  }

  Document& doc = pending.doc;
  doc.id = id;
  doc.mime_type = result.mime_type;
  doc.size_bytes = content.size();
  doc.sources = {source};
  doc.metadata = std::move(extracted->metadata);
  doc.pages = std::move(extracted->pages);
  doc.extracted_by = plugin->NameAndVersion();
  doc.ingested_at_ms = env_->NowMs();
  result.warnings = std::move(extracted->warnings);
  if (!pending.ocr_pages.empty()) doc.extracted_by += " + " + plugins_->FindOcrPlugin()->NameAndVersion();
  pending.needs_store = true;
  return done();
}

FileResult Ingester::FinishFile(PendingFile pending) {
  FileResult& result = pending.result;
  if (!pending.needs_store) return std::move(result);
  Document& doc = pending.doc;
  const std::string& path = result.path;
  auto failed = [&](std::string reason) {
    result.outcome = FileOutcome::kFailed;
    result.message = std::move(reason);
    if (Status s = store_->RecordFailure(path, pending.info.size, pending.info.mtime_ns, result.message); !s.ok()) {
      store_error_ = s;
    }
    return std::move(result);
  };
  // OCR'd pages join the text pages in page order.
  uint32_t ocr_failures = 0;
  for (auto& [number, future] : pending.ocr_pages) {
    Result<RecognisedPage> recognised = future.get();
    PageText page;
    page.number = number;
    page.source = TextSource::kOcr;
    if (recognised.ok()) {
      page.text = std::move(recognised->text);
      page.ocr_confidence = recognised->mean_confidence;
      ++result.ocr_pages;
    } else {
      ++ocr_failures;
      page.ocr_confidence = 0;
      result.warnings.push_back("page " + std::to_string(number) + ": " + recognised.status().message() +
                                "; the page is indexed as empty");
    }
    doc.pages.push_back(std::move(page));
  }
  if (!pending.ocr_pages.empty()) {
    std::sort(doc.pages.begin(), doc.pages.end(),
              [](const PageText& a, const PageText& b) { return a.number < b.number; });
    if (ocr_failures == pending.ocr_pages.size() && ocr_failures == doc.pages.size()) {
      return failed("OCR failed on every page: " + result.warnings.back());
    }
  }
  std::string sample;
  size_t text_bytes = 0;
  for (const PageText& page : doc.pages) {
    text_bytes += page.text.size();
    if (sample.size() < 16 * 1024) sample.append(page.text).push_back('\n');
  }
  doc.language = languages_->Detect(sample);
  doc.title = IsUsefulTitle(doc.metadata.title) ? CleanLine(doc.metadata.title) : FirstTextLine(doc.pages);
  if (IsUsefulTitle(doc.metadata.title) && std::count(doc.title.begin(), doc.title.end(), ' ') < 3) {
    // A short metadata title ("Management response") that the text's own
    // heading spells out in full ("MANAGEMENT RESPONSE: Evaluation of …").
    std::string from_text = FirstTextLine(doc.pages);
    if (from_text.size() > doc.title.size() && NameKey(from_text).rfind(NameKey(doc.title), 0) == 0) doc.title = from_text;
  }
  if (doc.title.empty()) doc.title = fs::path(path).filename().string();
  for (const LoadedPlugin* extractor : plugins_->Extractors()) {
    auto& instance = extractor_instances_[extractor];
    if (!instance) {
      Result<std::unique_ptr<ExtractorPluginInstance>> created = extractor->CreateExtractorInstance();
      if (!created.ok()) {
        result.warnings.push_back(created.status().message());
        continue;
      }
      instance = std::move(created).value();
    }
    Result<ExtractedFacts> facts = instance->Extract(doc);
    if (!facts.ok()) {
      result.warnings.push_back(Reason(facts.status(), path));  // the text is still stored and searchable
      continue;
    }
    for (std::string& w : facts->warnings) result.warnings.push_back("extractor " + extractor->manifest().name + ": " + w);
    for (std::string& fact : facts->facts) doc.facts.push_back(std::move(fact));
    doc.extractors.push_back(extractor->NameAndVersion());
  }
  if (text_bytes == 0) {
    result.warnings.push_back("no text found in " + std::to_string(doc.pages.size()) + " page(s)" +
                              (ocr_pool_ ? "" : ": scanned pages need the ocr plugin (see `dossier plugins`)"));
  }
  if (Status s = store_->PutDocument(doc); !s.ok()) {
    store_error_ = s;
    return std::move(result);
  }
  (void)store_->ClearFailure(path);
  result.outcome = FileOutcome::kIngested;
  result.pages = static_cast<uint32_t>(doc.pages.size());
  return std::move(result);
}

}  // namespace dossier
