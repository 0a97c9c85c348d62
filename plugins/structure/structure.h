// The document structure model: a document's page texts read once into typed
// lines, blocks and a section tree, shared by every extraction pass.
//
// What it is built from: the page texts Dossier stores (text layer or OCR, in
// reading order, tables as tab-separated rows) and, for text layers, how
// each line is set (type size; bold is carried, for joining a heading set
// on two lines). Headings are told from their
// numbering, capitals, length and punctuation, and from a type larger than
// the body's; heading levels from the order in which each heading style
// first appears (as reStructuredText does with its adornments).
//
// What it labels (a closed set, after docling-core's labels): page_header,
// page_footer and page_number lines are removed from the reading text;
// contents entries are kept apart; heading, list_item, paragraph and
// table_row blocks carry the text. Every block keeps its provenance: page
// and byte span in that page's text.
//
// Thread-safety: BuildStructure is a pure function; a DocumentStructure holds
// string_views into the caller's page texts, which must outlive it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cues.h"

namespace dossier_structure {

// How a run of a page's lines is set (the plugin ABI's dossier_line_style):
// lines of the page text split at '\n', counted from 0.
struct LineStyle {
  uint32_t first_line = 0;
  uint32_t line_count = 1;
  float size = 0;      // type size in points
  bool bold = false;   // set in a bold face
};

struct PageText {
  uint32_t number = 0;
  std::string_view text;
  std::vector<LineStyle> styles;  // in line order; empty when the page's source could not tell (OCR, plain text)
};

// What a block is. On the wire (the "structure" fact) as the names below.
enum class BlockKind { kHeading, kParagraph, kListItem, kTableRow, kContentsEntry };
std::string_view BlockKindName(BlockKind kind);

// Where a section sits in the document.
enum class SectionRole { kFrontMatter, kContents, kSummary, kBody, kAnnex };
std::string_view SectionRoleName(SectionRole role);

// What a section is about, from its heading's words (cue files) or its parent's.
enum class Topic {
  kNone, kRecommendations, kFindings, kConclusions, kLessons, kResponse,
  kTermsOfReference, kMethodology, kReferences, kAcronyms, kBackground,
  kActions  // next steps, milestones, key actions: what will be done about the item above
};
std::string_view TopicName(Topic topic);

struct Block {
  BlockKind kind = BlockKind::kParagraph;
  uint32_t page = 0;
  size_t start = 0, end = 0;  // byte span in `page`'s text: the text after any label .. the last line's end
  std::string text;           // the block's own text: lines joined by spaces, label removed
  std::string label;          // "1.", "(a)", "•", "II.", "A -", "Recommendation 3:" as printed (trimmed), or ""
  std::string number;         // the label's number or letter ("1", "a", "II", "A", "3"), or ""
  int level = 0;              // headings: 1 = top; list items: 1 = outermost list
  int section = -1;           // index into DocumentStructure::sections, -1 before the first heading
  std::vector<std::string> cells;  // table rows: the cells, as printed
};

struct Section {
  std::string number;  // heading label's number ("2.1", "IV", "A"), or ""
  std::string title;   // heading text without the label
  int level = 1;
  uint32_t page = 0;
  int parent = -1;
  size_t heading_block = 0;  // index of its heading in DocumentStructure::blocks
  SectionRole role = SectionRole::kBody;
  Topic topic = Topic::kNone;       // own or inherited
  bool own_topic = false;           // whether its own heading named the topic
};

struct RemovedLines {
  int page_headers = 0, page_footers = 0, page_numbers = 0;
};

struct DocumentStructure {
  std::vector<PageText> pages;  // the texts it was built from (views: the caller's)
  std::vector<Block> blocks;
  std::vector<Section> sections;
  RemovedLines removed;
  // What the document as a whole is, from a heading of its first page that
  // names recommendations and nothing else ("Compendium of Priority
  // Recommendations"): kRecommendations, else kNone.
  Topic title_topic = Topic::kNone;

  // The section a block lies in, or nullptr before the first heading.
  const Section* SectionOf(const Block& block) const {
    return block.section < 0 ? nullptr : &sections[static_cast<size_t>(block.section)];
  }
  // The topic in force at a block (its section's, else kNone).
  Topic TopicAt(const Block& block) const {
    const Section* s = SectionOf(block);
    return s == nullptr ? Topic::kNone : s->topic;
  }
  SectionRole RoleAt(const Block& block) const {
    const Section* s = SectionOf(block);
    return s == nullptr ? SectionRole::kFrontMatter : s->role;
  }
};

// Reads the pages (in order) into a structure. `language` picks the cue words
// ("en", "fr", "es"; others use every language's).
DocumentStructure BuildStructure(const std::vector<PageText>& pages, const Cues& cues, std::string_view language);

// ---- pieces, public for the passes and the tests

// A list or heading label at the start of `line`: "1.", "1)", "(1)", "1.2.3",
// "a.", "(a)", "a)", "i)", "(iv)", "IV.", "A.", "A -", bullets ("•", "●",
// "▪", "-", "–", "*", "o" and private-use glyphs), coded labels ("R1", "F12",
// "C3", kCoded, number "R1"), and a bullet before a label ("• R1"). Sets the label as printed,
// its number ("" for bullets) and the offset of the text after it. Returns
// false when the line does not start with one.
struct Label {
  std::string printed;
  std::string number;
  enum Style { kArabic, kDotted, kLowerAlpha, kUpperAlpha, kLowerRoman, kUpperRoman, kBullet, kCoded } style = kArabic;
  size_t text_at = 0;
  bool bare = false;  // nothing after the label on the line
};
bool ParseLabel(std::string_view line, Label* out);

// A page number or "Page 3 of 10", "4/48", "- 3 -", "iv".
bool IsPageNumberLine(std::string_view line);

// The key under which case, accent, punctuation and article variants of a
// phrase meet: the core's dossier::NameKey (dossier/name_key.h), the same
// key the graph compares names by.
std::string FoldedKey(std::string_view text);

}  // namespace dossier_structure
