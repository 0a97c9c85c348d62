// dossier: ingest documents into a data folder and query it from the command line.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <iostream>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "dossier/ingest.h"
#include "dossier/json.h"
#include "dossier/paths.h"
#include "dossier/plugin_host.h"
#include "dossier/query_service.h"
#include "dossier/store.h"
#include "dossier/text.h"

namespace {

using namespace dossier;

// Exit codes (documented in README.md):
constexpr int kExitOk = 0;
constexpr int kExitSomeFailed = 1;  // some inputs failed, or the thing asked for does not exist
constexpr int kExitUsage = 2;       // bad command line or query
constexpr int kExitEnvironment = 3; // the data folder or plugins are unusable

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange: return kExitUsage;
    case StatusCode::kNotFound: return kExitSomeFailed;
    default: return kExitEnvironment;
  }
}

// Prints an error to stderr (or as JSON to stdout with --json) and returns the exit code.
int Fail(const Status& status, bool json) {
  if (json) std::cout << DumpJson(ErrorToJson(status), 2) << "\n";
  std::cerr << "dossier: error: " << status.message() << "\n";
  return ExitCodeFor(status);
}

// A writing command (ingest, remove) that stopped because a write to the data
// folder failed (disk full, I/O error): exit 1, saying that what was written
// is kept and the next run finishes it. Other failures as Fail.
int FailWriting(const Status& status, bool json, const std::string& command) {
  if (!IsDataFolderWriteFailure(status)) return Fail(status, json);
  Fail(Status(status.code(), status.message() + "; " + command +
                                 " stopped: what it stored is kept, and the next run finishes it once there is room"),
       json);
  return kExitSomeFailed;
}

// Turns a snippet's HTML into terminal text: matches in bold on a terminal,
// between ** otherwise.
std::string SnippetForTerminal(const std::string& html, bool tty) {
  std::string out;
  for (size_t i = 0; i < html.size();) {
    auto starts = [&](std::string_view s) { return html.compare(i, s.size(), s) == 0; };
    if (starts("<mark>")) { out += tty ? "\033[1m" : "**"; i += 6; }
    else if (starts("</mark>")) { out += tty ? "\033[0m" : "**"; i += 7; }
    else if (starts("&amp;")) { out += '&'; i += 5; }
    else if (starts("&lt;")) { out += '<'; i += 4; }
    else if (starts("&gt;")) { out += '>'; i += 4; }
    else if (starts("&quot;")) { out += '"'; i += 6; }
    else if (starts("&#39;")) { out += '\''; i += 5; }
    else if (html[i] == '\n' || html[i] == '\f') { out += ' '; ++i; }
    else out += html[i++];
  }
  return out;
}

struct GlobalOptions {
  std::string data_dir;
  std::string plugin_dir;
};

// Writes the ingest report (schemas/ingest-report.schema.json) as files
// finish, so that memory does not grow with the number of files.
class ReportWriter {
 public:
  explicit ReportWriter(std::ostream* out) : out_(out) { *out_ << "{\"files_report\": ["; }
  void File(const FileResult& r) {
    *out_ << (first_ ? "\n  " : ",\n  ") << DumpJson(ToJson(r));
    first_ = false;
  }
  void Finish(const IngestSummary& summary, const std::string& data_dir) {
    nlohmann::json totals = ToJson(summary);
    totals["data_dir"] = data_dir;
    *out_ << "\n]";
    for (auto& [key, value] : totals.items()) *out_ << ",\n \"" << key << "\": " << DumpJson(value);
    *out_ << "\n}\n";
    out_->flush();
  }

 private:
  std::ostream* out_;
  bool first_ = true;
};

// "1h02m", "3m05s", "42s"
std::string Duration(double seconds) {
  long s = static_cast<long>(seconds + 0.5);
  char out[32];
  if (s >= 3600) std::snprintf(out, sizeof out, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  else if (s >= 60) std::snprintf(out, sizeof out, "%ldm%02lds", s / 60, s % 60);
  else std::snprintf(out, sizeof out, "%lds", s);
  return out;
}

// The progress line: rewritten in place on a terminal, else a plain line every 5 s.
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled), tty_(::isatty(STDERR_FILENO)) {
    if (!tty_) last_ = std::chrono::steady_clock::now();  // the first plain line after 5 s
  }
  void Update(const IngestProgress& p) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < (tty_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(5000))) return;
    last_ = now;
    char line[256];
    const double rate = p.seconds > 0 ? p.pages / p.seconds : 0;
    std::string eta = "?";
    if (p.done > 0 && p.discovered >= p.done) eta = Duration(p.seconds / p.done * (p.discovered - p.done));
    std::snprintf(line, sizeof line, "%llu/%llu files, %llu pages, %.1f pages/s, ETA %s, %llu failed",
                  static_cast<unsigned long long>(p.done), static_cast<unsigned long long>(p.discovered),
                  static_cast<unsigned long long>(p.pages), rate, eta.c_str(), static_cast<unsigned long long>(p.failed));
    if (tty_) {
      std::cerr << "\r\033[K" << line << std::flush;
      shown_ = true;
    } else {
      std::cerr << "dossier: progress: " << line << "\n";
    }
  }
  // Clears the line before other output, so messages don't mix with it.
  void Clear() {
    if (shown_) std::cerr << "\r\033[K" << std::flush;
    shown_ = false;
  }

 private:
  bool enabled_, tty_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

int RunIngest(const GlobalOptions& global, const std::vector<std::string>& paths, IngestOptions options, bool json,
              bool quiet, const std::string& report_path) {
  std::unique_ptr<PluginHost> plugins = PluginHost::LoadDirectory(global.plugin_dir);
  for (const PluginLoadReport& report : plugins->reports()) {
    if (!report.loaded) std::cerr << "dossier: warning: plugin " << report.manifest_path << " refused: " << report.error << "\n";
  }
  if (plugins->plugins().empty()) {
    return Fail(Status::FailedPrecondition("no plugins loaded from " + global.plugin_dir +
                                           " (set --plugin-dir or DOSSIER_PLUGIN_DIR)"), json);
  }
  Result<std::unique_ptr<MimeDetector>> mime = MimeDetector::Create();
  if (!mime.ok()) return Fail(mime.status(), json);
  Result<std::unique_ptr<LanguageDetector>> languages = LanguageDetector::Create();
  if (!languages.ok()) return Fail(languages.status(), json);
  std::ofstream report_file;
  if (!report_path.empty()) {
    report_file.open(report_path);
    if (!report_file) return Fail(Status::PermissionDenied(report_path + ": cannot write the report"), json);
  }
  Result<std::unique_ptr<Store>> store = Store::Open(global.data_dir, StoreMode::kReadWrite);
  if (!store.ok()) return FailWriting(store.status(), json, "ingest");
  if ((*store)->IndexRebuiltAtOpen() > 0 && !quiet) {
    std::cerr << "dossier: note: the search index was made by an older version; re-indexed "
              << (*store)->IndexRebuiltAtOpen() << " document(s) from their stored text (accent and elision matching)\n";
  }

  std::vector<std::string> inputs = paths;
  if (inputs.empty()) {  // --reprocess alone: what is stored
    Result<std::vector<std::string>> stored = StoredSourceFiles(**store);
    if (!stored.ok()) return Fail(stored.status(), json);
    inputs = std::move(stored).value();
    if (inputs.empty()) return Fail(Status::NotFound(global.data_dir + ": no stored source file is still there to read again"), json);
  }
  Ingester ingester(store->get(), plugins.get(), languages->get(), mime->get());
  std::optional<ReportWriter> json_out, file_out;
  if (json) json_out.emplace(&std::cout);
  if (report_file.is_open()) file_out.emplace(&report_file);
  ProgressLine progress(!quiet);
  options.on_file = [&](const FileResult& r) {
    if (json_out) json_out->File(r);
    if (file_out) file_out->File(r);
    const bool say = r.outcome == FileOutcome::kFailed || (!quiet && (r.outcome == FileOutcome::kSkipped ||
                                                                      r.outcome == FileOutcome::kRemoved || !r.warnings.empty()));
    if (!say) return;
    progress.Clear();
    if (r.outcome == FileOutcome::kFailed) {
      std::cerr << "dossier: error: " << r.path << ": " << r.message << "\n";
    } else if (!quiet) {
      if (r.outcome == FileOutcome::kSkipped) std::cerr << "dossier: skipped: " << r.path << ": " << r.message << "\n";
      if (r.outcome == FileOutcome::kRemoved) std::cerr << "dossier: removed: " << r.path << ": " << r.message << "\n";
      for (const std::string& w : r.warnings) std::cerr << "dossier: warning: " << r.path << ": " << w << "\n";
    }
  };
  options.on_progress = [&](const IngestProgress& p) { progress.Update(p); };
  Result<IngestSummary> summary = ingester.Ingest(inputs, options);
  progress.Clear();
  if (!summary.ok()) return FailWriting(summary.status(), json, "ingest");
  if (json_out) json_out->Finish(*summary, global.data_dir);
  if (file_out) {
    file_out->Finish(*summary, global.data_dir);
    if (!report_file) return Fail(Status::DataLoss(report_path + ": cannot write the report"), false);
  }
  if (!quiet || summary->failed > 0) {
    char line[384];
    std::string pages = std::to_string(summary->pages) + " pages";
    if (summary->ocr_pages > 0) pages += ", " + std::to_string(summary->ocr_pages) + " by OCR";
    std::string more;
    if (summary->duplicates) more += ", " + std::to_string(summary->duplicates) + " duplicate(s)";
    if (summary->removed) more += ", " + std::to_string(summary->removed) + " removed";
    const double rate = summary->seconds > 0 ? summary->pages / summary->seconds : 0;
    std::snprintf(line, sizeof line, "%llu file(s): %llu ingested (%s), %llu unchanged, %llu skipped, %llu failed%s in %.2f s (%.1f pages/s)\n",
                  static_cast<unsigned long long>(summary->files), static_cast<unsigned long long>(summary->ingested),
                  pages.c_str(), static_cast<unsigned long long>(summary->unchanged),
                  static_cast<unsigned long long>(summary->skipped), static_cast<unsigned long long>(summary->failed),
                  more.c_str(), summary->seconds, rate);
    std::cerr << line;
  }
  if (summary->other_settings > 0 && !quiet) {
    std::cerr << "dossier: note: " << summary->other_settings
              << " unchanged document(s) were read with other OCR settings (e.g. --no-ocr); "
                 "`dossier ingest --reprocess` reads them again with these\n";
  }
  return summary->failed > 0 ? kExitSomeFailed : kExitOk;
}

