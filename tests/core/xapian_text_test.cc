// Tests of the query parsing the page and item indexes share (xapian_text.h).
#include "xapian_text.h"
#include "facet_columns.h"
#include "function_words.h"
#include "dossier/text.h"

#include <gtest/gtest.h>

#include <xapian.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <thread>
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
  doc.add_posting("unit", 1);  // with positions, as a page index has: the boost is parsed
  doc.add_posting("units", 2);
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

// Adds a page entry for each (language, text) as the page index makes it:
// its words stemmed in its language, folded forms, its L term.
void AddPages(Xapian::WritableDatabase& db, const std::vector<std::pair<std::string, std::string>>& pages) {
  Xapian::TermGenerator tg;
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME_FULL_POS);
  for (const auto& [language, text] : pages) {
    Xapian::Document entry;
    tg.set_stemmer(StemmerFor(language));
    tg.set_document(entry);
    tg.set_termpos(0);
    IndexPageWords(tg, text);
    DropUnfoldedPositions(entry);
    DropWordPositionsFromStems(entry);
    entry.add_boolean_term("L" + language);
    db.add_document(entry);
  }
  db.commit();
}

// A query without accents is parsed as typed and folded, the folded parse
// reading each term t as (t OR XF t). Where the index holds none of the
// XF terms, the folded parse matches what the typed one does, and
// ParseInEachLanguage weighs the typed parse 1 + kFoldedWeight times
// instead of walking each posting list twice: the same hits, in the same
// order, with the same weights. So with a wildcard (expanded when it runs)
// whose folded form (XF + pattern) begins no term of the index. A query
// whose folded terms the index holds keeps both parses; one with a wildcard
// whose folded form begins one ("revis*": XFrevision) has the folded parse
// alone, weighed 1 + kFoldedWeight (the next test), which gives each hit
// its weight but not the same weights.
TEST(XapianTextTest, AFoldedParseTheIndexHoldsNoTermOfIsWeighedInNotWalked) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  AddPages(db, {{"en", "budget review of the budget lines"}, {"en", "review of programmes"}, {"en", "the budget"},
                {"fr", "révision du budget"}, {"en", "budget review review"}, {"en", "budgetary reviews"}});
  const std::vector<std::string> languages = {"en", "fr"};
  struct Hit {
    Xapian::docid docid;
    double weight;
  };
  auto hits = [&db](const Xapian::Query& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    std::vector<Hit> found;
    const Xapian::MSet mset = enquire.get_mset(0, 100);
    for (auto it = mset.begin(); it != mset.end(); ++it) found.push_back({*it, it.get_weight()});
    return found;
  };
  for (const std::string text : {"budget review", "budget", "\"budget review\"", "review -programmes", "revision",
                                 "budg*", "revis*", "budget revision"}) {
    for (const auto& [op, boost] : std::vector<std::pair<Xapian::Query::op, bool>>{
             {Xapian::Query::OP_AND, false}, {Xapian::Query::OP_AND, true}, {Xapian::Query::OP_OR, false}}) {
      QueryParsers weighed_in, both;
      SetUpQueryParsers(db, [](Xapian::QueryParser&) {}, &weighed_in);
      SetUpQueryParsers(db, [](Xapian::QueryParser&) {}, &both);
      both.db = nullptr;  // no term looked up: both parses kept
      const Xapian::Query one = ParseInEachLanguage(weighed_in, text, languages, op, boost);
      const Xapian::Query two = ParseInEachLanguage(both, text, languages, op, boost);
      const std::string description = one.get_description();
      SCOPED_TRACE(text + " (operator " + std::to_string(op) + ", boost " + std::to_string(boost) + "): " + description);
      const bool held = text.find("revis") != std::string::npos;  // "révision" gave XFrevision
      if (held) {
        EXPECT_EQ(description, two.get_description());
        if (text.find('*') != std::string::npos) continue;  // the folded parse alone: next test
      } else {
        EXPECT_NE(description.find("1.5 * "), std::string::npos);
        EXPECT_EQ(description.find("XF"), std::string::npos);
      }
      const std::vector<Hit> got = hits(one), want = hits(two);
      ASSERT_EQ(got.size(), want.size());
      EXPECT_FALSE(got.empty());
      for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].docid, want[i].docid) << "hit " << i;
        EXPECT_NEAR(got[i].weight, want[i].weight, 1e-9 * want[i].weight) << "hit " << i;
      }
    }
  }
}

