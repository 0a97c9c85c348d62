// Prints the document structure model of a text file whose pages are
// separated by form feeds (as `dossier show --text` writes them): every block
// with its page, kind, level, label and section. A development aid for the
// structure reader; `dossier show --structure` shows the section tree of a
// stored document.
// Usage: dossier_structure_dump CUES_FOLDER LANGUAGE FILE
#include <fstream>
#include <iostream>
#include <sstream>

#include "structure.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: dossier_structure_dump CUES_FOLDER LANGUAGE FILE\n";
    return 2;
  }
  dossier_structure::Cues cues;
  std::string error;
  if (!cues.LoadFolder(argv[1], &error)) {
    std::cerr << error << "\n";
    return 1;
  }
  std::ifstream in(argv[3], std::ios::binary);
  if (!in) {
    std::cerr << argv[3] << ": cannot open\n";
    return 1;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string all = buffer.str();
  std::vector<std::string> texts;
  size_t start = 0;
  while (start <= all.size()) {
    size_t ff = all.find('\f', start);
    if (ff == std::string::npos) ff = all.size();
    texts.push_back(all.substr(start, ff - start));
    start = ff + 1;
  }
  if (!texts.empty() && texts.back().find_first_not_of(" \n") == std::string::npos) texts.pop_back();
  std::vector<dossier_structure::PageText> pages;
  for (size_t i = 0; i < texts.size(); ++i) pages.push_back({static_cast<uint32_t>(i + 1), texts[i]});
  const auto structure = dossier_structure::BuildStructure(pages, cues, argv[2]);
  std::cout << "removed: " << structure.removed.page_headers << " headers, " << structure.removed.page_footers
            << " footers, " << structure.removed.page_numbers << " page numbers\n";
  for (const auto& b : structure.blocks) {
    std::string topic, role;
    if (const auto* s = structure.SectionOf(b)) {
      topic = std::string(dossier_structure::TopicName(s->topic));
      role = std::string(dossier_structure::SectionRoleName(s->role));
    }
    std::cout << "p" << b.page << " " << dossier_structure::BlockKindName(b.kind) << " L" << b.level << " s"
              << b.section << "[" << role << "/" << topic << "] ";
    if (!b.label.empty()) std::cout << "<" << b.label << "> ";
    std::cout << b.text.substr(0, 110) << "\n";
  }
  return 0;
}
