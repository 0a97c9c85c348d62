// dossier check: verify the data folder and, with --repair, rebuild its index
// and graph from the stored pages and facts.
#include <iostream>
#include <memory>
#include <string>

#include "commands/commands.h"
#include "dossier/json.h"
#include "dossier/store.h"

namespace dossier::cli {
namespace {

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

struct CheckCommandOptions {
  bool repair = false, json = false;
};

}  // namespace

void AddCheckCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands) {
  auto o = std::make_shared<CheckCommandOptions>();
  auto* check = app.add_subcommand("check", "Verify the data folder: checksums, and that documents, pages, index entries "
                                           "and graph agree (exit 0 clean, 3 damaged)");
  check->add_flag("--repair", o->repair,
                  "Rebuild the index and the graph from the stored pages and facts (no source file is read); "
                  "documents that lost a part are dropped and their paths listed to ingest again");
  check->add_flag("--json", o->json, "Print JSON (schemas/check.schema.json)");
  commands.Add(check, [o, &global] { return RunCheck(global, o->repair, o->json); });
}

}  // namespace dossier::cli