// A query with a wildcard, typed without accents, whose folded form begins
// terms the index holds, is ranked by its folded parse alone, weighed
// 1 + kFoldedWeight: the folded parse reads each term and wildcard t as
// t OR XF t, so it matches what both parses match, and the typed
// wildcard's expansions are walked once instead of twice. A word matched
// only without its accents then weighs as much as one matched as typed.
// So also with NOT or -word when no entry holds a folded form of what is
// excluded; when one does (-revise: "révisé" gave XFrevise), the folded
// parse would exclude more than the typed one, and both parses stay, as
// with XOR.
TEST(XapianTextTest, AWildcardQueryIsRankedByItsFoldedParseAlone) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  AddPages(db, {{"en", "revision of the budget"}, {"fr", "révision du budget"}, {"en", "revised budget lines"},
                {"en", "review of programmes"}, {"fr", "révisé et revu"}, {"en", "budget revision revision"}});
  const std::vector<std::string> languages = {"en"};
  auto matches = [&db](const Xapian::Query& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    std::vector<Xapian::docid> found;
    const Xapian::MSet mset = enquire.get_mset(0, 100);
    for (auto it = mset.begin(); it != mset.end(); ++it) found.push_back(*it);
    std::sort(found.begin(), found.end());
    return found;
  };
  for (const std::string text : {"revis*", "revis* budget", "budget revis*", "revis* OR programmes", "rev*",
                                 "revis* -budget", "revis* NOT lines", "revis* -programmes -lines"}) {
    SCOPED_TRACE(text);
    QueryParsers parsers;
    SetUpQueryParsers(db, [](Xapian::QueryParser&) {}, &parsers);
    const Xapian::Query ranked = ParseInEachLanguage(parsers, text, languages, Xapian::Query::OP_AND, false);
    // Both parses, as a query with accents typed keeps them.
    QueryParsers by_hand;
    SetUpQueryParsers(db, [](Xapian::QueryParser&) {}, &by_hand);
    constexpr unsigned kFlags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD;
    by_hand.as_typed.set_stemmer(StemmerFor("en"));
    by_hand.folded.set_stemmer(StemmerFor("en"));
    const Xapian::Query folded = by_hand.folded.parse_query(text, kFlags);
    const Xapian::Query both(Xapian::Query::OP_OR, by_hand.as_typed.parse_query(text, kFlags),
                             Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, folded, kFoldedWeight));
    EXPECT_EQ(ranked.get_description(),
              Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, folded, 1 + kFoldedWeight).get_description());
    EXPECT_EQ(matches(ranked), matches(both));
    EXPECT_FALSE(matches(ranked).empty());
  }
  // "revis*" finds "révision" (fr) as it finds "revision" (en).
  {
    QueryParsers parsers;
    SetUpQueryParsers(db, [](Xapian::QueryParser&) {}, &parsers);
    EXPECT_EQ(matches(ParseInEachLanguage(parsers, "revis*", languages, Xapian::Query::OP_AND, false)),
              (std::vector<Xapian::docid>{1, 2, 3, 5, 6}));
  }
  // Excluding what an entry holds a folded form of, with XOR, or with
  // accents typed: both parses. (The matches of both are checked above.)
  for (const std::string text : {"revis* -revise", "budg* NOT revise", "revis* XOR budget", "révis*"}) {
    SCOPED_TRACE(text);
    QueryParsers parsers;
    SetUpQueryParsers(db, [](Xapian::QueryParser&) {}, &parsers);
    const std::string description =
        ParseInEachLanguage(parsers, text, languages, Xapian::Query::OP_AND, false).get_description();
    EXPECT_NE(description.find(" OR 0.5 * "), std::string::npos) << description;
  }
}

