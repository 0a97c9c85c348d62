// A few small documents (English, Spanish, French; text-layer, OCR and plain
// pages; organisations, a recommendation with a key action, dates) that the
// search-query and HTTP targets store once at start-up, so that queries and
// requests have something to match, page through, facet and look up.
#pragma once

#include <string>
#include <vector>

#include "dossier/document.h"
#include "dossier/facts.h"

namespace dossier_fuzz {

inline dossier::Document SampleDocument(int n, const std::string& language, const std::string& title,
                                        const std::vector<std::string>& pages, const std::string& organisation,
                                        const std::string& year) {
  using namespace dossier;
  Document d;
  std::string hex = "00000000000000" + std::to_string(10 + n);
  d.id = *DocumentId::FromHex(hex);
  d.mime_type = n == 2 ? "text/plain" : "application/pdf";
  d.size_bytes = 1000 + n;
  d.sources = {{"/archive/report-" + std::to_string(n) + ".pdf", 1000u + n, 1700000000000000000LL}};
  d.metadata.title = title;
  d.metadata.author = "Evaluation Office";
  d.title = title;
  d.language = language;
  d.extracted_by = "pdf 0.1.0";
  d.ingested_at_ms = 1700000000000LL;
  for (size_t i = 0; i < pages.size(); ++i) {
    PageText p;
    p.number = static_cast<uint32_t>(i + 1);
    p.text = pages[i];
    p.source = n == 2 ? TextSource::kPlainText : (i == 1 ? TextSource::kOcr : TextSource::kTextLayer);
    p.ocr_confidence = p.source == TextSource::kOcr ? 91.5f : -1.0f;
    d.pages.push_back(p);
  }
  EntityFact org;
  org.type = EntityType::kOrganisation;
  org.name = organisation;
  org.aliases = {"EO" + std::to_string(n)};
  org.mentions = {{1, 0, 5}};
  ItemFact rec;
  rec.number = "1";
  rec.text = "The office should publish its " + title + " every year.";
  rec.page = 1;
  rec.end = 20;
  rec.responsible = {organisation};
  rec.due = year + "-06-30";
  rec.management_response = ManagementResponse{ResponseStatus::kAccepted, "Accepted.", 1};
  KeyAction action;
  action.number = "1.1";
  action.text = "Draft the report";
  action.responsible = {organisation};
  action.due = year + "-03";
  action.status = ActionStatus::kInitiated;
  action.page = 1;
  rec.key_actions = {action};
  DateFact date{"30 June " + year, year + "-06-30", DatePrecision::kDay, std::nullopt, 1, 0, 10};
  for (const Fact& f : std::vector<Fact>{org, rec, date, DocumentDateFact{year}}) d.facts.push_back(EncodeFact(f));
  d.extractors = {"entities 0.1.0"};
  return d;
}

inline std::vector<dossier::Document> SampleDocuments() {
  return {
      SampleDocument(0, "en", "Evaluation of the water and sanitation programme",
                     {"The Lakeside Water Board (LWB) found that decentralization improved sanitation in 2021.",
                      "Recommendation 1: the board should publish the best-practice experience of each district."},
                     "Lakeside Water Board", "2022"),
      SampleDocument(1, "es", "Evaluación del programa de educación",
                     {"La Oficina de Evaluación recomienda la descentralización de la educación rural.",
                      "Las recomendaciones del informe: evaluación anual, l'école, presupuesto."},
                     "Oficina de Evaluación", "2019"),
      SampleDocument(2, "fr", "Rapport d'évaluation de l'entrepreneuriat",
                     {"L’évaluation de l’entrepreneuriat des femmes par le Bureau d’Évaluation a été achevée."},
                     "Bureau d’Évaluation", "2024"),
  };
}

}  // namespace dossier_fuzz
