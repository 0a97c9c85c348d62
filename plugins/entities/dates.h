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

// Months named without a year in a statement of when ("in June", "by the
// end of April", "through May and June", "d'ici juillet", "hasta marzo"),
// given `year` (the document's): month precision. A month followed by a
// number (a day or a year) is FindDates' business and is left out.
std::vector<DateMention> FindBareMonths(std::string_view text, int year);

// The order a document uses, from its unambiguous numeric dates (a first
// part over 12 means day first); day first when nothing tells.
NumericOrder GuessNumericOrder(std::string_view text);

}  // namespace dossier_entities
