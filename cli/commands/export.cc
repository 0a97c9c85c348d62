// dossier export: every document's extracted facts as JSON lines, or the graph
// as GraphML or JSON-LD.
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "commands/commands.h"
#include "dossier/json.h"
#include "dossier/query_service.h"

namespace dossier::cli {
namespace {

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

struct ExportCommandOptions {
  std::string format = "jsonl", out;
};

}  // namespace

void AddExportCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands) {
  auto o = std::make_shared<ExportCommandOptions>();
  auto* exporter = app.add_subcommand("export", "Export every document's extracted facts");
  exporter->add_option("--format", o->format,
                       "jsonl (one record per document, schemas/export-record.schema.json), graphml or jsonld (the graph)")
      ->capture_default_str()
      ->check(CLI::IsMember({"jsonl", "graphml", "jsonld"}));
  exporter->add_option("-o,--output", o->out, "Write to this file instead of standard output");
  commands.Add(exporter, [o, &global] { return RunExport(global, o->format, o->out); });
}

}  // namespace dossier::cli
