// What every dossier command shares (see command.h).
#include "command.h"

#include <iostream>
#include <map>
#include <string_view>

#include "dossier/json.h"

namespace dossier::cli {

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange: return kExitUsage;
    case StatusCode::kNotFound: return kExitSomeFailed;
    default: return kExitEnvironment;
  }
}

Status WithFlagNames(const Status& status) {
  // Request field (dossier/query_service.h) -> the flag that sets it.
  static const std::map<std::string, std::string, std::less<>> kFlags = {
      {"limit", "--limit"},
      {"offset", "--offset"},
      {"mentions_limit", "--mentions-limit"},
      {"mentions_offset", "--mentions-offset"},
      {"due_before", "--due-before"},
      {"overdue_as_of", "--overdue-as-of"},
      {"as_of", "--as-of"},
      {"status", "--status"},
      {"action_status", "--action-status"},
      {"response_status", "--response-status"},
      {"type", "--type"},
      {"types", "--item-type"},
      {"year_from", "--year"},
      {"year_to", "--year"},
      {"depth", "--depth"},
  };
  return RenameQueryField(status, kFlags);
}

int Fail(const Status& status_in, bool json) {
  const Status status = WithFlagNames(status_in);
  if (json) std::cout << DumpJson(ErrorToJson(status), 2) << "\n";
  std::cerr << "dossier: error: " << status.message() << "\n";
  return ExitCodeFor(status);
}

int FailWriting(const Status& status, bool json, const std::string& command) {
  if (!IsDataFolderWriteFailure(status)) return Fail(status, json);
  Fail(Status(status.code(), status.message() + "; " + command +
                                 " stopped: what it stored is kept, and the next run finishes it once there is room"),
       json);
  return kExitSomeFailed;
}

void NoteIndexRebuiltAtOpen(const Store& store, bool quiet) {
  if (store.IndexRebuiltAtOpen() == 0 || quiet) return;
  if (store.ItemsOnlyRebuiltAtOpen()) {
    std::cerr << "dossier: note: the item index was made by an older version; made the item entries of "
              << store.IndexRebuiltAtOpen() << " document(s) again from their stored facts\n";
  } else {
    std::cerr << "dossier: note: the search index was made by an older version; re-indexed "
              << store.IndexRebuiltAtOpen() << " document(s) from their stored text and facts\n";
  }
}

void AddListingFormatOption(CLI::App* command, std::string* format) {
  command->add_option("--format", *format, "text, json or csv")->check(CLI::IsMember({"text", "json", "csv"}));
}

void AddListPagingOptions(CLI::App* command, uint32_t* limit, uint32_t* offset) {
  command->add_option("--limit", *limit, "At most this many")->capture_default_str()->check(CLI::Range(1u, 1000u));
  command->add_option("--offset", *offset, "Skip this many")->capture_default_str();
}

std::optional<int> CommandList::RunParsed() const {
  for (const auto& [command, run] : commands_) {
    if (command->parsed()) return run();
  }
  return std::nullopt;
}

int RunGraphQuery(const GlobalOptions& global, bool json,
                  const std::function<Result<nlohmann::json>(const QueryService&)>& query, JsonPrinter print,
                  JsonPrinter csv) {
  Result<std::unique_ptr<QueryService>> service = QueryService::Open(global.data_dir);
  if (!service.ok()) return Fail(service.status(), json);
  Result<nlohmann::json> result = query(**service);
  if (!result.ok()) return Fail(result.status(), json);
  if (json) std::cout << DumpJson(*result, 2) << "\n";
  else if (csv) csv(*result);
  else print(*result);
  return kExitOk;
}

}  // namespace dossier::cli