int RunRemove(const GlobalOptions& global, const std::vector<std::string>& targets, bool quiet) {
  Result<std::unique_ptr<Store>> store = Store::Open(global.data_dir, StoreMode::kReadWrite);
  if (!store.ok()) return FailWriting(store.status(), false, "remove");
  int code = kExitOk;
  for (const std::string& what : targets) {
    Result<RemoveReport> removed = RemoveFromStore(store->get(), what);
    if (!removed.ok() && IsDataFolderWriteFailure(removed.status())) return FailWriting(removed.status(), false, "remove");
    if (!removed.ok()) {
      std::cerr << "dossier: error: " << removed.status().message() << "\n";
      code = kExitSomeFailed;
      continue;
    }
    if (quiet) continue;
    std::cout << what << ": " << removed->paths_detached.size() << " path(s) forgotten, "
              << removed->documents_removed.size() << " document(s) removed";
    for (const DocumentId& id : removed->documents_removed) std::cout << " " << id.ToHex();
    std::cout << "\n";
  }
  return code;
}

int RunSearch(const GlobalOptions& global, const SearchRequest& request, bool json) {
  Result<std::unique_ptr<QueryService>> service = QueryService::Open(global.data_dir);
  if (!service.ok()) return Fail(service.status(), json);
  Result<SearchResponse> response = (*service)->Search(request);
  if (!response.ok()) return Fail(response.status(), json);
  if (json) {
    std::cout << DumpJson(ToJson(*response), 2) << "\n";
    return kExitOk;
  }
  const bool tty = ::isatty(STDOUT_FILENO);
  if (response->hits.empty()) {
    std::cout << "No documents match " << request.query << (response->total ? " on this page of results" : "") << ".\n";
    return kExitOk;
  }
  if (response->total == 0) {
    std::cout << "No document has every word of " << request.query << "; showing " << response->offset + 1 << "–"
              << response->offset + response->hits.size() << " with some of them\n\n";
  } else {
    std::cout << (response->total_exact ? "" : "about ") << response->total << " document(s) match; showing "
              << response->offset + 1 << "–" << response->offset + response->hits.size() << "\n\n";
  }
  // The largest values of each facet (they come sorted by count, then by value).
  for (const auto& [facet, counted] : response->facets) {
    if (counted.values.empty()) continue;
    std::cout << (facet == "year" ? "by year:    " : "by entity:  ");
    size_t shown = 0;
    for (const FacetValue& v : counted.values) {
      if (shown++ == 8) break;
      std::cout << v.value << " (" << v.count << ")  ";
    }
    if (counted.total_values > 8) std::cout << "(" << counted.total_values - 8 << " more)";
    std::cout << "\n";
  }
  std::cout << "\n";
  bool some_words_said = response->total == 0;
  for (const SearchHit& hit : response->hits) {
    if (!hit.all_words && !some_words_said) {
      std::cout << "Documents with only some of the words:\n\n";
      some_words_said = true;
    }
    std::cout << hit.rank << ". " << hit.title << "  [" << hit.id.ToHex() << "]\n";
    std::cout << "   page " << hit.page << " (" << TextSourceName(hit.page_source);
    if (hit.ocr_confidence >= 0) std::cout << ", OCR confidence " << static_cast<int>(hit.ocr_confidence) << "%";
    std::cout << "), " << hit.percent << "% match, " << hit.language << "\n";
    for (const std::string& path : hit.source_paths) std::cout << "   " << path << "\n";
    std::cout << "   " << SnippetForTerminal(hit.snippet_html, tty) << "\n\n";
  }
  return kExitOk;
}

// What title_source and date_source say, in words.
std::string TitleSourceWords(const std::string& source) {
  if (source == "heading") return "largest heading";
  if (source == "first_line") return "first line";
  if (source == "file_name") return "file name";
  return source;
}

std::string DateSourceWords(const std::string& source) {
  if (source == "cover") return "printed on the cover";
  if (source == "front_matter") return "printed in the front matter";
  if (source == "metadata") return "file metadata";
  return source;
}

int RunShow(const GlobalOptions& global, const std::string& which, bool text, bool json) {
  Result<std::unique_ptr<QueryService>> service = QueryService::Open(global.data_dir);
  if (!service.ok()) return Fail(service.status(), json);
  Result<DocumentSummary> doc = (*service)->FindDocument(which);
  if (!doc.ok()) return Fail(doc.status(), json);
  std::optional<std::vector<PageText>> pages;
  if (text || json) {
    Result<std::vector<PageText>> loaded = (*service)->GetPages(doc->id);
    if (!loaded.ok()) return Fail(loaded.status(), json);
    pages = std::move(loaded).value();
  }
  if (json) {
    std::cout << DocumentToJson(*doc, text ? &*pages : nullptr).dump(2) << "\n";
    return kExitOk;
  }
  if (text) {  // as pdftotext prints it: each page followed by a form feed
    for (const PageText& page : *pages) std::cout << page.text << (page.text.empty() || page.text.back() == '\n' ? "" : "\n") << '\f';
    return kExitOk;
  }
  const DocumentSummary& d = *doc;
  std::cout << "id:         " << d.id.ToHex() << "\n"
            << "title:      " << d.title << (d.title_source.empty() ? "" : " (from the " + TitleSourceWords(d.title_source) + ")")
            << "\n";
  if (!d.date.empty()) std::cout << "date:       " << d.date << " (" << DateSourceWords(d.date_source) << ")\n";
  std::cout << "type:       " << d.mime_type << ", " << d.size_bytes << " bytes\n"
            << "language:   " << d.language << "\n"
            << "pages:      " << d.page_count << " (" << d.ocr_page_count << " by OCR)\n";
  if (!d.metadata.author.empty()) std::cout << "author:     " << d.metadata.author << "\n";
  if (!d.metadata.created.empty()) std::cout << "created:    " << d.metadata.created << "\n";
  std::cout << "extracted:  " << d.extracted_by << "\n";
  for (const SourceFile& source : d.sources) std::cout << "source:     " << source.path << "\n";
  return kExitOk;
}

