// dossier merge: one data folder from the shard folders that
// `dossier ingest --partition K/N` made (core: dossier/merge.h).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "commands/commands.h"
#include "dossier/merge.h"
#include "dossier/paths.h"

namespace dossier::cli {
namespace {

struct MergeCommandOptions {
  std::vector<std::string> shards;
  std::string into;
  bool json = false, quiet = false, no_compact = false;
};

int RunMerge(const MergeCommandOptions& o) {
  MergeOptions options;
  for (const std::string& shard : o.shards) options.shard_dirs.push_back(AbsolutePath(shard));
  options.into_dir = AbsolutePath(o.into);
  if (o.no_compact) options.compact_after_changes = 0;
  // Progress: rewritten in place on a terminal, else a line every 5 s.
  const bool tty = ::isatty(STDERR_FILENO);
  bool shown = false;
  auto last = std::chrono::steady_clock::now();
  if (!o.quiet) {
    options.progress = [&](uint64_t done, uint64_t total) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last < (tty ? std::chrono::milliseconds(200) : std::chrono::milliseconds(5000))) return;
      last = now;
      char line[128];
      std::snprintf(line, sizeof line, "%llu/%llu documents written or removed", static_cast<unsigned long long>(done),
                    static_cast<unsigned long long>(total));
      if (tty) {
        std::cerr << "\r\033[K" << line << std::flush;
        shown = true;
      } else {
        std::cerr << "dossier: progress: " << line << "\n";
      }
    };
  }
  Result<MergeReport> merged = MergeDataFolders(options);
  if (shown) std::cerr << "\r\033[K" << std::flush;
  if (!merged.ok()) return FailWriting(merged.status(), o.json, "merge");
  const MergeReport& r = *merged;
  if (o.json) {
    nlohmann::json shards = nlohmann::json::array();
    for (const MergeShardReport& s : r.shards) shards.push_back({{"dir", s.dir}, {"documents", s.documents}});
    nlohmann::json out = {{"into", options.into_dir}, {"shards", shards},         {"documents", r.documents},
                          {"added", r.added},         {"updated", r.updated},     {"unchanged", r.unchanged},
                          {"removed", r.removed},     {"superseded", r.superseded}, {"seconds", r.seconds},
                          {"compacted", r.compacted}};
    std::cout << out.dump() << "\n";
  }
  if (!o.quiet) {
    char line[384];
    std::snprintf(line, sizeof line,
                  "merged %zu shard(s) into %s: %llu document(s); %llu added, %llu updated, %llu unchanged, "
                  "%llu removed, %llu superseded by newer versions, in %.2f s\n",
                  r.shards.size(), options.into_dir.c_str(), static_cast<unsigned long long>(r.documents),
                  static_cast<unsigned long long>(r.added), static_cast<unsigned long long>(r.updated),
                  static_cast<unsigned long long>(r.unchanged), static_cast<unsigned long long>(r.removed),
                  static_cast<unsigned long long>(r.superseded), r.seconds);
    std::cerr << line;
    if (r.compacted) std::cerr << "dossier: compacted the merged folder (--no-compact skips this)\n";
  }
  return kExitOk;
}

}  // namespace

void AddMergeCommand(CLI::App& app, const GlobalOptions& /*global*/, CommandList& commands) {
  auto o = std::make_shared<MergeCommandOptions>();
  auto* merge = app.add_subcommand(
      "merge", "Build one data folder from shard folders (`ingest --partition K/N`): documents copied, the graph "
               "linked across shards, the search indexes made; again after a shard changed, only what changed");
  merge->add_option("shards", o->shards, "Shard data folders")->required();
  merge->add_option("--into", o->into, "The merged data folder (new, or made by an earlier merge)")->required();
  merge->add_flag("--no-compact", o->no_compact, "Do not compact the merged folder after a large merge");
  merge->add_flag("--json", o->json, "Print the merge report as JSON (schemas/merge-report.schema.json)");
  merge->add_flag("-q,--quiet", o->quiet, "Print only errors");
  commands.Add(merge, [o] { return RunMerge(*o); });
}

}  // namespace dossier::cli
