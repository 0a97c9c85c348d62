// What every dossier command shares: the global options, the exit codes,
// error reporting, and the list main() runs the parsed command from. Each
// command lives in commands/<name>.cc and adds itself with Add<Name>Command
// (commands/commands.h).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "dossier/query_service.h"
#include "dossier/status.h"
#include "dossier/store.h"

namespace dossier::cli {

// Exit codes (documented in README.md):
inline constexpr int kExitOk = 0;
inline constexpr int kExitSomeFailed = 1;  // some inputs failed, or the thing asked for does not exist
inline constexpr int kExitUsage = 2;       // bad command line or query
inline constexpr int kExitEnvironment = 3; // the data folder or plugins are unusable

struct GlobalOptions {
  std::string data_dir;
  std::string plugin_dir;
  // --remote-index: `dossier search` runs on these xapian-tcpsrv shards.
  std::optional<RemoteIndex> remote_index;
};

int ExitCodeFor(const Status& status);

// Prints an error to stderr (or as JSON to stdout with --json) and returns the
// exit code.
int Fail(const Status& status, bool json);
// QueryService names a bad request field as the request struct does
// ("due_before: expected a date ..."); the user typed a flag. Returns the
// status with a leading field name replaced by its flag ("--due-before: ...").
// Fail does this for every InvalidArgument.
Status WithFlagNames(const Status& status);

// A writing command (ingest, remove) that stopped because a write to the data
// folder failed (disk full, I/O error): exit 1, saying that what was written
// is kept and the next run finishes it. Other failures as Fail.
int FailWriting(const Status& status, bool json, const std::string& command);

// When the writer's open of `store` made its index entries again (an index
// of an older text format), says so on stderr, unless `quiet`: the open
// took that long, and nothing else needs doing.
void NoteIndexRebuiltAtOpen(const Store& store, bool quiet);

// An option's text, or nullopt when it was not given (left empty).
inline std::optional<std::string> OptionalText(const std::string& value) {
  return value.empty() ? std::nullopt : std::optional<std::string>(value);
}

// --format for a listing printed as text, JSON or CSV.
void AddListingFormatOption(CLI::App* command, std::string* format);
// --limit (1..1000) and --offset of a listing that pages.
void AddListPagingOptions(CLI::App* command, uint32_t* limit, uint32_t* offset);

// The subcommands main() registered, each with what runs it once the command
// line is parsed.
class CommandList {
 public:
  void Add(CLI::App* command, std::function<int()> run) { commands_.emplace_back(command, std::move(run)); }
  // The exit code of the command the command line named; nullopt when none was.
  std::optional<int> RunParsed() const;

 private:
  std::vector<std::pair<CLI::App*, std::function<int()>>> commands_;
};

// A printer of a query's JSON result as text or CSV.
using JsonPrinter = void (*)(const nlohmann::json&);

// Opens the query service for a graph command and prints its JSON (with
// `json`), else its CSV (when `csv` is given), else its text.
int RunGraphQuery(const GlobalOptions& global, bool json,
                  const std::function<Result<nlohmann::json>(const QueryService&)>& query, JsonPrinter print,
                  JsonPrinter csv = nullptr);

}  // namespace dossier::cli
