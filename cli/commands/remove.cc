// dossier remove: documents by id, or paths, out of the data folder.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "commands/commands.h"
#include "dossier/ingest.h"
#include "dossier/store.h"

namespace dossier::cli {
namespace {

int RunRemove(const GlobalOptions& global, const std::vector<std::string>& targets, bool quiet) {
  Result<std::unique_ptr<Store>> store = Store::Open(global.data_dir, StoreMode::kReadWrite);
  if (!store.ok()) return FailWriting(store.status(), false, "remove");
  NoteIndexRebuiltAtOpen(**store, quiet);
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

struct RemoveCommandOptions {
  std::vector<std::string> targets;
  bool quiet = false;
};

}  // namespace

void AddRemoveCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands) {
  auto o = std::make_shared<RemoveCommandOptions>();
  auto* remove = app.add_subcommand("remove", "Remove documents by id, or paths (files, archive members, folders) from the data folder");
  remove->add_option("targets", o->targets, "Document id (16 hex digits) or path")->required();
  remove->add_flag("-q,--quiet", o->quiet, "Print only errors");
  commands.Add(remove, [o, &global] { return RunRemove(global, o->targets, o->quiet); });
}

}  // namespace dossier::cli
