// dossier duplicates: near-duplicate documents and which version stands for each group.
#include <iostream>
#include <memory>
#include <string>

#include "commands/commands.h"
#include "format.h"
#include "dossier/json.h"
#include "dossier/query_service.h"

namespace dossier::cli {
namespace {

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

struct DuplicatesCommandOptions {
  uint32_t limit = kDefaultDuplicatesLimit, offset = 0;
  bool json = false;
};

}  // namespace

void AddDuplicatesCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands) {
  auto o = std::make_shared<DuplicatesCommandOptions>();
  auto* duplicates = app.add_subcommand("duplicates", "Near-duplicate documents (a file and its scan, two printings, a draft and its final) and which version stands for each group");
  duplicates->add_option("--limit", o->limit, "List at most N groups")->capture_default_str()->check(CLI::Range(1u, kMaxDuplicatesLimit));
  duplicates->add_option("--offset", o->offset, "Skip the first N groups");
  duplicates->add_flag("--json", o->json, "Print JSON (schemas/duplicates.schema.json)");
  commands.Add(duplicates, [o, &global] {
    return RunGraphQuery(global, o->json, [&](const QueryService& q) { return q.Duplicates(o->limit, o->offset); },
                         PrintDuplicates);
  });
}

}  // namespace dossier::cli
