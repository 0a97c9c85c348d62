// dossier documents: the stored documents, in id order.
#include <iostream>
#include <memory>

#include "commands/commands.h"
#include "format.h"
#include "dossier/json.h"
#include "dossier/query_service.h"

namespace dossier::cli {
namespace {

// One line per document: id, pages, language, title, first path.
void PrintDocuments(const nlohmann::json& result) {
  for (const auto& d : result["documents"]) {
    const auto& sources = d["sources"];
    std::cout << d.value("id", "") << "  " << d.value("page_count", 0) << " p.  " << d.value("language", "") << "  "
              << d.value("title", "") << (sources.empty() ? "" : "  (" + sources[0].value("path", "") + ")") << "\n";
  }
  if (result["documents"].empty()) std::cout << "No documents.\n";
  PrintPaging(result, result["documents"].size(), "documents");
}

struct DocumentsCommandOptions {
  uint32_t limit = 100, offset = 0;
  bool json = false;
};

}  // namespace

void AddDocumentsCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands) {
  auto o = std::make_shared<DocumentsCommandOptions>();
  auto* documents = app.add_subcommand("documents", "List the stored documents, in id order");
  AddListPagingOptions(documents, &o->limit, &o->offset);
  documents->add_flag("--json", o->json, "Print JSON (schemas/documents.schema.json)");
  commands.Add(documents, [o, &global] {
    return RunGraphQuery(global, o->json, [&](const QueryService& q) -> Result<nlohmann::json> {
      DOSSIER_ASSIGN_OR_RETURN(DocumentList list, q.ListDocuments(o->limit, o->offset));
      return DocumentListToJson(list.documents, list.total, o->offset, o->limit);
    }, PrintDocuments);
  });
}

}  // namespace dossier::cli