// With `held_in` (a reader's columns), a language's subquery whose terms
// no entry of that language holds is left out, and folded terms are held
// nowhere language by language: the same hits with the same weights as
// every subquery kept, fewer posting lists. The subqueries left keep their
// language filter where another language's entries hold their terms:
// English "running" is "run", which a French entry holds as its own word,
// and which must not match there. One whose terms only its own languages'
// entries hold ("shoes") needs none.
TEST(XapianTextTest, ALanguagesSubqueryWhoseTermsItsEntriesLackIsLeftOut) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  AddPages(db, {{"en", "running shoes for the budget review"}, {"en", "the runners ran"}, {"fr", "run de la révision"},
                {"fr", "le budget"}, {"de", "der Haushalt"}});
  const std::vector<std::string> languages = {"de", "en", "fr"};
  auto columns = FacetColumns::Build(db, {{.term_prefix = "L", .postings = true}});
  auto hits = [&db](const Xapian::Query& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    std::vector<std::pair<Xapian::docid, double>> found;
    const Xapian::MSet mset = enquire.get_mset(0, 100);
    for (auto it = mset.begin(); it != mset.end(); ++it) found.emplace_back(*it, it.get_weight());
    return found;
  };
  auto parse = [&](const std::string& text, Xapian::Query::op op, bool boost, bool leave_out) {
    QueryParsers parsers;
    SetUpQueryParsers(db, [](Xapian::QueryParser&) {}, &parsers);
    parsers.language_filter = [&columns](const std::vector<std::string>& its_languages) {
      return Xapian::Query((new ColumnFilterSource(columns, 0, its_languages))->release());
    };
    if (leave_out) {
      parsers.held_in = [&columns, &db](const std::string& term, const std::vector<std::string>& its_languages) {
        return columns->MayHold(db, 0, term, its_languages);
      };
    }
    return ParseInEachLanguage(parsers, text, languages, op, boost);
  };
  int fewer = 0;
  for (const std::string text : {"running", "budget review", "budget", "revision", "review -shoes", "\"budget review\"",
                                 "run*", "absent", "budget absent", "shoes", "shoes OR haushalt"}) {
    for (const auto& [op, boost] : std::vector<std::pair<Xapian::Query::op, bool>>{
             {Xapian::Query::OP_AND, false}, {Xapian::Query::OP_AND, true}, {Xapian::Query::OP_OR, false}}) {
      const Xapian::Query left_out = parse(text, op, boost, true), kept = parse(text, op, boost, false);
      SCOPED_TRACE(text + " (operator " + std::to_string(op) + ", boost " + std::to_string(boost) + "): " +
                   left_out.get_description());
      const auto got = hits(left_out), want = hits(kept);
      ASSERT_EQ(got.size(), want.size());
      for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].first, want[i].first) << "hit " << i;
        EXPECT_NEAR(got[i].second, want[i].second, 1e-9 * want[i].second) << "hit " << i;
      }
      auto subqueries = [](const Xapian::Query& query) {
        const std::string description = query.get_description();
        size_t count = 0;
        for (size_t at = description.find("ColumnFilterSource"); at != std::string::npos;
             at = description.find("ColumnFilterSource", at + 1)) {
          ++count;
        }
        return count;
      };
      EXPECT_LE(subqueries(left_out), subqueries(kept));
      fewer += subqueries(left_out) < subqueries(kept) ? 1 : 0;
    }
  }
  EXPECT_GE(fewer, 6) << "some of these queries have a language subquery that cannot match";
  // "running": English "run" only (French stems it "running", which no
  // French entry holds), filtered to English: not the French "run".
  const Xapian::Query running = parse("running", Xapian::Query::OP_AND, false, true);
  EXPECT_EQ(running.get_description().find("Zrunning"), std::string::npos) << running.get_description();
  EXPECT_NE(running.get_description().find("ColumnFilterSource(en)"), std::string::npos) << running.get_description();
  ASSERT_EQ(hits(running).size(), 1u);
  EXPECT_EQ(hits(running).front().first, 1u);
  // "shoes": only English entries hold its terms, so its subquery matches
  // only them without a filter.
  const Xapian::Query shoes = parse("shoes", Xapian::Query::OP_AND, false, true);
  EXPECT_EQ(shoes.get_description().find("ColumnFilterSource"), std::string::npos) << shoes.get_description();
  ASSERT_EQ(hits(shoes).size(), 1u);
  EXPECT_EQ(hits(shoes).front().first, 1u);
  // A query with a phrase keeps its filter, even where no other language's
  // entry holds what it needs: which matches Xapian 1.4.22 keeps of such a
  // query can depend on its operators (xapian_text.cc).
  const Xapian::Query phrase = parse("\"budget review\" running", Xapian::Query::OP_AND, false, true);
  EXPECT_NE(phrase.get_description().find("ColumnFilterSource(en)"), std::string::npos) << phrase.get_description();
  // A word no entry holds: every subquery is left out, nothing matches.
  EXPECT_TRUE(hits(parse("absent", Xapian::Query::OP_AND, true, true)).empty());
  // "budget": English entries hold no XF form of it: weighed in, not walked.
  const std::string budget = parse("budget", Xapian::Query::OP_AND, false, true).get_description();
  EXPECT_NE(budget.find("1.5 * "), std::string::npos) << budget;
}