// `show --structure`: the section tree with roles, topics and pages, and
// under each section its labelled blocks, marked with what they were taken as.
void PrintStructure(const nlohmann::json& s) {
  using nlohmann::json;
  // A member, or null when it is missing (const operator[] must not be used on a missing key).
  auto At = [](const json& j, const char* key) -> const json& {
    static const json kNull;
    if (!j.is_object()) return kNull;
    auto it = j.find(key);
    return it == j.end() ? kNull : *it;
  };
  auto plural = [](uint64_t n, const std::string& one, const std::string& many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  // "3 paragraphs, 4 list items" (non-zero counts only).
  auto counts = [&](const json& blocks) {
    static const std::vector<std::tuple<std::string, std::string, std::string>> kinds = {
        {"heading", "heading", "headings"},         {"paragraph", "paragraph", "paragraphs"},
        {"list_item", "list item", "list items"},   {"table_row", "table row", "table rows"},
        {"contents_entry", "contents entry", "contents entries"}};
    std::string out;
    for (const auto& [key, one, many] : kinds) {
      const uint64_t n = blocks.value(key, uint64_t{0});
      if (n) out += (out.empty() ? "" : ", ") + plural(n, one, many);
    }
    return out.empty() ? std::string("no blocks") : out;
  };
  auto pages = [](const json& first, const json& last) -> std::string {
    if (!first.is_number() || !last.is_number()) return "";
    const uint64_t a = first.get<uint64_t>(), b = last.get<uint64_t>();
    return a == b ? "page " + std::to_string(a) : "pages " + std::to_string(a) + "-" + std::to_string(b);
  };
  auto print_blocks = [&](const json& where, const std::string& indent) {
    for (const json& b : where.value("labelled", json::array())) {
      std::string label = At(b, "label").is_string() ? At(b, "label").get<std::string>() : "";
      std::string line = indent + "- " + b.value("kind", "") + (label.empty() ? "" : " " + label) + "  p." +
                         std::to_string(b.value("page", 0)) + "  " + b.value("text", "");
      const json& taken = At(b, "taken");
      if (taken.is_object()) {
        std::string as = taken.value("as", "");
        std::replace(as.begin(), as.end(), '_', ' ');
        line += "  [taken: " + as + (At(taken, "number").is_string() ? " " + At(taken, "number").get<std::string>() : "");
        if (taken.contains("recommendation")) line += " of recommendation " + taken.value("recommendation", "");
        line += "]";
      } else {
        line += "  [not taken]";
      }
      std::cout << line << "\n";
    }
    const uint64_t total = where.value("labelled_total", uint64_t{0});
    const uint64_t shown = where.value("labelled", json::array()).size();
    if (total > shown) std::cout << indent << "  … " << plural(total - shown, "more labelled block", "more labelled blocks") << " not listed\n";
  };

  const json& doc = At(s, "document");
  std::cout << doc.value("title", "") << "  [" << doc.value("id", "") << "]  "
            << plural(doc.value("page_count", uint64_t{0}), "page", "pages") << "\n";
  const json& removed = At(s, "removed");
  std::cout << "removed:  " << plural(removed.value("page_headers", uint64_t{0}), "running header line", "running header lines")
            << ", " << plural(removed.value("page_footers", uint64_t{0}), "running footer line", "running footer lines")
            << ", " << plural(removed.value("page_numbers", uint64_t{0}), "page number", "page numbers") << "\n";
  std::cout << "blocks:   " << counts(At(s, "blocks")) << "\n";
  const json& labelled = At(s, "labelled");
  std::cout << "labelled: " << labelled.value("total", uint64_t{0}) << " (list items, table rows and blocks taken), "
            << labelled.value("taken", uint64_t{0}) << " taken, " << labelled.value("listed", uint64_t{0})
            << " listed (every taken one, the others up to " << labelled.value("limit", uint64_t{0}) << ")\n";
  const uint64_t sections_total = s.value("sections_total", uint64_t{0});
  const json& sections = At(s, "sections");
  std::cout << plural(sections_total, "section", "sections");
  if (sections_total > sections.size()) std::cout << " (the first " << sections.size() << " listed)";
  std::cout << "\n\n";

  const json& front = At(s, "front");
  if (!At(front, "first_page").is_null()) {
    std::cout << "(before the first heading)  " << pages(At(front, "first_page"), At(front, "last_page")) << "  "
              << counts(At(front, "blocks")) << "\n";
    print_blocks(front, "    ");
  }
  std::vector<int> depth(sections.size(), 0);
  for (size_t i = 0; i < sections.size(); ++i) {
    const json& section = sections[i];
    const json& parent = At(section, "parent");
    if (parent.is_number() && parent.get<size_t>() < i) depth[i] = depth[parent.get<size_t>()] + 1;
    const std::string indent(2 * depth[i], ' ');
    std::string number = At(section, "number").is_string() ? At(section, "number").get<std::string>() + "  " : "";
    std::string what = section.value("role", "");
    if (At(section, "topic").is_string()) {
      std::string topic = At(section, "topic").get<std::string>();
      std::replace(topic.begin(), topic.end(), '_', ' ');
      what += ", " + topic + (section.value("own_topic", false) ? "" : " (inherited)");
    }
    std::cout << indent << number << section.value("title", "") << "  (" << what << ")  "
              << pages(At(section, "first_page"), At(section, "last_page")) << "  " << counts(At(section, "blocks")) << "\n";
    print_blocks(section, indent + "    ");
  }
}

int RunPlugins(const GlobalOptions& global, bool json) {
  std::unique_ptr<PluginHost> host = PluginHost::LoadDirectory(global.plugin_dir);
  if (json) {
    std::cout << DumpJson(PluginsToJson(global.plugin_dir, host->reports()), 2) << "\n";
  } else {
    std::cout << "plugin directory: " << global.plugin_dir << " (ABI " << DOSSIER_PLUGIN_ABI_VERSION << ")\n";
    for (const PluginLoadReport& r : host->reports()) {
      if (r.loaded) {
        std::cout << "  loaded   " << r.name << " " << r.version << " (" << r.kind << "):";
        for (const std::string& m : r.mime_types) std::cout << " " << m;
        std::cout << "\n";
      } else {
        std::cout << "  refused  " << r.manifest_path << ": " << r.error << "\n";
      }
    }
    if (host->reports().empty()) std::cout << "  (no plugin manifests found)\n";
  }
  bool any_refused = std::any_of(host->reports().begin(), host->reports().end(), [](auto& r) { return !r.loaded; });
  return any_refused ? kExitSomeFailed : kExitOk;
}

// `dossier check`: the folder opened read-only and Store::Check; a folder
// that does not open for damage is one finding ("open"). NotFound (no data
// folder) stays an error.
Result<CheckReport> CheckFolder(const std::string& data_dir) {
  Result<std::unique_ptr<Store>> store = Store::Open(data_dir, StoreMode::kReadOnly);
  if (!store.ok() && store.status().code() == StatusCode::kDataLoss) {
    CheckReport report;
    report.data_dir = data_dir;
    report.findings.push_back({"open", 1, "the data folder does not open: " + store.status().message(), {}});
    return report;
  }
  if (!store.ok()) return store.status();
  return (*store)->Check();
}

void PrintCheck(const CheckReport& r) {
  std::cout << "Checked " << r.data_dir << ": " << r.documents << " documents, " << r.pages << " pages, "
            << r.index_entries << " index entries, " << r.graph_nodes << " graph nodes, " << r.graph_edges
            << " graph edges";
  if (r.pending) std::cout << ", " << r.pending << " pending";
  std::cout << "\n";
  if (r.clean()) {
    std::cout << "clean: documents, pages, index entries and graph agree\n";
    return;
  }
  std::cout << "DAMAGED: " << r.findings.size() << " kind(s) of problem\n";
  for (const CheckFinding& f : r.findings) {
    std::cout << "  " << f.check << ": " << f.count << " " << f.message;
    for (size_t i = 0; i < f.examples.size(); ++i) std::cout << (i ? ", " : ": ") << f.examples[i];
    if (f.count > f.examples.size() && !f.examples.empty()) std::cout << ", …";
    std::cout << "\n";
  }
}

// Exit 0 when the folder is sound (after --repair: when it is sound now), 3
// when it is damaged; 1 when there is no data folder, 3 when --repair finds a
// writer at work.
int RunCheck(const GlobalOptions& global, bool repair, bool json) {
  Result<CheckReport> found = CheckFolder(global.data_dir);
  if (!found.ok()) return Fail(found.status(), json);
  if (!repair || found->clean()) {
    if (json) {
      nlohmann::json out = ToJson(*found);
      out["repair"] = nullptr;
      std::cout << DumpJson(out, 2) << "\n";
    } else {
      PrintCheck(*found);
      if (!found->clean()) {
        std::cout << "Run `dossier check --repair` to rebuild the index and the graph from the stored pages and facts.\n";
      }
    }
    return found->clean() ? kExitOk : kExitEnvironment;
  }
  if (!json) PrintCheck(*found);
  Result<RebuildReport> repaired = RepairDataFolder(global.data_dir);
  if (!repaired.ok()) return FailWriting(repaired.status(), json, "repair");
  Result<CheckReport> after = CheckFolder(global.data_dir);
  if (!after.ok()) return Fail(after.status(), json);
  if (json) {
    nlohmann::json out = ToJson(*found);
    out["repair"] = ToJson(*repaired);
    out["repair"]["after"] = ToJson(*after);
    std::cout << DumpJson(out, 2) << "\n";
  } else {
    std::cout << "\nRepair:\n";
    for (const std::string& step : repaired->salvage) std::cout << "  " << step << "\n";
    std::cout << "  " << repaired->documents_kept << " document(s) re-indexed and entered in the graph again from their "
              << "stored pages and facts; " << repaired->documents_dropped << " dropped (a part was lost), "
              << repaired->index_entries_removed << " index entries and " << repaired->records_removed
              << " record(s) of no document removed\n";
    for (const std::string& path : repaired->paths_to_ingest_again) std::cout << "  ingest again: " << path << "\n";
    std::cout << "\n";
    PrintCheck(*after);
  }
  return after->clean() ? kExitOk : kExitEnvironment;
}

int RunStats(const GlobalOptions& global, bool json) {
  Result<std::unique_ptr<QueryService>> service = QueryService::Open(global.data_dir);
  if (!service.ok()) return Fail(service.status(), json);
  Result<StoreStats> stats = (*service)->Stats();
  if (!stats.ok()) return Fail(stats.status(), json);
  if (json) {
    std::cout << DumpJson(ToJson(*stats), 2) << "\n";
    return kExitOk;
  }
  std::cout << "data folder:   " << stats->data_dir << "\n"
            << "documents:     " << stats->documents << " (" << stats->source_paths << " paths)\n"
            << "pages:         " << stats->pages << " (" << stats->ocr_pages << " by OCR), "
            << stats->text_bytes << " bytes of text\n"
            << "index entries: " << stats->index_entries << "\n"
            << "failed files:  " << stats->failed_files << "\n";
  if (stats->pending) std::cout << "pending:       " << stats->pending << " (finished by the next ingest)\n";
  std::cout << "languages:    ";
  for (const auto& [lang, n] : stats->languages) std::cout << " " << lang << "=" << n;
  std::cout << "\ntypes:        ";
  for (const auto& [type, n] : stats->mime_types) std::cout << " " << type << "=" << n;
  std::cout << "\n";
  return kExitOk;
}

// Opens the query service for a graph command and prints its JSON or text.
template <typename Query, typename Print>
int RunGraphQuery(const GlobalOptions& global, bool json, Query query, Print print,
                  void (*csv)(const nlohmann::json&) = nullptr) {
  Result<std::unique_ptr<QueryService>> service = QueryService::Open(global.data_dir);
  if (!service.ok()) return Fail(service.status(), json);
  Result<nlohmann::json> result = query(**service);
  if (!result.ok()) return Fail(result.status(), json);
  if (json) std::cout << DumpJson(*result, 2) << "\n";
  else if (csv) csv(*result);
  else print(*result);
  return kExitOk;
}

std::string Joined(const nlohmann::json& list, const char* sep = ", ") {
  std::string out;
  for (const auto& x : list) out += (out.empty() ? "" : sep) + (x.is_string() ? x.get<std::string>() : DumpJson(x));
  return out;
}

// "Showing 11-20 of 57 recommendations" when a page leaves some out.
void PrintPaging(const nlohmann::json& result, size_t shown, const char* what) {
  const uint64_t total = result.value("total", uint64_t{0}), offset = result.value("offset", uint64_t{0});
  if (total <= shown) return;
  std::cout << "Showing " << (shown ? offset + 1 : offset) << "-" << offset + shown << " of " << total << " " << what
            << " (--limit, --offset for more).\n";
}

void PrintEntities(const nlohmann::json& result) {
  for (const auto& e : result["entities"]) {
    std::cout << e.value("id", "") << "  " << e.value("kind", "") << "  " << e.value("name", "");
    if (!e["aliases"].empty()) std::cout << "  (" << Joined(e["aliases"]) << ")";
    std::cout << "  " << e.value("documents", 0) << " document(s)\n";
  }
  if (result["entities"].empty()) std::cout << "No entities.\n";
  PrintPaging(result, result["entities"].size(), "entities");
}

// One line per document: id, pages, language, title, first path.
void PrintDocuments(const nlohmann::json& result) {
  for (const auto& d : result["documents"]) {
    const auto& sources = d["sources"];
    std::cout << d.value("id", "") << "  " << d.value("page_count", 0) << " p.  " << d.value("language", "") << "  "
              << d.value("title", "") << (sources.empty() ? "" : "  (" + sources[0].value("path", "") + ")") << "\n";
  }
  if (result["documents"].empty()) std::cout << "No documents.\n";
  PrintPaging(result, result["documents"].size(), "documents");
}

void PrintEntity(const nlohmann::json& e) {
  std::cout << e.value("name", "") << "  [" << e.value("id", "") << ", " << e.value("kind", "") << "]\n";
  if (!e["aliases"].empty()) std::cout << "  also:        " << Joined(e["aliases"]) << "\n";
  for (const auto& p : e["part_of"]) std::cout << "  part of:     " << p.value("name", "") << "\n";
  for (const auto& u : e["units"]) std::cout << "  unit:        " << u.value("name", "") << "\n";
  for (const auto& m : e["mentioned_in"]) {
    std::cout << "  mentioned:   " << m.value("title", m.value("document", "")) << " [" << m.value("document", "")
              << "] pages " << Joined(m["pages"]) << "\n";
  }
  const uint64_t total = e.value("mentions_total", uint64_t{0}), from = e.value("mentions_offset", uint64_t{0});
  if (from + e["mentioned_in"].size() < total || from > 0) {
    std::cout << "  (mentioned in " << total << " documents; shown: " << from + 1 << "-" << from + e["mentioned_in"].size()
              << "; see --mentions-offset, --mentions-limit)\n";
  }
  for (const auto& r : e["relations"]) {
    std::cout << "  " << (r.value("direction", "") == "outgoing" ? r.value("type", "") + ":" : "by (" + r.value("type", "") + "):")
              << " " << r.value("name", "") << " [" << r.value("document", "") << " p." << r.value("page", 0) << "]\n";
  }
  for (const auto& r : e["responsible_for"]) {
    std::cout << "  must act on: " << (r.value("kind", "") == "action" ? "key action " : "recommendation ")
              << r.value("number", "") << " of " << r.value("document", "")
              << (r["due"].is_string() ? ", due " + r["due"].get<std::string>() : "") << "\n";
  }
  if (e.value("responsible_for_total", uint64_t{0}) > e["responsible_for"].size()) {
    std::cout << "  (must act on " << e.value("responsible_for_total", uint64_t{0})
              << " recommendations in all: dossier recommendations --responsible NAME)\n";
  }
}

// The facet counts of a ranked item listing, one line each ("by responsible: FD (3)  …").
void PrintItemFacets(const nlohmann::json& result) {
  if (!result.contains("facets")) return;
  for (const auto& [name, facet] : result["facets"].items()) {
    if (facet["values"].empty()) continue;
    std::cout << "by " << name << ": ";
    size_t shown = 0;
    for (const auto& v : facet["values"]) {
      if (shown++ == 8) break;
      std::cout << " " << v.value("value", "") << " (" << v.value("count", 0) << ")";
    }
    std::cout << "\n";
  }
  std::cout << "\n";
}

// "3. [87%] " before a ranked item; the snippet under it.
void PrintRanking(const nlohmann::json& item) {
  if (item.contains("rank")) std::cout << item.value("rank", 0) << ". [" << item.value("percent", 0) << "%] ";
}

void PrintRecommendations(const nlohmann::json& result) {
  PrintItemFacets(result);
  for (const auto& r : result["recommendations"]) {
    PrintRanking(r);
    std::cout << "Recommendation " << r.value("number", "") << " — " << r.value("title", "") << " [" << r.value("document", "")
              << "] page " << r.value("page", 0) << "  " << r.value("id", "") << "\n";
    std::cout << "  responsible: " << (r["responsible"].empty() ? "(not stated)" : Joined(r["responsible"])) << "\n";
    std::cout << "  due:         " << (r["due"].is_string() ? r["due"].get<std::string>() : "(not stated)") << "\n";
    if (r.contains("follow_up")) {
      const auto& follow_up = r["follow_up"];
      std::cout << "  response:    " << (follow_up["response_status"].is_string() ? follow_up["response_status"].get<std::string>() : "(none stated)");
      for (const auto& a : follow_up["actions"]) {
        std::cout << "; action " << a.value("number", "") << " " << (a["status"].is_string() ? a["status"].get<std::string>() : "-");
      }
      std::cout << "\n";
    }
    std::string text = r.contains("snippet") ? r.value("snippet", "") : r.value("text", "");
    std::cout << "  " << (text.size() > 300 ? std::string(TruncateUtf8(text, 300)) + "…" : text) << "\n\n";
  }
  if (result["recommendations"].empty()) std::cout << "No recommendations match.\n";
  PrintPaging(result, result["recommendations"].size(), "recommendations");
}

// ---- CSV (RFC 4180), for the spreadsheets staff already keep

std::string CsvField(const nlohmann::json& value) {
  std::string text = value.is_null() ? "" : value.is_string() ? value.get<std::string>() : DumpJson(value);
  if (value.is_array()) {
    text.clear();
    for (const auto& x : value) text += (text.empty() ? "" : "; ") + (x.is_string() ? x.get<std::string>() : DumpJson(x));
  }
  // Text from documents that opens like a formula ("=HYPERLINK(…)", "+1", "@x")
  // would run in a spreadsheet: a leading apostrophe keeps it text.
  if (value.is_string() && !text.empty() &&
      (text[0] == '=' || text[0] == '+' || text[0] == '@' ||
       (text[0] == '-' && (text.size() == 1 || !std::isdigit(static_cast<unsigned char>(text[1])))))) {
    text.insert(0, "'");
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

void PrintCsv(const std::vector<std::string>& header, const std::vector<std::vector<nlohmann::json>>& rows) {
  for (size_t i = 0; i < header.size(); ++i) std::cout << (i ? "," : "") << header[i];
  std::cout << "\r\n";
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) std::cout << (i ? "," : "") << CsvField(row[i]);
    std::cout << "\r\n";
  }
}

// A ranked listing's CSV starts each row with the rank and score.
std::vector<std::string> WithRanking(const nlohmann::json& result, const char* list, std::vector<std::string> header,
                                     std::vector<std::vector<nlohmann::json>>* rows) {
  if (!result.contains("query") && !result.contains("similar_to")) return header;
  header.insert(header.begin(), {"rank", "score"});
  for (size_t i = 0; i < rows->size(); ++i) {
    const nlohmann::json& item = result[list][i];
    (*rows)[i].insert((*rows)[i].begin(), {item.value("rank", nlohmann::json(nullptr)), item.value("score", nlohmann::json(nullptr))});
  }
  return header;
}

void RecommendationsCsv(const nlohmann::json& result) {
  std::vector<std::vector<nlohmann::json>> rows;
  for (const auto& r : result["recommendations"]) {
    const nlohmann::json response = r.value("management_response", nlohmann::json(nullptr));
    rows.push_back({r.value("document", ""), r.value("title", ""), r.value("page", 0), r.value("number", ""),
                    r["responsible"], r.value("due", nlohmann::json(nullptr)),
                    response.is_object() ? response.value("status", nlohmann::json(nullptr)) : nlohmann::json(nullptr),
                    response.is_object() ? response.value("text", nlohmann::json(nullptr)) : nlohmann::json(nullptr),
                    r["action_ids"].size(), r["recurs"].size(), r.value("text", "")});
  }
  PrintCsv(WithRanking(result, "recommendations", {"document", "title", "page", "number", "responsible", "due",
                                                   "response_status", "response_text", "key_actions", "recurs", "text"},
                       &rows),
           rows);
}

void PrintActions(const nlohmann::json& result) {
  PrintItemFacets(result);
  for (const auto& a : result["actions"]) {
    PrintRanking(a);
    std::cout << "Action " << a.value("number", "") << " (recommendation " << a["recommendation"].value("number", "")
              << ") — " << a.value("document_title", "") << " [" << a.value("document", "") << "] page " << a.value("page", 0)
              << "\n";
    std::cout << "  responsible: " << (a["responsible"].empty() ? "(not stated)" : Joined(a["responsible"])) << "\n";
    std::cout << "  time frame:  " << (a["time_frame"].is_string() ? a["time_frame"].get<std::string>() : "(not stated)");
    if (a["due"].is_string()) std::cout << "  (due " << a["due"].get<std::string>() << ")";
    std::cout << "\n  status:      " << (a["status"].is_string() ? a["status"].get<std::string>() : "(not stated)")
              << (a["overdue"].get<bool>() ? "  OVERDUE as of " + result.value("as_of", "") : "") << "\n";
    if (a["history"].size() > 1) {
      for (const auto& h : a["history"]) {
        std::cout << "    " << (h["document_date"].is_string() ? h["document_date"].get<std::string>() : "(undated)") << "  "
                  << (h["status"].is_string() ? h["status"].get<std::string>() : "-") << "  [" << h.value("document", "")
                  << " p." << h.value("page", 0) << "]\n";
      }
    }
    std::cout << "  " << a.value("text", "") << "\n\n";
  }
  if (result["actions"].empty()) std::cout << "No key actions match.\n";
  PrintPaging(result, result["actions"].size(), "key actions");
}

void ActionsCsv(const nlohmann::json& result) {
  std::vector<std::vector<nlohmann::json>> rows;
  for (const auto& a : result["actions"]) {
    rows.push_back({a.value("document", ""), a.value("document_title", ""), a.value("page", 0),
                    a["recommendation"].value("number", ""), a.value("number", ""), a["responsible"],
                    a.value("time_frame", nlohmann::json(nullptr)), a.value("start", nlohmann::json(nullptr)),
                    a.value("due", nlohmann::json(nullptr)), a.value("status", nlohmann::json(nullptr)), a["overdue"],
                    a.value("text", "")});
  }
  PrintCsv(WithRanking(result, "actions", {"document", "title", "page", "recommendation", "action", "responsible", "time_frame", "start", "due",
            "status", "overdue", "text"}, &rows), rows);
}

void PrintItems(const nlohmann::json& result) {
  std::cout << result.value("total", 0) << " item(s) match\n\n";
  PrintItemFacets(result);
  for (const auto& item : result["items"]) {
    PrintRanking(item);
    std::cout << item.value("type", "") << " " << item.value("number", "") << " — " << item.value("title", "") << " ["
              << item.value("document", "") << "] page " << item.value("page", 0) << "  " << item.value("id", "") << "\n";
    if (!item["responsible"].empty()) std::cout << "  responsible: " << Joined(item["responsible"]) << "\n";
    if (item["due"].is_string()) std::cout << "  due:         " << item["due"].get<std::string>() << "\n";
    if (item["response_status"].is_string()) std::cout << "  response:    " << item["response_status"].get<std::string>() << "\n";
    if (item["action_status"].is_string()) std::cout << "  status:      " << item["action_status"].get<std::string>() << "\n";
    std::cout << "  " << item.value("snippet", "") << "\n\n";
  }
  if (result["items"].empty()) std::cout << "No items match.\n";
  PrintPaging(result, result["items"].size(), "items");
}

void ItemsCsv(const nlohmann::json& result) {
  std::vector<std::vector<nlohmann::json>> rows;
  for (const auto& item : result["items"]) {
    rows.push_back({item["rank"], item["score"], item["type"], item["id"], item["document"], item["title"], item["page"],
                    item["number"], item["responsible"], item["due"], item["response_status"], item["action_status"],
                    item["text"]});
  }
  PrintCsv({"rank", "score", "type", "id", "document", "title", "page", "number", "responsible", "due",
            "response_status", "action_status", "text"}, rows);
}

void PrintFollowUp(const nlohmann::json& result) {
  std::cout << "Follow-up as of " << result.value("as_of", "") << ": " << result.value("actions", 0) << " key action(s)\n";
  for (const char* part : {"units", "evaluations"}) {
    std::cout << "\nBy " << (std::string(part) == "units" ? "responsible unit" : "evaluation") << ":\n";
    for (const auto& t : result[part]) {
      std::cout << "  " << t.value(std::string(part) == "units" ? "unit" : "title", "") << ": " << t.value("total", 0)
                << " action(s), " << t.value("overdue", 0) << " overdue";
      std::string statuses;
      for (const auto& [status, n] : t["by_status"].items()) statuses += (statuses.empty() ? "" : ", ") + status + " " + DumpJson(n);
      std::cout << " (" << statuses << ")";
      if (t["oldest_overdue"].is_object()) {
        const auto& o = t["oldest_overdue"];
        std::cout << "; oldest overdue: " << o.value("number", "") << " due "
                  << (o["due"].is_string() ? o["due"].get<std::string>() : "?");
      }
      std::cout << "\n";
    }
  }
}

void FollowUpCsv(const nlohmann::json& result) {
  std::vector<std::vector<nlohmann::json>> rows;
  for (const char* part : {"units", "evaluations"}) {
    for (const auto& t : result[part]) {
      const auto& o = t["oldest_overdue"];
      auto status = [&](const char* s) { return t["by_status"].value(s, 0); };
      rows.push_back({std::string(part) == "units" ? "unit" : "evaluation",
                      t.value(std::string(part) == "units" ? "unit" : "title", ""), t.value("total", 0),
                      status("completed"), status("initiated"), status("not started"), status("overdue"),
                      status("no longer applicable"), status("unknown"), t.value("overdue", 0),
                      o.is_object() ? o.value("number", "") : "", o.is_object() ? o.value("due", nlohmann::json(nullptr)) : nullptr,
                      o.is_object() ? o.value("document", "") : ""});
    }
  }
  PrintCsv({"by", "name", "actions", "completed", "initiated", "not_started", "stated_overdue", "no_longer_applicable",
            "status_unknown", "overdue", "oldest_overdue_action", "oldest_overdue_due", "oldest_overdue_document"}, rows);
}

void PrintDuplicates(const nlohmann::json& result) {
  size_t n = result.value("offset", size_t{0});
  for (const auto& g : result["groups"]) {
    std::cout << "Group " << ++n << " (" << g["documents"].size() << " versions):\n";
    for (const auto& d : g["documents"]) {
      std::cout << "  " << (d.value("representative", false) ? "* " : "  ") << d.value("id", "") << "  "
                << d.value("title", "") << "  (" << d.value("pages", 0) << " pages";
      if (d.value("ocr_pages", 0) > 0) std::cout << ", " << d.value("ocr_pages", 0) << " by OCR";
      if (d["date"].is_string()) std::cout << ", " << d["date"].get<std::string>();
      std::cout << ")\n      " << d.value("source", "") << "\n";
    }
    for (const auto& p : g["pairs"]) {
      std::cout << "    " << p["documents"][0].get<std::string>() << " ~ " << p["documents"][1].get<std::string>()
                << "  similarity " << DumpJson(p["similarity"]) << "\n";
    }
    std::cout << "\n";
  }
  if (result["groups"].empty()) std::cout << "No near-duplicate documents.\n";
  else std::cout << "* stands for its group in follow-up, recommendations, actions and recurrence.\n";
  PrintPaging(result, result["groups"].size(), "groups");
}

void PrintNeighbors(const nlohmann::json& result) {
  std::map<std::string, std::string> names;
  for (const auto& n : result["nodes"]) {
    std::string label = n.value("name", n.value("title", n.value("value", n.value("number", ""))));
    names[n.value("id", "")] = n.value("kind", "") + " " + label;
  }
  for (const auto& e : result["edges"]) {
    std::cout << names[e.value("source", "")] << "  -" << e.value("type", "") << "->  " << names[e.value("target", "")]
              << "   (document " << e.value("document", "") << ")\n";
  }
}

int RunExport(const GlobalOptions& global, const std::string& format, const std::string& out_path) {
  Result<std::unique_ptr<QueryService>> service = QueryService::Open(global.data_dir);
  if (!service.ok()) return Fail(service.status(), false);
  std::ofstream file;
  if (!out_path.empty()) {
    file.open(out_path);
    if (!file) return Fail(Status::PermissionDenied(out_path + ": cannot write"), false);
  }
  std::ostream& out = out_path.empty() ? std::cout : file;
  if (format == "graphml" || format == "jsonld") {
    if (Status s = (*service)->ExportGraph(format, out); !s.ok()) return Fail(s, false);
    if (!out_path.empty()) std::cerr << "wrote the graph as " << format << " to " << out_path << "\n";
    return kExitOk;
  }
  uint64_t written = 0;
  for (uint32_t offset = 0;; offset += 500) {
    Result<DocumentList> batch = (*service)->ListDocuments(500, offset);
    if (!batch.ok()) return Fail(batch.status(), false);
    for (const DocumentSummary& doc : batch->documents) {
      Result<nlohmann::json> record = (*service)->ExportRecord(doc);
      if (!record.ok()) return Fail(record.status(), false);
      out << DumpJson(*record) << "\n";
      ++written;
    }
    if (batch->documents.size() < 500) break;
  }
  if (!out_path.empty()) std::cerr << "wrote " << written << " record(s) to " << out_path << "\n";
  return kExitOk;
}

}  // namespace

