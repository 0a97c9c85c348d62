// dossier compact: rewrites the search indexes compactly (Xapian's
// compactor), swapping them in so that a running dossierd goes on, and
// compacts RocksDB's column families into their last level.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "commands/commands.h"
#include "dossier/store.h"

namespace dossier::cli {
namespace {

std::string MiB(uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return text;
}

int RunCompact(const GlobalOptions& global, bool quiet) {
  Result<std::unique_ptr<Store>> store = Store::Open(global.data_dir, StoreMode::kReadWrite);
  if (!store.ok()) return FailWriting(store.status(), false, "compact");
  NoteIndexRebuiltAtOpen(**store, quiet);
  if (!quiet) std::cerr << "dossier: compacting the search indexes of " << global.data_dir << "\n";
  Result<Store::CompactReport> compacted = (*store)->CompactIndex();
  if (!compacted.ok()) return FailWriting(compacted.status(), false, "compact");
  if (!quiet) {
    std::cout << "search indexes: " << MiB(compacted->bytes_before) << " -> " << MiB(compacted->bytes_after)
              << "; documents, pages and graph: " << MiB(compacted->store_bytes_before) << " -> "
              << MiB(compacted->store_bytes_after) << "\n";
  }
  return kExitOk;
}

struct CompactCommandOptions {
  bool quiet = false;
};

}  // namespace

void AddCompactCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands) {
  auto o = std::make_shared<CompactCommandOptions>();
  auto* compact = app.add_subcommand(
      "compact", "Rewrite the search indexes and the store compactly (after many documents were added or removed); "
                 "a running dossierd goes on answering");
  compact->add_flag("-q,--quiet", o->quiet, "Print only errors");
  commands.Add(compact, [o, &global] { return RunCompact(global, o->quiet); });
}

}  // namespace dossier::cli
