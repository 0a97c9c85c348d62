// Tests of text normalisation, hashing, and language and type detection.
#include "dossier/text.h"

#include <gtest/gtest.h>

namespace dossier {
namespace {

TEST(NormalizeTextTest, ComposesToNfcAndDropsControls) {
  EXPECT_EQ(NormalizeText("Evaluacio\xCC\x81n"), "Evaluación");  // o + combining acute -> ó
  EXPECT_EQ(NormalizeText("a\x01" "b\r\nc\td\fe"), "ab\nc\td\fe");
  EXPECT_EQ(NormalizeText("bad \xFF byte"), "bad \xEF\xBF\xBD byte");  // U+FFFD
  EXPECT_EQ(NormalizeText(""), "");
}

TEST(Sha256Test, KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
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