// Parses the command line and runs the command; main() catches what escapes.
int RunCommandLine(int argc, char** argv) {
  CLI::App app{"dossier: ingest evaluation reports and search what they say"};
  app.require_subcommand(1);
  GlobalOptions global;
  global.data_dir = DefaultDataDir();
  global.plugin_dir = DefaultPluginDir();
  app.add_option("--data", global.data_dir, "Data folder (default: $DOSSIER_DATA, else $XDG_DATA_HOME/dossier)")
      ->capture_default_str();
  app.add_option("--plugin-dir", global.plugin_dir, "Plugin directory (default: $DOSSIER_PLUGIN_DIR, else beside the binary)")
      ->capture_default_str();

  bool json = false, quiet = false, text = false;
  std::vector<std::string> paths;
  auto* ingest = app.add_subcommand("ingest", "Ingest files and folders (recursively)");
  ingest->add_option("paths", paths, "Files and folders (with --reprocess, default: every stored source file)");
  ingest->add_flag("--json", json, "Print the JSON report of every file on standard output (schemas/ingest-report.schema.json)");
  std::string report_path;
  ingest->add_option("--report", report_path, "Write the JSON report of every file to this file (schemas/ingest-report.schema.json)");
  ingest->add_flag("-q,--quiet", quiet, "Print only errors");
  IngestOptions ingest_options;
  bool no_ocr = false;
  ingest->add_option("--ocr-lang", ingest_options.ocr_languages,
                     "Tesseract language models for scanned pages, joined by '+' (e.g. eng+spa+fra): the languages a page may be in")
      ->capture_default_str();
  ingest->add_option("--ocr-strategy", ingest_options.ocr_strategy,
                     "detect: read each page with the first --ocr-lang model (or the last page's), detect the language of the "
                     "text and read it again with that language's model when it is another one; combined: read every page "
                     "with all the models at once (slower)")
      ->capture_default_str()->check(CLI::IsMember({"detect", "combined"}));
  ingest->add_option("-j,--jobs", ingest_options.jobs, "Worker processes extracting (and OCR-ing) files (default: one per core)")
      ->check(CLI::Range(1u, 256u));
  ingest->add_option("--timeout", ingest_options.timeout_seconds,
                     "Seconds one file may take before its worker is killed and the file fails (plus --ocr-page-timeout per OCR'd page)")
      ->capture_default_str()->check(CLI::Range(1.0, 86400.0));
  ingest->add_option("--ocr-page-timeout", ingest_options.ocr_page_timeout_seconds,
                     "Seconds added to a file's allowance for each page it OCRs (a page handed to an idle worker gets this long of its own)")
      ->capture_default_str()->check(CLI::Range(1.0, 86400.0));
  uint64_t max_worker_mib = ingest_options.max_worker_memory >> 20;
  ingest->add_option("--max-worker-memory", max_worker_mib, "Address-space limit of each worker in MiB (0: none)")
      ->capture_default_str();
  ingest->add_flag("--prune", ingest_options.prune, "Remove stored paths under the given folders and archives whose files are gone");
  ingest->add_flag("--retry-failed", ingest_options.retry_failed, "Try again files that failed before and have not changed since");
  bool no_archives = false;
  ingest->add_flag("--no-archives", no_archives, "Treat .zip/.tar/.tar.gz/.tgz files as plain files instead of opening them");
  ingest->add_flag("--no-ocr", no_ocr, "Do not OCR scanned pages and images (they are stored without text)");
  ingest->add_flag("--reprocess", ingest_options.reprocess,
                   "Read again the unchanged documents whose OCR settings differ from this run's (pages left empty by "
                   "--no-ocr, other --ocr-lang); without paths, every stored source file");
  ingest->add_flag("--force", ingest_options.force, "With --reprocess: read again every unchanged document")
      ->needs(ingest->get_option("--reprocess"));

  std::vector<std::string> remove_targets;
  auto* remove = app.add_subcommand("remove", "Remove documents by id, or paths (files, archive members, folders) from the data folder");
  remove->add_option("targets", remove_targets, "Document id (16 hex digits) or path")->required();
  remove->add_flag("-q,--quiet", quiet, "Print only errors");

  SearchRequest request;
  std::vector<std::string> words;
  std::string language, source;
  auto* search = app.add_subcommand("search", "Full-text search; prints documents with their best page");
  search->add_option("query", words, "Query: words, \"phrases\", AND/OR/NOT, title:, author:, lang:, source:")->required();
  search->add_option("--limit", request.limit, "Results per page (1-1000)")->capture_default_str();
  search->add_option("--offset", request.offset, "Results to skip")->capture_default_str();
  search->add_option("--lang", language, "Only documents in this language (ISO 639-1)");
  search->add_option("--source", source, "Only pages whose text came from: text_layer, ocr, plain_text")
      ->check(CLI::IsMember({"text_layer", "ocr", "plain_text"}));
  search->add_flag("--json", json, "Print JSON (schemas/search-response.schema.json)");
  std::string org_filter, year_filter;
  search->add_option("--org", org_filter, "Only documents mentioning this organisation or programme (name or alias)");
  search->add_option("--year", year_filter, "Only documents of this year, or of a range: 2019..2024");
  std::string type_filter;
  search->add_option("--type", type_filter, "Only documents of this MIME type (e.g. application/pdf)");
  bool items = false;
  ItemSearchRequest item_request;
  std::string item_format = "text", item_responsible;
  search->add_flag("--items", items,
                   "Search recommendations, findings, conclusions, management responses and key actions instead "
                   "(schemas/items.schema.json)");
  search->add_option("--item-type", item_request.types,
                     "With --items: recommendation, finding, conclusion, management_response, key_action");
  search->add_option("--responsible", item_responsible, "With --items: a body (its aliases and units count too)");
  search->add_option("--response-status", item_request.response_status,
                     "With --items: accepted, partially accepted, not accepted");
  search->add_option("--action-status", item_request.action_status,
                     "With --items: completed, initiated, not started, no longer applicable, overdue");
  search->add_option("--as-of", item_request.as_of, "With --items: judge 'overdue' on this date (default: today)");
  search->add_option("--doc", item_request.documents, "With --items: only items of this document (id or path)");
  search->add_option("--agency", item_request.agency, "With --items: only items of this agency's evaluations");
  search->add_option("--format", item_format, "With --items: text, json or csv")
      ->check(CLI::IsMember({"text", "json", "csv"}));

  std::string which;
  auto* show = app.add_subcommand("show", "Show a document by id or path");
  show->add_option("document", which, "Document id (16 hex digits) or source path")->required();
  show->add_flag("--text", text, "Print the page texts, pages separated by form feeds");
  show->add_flag("--json", json, "Print JSON (schemas/document.schema.json; with --structure, structure.schema.json)");
  bool structure = false;
  show->add_flag("--structure", structure,
                 "Print the document's structure: sections with role, topic and pages, and their labelled blocks, "
                 "marked with what was taken as a recommendation, finding, conclusion or key action")
      ->excludes(show->get_option("--text"));

  auto* plugins = app.add_subcommand("plugins", "List plugins and why any was refused");
  plugins->add_flag("--json", json, "Print JSON (schemas/plugins.schema.json)");
  auto* check = app.add_subcommand("check", "Verify the data folder: checksums, and that documents, pages, index entries "
                                           "and graph agree (exit 0 clean, 3 damaged)");
  bool repair = false;
  check->add_flag("--repair", repair,
                  "Rebuild the index and the graph from the stored pages and facts (no source file is read); "
                  "documents that lost a part are dropped and their paths listed to ingest again");
  check->add_flag("--json", json, "Print JSON (schemas/check.schema.json)");
  auto* stats = app.add_subcommand("stats", "Counts of documents, pages, languages and types");
  stats->add_flag("--json", json, "Print JSON (schemas/stats.schema.json)");

  std::string export_format = "jsonl", export_out;
  auto* exporter = app.add_subcommand("export", "Export every document's extracted facts");
  exporter->add_option("--format", export_format,
                       "jsonl (one record per document, schemas/export-record.schema.json), graphml or jsonld (the graph)")
      ->capture_default_str()
      ->check(CLI::IsMember({"jsonl", "graphml", "jsonld"}));
  exporter->add_option("-o,--output", export_out, "Write to this file instead of standard output");

  uint32_t documents_limit = 100, documents_offset = 0;
  auto* documents = app.add_subcommand("documents", "List the stored documents, in id order");
  documents->add_option("--limit", documents_limit, "At most this many")->capture_default_str()->check(CLI::Range(1u, 1000u));
  documents->add_option("--offset", documents_offset, "Skip this many")->capture_default_str();
  documents->add_flag("--json", json, "Print JSON (schemas/documents.schema.json)");

  std::string entity_type, entity_doc, entity_name;
  uint32_t entity_limit = 100, entity_offset = 0;
  auto* entities = app.add_subcommand("entities", "List organisations, programmes and other entities");
  entities->add_option("--type", entity_type, "organisation, programme or entity");
  entities->add_option("--doc", entity_doc, "Only those a document mentions (id or path)");
  entities->add_option("--limit", entity_limit, "At most this many")->capture_default_str()->check(CLI::Range(1u, 1000u));
  entities->add_option("--offset", entity_offset, "Skip this many")->capture_default_str();
  entities->add_flag("--json", json, "Print JSON (schemas/entities.schema.json)");
  auto* entity = app.add_subcommand("entity", "Everything known about one entity");
  entity->add_option("name", entity_name, "Name, alias or node id (O:…)")->required();
  uint32_t mentions_limit = kDefaultEntityMentionsLimit, mentions_offset = 0;
  entity->add_option("--mentions-limit", mentions_limit, "Show at most this many mentioning documents")
      ->check(CLI::Range(1u, kMaxEntityMentionsLimit))
      ->capture_default_str();
  entity->add_option("--mentions-offset", mentions_offset, "Skip this many mentioning documents")->capture_default_str();
  entity->add_flag("--json", json, "Print JSON (schemas/entity.schema.json)");

  RecommendationFilter rec_filter;
  std::string responsible, due_before, overdue_as_of, rec_doc;
  auto* recommendations = app.add_subcommand("recommendations", "Recommendations with who must act and by when");
  std::vector<std::string> rec_words;
  std::string similar_to;
  recommendations->add_option("query", rec_words, "Rank by relevance to these words (search syntax)");
  recommendations->add_option("--similar", similar_to, "Rank the recommendations of other evaluations most like this one (R:…)");
  recommendations->add_option("--responsible", responsible, "Name or alias of the body (its units count too)");
  recommendations->add_option("--due-before", due_before, "Due before this date (YYYY-MM-DD)");
  recommendations->add_option("--overdue-as-of", overdue_as_of, "Due date passed as of this date (YYYY-MM-DD)");
  recommendations->add_option("--doc", rec_doc, "Only those of one document (id or path)");
  recommendations->add_flag("--recurring", rec_filter.recurring,
                            "Only those made again to the same body in another evaluation (similar text)");
  recommendations->add_option("--limit", rec_filter.limit, "List at most N (default: all; ranked: 20)")->check(CLI::Range(1u, 1000000u));
  recommendations->add_option("--offset", rec_filter.offset, "Skip the first N")->check(CLI::Range(0u, 100000u));
  recommendations->add_flag("--json", json, "Print JSON (schemas/recommendations.schema.json)");
  std::string format = "text";
  recommendations->add_option("--format", format, "text, json or csv")->check(CLI::IsMember({"text", "json", "csv"}));

  ActionFilter action_filter;
  std::string action_responsible, action_status, action_due_before, action_overdue, action_evaluation;
  auto* actions = app.add_subcommand("actions", "Key actions: who must do what by when, status, overdue");
  std::vector<std::string> action_words;
  actions->add_option("query", action_words, "Rank by relevance to these words (search syntax)");
  actions->add_option("--responsible", action_responsible, "Name or alias of the unit (its sub-units count too)");
  actions->add_option("--status", action_status, "completed, initiated, not started, overdue, no longer applicable");
  actions->add_option("--due-before", action_due_before, "Due before this date (YYYY-MM-DD)");
  actions->add_option("--overdue-as-of", action_overdue, "Only those overdue on this date (YYYY-MM-DD)");
  actions->add_option("--evaluation", action_evaluation, "Only those of one evaluation or its response (id or path)");
  actions->add_option("--as-of", action_filter.as_of, "Judge 'overdue' on this date (default: today)");
  actions->add_option("--limit", action_filter.limit, "List at most N (default: all)")->check(CLI::Range(1u, 1000000u));
  actions->add_option("--offset", action_filter.offset, "Skip the first N")->check(CLI::Range(0u, 100000u));
  actions->add_flag("--json", json, "Print JSON (schemas/actions.schema.json)");
  actions->add_option("--format", format, "text, json or csv")->check(CLI::IsMember({"text", "json", "csv"}));

  std::string followup_as_of;
  auto* followup = app.add_subcommand("followup", "Follow-up summary per responsible unit and per evaluation");
  followup->add_option("--as-of", followup_as_of, "Judge 'overdue' on this date (default: today)");
  followup->add_flag("--json", json, "Print JSON (schemas/followup.schema.json)");
  followup->add_option("--format", format, "text, json or csv")->check(CLI::IsMember({"text", "json", "csv"}));

  uint32_t duplicates_limit = kDefaultDuplicatesLimit, duplicates_offset = 0;
  auto* duplicates = app.add_subcommand("duplicates", "Near-duplicate documents (a file and its scan, two printings, a draft and its final) and which version stands for each group");
  duplicates->add_option("--limit", duplicates_limit, "List at most N groups")->capture_default_str()->check(CLI::Range(1u, kMaxDuplicatesLimit));
  duplicates->add_option("--offset", duplicates_offset, "Skip the first N groups")->check(CLI::Range(0u, 1000000u));
  duplicates->add_flag("--json", json, "Print JSON (schemas/duplicates.schema.json)");

  std::string node_id, edge_type;
  uint32_t depth = 1;
  auto* graph = app.add_subcommand("graph", "Walk the knowledge graph");
  graph->require_subcommand(1);
  auto* neighbors = graph->add_subcommand("neighbors", "Nodes and edges around a node");
  neighbors->add_option("node", node_id, "Node id (D:, O:, P:, X:, R:, F:, C:, T:, A: followed by 16 hex digits)")->required();
  neighbors->add_option("--depth", depth, "Steps to follow (1-3)")->capture_default_str();
  neighbors->add_option("--edge", edge_type, "Follow only this edge type (mentions, part_of, contains, responsible, states_date, due, same_as, has_action, recurs, responds_to, based_on, funds, implements, leads, member_of, near_duplicate)");
  neighbors->add_flag("--json", json, "Print JSON (schemas/neighbors.schema.json)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  global.data_dir = AbsolutePath(global.data_dir);

  if (*ingest) {
    if (paths.empty() && !ingest_options.reprocess) {
      std::cerr << "dossier ingest: give the files and folders to ingest (or --reprocess to read stored documents again)\n";
      return kExitUsage;
    }
    ingest_options.ocr = !no_ocr;
    ingest_options.open_archives = !no_archives;
    ingest_options.max_worker_memory = max_worker_mib << 20;
    return RunIngest(global, paths, ingest_options, json, quiet, report_path);
  }
  if (*remove) return RunRemove(global, remove_targets, quiet);
  if (*search) {
    for (const std::string& w : words) request.query += (request.query.empty() ? "" : " ") + w;
    if (!language.empty()) request.language = language;
    if (!source.empty()) request.text_source = TextSourceFromName(source);
    if (!org_filter.empty()) request.entity = org_filter;
    if (!type_filter.empty()) request.mime_type = type_filter;
    if (!year_filter.empty()) {
      static const std::regex year_range("(\\d{4})(?:\\.\\.(\\d{4}))?");
      std::smatch m;
      if (!std::regex_match(year_filter, m, year_range)) {
        return Fail(Status::InvalidArgument("--year: expected YYYY or YYYY..YYYY, got '" + year_filter + "'"), json);
      }
      request.year_from = std::stoi(m[1]);
      request.year_to = m[2].matched ? std::stoi(m[2]) : *request.year_from;
    }
    if (items) {
      item_request.query = request.query;
      item_request.limit = request.limit;
      item_request.offset = request.offset;
      item_request.language = request.language;
      item_request.year_from = request.year_from;
      item_request.year_to = request.year_to;
      item_request.facets = true;
      if (!item_responsible.empty()) item_request.responsible = {item_responsible};
      return RunGraphQuery(global, json || item_format == "json",
                           [&](const QueryService& q) { return q.SearchItems(item_request); }, PrintItems,
                           item_format == "csv" ? &ItemsCsv : nullptr);
    }
    return RunSearch(global, request, json);
  }
  if (*show && structure) {
    return RunGraphQuery(global, json, [&](const QueryService& q) { return q.DocumentStructure(which); }, PrintStructure);
  }
  if (*show) return RunShow(global, which, text, json);
  if (*plugins) return RunPlugins(global, json);
  if (*stats) return RunStats(global, json);
  if (*check) return RunCheck(global, repair, json);
  if (*exporter) return RunExport(global, export_format, export_out);
  auto optional = [](const std::string& v) { return v.empty() ? std::nullopt : std::optional<std::string>(v); };
  if (*documents) {
    return RunGraphQuery(global, json, [&](const QueryService& q) -> Result<nlohmann::json> {
      DOSSIER_ASSIGN_OR_RETURN(DocumentList list, q.ListDocuments(documents_limit, documents_offset));
      return DocumentListToJson(list.documents, list.total, documents_offset, documents_limit);
    }, PrintDocuments);
  }
  if (*entities) {
    return RunGraphQuery(global, json, [&](const QueryService& q) {
      return q.Entities(optional(entity_type), optional(entity_doc), entity_limit, entity_offset);
    }, PrintEntities);
  }
  if (*entity) {
    return RunGraphQuery(global, json, [&](const QueryService& q) { return q.Entity(entity_name, mentions_limit, mentions_offset); }, PrintEntity);
  }
  if (*recommendations) {
    rec_filter.responsible = optional(responsible);
    rec_filter.due_before = optional(due_before);
    rec_filter.overdue_as_of = optional(overdue_as_of);
    rec_filter.document = optional(rec_doc);
    rec_filter.similar_to = optional(similar_to);
    std::string rec_query;
    for (const std::string& w : rec_words) rec_query += (rec_query.empty() ? "" : " ") + w;
    if (!rec_words.empty()) rec_filter.query = rec_query;
    return RunGraphQuery(global, json || format == "json", [&](const QueryService& q) { return q.Recommendations(rec_filter); },
                         PrintRecommendations, format == "csv" ? &RecommendationsCsv : nullptr);
  }
  if (*actions) {
    action_filter.responsible = optional(action_responsible);
    action_filter.status = optional(action_status);
    action_filter.due_before = optional(action_due_before);
    action_filter.overdue_as_of = optional(action_overdue);
    action_filter.evaluation = optional(action_evaluation);
    std::string action_query;
    for (const std::string& w : action_words) action_query += (action_query.empty() ? "" : " ") + w;
    if (!action_words.empty()) action_filter.query = action_query;
    return RunGraphQuery(global, json || format == "json", [&](const QueryService& q) { return q.Actions(action_filter); },
                         PrintActions, format == "csv" ? &ActionsCsv : nullptr);
  }
  if (*followup) {
    return RunGraphQuery(global, json || format == "json", [&](const QueryService& q) { return q.FollowUp(followup_as_of); },
                         PrintFollowUp, format == "csv" ? &FollowUpCsv : nullptr);
  }
  if (*duplicates) {
    return RunGraphQuery(global, json, [&](const QueryService& q) { return q.Duplicates(duplicates_limit, duplicates_offset); },
                         PrintDuplicates);
  }
  if (*neighbors) {
    return RunGraphQuery(global, json, [&](const QueryService& q) { return q.Neighbors(node_id, depth, edge_type); },
                         PrintNeighbors);
  }
  return kExitUsage;
}

// The top level of every command: an exception that escapes one (a library's,
// or a bug) is reported like any other error, with exit code 3, instead of
// aborting with "terminate called after throwing".
int main(int argc, char** argv) {
  std::string what = "unexpected error";
  try {
    return RunCommandLine(argc, argv);
  } catch (const std::exception& e) {
    what += std::string(": ") + e.what();
  } catch (...) {
  }
  const bool json = std::any_of(argv + 1, argv + argc, [](const char* arg) { return std::string_view(arg) == "--json"; });
  std::cout.flush();
  return Fail(Status::Internal(what), json);
}
