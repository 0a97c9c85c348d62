// dossier stats: counts of documents, pages, languages and types.
#include <iostream>
#include <memory>

#include "commands/commands.h"
#include "dossier/json.h"
#include "dossier/query_service.h"

namespace dossier::cli {
namespace {

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

}  // namespace

void AddStatsCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands) {
  auto json = std::make_shared<bool>(false);
  auto* stats = app.add_subcommand("stats", "Counts of documents, pages, languages and types");
  stats->add_flag("--json", *json, "Print JSON (schemas/stats.schema.json)");
  commands.Add(stats, [json, &global] { return RunStats(global, *json); });
}

}  // namespace dossier::cli
