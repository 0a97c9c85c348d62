// Tests of the query parsing the page and item indexes share (xapian_text.h).
#include "xapian_text.h"

#include <gtest/gtest.h>

#include <xapian.h>

#include <map>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace dossier {
namespace {

// What ParseInEachLanguage must give, made the long way: the query parsed
// in each language alone, languages whose parses read the same sharing one
// subquery filtered to their L terms.
Xapian::Query ParsedInEachLanguageAlone(Xapian::Database& db, const std::string& text,
                                        const std::vector<std::string>& languages, Xapian::Query::op op,
                                        bool adjacent_boost, ParsePurpose purpose) {
  std::vector<std::pair<Xapian::Query, std::vector<Xapian::Query>>> groups;
  std::map<std::string, size_t> group_of;
  for (const std::string& language : languages) {
    QueryParsers parsers;  // nothing shared with another language's parse
    SetUpQueryParsers(db, [](Xapian::QueryParser&) {}, &parsers);
    const Xapian::Query alone = ParseInEachLanguage(parsers, text, {language}, op, adjacent_boost, purpose);
    auto [at, added] = group_of.emplace(alone.get_description(), groups.size());
    if (added) groups.push_back({alone, {}});
    groups[at->second].second.emplace_back("L" + language);
  }
  std::vector<Xapian::Query> parts;
  for (auto& [parsed, language_terms] : groups) {
    parts.push_back(groups.size() == 1 ? parsed
                                       : Xapian::Query(Xapian::Query::OP_FILTER, parsed,
                                                       Xapian::Query(Xapian::Query::OP_OR, language_terms.begin(),
                                                                     language_terms.end())));
  }
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

// A query of plain words is not parsed again for a language whose stemmer
// stems its words (as typed and folded) as an earlier language's did: the
// query is the same as when every language is parsed, for plain words and
// for queries that are not (phrases, fields, wildcards, elisions, NOT),
// with "und" (no stemmer, which leaves words as they are) among languages
// whose stemmers leave some queries' words as they are too.
TEST(XapianTextTest, LanguagesThatStemAQuerysWordsAlikeShareItsParse) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  Xapian::Document doc;
  doc.add_term("unit");
  doc.add_term("units");
  db.add_document(doc);
  db.commit();
  const std::vector<std::string> languages = {"und", "en", "fr", "es", "de", "it", "pt", "nl", "sv", "ru"};
  const std::vector<std::string> queries = {
      "unit", "line unit", "management responses", "évaluation des recommandations", "Evaluación",
      "naïve café", "2019 budget", "UNICEF programmes", "ÉTÉ   chaud", "straße", "running AND runs",
      "units*", "\"line unit\"", "title:evaluation report", "l'évaluation", "report -draft",
      "well-being of children's families", "follow-up actions", "evaluations.reports", "U.N. agencies",
      // Two stemmed words a comma parts (not one word "actionsxyz").
      "actions,xyz",
  };
  for (const std::string& text : queries) {
    for (const auto& [op, boost, purpose] : std::vector<std::tuple<Xapian::Query::op, bool, ParsePurpose>>{
             {Xapian::Query::OP_AND, false, ParsePurpose::kRank},
             {Xapian::Query::OP_AND, true, ParsePurpose::kRank},
             {Xapian::Query::OP_OR, false, ParsePurpose::kRank},
             {Xapian::Query::OP_AND, false, ParsePurpose::kMatchSet}}) {
      QueryParsers parsers;
      SetUpQueryParsers(db, [](Xapian::QueryParser&) {}, &parsers);
      // Twice with the same parsers: the second call reuses what the first kept.
      for (int call = 0; call < 2; ++call) {
        EXPECT_EQ(ParseInEachLanguage(parsers, text, languages, op, boost, purpose).get_description(),
                  ParsedInEachLanguageAlone(db, text, languages, op, boost, purpose).get_description())
            << text << " (operator " << op << ", boost " << boost << ", call " << call << ")";
      }
    }
  }
}

}  // namespace
}  // namespace dossier
