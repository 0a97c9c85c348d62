// The ingester: files and folders in, documents in the store out.
#include "dossier/ingest.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "dossier/paths.h"

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

// The first line of text that reads like a title: at least two letters.
std::string FirstTextLine(const std::vector<PageText>& pages) {
  for (const PageText& page : pages) {
    size_t start = 0;
    while (start < page.text.size()) {
      size_t end = page.text.find('\n', start);
      if (end == std::string::npos) end = page.text.size();
      std::string line = CleanLine(std::string_view(page.text).substr(start, end - start));
      int letters = 0;
      for (unsigned char c : line) letters += std::isalpha(c) || c >= 0x80;
      if (letters >= 2) {
        if (line.size() > 200) {
          size_t cut = 200;
          while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
          line = line.substr(0, cut) + "…";
        }
        return line;
      }
      start = end + 1;
    }
  }
  return "";
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

Result<IngestSummary> Ingester::Ingest(const std::vector<std::string>& paths, const IngestOptions& options) {
  auto started = std::chrono::steady_clock::now();
  IngestSummary summary;
  for (const std::string& path : paths) {
    DOSSIER_RETURN_IF_ERROR(Walk(AbsolutePath(path), /*explicitly_named=*/true, options, &summary));
  }
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
  FileResult result = IngestFile(path, info, options);
  if (result.outcome == FileOutcome::kIngested && ++unflushed_ >= options.flush_every_documents) {
    DOSSIER_RETURN_IF_ERROR(store_->Flush());
    unflushed_ = 0;
  }
  if (!store_error_.ok()) return store_error_;
  Report(std::move(result), options, summary);
  return Status::Ok();
}

FileResult Ingester::IngestFile(const std::string& path, const FileInfo& info, const IngestOptions& options) {
  FileResult result;
  result.path = path;
  result.outcome = FileOutcome::kFailed;
  auto failed = [&](std::string reason) {
    result.outcome = FileOutcome::kFailed;
    result.message = std::move(reason);
    if (Status s = store_->RecordFailure(path, info.size, info.mtime_ns, result.message); !s.ok()) store_error_ = s;
    return result;
  };
  if (info.size == 0) return failed("empty file (0 bytes)");

  // Unchanged since last time: same path, size and mtime, document still there.
  Result<std::optional<SourceEntry>> known = store_->LookupSource(path);
  if (!known.ok()) {
    store_error_ = known.status();
    return result;
  }
  if (*known && (*known)->size == info.size && (*known)->mtime_ns == info.mtime_ns) {
    Result<std::optional<DocumentSummary>> doc = store_->GetDocument((*known)->id);
    if (doc.ok() && *doc) {
      result.outcome = FileOutcome::kUnchanged;
      result.id = (*known)->id;
      result.mime_type = (*doc)->mime_type;
      result.pages = (*doc)->page_count;
      return result;
    }
  }

  std::string content;
  if (Status s = env_->ReadFile(path, options.max_file_bytes, &content); !s.ok()) return failed(Reason(s, path));
  if (content.empty()) return failed("empty file (0 bytes)");
  const DocumentId id = DocumentId::FromHex(Sha256Hex(content).substr(0, DocumentId::kSize * 2)).value();
  result.id = id;
  const SourceFile source{path, content.size(), info.mtime_ns};

  // Same content already stored (this path touched, or another path: a duplicate).
  Result<std::optional<DocumentSummary>> existing = store_->GetDocument(id);
  if (!existing.ok()) {
    store_error_ = existing.status();
    return result;
  }
  if (*existing) {
    const DocumentSummary& doc = **existing;
    if (Status s = store_->AddSource(id, source); !s.ok()) {
      store_error_ = s;
      return result;
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
    return result;
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
    return result;
  }
  auto& instance = instances_[plugin];
  if (!instance) {
    Result<std::unique_ptr<IngestPluginInstance>> created = plugin->CreateIngestInstance();
    if (!created.ok()) return failed(created.status().message());
    instance = std::move(created).value();
  }
  Result<ExtractedFile> extracted = instance->Extract(path, result.mime_type, content);
  if (!extracted.ok()) return failed(Reason(extracted.status(), path));

  Document doc;
  doc.id = id;
  doc.mime_type = result.mime_type;
  doc.size_bytes = content.size();
  doc.sources = {source};
  doc.metadata = std::move(extracted->metadata);
  doc.pages = std::move(extracted->pages);
  doc.extracted_by = plugin->NameAndVersion();
  doc.ingested_at_ms = env_->NowMs();
  result.warnings = std::move(extracted->warnings);
  std::string sample;
  size_t text_bytes = 0;
  for (const PageText& page : doc.pages) {
    text_bytes += page.text.size();
    if (sample.size() < 16 * 1024) sample.append(page.text).push_back('\n');
  }
  doc.language = languages_->Detect(sample);
  doc.title = IsUsefulTitle(doc.metadata.title) ? CleanLine(doc.metadata.title) : FirstTextLine(doc.pages);
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
    result.warnings.push_back("no text found in " + std::to_string(doc.pages.size()) +
                              " page(s): scanned pages need an OCR plugin");
  }
  if (Status s = store_->PutDocument(doc); !s.ok()) {
    store_error_ = s;
    return result;
  }
  (void)store_->ClearFailure(path);
  result.outcome = FileOutcome::kIngested;
  result.pages = static_cast<uint32_t>(doc.pages.size());
  return result;
}

}  // namespace dossier
