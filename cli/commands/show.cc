// dossier show: a document by id or path: its record, its page texts, or
// (--structure) its structure model.
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "commands/commands.h"
#include "dossier/json.h"
#include "dossier/query_service.h"
#include "dossier/text.h"

namespace dossier::cli {
namespace {

// What title_source and date_source say, in words.
std::string TitleSourceWords(const std::string& source) {
  if (source == "heading") return "largest heading";
  if (source == "first_line") return "first line";
  if (source == "file_name") return "file name";
  return source;
}

std::string DateSourceWords(const std::string& source) {
  if (source == "cover") return "printed on the cover";
  if (source == "front_matter") return "printed in the front matter";
  if (source == "metadata") return "file metadata";
  return source;
}

int RunShow(const GlobalOptions& global, const std::string& which, bool text, bool json) {
  Result<std::unique_ptr<QueryService>> service = QueryService::Open(global.data_dir);
  if (!service.ok()) return Fail(service.status(), json);
  Result<DocumentSummary> doc = (*service)->FindDocument(which);
  if (!doc.ok()) return Fail(doc.status(), json);
  std::optional<std::vector<PageText>> pages;
  if (text || json) {
    Result<std::vector<PageText>> loaded = (*service)->GetPages(doc->id);
    if (!loaded.ok()) return Fail(loaded.status(), json);
    pages = std::move(loaded).value();
  }
  if (json) {
    std::cout << DocumentToJson(*doc, text ? &*pages : nullptr).dump(2) << "\n";
    return kExitOk;
  }
  if (text) {  // as pdftotext prints it: each page followed by a form feed
    for (const PageText& page : *pages) std::cout << page.text << (page.text.empty() || page.text.back() == '\n' ? "" : "\n") << '\f';
    return kExitOk;
  }
  const DocumentSummary& d = *doc;
  std::cout << "id:         " << d.id.ToHex() << "\n"
            << "title:      " << d.title << (d.title_source.empty() ? "" : " (from the " + TitleSourceWords(d.title_source) + ")")
            << "\n";
  if (!d.date.empty()) std::cout << "date:       " << d.date << " (" << DateSourceWords(d.date_source) << ")\n";
  std::cout << "type:       " << d.mime_type << ", " << d.size_bytes << " bytes\n"
            << "language:   " << d.language << "\n"
            << "pages:      " << d.page_count << " (" << d.ocr_page_count << " by OCR)\n";
  if (!d.metadata.author.empty()) std::cout << "author:     " << d.metadata.author << "\n";
  if (!d.metadata.created.empty()) std::cout << "created:    " << d.metadata.created << "\n";
  std::cout << "extracted:  " << d.extracted_by << "\n";
  for (const SourceFile& source : d.sources) std::cout << "source:     " << source.path << "\n";
  return kExitOk;
}

// `show --structure`: the section tree with roles, topics and pages, and
// under each section its labelled blocks, marked with what they were taken as.
void PrintStructure(const nlohmann::json& s) {
  using nlohmann::json;
  // A member, or null when it is missing (const operator[] must not be used on a missing key).
  auto At = [](const json& j, const char* key) -> const json& {
    static const json kNull;
    if (!j.is_object()) return kNull;
    auto it = j.find(key);
    return it == j.end() ? kNull : *it;
  };
  auto plural = [](uint64_t n, const std::string& one, const std::string& many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  // "3 paragraphs, 4 list items" (non-zero counts only).
  auto counts = [&](const json& blocks) {
    static const std::vector<std::tuple<std::string, std::string, std::string>> kinds = {
        {"heading", "heading", "headings"},         {"paragraph", "paragraph", "paragraphs"},
        {"list_item", "list item", "list items"},   {"table_row", "table row", "table rows"},
        {"contents_entry", "contents entry", "contents entries"}};
    std::string out;
    for (const auto& [key, one, many] : kinds) {
      const uint64_t n = blocks.value(key, uint64_t{0});
      if (n) out += (out.empty() ? "" : ", ") + plural(n, one, many);
    }
    return out.empty() ? std::string("no blocks") : out;
  };
  auto pages = [](const json& first, const json& last) -> std::string {
    if (!first.is_number() || !last.is_number()) return "";
    const uint64_t a = first.get<uint64_t>(), b = last.get<uint64_t>();
    return a == b ? "page " + std::to_string(a) : "pages " + std::to_string(a) + "-" + std::to_string(b);
  };
  auto print_blocks = [&](const json& where, const std::string& indent) {
    for (const json& b : where.value("labelled", json::array())) {
      std::string label = At(b, "label").is_string() ? At(b, "label").get<std::string>() : "";
      std::string line = indent + "- " + b.value("kind", "") + (label.empty() ? "" : " " + label) + "  p." +
                         std::to_string(b.value("page", 0)) + "  " + b.value("text", "");
      const json& taken = At(b, "taken");
      if (taken.is_object()) {
        std::string as = taken.value("as", "");
        std::replace(as.begin(), as.end(), '_', ' ');
        line += "  [taken: " + as + (At(taken, "number").is_string() ? " " + At(taken, "number").get<std::string>() : "");
        if (taken.contains("recommendation")) line += " of recommendation " + taken.value("recommendation", "");
        line += "]";
      } else {
        line += "  [not taken]";
      }
      std::cout << line << "\n";
    }
    const uint64_t total = where.value("labelled_total", uint64_t{0});
    const uint64_t shown = where.value("labelled", json::array()).size();
    if (total > shown) std::cout << indent << "  … " << plural(total - shown, "more labelled block", "more labelled blocks") << " not listed\n";
  };

  const json& doc = At(s, "document");
  std::cout << doc.value("title", "") << "  [" << doc.value("id", "") << "]  "
            << plural(doc.value("page_count", uint64_t{0}), "page", "pages") << "\n";
  const json& removed = At(s, "removed");
  std::cout << "removed:  " << plural(removed.value("page_headers", uint64_t{0}), "running header line", "running header lines")
            << ", " << plural(removed.value("page_footers", uint64_t{0}), "running footer line", "running footer lines")
            << ", " << plural(removed.value("page_numbers", uint64_t{0}), "page number", "page numbers") << "\n";
  std::cout << "blocks:   " << counts(At(s, "blocks")) << "\n";
  const json& labelled = At(s, "labelled");
  std::cout << "labelled: " << labelled.value("total", uint64_t{0}) << " (list items, table rows and blocks taken), "
            << labelled.value("taken", uint64_t{0}) << " taken, " << labelled.value("listed", uint64_t{0})
            << " listed (every taken one, the others up to " << labelled.value("limit", uint64_t{0}) << ")\n";
  const uint64_t sections_total = s.value("sections_total", uint64_t{0});
  const json& sections = At(s, "sections");
  std::cout << plural(sections_total, "section", "sections");
  if (sections_total > sections.size()) std::cout << " (the first " << sections.size() << " listed)";
  std::cout << "\n\n";

  const json& front = At(s, "front");
  if (!At(front, "first_page").is_null()) {
    std::cout << "(before the first heading)  " << pages(At(front, "first_page"), At(front, "last_page")) << "  "
              << counts(At(front, "blocks")) << "\n";
    print_blocks(front, "    ");
  }
  std::vector<int> depth(sections.size(), 0);
  for (size_t i = 0; i < sections.size(); ++i) {
    const json& section = sections[i];
    const json& parent = At(section, "parent");
    if (parent.is_number() && parent.get<size_t>() < i) depth[i] = depth[parent.get<size_t>()] + 1;
    const std::string indent(2 * depth[i], ' ');
    std::string number = At(section, "number").is_string() ? At(section, "number").get<std::string>() + "  " : "";
    std::string what = section.value("role", "");
    if (At(section, "topic").is_string()) {
      std::string topic = At(section, "topic").get<std::string>();
      std::replace(topic.begin(), topic.end(), '_', ' ');
      what += ", " + topic + (section.value("own_topic", false) ? "" : " (inherited)");
    }
    std::cout << indent << number << section.value("title", "") << "  (" << what << ")  "
              << pages(At(section, "first_page"), At(section, "last_page")) << "  " << counts(At(section, "blocks")) << "\n";
    print_blocks(section, indent + "    ");
  }
}

struct ShowCommandOptions {
  std::string which;
  bool text = false, json = false, structure = false;
};

}  // namespace

void AddShowCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands) {
  auto o = std::make_shared<ShowCommandOptions>();
  auto* show = app.add_subcommand("show", "Show a document by id or path");
  show->add_option("document", o->which, "Document id (16 hex digits) or source path")->required();
  show->add_flag("--text", o->text, "Print the page texts, pages separated by form feeds");
  show->add_flag("--json", o->json, "Print JSON (schemas/document.schema.json; with --structure, structure.schema.json)");
  show->add_flag("--structure", o->structure,
                 "Print the document's structure: sections with role, topic and pages, and their labelled blocks, "
                 "marked with what was taken as a recommendation, finding, conclusion or key action")
      ->excludes(show->get_option("--text"));
  commands.Add(show, [o, &global] {
    if (o->structure) {
      return RunGraphQuery(global, o->json, [&](const QueryService& q) { return q.DocumentStructure(o->which); },
                           PrintStructure);
    }
    return RunShow(global, o->which, o->text, o->json);
  });
}

}  // namespace dossier::cli