// The adjacency boost's phrases of `text` parsed in `language` by a
// database whose one entry has positions (without any, no boost is added).
std::vector<Xapian::Query> BoostPhrases(const std::string& text, const std::string& language) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  Xapian::Document page;
  page.add_posting("w0", 1);
  db.add_document(page);
  db.commit();
  QueryParsers parsers;
  SetUpQueryParsers(db, [](Xapian::QueryParser&) {}, &parsers);
  std::vector<Xapian::Query> phrases;
  std::vector<Xapian::Query> pending{
      ParseInEachLanguage(parsers, text, {language}, Xapian::Query::OP_AND, true, ParsePurpose::kRank)};
  while (!pending.empty()) {
    const Xapian::Query q = pending.back();
    pending.pop_back();
    if (q.get_type() == Xapian::Query::OP_PHRASE) phrases.push_back(q);
    for (size_t i = 0; i < q.get_num_subqueries(); ++i) pending.push_back(q.get_subquery(i));
  }
  return phrases;
}

// The adjacency boost's phrase of a long run of words is cut into phrases
// of at most kMaxBoostPhraseWords words (the page index leaves no more
// positions free before the first page); a last piece of one word has no
// neighbour in it and is left out.
TEST(XapianTextTest, ALongRunOfWordsIsBoostedInPhrasesOfBoundedLength) {
  auto phrase_lengths = [](size_t words) {
    std::string text;
    for (size_t i = 0; i < words; ++i) text += "w" + std::to_string(i) + " ";
    std::vector<size_t> lengths;
    for (const Xapian::Query& phrase : BoostPhrases(text, "und")) lengths.push_back(phrase.get_num_subqueries());
    std::sort(lengths.begin(), lengths.end());
    return lengths;
  };
  EXPECT_EQ(phrase_lengths(2), (std::vector<size_t>{2}));
  EXPECT_EQ(phrase_lengths(kMaxBoostPhraseWords), (std::vector<size_t>{kMaxBoostPhraseWords}));
  EXPECT_EQ(phrase_lengths(kMaxBoostPhraseWords + 1), (std::vector<size_t>{kMaxBoostPhraseWords}));
  EXPECT_EQ(phrase_lengths(kMaxBoostPhraseWords + 6), (std::vector<size_t>{6, kMaxBoostPhraseWords}));
  EXPECT_EQ(phrase_lengths(2 * kMaxBoostPhraseWords + 2), (std::vector<size_t>{2, kMaxBoostPhraseWords, kMaxBoostPhraseWords}));
}

