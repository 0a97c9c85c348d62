#include "word_lines.h"

#include <algorithm>
#include <cmath>

namespace dossier_tables::internal {

bool Usable(const Word& w) {
  for (double v : {w.x0, w.y0, w.x1, w.y1}) {
    if (!(std::fabs(v) <= kMaxCoordinate)) return false;  // NaN fails too
  }
  return w.x1 > w.x0 && w.y1 > w.y0 && !w.text.empty();
}

double Line::x1() const {
  double right = words.front()->x1;
  for (const Word* w : words) right = std::max(right, w->x1);
  return right;
}

std::vector<Line> GroupLines(const std::vector<Word>& words, double jitter) {
  std::vector<const Word*> pointers;
  pointers.reserve(words.size());
  for (const Word& w : words) pointers.push_back(&w);
  return GroupLines(pointers, jitter);
}

std::vector<Line> GroupLines(const std::vector<const Word*>& words, double jitter) {
  std::vector<const Word*> sorted;
  for (const Word* w : words) {
    if (Usable(*w)) sorted.push_back(w);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const Word* a, const Word* b) { return (a->y0 + a->y1) < (b->y0 + b->y1); });
  std::vector<Line> lines;
  for (const Word* w : sorted) {
    const double center = (w->y0 + w->y1) / 2, height = w->y1 - w->y0;
    if (!lines.empty()) {
      Line& last = lines.back();
      // OCR boxes: a word without ascenders is shorter, so compare with the taller.
      const double reference = jitter > 0 ? std::max(height, last.height) : std::min(height, last.height);
      if (std::fabs(last.center() - center) <= (0.35 + jitter) * reference) {
        last.words.push_back(w);
        last.y0 = std::min(last.y0, w->y0);
        last.y1 = std::max(last.y1, w->y1);
        continue;
      }
    }
    Line line;
    line.words = {w};
    line.y0 = w->y0;
    line.y1 = w->y1;
    line.height = height;
    lines.push_back(line);
  }
  for (Line& line : lines) {
    std::sort(line.words.begin(), line.words.end(), [](const Word* a, const Word* b) { return a->x0 < b->x0; });
  }
  std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.y0 < b.y0; });
  return lines;
}

}  // namespace dossier_tables::internal
