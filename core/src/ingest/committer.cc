// The committer (committer.h): documents stored in the order their files
// were offered, failures recorded, duplicates released, the report.
#include "committer.h"

#include <filesystem>

#include "discovery.h"

#include "dossier/facts.h"
#include "dossier/text.h"
#include "dossier/title_date.h"

namespace dossier {

namespace fs = std::filesystem;

namespace {

// The title and date from the document itself (title_date.h).
void ChooseTitleAndDate(Document* doc, const std::string& file_name) {
  const TitleChoice title = ChooseTitle(doc->pages, ParseTypesetLines(doc->metadata.typeset_lines), doc->metadata.title, file_name);
  doc->title = title.title;
  doc->title_source = title.source;
  doc->metadata.typeset_lines.clear();
  const DateChoice date = ChooseDate(doc->pages, doc->metadata.created, doc->title);
  doc->date = date.value;
  doc->date_source = date.source;
}

// The document's date as the one `document_date` fact the graph, the text
// index and the export read, in place of an extractor's own guess.
void SetDocumentDateFact(Document* doc) {
  std::vector<std::string> kept;
  for (std::string& encoded : doc->facts) {
    if (encoded.find("document_date") != std::string::npos) {
      Result<Fact> fact = DecodeFact(encoded);
      if (fact.ok() && std::holds_alternative<DocumentDateFact>(*fact)) continue;
    }
    kept.push_back(std::move(encoded));
  }
  if (!doc->date.empty()) kept.push_back(EncodeFact(DocumentDateFact{doc->date}));
  doc->facts = std::move(kept);
}

}  // namespace

void Committer::Run(TaskQueue* queue) {
  Task task;
  // An exception (a library's, or a bug) would end the process from this
  // thread: it ends the run instead, as a failed write does.
  auto guarded = [this](auto&& step) {
    try {
      step();
    } catch (const std::exception& e) {
      failure_->Set(Status::Internal(store_->data_dir() + ": storing: unexpected error: " + e.what()));
    } catch (...) {
      failure_->Set(Status::Internal(store_->data_dir() + ": storing: unexpected error"));
    }
  };
  while (queue->Pop(&task)) {
    if (!failure_->Get().ok()) continue;  // drain, so the dispatcher never blocks
    guarded([&] { Commit(task); });
  }
  if (failure_->Get().ok()) {
    guarded([&] {
      if (Status s = store_->Flush(); !s.ok()) failure_->Set(s);
    });
  }
}

void Committer::Progress() {
  if (!options_.on_progress) return;
  progress_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  progress_.discovered = discovered_ ? discovered_() : 0;
  options_.on_progress(progress_);
}

void Committer::Commit(Task& task) {
  switch (task.kind) {
    case Task::kProgress: return Progress();
    case Task::kReport: return Report(std::move(task.result), task.extracted);
    case Task::kFailure: {
      const SourceFile& f = task.source;
      if (Status s = store_->RecordFailure(f.path, f.size, f.mtime_ns, task.result.message); !s.ok()) return failure_->Set(s);
      if (task.result.id) ReleaseDuplicates(*task.result.id, &task.result);
      return Report(std::move(task.result), task.extracted);
    }
    case Task::kAddSource: {
      if (Status s = store_->AddSource(*task.result.id, task.source); !s.ok()) return failure_->Set(s);
      (void)store_->ClearFailure(task.source.path);
      return Report(std::move(task.result), false);
    }
    case Task::kStore: return StoreDocument(task);
  }
}

void Committer::StoreDocument(Task& task) {
  FileResult& result = task.result;
  Document& doc = task.doc;
  const std::string& path = result.path;
  std::string sample;
  size_t text_bytes = 0;
  for (const PageText& page : doc.pages) {
    text_bytes += page.text.size();
    if (page.source == TextSource::kOcr) ++result.ocr_pages;
    if (sample.size() < 16 * 1024) sample.append(page.text).push_back('\n');
  }
  doc.language = languages_->Detect(sample);
  ChooseTitleAndDate(&doc, fs::path(path).filename().string());
  for (const LoadedPlugin* extractor : plugins_->Extractors()) {
    auto& instance = extractors_[extractor];
    if (!instance) {
      Result<std::unique_ptr<ExtractorPluginInstance>> created =
          extractor->CreateExtractorInstance(R"({"line_styles":true})");
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
  SetDocumentDateFact(&doc);
  if (text_bytes == 0) {
    const char* why = !options_.ocr                          ? ": OCR is off (--no-ocr), so scanned pages stay empty"
                      : plugins_->FindOcrPlugin() == nullptr ? ": scanned pages need the ocr plugin (see `dossier plugins`)"
                                                             : "";
    result.warnings.push_back("no text found in " + std::to_string(doc.pages.size()) + " page(s)" + why);
  }
  // Strictly increasing in the order documents are stored, so that the order
  // can be told from the records (check --repair enters the graph again in it).
  doc.ingested_at_ms = std::max(doc.ingested_at_ms, last_stored_ms_ + 1);
  last_stored_ms_ = doc.ingested_at_ms;
  if (Status s = store_->PutDocument(doc); !s.ok()) return failure_->Set(s);
  (void)store_->ClearFailure(path);
  result.outcome = FileOutcome::kIngested;
  result.pages = static_cast<uint32_t>(doc.pages.size());
  const DocumentId id = doc.id;
  Report(std::move(result), true);
  ReleaseDuplicates(id, nullptr);
  if (++unflushed_ >= options_.flush_every_documents) {
    if (Status s = store_->Flush(); !s.ok()) return failure_->Set(s);
    unflushed_ = 0;
  }
}

// Paths that waited for a document's content: added to it, or failed with it.
void Committer::ReleaseDuplicates(const DocumentId& id, const FileResult* failed) {
  const std::vector<SourceFile> waiting = in_flight_->Release(id);
  if (waiting.empty()) return;
  Result<std::optional<DocumentSummary>> doc = failed ? Result<std::optional<DocumentSummary>>(std::nullopt)
                                                      : store_->GetDocument(id);
  for (const SourceFile& source : waiting) {
    FileResult r;
    r.path = source.path;
    r.id = id;
    if (failed) {
      r.outcome = FileOutcome::kFailed;
      r.mime_type = failed->mime_type;
      r.message = failed->message + " (same content as " + failed->path + ")";
      if (Status s = store_->RecordFailure(source.path, source.size, source.mtime_ns, r.message); !s.ok()) return failure_->Set(s);
    } else {
      if (Status s = store_->AddSource(id, source); !s.ok()) return failure_->Set(s);
      (void)store_->ClearFailure(source.path);
      r.outcome = FileOutcome::kDuplicate;
      if (doc.ok() && *doc) {
        r.mime_type = (*doc)->mime_type;
        r.pages = (*doc)->page_count;
        r.ocr_pages = (*doc)->ocr_page_count;
        for (const SourceFile& other : (*doc)->sources) {
          if (other.path != source.path) {
            r.message = "same content as " + other.path;
            break;
          }
        }
      }
    }
    Report(std::move(r), false);
  }
}

void Committer::Report(FileResult result, bool extracted) {
  ++summary_.files;
  ++progress_.done;
  if (extracted) ++progress_.extracted;
  switch (result.outcome) {
    case FileOutcome::kIngested:
      ++summary_.ingested;
      summary_.pages += result.pages;
      summary_.ocr_pages += result.ocr_pages;
      progress_.pages += result.pages;
      break;
    case FileOutcome::kUnchanged: ++summary_.unchanged; break;
    case FileOutcome::kDuplicate: ++summary_.duplicates; break;
    case FileOutcome::kSkipped: ++summary_.skipped; break;
    case FileOutcome::kFailed:
      ++summary_.failed;
      ++progress_.failed;
      break;
    case FileOutcome::kRemoved: --summary_.files; ++summary_.removed; break;
  }
  if (options_.on_file) options_.on_file(result);
  Progress();
}

}  // namespace dossier