// ParsePurpose::kBoost gives the boost's phrases alone: for each group of
// languages, its phrases (the same as kRank's) for the entries of its
// languages, made by `boost_among` when set; nothing for a query without
// phrases (one word).
TEST(XapianTextTest, TheBoostsPhrasesAloneComeGroupByGroup) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  Xapian::Document page;
  page.add_posting("w0", 1);  // positions: the boost is parsed
  db.add_document(page);
  db.commit();
  QueryParsers parsers;
  SetUpQueryParsers(db, [](Xapian::QueryParser&) {}, &parsers);
  const std::vector<std::string> languages = {"de", "en"};
  auto parse = [&](const std::string& text, ParsePurpose purpose) {
    return ParseInEachLanguage(parsers, text, languages, Xapian::Query::OP_AND, true, purpose);
  };
  EXPECT_TRUE(parse("management", ParsePurpose::kBoost).empty());
  // English stems "management" and "response" as German does not: two groups.
  const std::string boost = parse("management response", ParsePurpose::kBoost).get_description();
  const std::string ranked = parse("management response", ParsePurpose::kRank).get_description();
  EXPECT_NE(boost.find("Zmanag@1"), std::string::npos) << boost;
  EXPECT_NE(boost.find("PHRASE 2"), std::string::npos) << boost;
  EXPECT_NE(boost.find("Lde"), std::string::npos) << boost;
  EXPECT_NE(boost.find("Len"), std::string::npos) << boost;
  // No word outside a phrase: the words' own weight is the ranked pass's.
  EXPECT_EQ(boost.find("AND_MAYBE"), std::string::npos) << boost;
  EXPECT_NE(ranked.find("AND_MAYBE"), std::string::npos) << ranked;
  std::vector<std::pair<std::vector<std::string>, std::string>> seen;
  parsers.boost_among = [&](const std::vector<std::string>& its_languages, const Xapian::Query& phrases,
                            const std::vector<Xapian::Query>&, const std::vector<AdjacentWords>&) {
    seen.emplace_back(its_languages, phrases.get_description());
    return Xapian::Query("made");
  };
  const Xapian::Query made = parse("management response", ParsePurpose::kBoost);
  ASSERT_EQ(seen.size(), 2u);
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen[0].first, (std::vector<std::string>{"de"}));
  EXPECT_EQ(seen[1].first, (std::vector<std::string>{"en"}));
  EXPECT_NE(seen[1].second.find("Zmanag@1"), std::string::npos) << seen[1].second;
  EXPECT_EQ(seen[1].second.find("Len"), std::string::npos) << seen[1].second;
  EXPECT_EQ(made.get_description(), "Query((made OR made))");
}

// An index without positions (the item index) gets no boost: Xapian would
// read its phrases as ANDs of the same terms.
TEST(XapianTextTest, AnIndexWithoutPositionsGetsNoAdjacencyBoost) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  Xapian::Document entry;
  entry.add_term("Zmanag");
  entry.add_term("Zrespons");
  db.add_document(entry);
  db.commit();
  QueryParsers parsers;
  SetUpQueryParsers(db, [](Xapian::QueryParser&) {}, &parsers, Xapian::QueryParser::STEM_ALL_Z);
  const std::string boosted =
      ParseInEachLanguage(parsers, "management response", {"en"}, Xapian::Query::OP_AND, true, ParsePurpose::kRank)
          .get_description();
  const std::string plain =
      ParseInEachLanguage(parsers, "management response", {"en"}, Xapian::Query::OP_AND, false, ParsePurpose::kRank)
          .get_description();
  EXPECT_EQ(boosted, plain);
  EXPECT_EQ(boosted.find("PHRASE"), std::string::npos) << boosted;
}

