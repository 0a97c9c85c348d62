// Documents made of facts alone, for the graph tests.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dossier/document.h"
#include "dossier/text.h"

namespace dossier {

// A one-page text document whose id hashes `content_key`, carrying `facts`.
inline Document DocWithFacts(const std::string& content_key, const std::vector<nlohmann::json>& facts) {
  Document doc;
  doc.id = DocumentId::FromHex(Sha256Hex(content_key).substr(0, 16)).value();
  doc.mime_type = "text/plain";
  doc.sources = {{"/in/" + content_key + ".txt", 10, 1}};
  doc.title = "Doc " + content_key;
  doc.language = "en";
  doc.pages = {{1, "text of " + content_key, TextSource::kPlainText, -1}};
  for (const nlohmann::json& f : facts) doc.facts.push_back(f.dump());
  doc.extractors = {"test 1.0.0"};
  return doc;
}

// Documents whose graph links span documents (graph_order_test.cc, merge_test.cc).
namespace graph_documents {

using json = nlohmann::json;

inline json Entity(const std::string& name, const std::vector<std::string>& aliases = {}) {
  return {{"kind", "entity"},
          {"type", "organisation"},
          {"name", name},
          {"aliases", aliases},
          {"mentions", json::array({{{"page", 1}, {"start", 0}, {"end", 3}}})}};
}

inline json Recommendation(const std::string& number, const std::string& text, const std::vector<std::string>& who,
                           const json& actions = json::array(), const json& due = nullptr) {
  json r = {{"kind", "item"},   {"item_type", "recommendation"},
            {"number", number}, {"text", text},
            {"page", 1},        {"start", 0},
            {"end", 10},        {"responsible", who},
            {"due", due}};
  if (!actions.empty()) r["key_actions"] = actions;
  return r;
}

inline json Action(const std::string& number, const std::string& text, const std::string& status) {
  return {{"number", number}, {"text", text}, {"responsible", json::array({"RISU"})}, {"status", status}, {"page", 1}};
}

inline json Dated(const std::string& value) { return {{"kind", "document_date"}, {"value", value}}; }

inline json StatedDate(const std::string& text, const std::string& value) {
  return {{"kind", "date"}, {"text", text}, {"value", value}, {"precision", "month"},
          {"page", 1},      {"start", 0},   {"end", 5}};
}

inline json Title(const std::string& title, bool responds) {
  return {{"kind", responds ? "responds_to" : "evaluation_title"}, {"title", title}, {"key", NameKey(title)}};
}

inline const std::string kTrain =
    "The Rural Infrastructure Support Unit should train district engineers in pump maintenance.";
inline const std::string kTrainAgain =
    "The Rural Infrastructure Support Unit should train district engineers in pump maintenance and repair.";
inline const std::string kFund =
    "The ministry should fund the regional water boards from the national budget every year.";
inline const std::string kAct = "Training courses for district engineers are held twice a year.";

// Five documents: an evaluation defining RISU, its management response
// (restating recommendation 1 and an action, answering the title, using RISU
// bare), a progress update restating the action (and stating a date), a
// later evaluation making a similar recommendation to the unit again (due
// that date), and a document using RISU bare.
inline std::vector<Document> Corpus() {
  return {
      DocWithFacts("evaluation", {Dated("2019-05-01"), Title("Evaluation of Rural Water", false),
                                  Entity("Rural Infrastructure Support Unit", {"RISU"}), Entity("Ministry of Water"),
                                  Recommendation("1", kTrain, {"Rural Infrastructure Support Unit"}),
                                  Recommendation("2", kFund, {"Ministry of Water"})}),
      DocWithFacts("response", {Dated("2019-09-01"), Title("Evaluation of Rural Water", true), Entity("RISU"),
                                Recommendation("1", kTrain, {"RISU"}, json::array({Action("1.1", kAct, "initiated")})),
                                Recommendation("2", kFund, {"Ministry of Water"})}),
      DocWithFacts("update", {Dated("2020-09-01"), Entity("RISU"), StatedDate("December 2021", "2021-12"),
                              Recommendation("1", kTrain, {"RISU"}, json::array({Action("1.1", kAct, "completed")}))}),
      DocWithFacts("second", {Dated("2023-02-01"), Entity("Rural Infrastructure Support Unit", {"RISU"}),
                              Recommendation("4", kTrainAgain, {"RISU"}, json::array(), "2021-12")}),
      DocWithFacts("bare", {Entity("RISU"), Entity("Ministry of Water")}),
  };
}

}  // namespace graph_documents

}  // namespace dossier
