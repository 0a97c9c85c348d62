// dossier: ingest documents into a data folder and query it from the command line.
// Each subcommand is in commands/<name>.cc; this file adds them and runs the
// one the command line names.
#include <CLI/CLI.hpp>
#include <signal.h>

#include <algorithm>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "command.h"
#include "commands/commands.h"
#include "dossier/paths.h"
#include "dossier/remote_index.h"

namespace dossier::cli {
namespace {

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
  std::string remote_index;
  app.add_option("--remote-index", remote_index,
                 "HOST:PORT[,HOST:PORT...]: `search` runs on the page indexes these xapian-tcpsrv shards serve, as "
                 "one index (documents and pages still come from --data)");

  CommandList commands;
  AddIngestCommand(app, global, commands);
  AddRemoveCommand(app, global, commands);
  AddCompactCommand(app, global, commands);
  AddMergeCommand(app, global, commands);
  AddSearchCommand(app, global, commands);
  AddShowCommand(app, global, commands);
  AddPluginsCommand(app, global, commands);
  AddCheckCommand(app, global, commands);
  AddStatsCommand(app, global, commands);
  AddExportCommand(app, global, commands);
  AddDocumentsCommand(app, global, commands);
  AddEntitiesCommand(app, global, commands);
  AddEntityCommand(app, global, commands);
  AddRecommendationsCommand(app, global, commands);
  AddActionsCommand(app, global, commands);
  AddFollowUpCommand(app, global, commands);
  AddDuplicatesCommand(app, global, commands);
  AddGraphCommand(app, global, commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  global.data_dir = AbsolutePath(global.data_dir);
  if (app.count("--remote-index") > 0) {
    Result<std::vector<RemoteShard>> shards = ParseRemoteShards(remote_index);
    if (!shards.ok()) return Fail(shards.status(), false);
    global.remote_index = RemoteIndex{*shards, kDefaultRemoteTimeout};
    // A shard closing its connection must be an error, not the end of the process.
    ::signal(SIGPIPE, SIG_IGN);
  }
  return commands.RunParsed().value_or(kExitUsage);
}

}  // namespace
}  // namespace dossier::cli

// The top level of every command: an exception that escapes one (a library's,
// or a bug) is reported like any other error, with exit code 3, instead of
// aborting with "terminate called after throwing".
int main(int argc, char** argv) {
  std::string what = "unexpected error";
  try {
    return dossier::cli::RunCommandLine(argc, argv);
  } catch (const std::exception& e) {
    what += std::string(": ") + e.what();
  } catch (...) {
  }
  const bool json = std::any_of(argv + 1, argv + argc, [](const char* arg) { return std::string_view(arg) == "--json"; });
  std::cout.flush();
  return dossier::cli::Fail(dossier::Status::Internal(what), json);
}
