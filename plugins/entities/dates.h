// Date expressions in English, Spanish and French, normalised to ISO 8601 at their stated precision.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dossier_entities {

struct DateMention {
  size_t start = 0, end = 0;  // byte offsets in the text
  std::string text;
  std::string value;      // "2001", "2001-07", "2001-08-31"
  std::string precision;  // "year", "month", "day", "quarter"
  std::string end_value;  // for ranges and quarters: the period's end at the same precision, else ""
};

// Day-month order for ambiguous numeric dates like 03/04/2021.
enum class NumericOrder { kDayFirst, kMonthFirst };

// Finds every date expression in `text`, longest first and without overlaps,
// in text order. Numeric dates whose order cannot be told from the digits
// follow `order`.
std::vector<DateMention> FindDates(std::string_view text, NumericOrder order);

// The order a document uses, from its unambiguous numeric dates (a first
// part over 12 means day first); day first when nothing tells.
NumericOrder GuessNumericOrder(std::string_view text);

}  // namespace dossier_entities