// The boost leaves a query's function words out of its phrases (the others
// then stand in order within the run's span), boosts no run left with one
// word, and keeps a run of function words only whole. Each language knows
// its own: German has no list, so "the" stays in its phrase.
TEST(XapianTextTest, TheAdjacencyBoostLeavesFunctionWordsOut) {
  auto phrases = [](const std::string& text, const std::string& language) {
    std::vector<std::string> found;
    for (const Xapian::Query& phrase : BoostPhrases(text, language)) found.push_back(phrase.get_description());
    std::sort(found.begin(), found.end());
    return found;
  };
  std::vector<std::string> found = phrases("management of the response", "en");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("Zmanag"), std::string::npos) << found[0];
  EXPECT_NE(found[0].find("PHRASE 4 "), std::string::npos) << found[0];
  EXPECT_NE(found[0].find("Zrespons"), std::string::npos) << found[0];
  EXPECT_EQ(found[0].find("Zthe"), std::string::npos) << found[0];
  EXPECT_EQ(found[0].find("Zof"), std::string::npos) << found[0];
  EXPECT_TRUE(phrases("since the", "en").empty());
  found = phrases("of the", "en");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("PHRASE 2 "), std::string::npos) << found[0];
  found = phrases("the response", "de");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("PHRASE 2 "), std::string::npos) << found[0];
  found = phrases("mise en œuvre", "fr");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("PHRASE 3 "), std::string::npos) << found[0];
  EXPECT_EQ(found[0].find("Zen"), std::string::npos) << found[0];
  found = phrases("el informe de la evaluación", "es");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("PHRASE 4 "), std::string::npos) << found[0];
  // A long run: its phrases span at most kMaxBoostPhraseWords positions.
  std::string text;
  for (int i = 0; i < 40; ++i) text += "w" + std::to_string(i) + " the ";  // kept words at 0, 2, ..., 78
  found = phrases(text, "en");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].find("PHRASE 63 ") != std::string::npos, true) << found[0];  // words 0 to 62
  EXPECT_EQ(found[1].find("PHRASE 15 ") != std::string::npos, true) << found[1];  // words 64 to 78
  static_assert(kMaxBoostPhraseWords == 64, "the spans above assume phrases of at most 64 positions");
}

TEST(XapianTextTest, FunctionWordsAreClosedClassWordsOfEachLanguage) {
  EXPECT_TRUE(IsFunctionWord("en", "the"));
  EXPECT_TRUE(IsFunctionWord("en", "doe"));  // the stem of "does", as a Z term holds it
  EXPECT_FALSE(IsFunctionWord("en", "evaluation"));
  EXPECT_FALSE(IsFunctionWord("en", "les"));
  EXPECT_TRUE(IsFunctionWord("fr", "les"));
  EXPECT_TRUE(IsFunctionWord("fr", "été"));
  EXPECT_FALSE(IsFunctionWord("fr", "évaluation"));
  EXPECT_TRUE(IsFunctionWord("es", "los"));
  EXPECT_FALSE(IsFunctionWord("es", "informe"));
  EXPECT_FALSE(IsFunctionWord("de", "der"));  // no list
  EXPECT_FALSE(IsFunctionWord("und", "the"));
}

// A FoldingStemmer keeps the stems it made: a word stemmed again, also
// after the memo filled and was emptied, stems as it did the first time,
// and as stemming it afresh does (a word folding changes: XF + the stem of
// its folded form).
TEST(XapianTextTest, AFoldingStemmerStemsAWordAgainAsItDidTheFirstTime) {
  const Xapian::Stem french = StemmerFor("fr");
  const Xapian::Stem stemmer(new FoldingStemmer(french));
  auto afresh = [&french](const std::string& word) {
    const std::string folded = FoldAccents(word);
    return folded == word ? french(word) : "XF" + french(folded);
  };
  std::vector<std::string> words = {"évaluation", "evaluation", "évaluations", "recommandé", "recommande", "rapports"};
  for (int i = 0; i < 40000; ++i) words.push_back((i % 2 ? "été" : "ete") + std::to_string(i) + "s");
  for (int round = 0; round < 2; ++round) {
    for (const std::string& word : words) ASSERT_EQ(stemmer(word), afresh(word)) << word << ", round " << round;
  }
  EXPECT_EQ(stemmer("évaluation"), "XF" + french("evaluation"));
  EXPECT_EQ(stemmer("évaluation"), stemmer("évaluations"));
}

