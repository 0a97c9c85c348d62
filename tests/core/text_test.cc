// Tests of text normalisation, hashing, and language and type detection.
#include "dossier/text.h"

#include "dossier/name_key.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace dossier {
namespace {

TEST(NormalizeTextTest, ComposesToNfcAndDropsControls) {
  EXPECT_EQ(NormalizeText("Evaluacio\xCC\x81n"), "Evaluación");  // o + combining acute -> ó
  EXPECT_EQ(NormalizeText("a\x01" "b\r\nc\td\fe"), "ab\nc\td\fe");
  EXPECT_EQ(NormalizeText("bad \xFF byte"), "bad \xEF\xBF\xBD byte");  // U+FFFD
  EXPECT_EQ(NormalizeText(""), "");
}

// NameKey folds ASCII through a table and the rest through ICU; a name that
// mixes them folds as a whole: case, accents (precomposed or combining),
// punctuation and a leading article go, "&" and other scripts stay.
TEST(NameKeyTest, FoldsMixedNamesAsAWhole) {
  EXPECT_EQ(NameKey("The Ministère de l'Économie"), "ministere de l economie");
  EXPECT_EQ(NameKey("Cafe\xCC\x81 & Co."), "cafe & co");  // e + combining acute
  EXPECT_EQ(NameKey("OFFICE OF THE INSPECTOR GENERAL"), "office of the inspector general");
  EXPECT_EQ(NameKey("La Dirección\xC2\xA0Regional"), "direccion regional");  // no-break space
  EXPECT_EQ(NameKey("\xE2\x80\x9CKelp\xE2\x80\x9D Board (KB)"), "kelp board kb");
  EXPECT_EQ(NameKey("\xC4\xB0stanbul Office"), "istanbul office");  // capital I with dot above
  EXPECT_EQ(NameKey("\xCE\x9F\xCE\x97\xCE\xB5"), "\xCE\xBF\xCE\xB7\xCE\xB5");  // Greek stays, lower case
  EXPECT_EQ(NameKey("  --  "), "");
}

TEST(FoldAccentsTest, RemovesMarksAndKeepsTheRest) {
  EXPECT_EQ(FoldAccents("Évaluation de la gestión, façade, über"), "Evaluation de la gestion, facade, uber");
  EXPECT_EQ(FoldAccents("Evaluacio\xCC\x81n"), "Evaluacion");  // a combining accent too
  EXPECT_EQ(FoldAccents("ø ß ł “quotes” – dash"), "ø ß ł “quotes” – dash");  // no marks to remove
  EXPECT_EQ(FoldAccents("plain ASCII"), "plain ASCII");
  EXPECT_EQ(FoldAccents(""), "");
}

// FoldAccents folds Latin letters from a table (one ICU call per letter, made
// once) and sends anything else to ICU: both give ICU's answer.
TEST(FoldAccentsTest, TheLatinTableGivesWhatIcuGives) {
  std::vector<std::string> texts = {
      "Évaluation de la gestión", "ÇA ÑANDÚ Ōsaka ǅemal Ǿ Ș ț ĳ ŉ ſ", "Straße øre Łódź æsir đ",
      "a\xC2\xA0" "b \xC2\xB4 \xC2\xA8 \xC2\xAA \xC2\xBA \xC2\xB2",  // NBSP, spacing accents, ordinals, superscript
      "e\xCC\x81t\xC3\xA9",                                     // a combining accent before a table letter
      "caf\xC3\xA9 \xE2\x80\x99 ﬁn ὈΔΥΣΣΕΎΣ",                   // beyond the table: ICU for the whole text
      "bad \xC3 byte", "\xC3\xA9\xFF", "\xC9\x8F\xCA\x80",          // cut or invalid UTF-8; U+024F, then U+0280
      "\xC3\xA9\xC9\x90\xC9\xBF",                                // U+0250 and U+027F: a lead byte of the table's, past its end
  };
  for (char32_t c = 0x80; c < 0x280; ++c) {  // every code point of the lead bytes 0xC2..0xC9
    texts.push_back(std::string("x") + static_cast<char>(0xC0 | (c >> 6)) + static_cast<char>(0x80 | (c & 0x3F)) + "y");
  }
  for (const std::string& text : texts) EXPECT_EQ(FoldAccents(text), FoldAccentsWithIcu(text)) << text;
  EXPECT_EQ(FoldAccents("ÇA ÑANDÚ Ōsaka"), "CA NANDU Osaka");
}

TEST(ElisionsTest, FrenchElidedWordsComeOffWithEitherApostrophe) {
  EXPECT_EQ(RemoveElisions("l’entrepreneuriat et d'évaluation"), "entrepreneuriat et évaluation");
  EXPECT_EQ(RemoveElisions("L’Agence qu’il jusqu’à lorsqu’on n’a s’est c’est m’a t’es j’ai"),
            "Agence il à on a est est a es ai");
  // Not at a word's start, not before a letter, or not an elided word: unchanged.
  EXPECT_EQ(RemoveElisions("aujourd’hui, rock n' roll, l'1, O'Brien, don't, l’"),
            "aujourd’hui, rock n' roll, l'1, O'Brien, don't, l’");
  EXPECT_EQ(RemoveElisions("(l’État)"), "(État)");
  EXPECT_EQ(RemoveElisions("no apostrophe"), "no apostrophe");
  // The word right after an elision is not one (as the index was always made).
  EXPECT_EQ(RemoveElisions("qu’l’avion, l'l'x"), "l’avion, l'x");
  // Apostrophes of both kinds, many of them, in a longer text.
  std::string many, expected;
  for (int i = 0; i < 200; ++i) {
    many += "d’eau l'été it's ";
    expected += "eau été it's ";
  }
  EXPECT_EQ(RemoveElisions(many), expected);
}

TEST(ElisionsTest, MarksKeepTheTextAndComeBack) {
  const std::string text = "l’entrepreneuriat d'évaluation aujourd’hui";
  const std::string marked = MarkElisions(text);
  EXPECT_EQ(marked, "l\xEE\x80\x81" "entrepreneuriat d\xEE\x80\x80" "évaluation aujourd’hui");
  EXPECT_EQ(RestoreElisionMarks(marked), text);
}

TEST(Sha256Test, KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// True when `s` is well-formed UTF-8: nlohmann's strict serialiser checks it.
bool IsWellFormedUtf8(std::string_view s) {
  try {
    (void)nlohmann::json(std::string(s)).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

TEST(TruncateUtf8Test, CutsAtCharacterBoundaries) {
  // é is 2 bytes, € 3, the emoji 4, 中 3: every cut of every prefix length
  // stays well-formed and keeps as much as fits.
  for (std::string_view text : {"caf\u00e9 \u00e9t\u00e9", "co\u00fbt 12\u20ac \u20ac\u20ac",
                                "ok \U0001F600\U0001F600 done", "\u4e2d\u6587\u6587\u672c abc \u4e2d"}) {
    for (size_t max = 0; max <= text.size() + 1; ++max) {
      std::string_view cut = TruncateUtf8(text, max);
      EXPECT_LE(cut.size(), max);
      EXPECT_EQ(text.substr(0, cut.size()), cut);
      EXPECT_TRUE(IsWellFormedUtf8(cut)) << text << " cut at " << max;
      // Nothing more fits: at most one character (up to 3 more bytes) was left out.
      EXPECT_GE(cut.size() + 3, std::min(max, text.size())) << text << " cut at " << max;
    }
  }
  EXPECT_EQ(TruncateUtf8("caf\u00e9", 4), "caf");     // inside é: é goes
  EXPECT_EQ(TruncateUtf8("caf\u00e9", 5), "caf\u00e9");  // fits exactly
  EXPECT_EQ(TruncateUtf8("12\u20ac", 4), "12");
  EXPECT_EQ(TruncateUtf8("a\U0001F600b", 4), "a");
  EXPECT_EQ(TruncateUtf8("a\U0001F600b", 5), "a\U0001F600");
  EXPECT_EQ(TruncateUtf8("\u4e2d\u6587", 5), "\u4e2d");
  EXPECT_EQ(TruncateUtf8("short", 80), "short");
  EXPECT_EQ(TruncateUtf8("", 0), "");
}

TEST(TruncateUtf8Test, InvalidInputIsCutWhereAsked) {
  // A run of continuation bytes is no character: it is not walked back over.
  const std::string junk = "ab\x80\x80\x80\x80\x80\x80";
  EXPECT_EQ(TruncateUtf8(junk, 6), junk.substr(0, 6));
  EXPECT_EQ(TruncateUtf8(std::string_view("\x80\x80", 2), 1), std::string_view("\x80", 1));
}

TEST(TruncateUtf8Test, ACutLabelSerialisesAsJson) {
  // The bug it fixes: 79 ASCII bytes then €, cut at byte 80, made dump() throw.
  const std::string text = std::string(79, 'x') + "\u20ac and more";
  EXPECT_THROW(nlohmann::json(text.substr(0, 80)).dump(), nlohmann::json::type_error);
  EXPECT_NO_THROW(nlohmann::json(std::string(TruncateUtf8(text, 80))).dump());
  EXPECT_EQ(TruncateUtf8(text, 80).size(), 79u);
}

TEST(LanguageDetectorTest, TellsEnglishSpanishAndFrench) {
  auto detector = LanguageDetector::Create();
  ASSERT_TRUE(detector.ok()) << detector.status().ToString();
  EXPECT_EQ((*detector)->Detect("The evaluation found that the programme strengthened the capacity of national "
                                "governments to manage migration, and recommends that the office continue."),
            "en");
  EXPECT_EQ((*detector)->Detect("La evaluación concluye que el programa fortaleció la capacidad de los gobiernos "
                                "nacionales y recomienda que la oficina regional continúe con las actividades."),
            "es");
  EXPECT_EQ((*detector)->Detect("L'évaluation conclut que le programme a renforcé les capacités des gouvernements "
                                "nationaux et recommande que le bureau régional poursuive ses activités."),
            "fr");
  EXPECT_EQ((*detector)->Detect("ok"), "und");
}

TEST(MimeDetectorTest, DetectsByContentNotName) {
  auto detector = MimeDetector::Create();
  ASSERT_TRUE(detector.ok());
  EXPECT_EQ((*detector)->Detect("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n", "report.txt"), "application/pdf");
  EXPECT_EQ((*detector)->Detect("Plain words in a file.\nAnother line.\n", "notes.txt"), "text/plain");
  EXPECT_EQ((*detector)->Detect("# Heading\n\nSome text.\n", "README.md"), "text/markdown");
  EXPECT_EQ((*detector)->Detect("", "empty.pdf"), "application/x-empty");
  EXPECT_EQ((*detector)->Detect(std::string("\x00\x01\x02\x03\xFE\xFF\x00\x10", 8), "x.pdf"), "application/octet-stream");
}

}  // namespace
}  // namespace dossier