// LeafTermOf reads a leaf's term as get_terms_begin() gives it, for every
// form Xapian writes a term in: lengths about the 16 and 255 bytes where its
// length is written apart, with and without a position and a wqf, a boolean
// term (wqf 0), an accented one, and MatchAll (no term; a leaf of its own
// type); and through a parsed query's leaves.
TEST(XapianTextTest, ALeafsTermIsReadAsGetTermsBeginGivesIt) {
  auto slow = [](const Xapian::Query& leaf) {
    const Xapian::TermIterator t = leaf.get_terms_begin();
    return t == leaf.get_terms_end() ? std::string() : *t;
  };
  std::vector<Xapian::Query> leaves;
  for (size_t length : {1, 2, 14, 15, 16, 17, 31, 200, 269, 270, 271, 300, 5000, 70000}) {
    const std::string term = "Z" + std::string(length - 1, static_cast<char>('a' + length % 26));
    for (Xapian::termcount wqf : {0u, 1u, 2u, 300u}) {
      for (Xapian::termpos pos : {0u, 1u, 7u, 300u, 100000u}) leaves.emplace_back(term, wqf, pos);
    }
  }
  leaves.emplace_back("évaluation");
  leaves.emplace_back(std::string("a\0b", 3));
  leaves.push_back(Xapian::Query::MatchAll);
  leaves.emplace_back("", 2, 5);  // MatchAll's other form
  for (const Xapian::Query& leaf : leaves) {
    EXPECT_EQ(LeafTermOf(leaf), slow(leaf)) << leaf.get_description().substr(0, 80);
  }
  EXPECT_EQ(LeafTermOf(Xapian::Query(std::string(300, 'x'), 1, 3)), std::string(300, 'x'));
  EXPECT_EQ(LeafTermOf(Xapian::Query::MatchAll), "");
  // Every leaf of a parsed query, each met by walking the tree.
  Xapian::QueryParser parser;
  parser.set_stemmer(Xapian::Stem("en"));
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  const Xapian::Query parsed = parser.parse_query("management \"key actions\" évaluations -overdue title:report");
  std::vector<std::string> walked;
  std::function<void(const Xapian::Query&)> walk = [&](const Xapian::Query& q) {
    if (q.get_type() == Xapian::Query::LEAF_TERM) {
      EXPECT_EQ(LeafTermOf(q), slow(q));
      walked.push_back(LeafTermOf(q));
    }
    for (size_t i = 0; i < q.get_num_subqueries(); ++i) walk(q.get_subquery(i));
  };
  walk(parsed);
  EXPECT_GE(walked.size(), 6u);
  EXPECT_NE(std::find(walked.begin(), walked.end(), "Zmanag"), walked.end());
}

// QueryStemmer's stems, kept across searches and threads, are StemmerFor's:
// the same word in two languages keeps both stems apart, a word met again
// (also after the cache has been emptied: 40,000 words are more than it
// holds) stems as the first time, and so for threads stemming at once.
// "und" and a language Xapian does not stem get the "none" stemmer.
TEST(XapianTextTest, AQueryStemmerStemsAsTheLanguagesStemmer) {
  EXPECT_TRUE(QueryStemmer("und").is_none());
  EXPECT_TRUE(QueryStemmer("xx").is_none());
  EXPECT_FALSE(QueryStemmer("en").is_none());
  std::vector<std::string> words = {"evaluations", "running", "recommandations", "évaluation", "coordinación", "like"};
  for (int i = 0; i < 40000; ++i) words.push_back("report" + std::to_string(i) + (i % 2 ? "ing" : "s"));
  auto stem_all = [&words](const std::string& language, int rounds) {
    const Xapian::Stem cached = QueryStemmer(language), afresh = StemmerFor(language);
    int wrong = 0;
    for (int round = 0; round < rounds; ++round) {
      for (const std::string& word : words) wrong += cached(word) != afresh(word);
    }
    return wrong;
  };
  EXPECT_EQ(stem_all("en", 2), 0);
  // English stems "running" as "run", French leaves it.
  EXPECT_EQ(QueryStemmer("en")("running"), "run");
  EXPECT_EQ(QueryStemmer("fr")("running"), StemmerFor("fr")("running"));
  EXPECT_NE(QueryStemmer("fr")("running"), "run");
  std::vector<int> wrong(4, -1);
  std::vector<std::thread> threads;
  const std::vector<std::string> languages = {"en", "fr", "es", "en"};
  for (size_t t = 0; t < languages.size(); ++t) {
    threads.emplace_back([&, t] { wrong[t] = stem_all(languages[t], 1); });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace dossier
